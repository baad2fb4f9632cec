package setup

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// listUserPools maps pool names to their ids (several, when names repeat).
func listUserPools(ctx context.Context, idp *cip.Client) (map[string][]string, error) {
	out := map[string][]string{}
	p := cip.NewListUserPoolsPaginator(idp, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list user pools: %w", err)
		}
		for _, up := range page.UserPools {
			out[aws.ToString(up.Name)] = append(out[aws.ToString(up.Name)], aws.ToString(up.Id))
		}
	}
	return out, nil
}

// one picks the single id of a name, or says why it cannot.
func one(kind, name string, ids []string) (string, error) {
	if len(ids) > 1 {
		return "", fmt.Errorf("%d %ss are named %q; apply finds resources by name, so rename all but one", len(ids), kind, name)
	}
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], nil
}

// userPools applies each pool and what lives in it but groups and users,
// which wait for the roles they name.
func (a *applier) userPools(ctx context.Context) error {
	if len(a.f.UserPools) == 0 {
		return nil
	}
	existing, err := listUserPools(ctx, a.idp)
	if err != nil {
		return err
	}
	for i := range a.f.UserPools {
		p := &a.f.UserPools[i]
		id, err := one("user pool", p.Name, existing[p.Name])
		if err != nil {
			return err
		}
		if err := a.userPool(ctx, p, id); err != nil {
			return fmt.Errorf("user pool %s: %w", p.Name, err)
		}
	}
	return nil
}

func (a *applier) userPool(ctx context.Context, p *UserPool, id string) error {
	var (
		changed diff
		domain  string
	)
	isNew := id == ""
	if isNew {
		var err error
		if id, err = a.createUserPool(ctx, p); err != nil {
			return err
		}
	} else {
		d, err := a.idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &id})
		if err != nil {
			return fmt.Errorf("describe: %w", err)
		}
		domain = aws.ToString(d.UserPool.Domain)
		if changed, err = a.updateUserPool(ctx, p, d.UserPool); err != nil {
			return err
		}
	}
	a.res.UserPools[p.Name] = id
	a.record(isNew, "user pool", p.Name, changed)

	if p.Domain != "" {
		switch {
		case domain == "":
			if err := a.write(func() error {
				_, err := a.idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: &id, Domain: &p.Domain})
				return err
			}); err != nil {
				return fmt.Errorf("domain %s: %w", p.Domain, err)
			}
			a.record(true, "domain", p.Name+"/"+p.Domain, nil)
		case domain != p.Domain:
			a.conflict("user pool", p.Name, "its domain is %s, the file says %s; delete the domain to change it", domain, p.Domain)
		default:
			a.record(false, "domain", p.Name+"/"+p.Domain, nil)
		}
	}
	if err := a.resourceServers(ctx, p, id); err != nil {
		return err
	}
	return a.clients(ctx, p, id)
}

// passwordPolicy is the policy to send: cur (the server's, or nil for
// Cognito's default) with the file's fields over it.
func passwordPolicy(cur *types.PasswordPolicyType, want *PasswordPolicy, d *diff) *types.PasswordPolicyType {
	pp := types.PasswordPolicyType{MinimumLength: aws.Int32(8), RequireUppercase: true, RequireLowercase: true,
		RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7}
	if cur != nil {
		pp = *cur
	}
	if want == nil {
		return &pp
	}
	setInt := func(name string, cur *int32, want *int) *int32 {
		if want == nil || (cur != nil && int(*cur) == *want) {
			return cur
		}
		d.add("passwordPolicy." + name)
		return aws.Int32(int32(*want))
	}
	setBool := func(name string, cur bool, want *bool) bool {
		if want == nil || cur == *want {
			return cur
		}
		d.add("passwordPolicy." + name)
		return *want
	}
	pp.MinimumLength = setInt("minimumLength", pp.MinimumLength, want.MinimumLength)
	pp.RequireUppercase = setBool("requireUppercase", pp.RequireUppercase, want.RequireUppercase)
	pp.RequireLowercase = setBool("requireLowercase", pp.RequireLowercase, want.RequireLowercase)
	pp.RequireNumbers = setBool("requireNumbers", pp.RequireNumbers, want.RequireNumbers)
	pp.RequireSymbols = setBool("requireSymbols", pp.RequireSymbols, want.RequireSymbols)
	days := pp.TemporaryPasswordValidityDays
	pp.TemporaryPasswordValidityDays = aws.ToInt32(setInt("temporaryPasswordValidityDays", &days, want.TemporaryPasswordValidityDays))
	pp.PasswordHistorySize = setInt("passwordHistorySize", pp.PasswordHistorySize, want.PasswordHistorySize)
	return &pp
}

// schemaAttribute is the SDK's form of a, named as CreateUserPool and
// AddCustomAttributes want custom attributes: without the custom: prefix.
func schemaAttribute(a Attribute) types.SchemaAttributeType {
	name := attrName(a.Name)
	if !slices.Contains(standardAttributes, name) {
		name = name[len("custom:"):]
	}
	t := types.SchemaAttributeType{Name: aws.String(name), AttributeDataType: types.AttributeDataType(a.Type),
		Mutable: a.Mutable, Required: a.Required}
	if t.AttributeDataType == "" {
		t.AttributeDataType = types.AttributeDataTypeString
	}
	itoa := func(n *int) *string {
		if n == nil {
			return nil
		}
		return aws.String(strconv.Itoa(*n))
	}
	if a.MinLength != nil || a.MaxLength != nil {
		t.StringAttributeConstraints = &types.StringAttributeConstraintsType{MinLength: itoa(a.MinLength), MaxLength: itoa(a.MaxLength)}
	}
	if a.MinValue != nil || a.MaxValue != nil {
		t.NumberAttributeConstraints = &types.NumberAttributeConstraintsType{MinValue: itoa(a.MinValue), MaxValue: itoa(a.MaxValue)}
	}
	return t
}

func (a *applier) createUserPool(ctx context.Context, p *UserPool) (string, error) {
	in := &cip.CreateUserPoolInput{
		PoolName:               &p.Name,
		UsernameAttributes:     enums[types.UsernameAttributeType](p.UsernameAttributes),
		AliasAttributes:        enums[types.AliasAttributeType](p.AliasAttributes),
		AutoVerifiedAttributes: enums[types.VerifiedAttributeType](p.AutoVerifiedAttributes),
		Policies:               &types.UserPoolPolicyType{PasswordPolicy: passwordPolicy(nil, p.PasswordPolicy, &diff{})},
	}
	if p.CaseSensitiveUsernames != nil {
		in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: p.CaseSensitiveUsernames}
	}
	if p.DeletionProtection != nil && *p.DeletionProtection {
		in.DeletionProtection = types.DeletionProtectionTypeActive
	}
	for _, at := range p.Schema {
		in.Schema = append(in.Schema, schemaAttribute(at))
	}
	id := placeholder("user pool", p.Name)
	err := a.write(func() error {
		out, err := a.idp.CreateUserPool(ctx, in)
		if err == nil {
			id = aws.ToString(out.UserPool.Id)
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create: %w", err)
	}
	// A pool is created without MFA (federa sends no SMS); TOTP MFA is
	// turned on afterwards, as the Cognito console does.
	if p.MFA != "" && p.MFA != "OFF" {
		if err := a.setMFA(ctx, id, p.MFA); err != nil {
			return "", err
		}
	}
	return id, nil
}

func (a *applier) setMFA(ctx context.Context, id, mfa string) error {
	return a.write(func() error {
		_, err := a.idp.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: &id,
			MfaConfiguration:              types.UserPoolMfaType(mfa),
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: mfa != "OFF"}})
		if err != nil {
			return fmt.Errorf("set MFA %s: %w", mfa, err)
		}
		return nil
	})
}

// updateUserPool brings an existing pool's settings to the file's.
// UpdateUserPool resets what it is not given, so every setting the file
// leaves out is carried over from the pool.
func (a *applier) updateUserPool(ctx context.Context, p *UserPool, up *types.UserPoolType) (diff, error) {
	id := aws.ToString(up.Id)
	if p.UsernameAttributes != nil && !sameSet(p.UsernameAttributes, strs(up.UsernameAttributes)) {
		a.conflict("user pool", p.Name, "usernameAttributes are %v, the file says %v; they are fixed when a pool is created", up.UsernameAttributes, p.UsernameAttributes)
	}
	if p.AliasAttributes != nil && !sameSet(p.AliasAttributes, strs(up.AliasAttributes)) {
		a.conflict("user pool", p.Name, "aliasAttributes are %v, the file says %v; they are fixed when a pool is created", up.AliasAttributes, p.AliasAttributes)
	}
	caseSensitive := up.UsernameConfiguration != nil && aws.ToBool(up.UsernameConfiguration.CaseSensitive)
	if p.CaseSensitiveUsernames != nil && *p.CaseSensitiveUsernames != caseSensitive {
		a.conflict("user pool", p.Name, "caseSensitiveUsernames is %v on the server; it is fixed when a pool is created", caseSensitive)
	}
	var d diff
	var settings diff
	var cur *types.PasswordPolicyType
	if up.Policies != nil {
		cur = up.Policies.PasswordPolicy
	}
	in := &cip.UpdateUserPoolInput{
		UserPoolId: &id, PoolName: up.Name,
		Policies:               &types.UserPoolPolicyType{PasswordPolicy: passwordPolicy(cur, p.PasswordPolicy, &settings)},
		AutoVerifiedAttributes: enums[types.VerifiedAttributeType](settings.setList("autoVerifiedAttributes", strs(up.AutoVerifiedAttributes), p.AutoVerifiedAttributes)),
		DeletionProtection:     up.DeletionProtection,
		LambdaConfig:           up.LambdaConfig, MfaConfiguration: up.MfaConfiguration,
		SmsVerificationMessage: up.SmsVerificationMessage, EmailVerificationMessage: up.EmailVerificationMessage,
		EmailVerificationSubject: up.EmailVerificationSubject, VerificationMessageTemplate: up.VerificationMessageTemplate,
		SmsAuthenticationMessage: up.SmsAuthenticationMessage, UserAttributeUpdateSettings: up.UserAttributeUpdateSettings,
		DeviceConfiguration: up.DeviceConfiguration, EmailConfiguration: up.EmailConfiguration, SmsConfiguration: up.SmsConfiguration,
		UserPoolTags: up.UserPoolTags, AdminCreateUserConfig: up.AdminCreateUserConfig, UserPoolAddOns: up.UserPoolAddOns,
		AccountRecoverySetting: up.AccountRecoverySetting, UserPoolTier: up.UserPoolTier,
	}
	if up.Policies != nil {
		in.Policies.SignInPolicy = up.Policies.SignInPolicy
	}
	if p.DeletionProtection != nil && *p.DeletionProtection != (up.DeletionProtection == types.DeletionProtectionTypeActive) {
		settings.add("deletionProtection")
		in.DeletionProtection = types.DeletionProtectionTypeInactive
		if *p.DeletionProtection {
			in.DeletionProtection = types.DeletionProtectionTypeActive
		}
	}
	if len(settings) > 0 {
		if err := a.write(func() error { _, err := a.idp.UpdateUserPool(ctx, in); return err }); err != nil {
			return nil, fmt.Errorf("update: %w", err)
		}
	}
	d = append(d, settings...)
	if p.MFA != "" && p.MFA != string(up.MfaConfiguration) {
		d.add("mfa")
		if err := a.setMFA(ctx, id, p.MFA); err != nil {
			return nil, err
		}
	}
	var add []types.SchemaAttributeType
	if len(p.Schema) > 0 {
		have, err := a.schema(ctx, up)
		if err != nil {
			return nil, err
		}
		add = a.schemaChanges(p, have)
	}
	if len(add) > 0 {
		d.add("custom attributes")
		if err := a.write(func() error {
			_, err := a.idp.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: &id, CustomAttributes: add})
			return err
		}); err != nil {
			return nil, fmt.Errorf("add custom attributes: %w", err)
		}
	}
	return d, nil
}

// schemaChanges compares the file's schema with the pool's: custom
// attributes the pool lacks can be added; any other difference is a
// conflict, since an attribute cannot change once it exists.
func (a *applier) schemaChanges(p *UserPool, have []types.SchemaAttributeType) []types.SchemaAttributeType {
	byName := map[string]types.SchemaAttributeType{}
	for _, s := range have {
		byName[attrName(aws.ToString(s.Name))] = s
	}
	var add []types.SchemaAttributeType
	for _, at := range p.Schema {
		name := attrName(at.Name)
		want := schemaAttribute(at)
		cur, ok := byName[name]
		if !ok {
			if slices.Contains(standardAttributes, name) {
				// An attribute the server does not describe has the
				// defaults: a conflict only if the file asks otherwise.
				cur = types.SchemaAttributeType{AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true), Required: aws.Bool(false)}
				if !sameAttribute(cur, want) {
					a.conflict("user pool", p.Name, "standard attribute %s cannot change after the pool is created", name)
				}
				continue
			}
			add = append(add, want)
			continue
		}
		if !sameAttribute(cur, want) {
			a.conflict("user pool", p.Name, "attribute %s differs from the server's, and attributes cannot change once they exist", name)
		}
	}
	return add
}

// sameAttribute compares the properties want gives.
func sameAttribute(cur, want types.SchemaAttributeType) bool {
	curType := cur.AttributeDataType
	if curType == "" {
		curType = types.AttributeDataTypeString
	}
	if want.AttributeDataType != curType {
		return false
	}
	if want.Required != nil && *want.Required != aws.ToBool(cur.Required) {
		return false
	}
	if want.Mutable != nil && *want.Mutable != (cur.Mutable == nil || *cur.Mutable) {
		return false
	}
	if w := want.StringAttributeConstraints; w != nil {
		c := cur.StringAttributeConstraints
		if c == nil {
			c = &types.StringAttributeConstraintsType{}
		}
		if (w.MinLength != nil && aws.ToString(w.MinLength) != aws.ToString(c.MinLength)) || (w.MaxLength != nil && aws.ToString(w.MaxLength) != aws.ToString(c.MaxLength)) {
			return false
		}
	}
	if w := want.NumberAttributeConstraints; w != nil {
		c := cur.NumberAttributeConstraints
		if c == nil {
			c = &types.NumberAttributeConstraintsType{}
		}
		if (w.MinValue != nil && aws.ToString(w.MinValue) != aws.ToString(c.MinValue)) || (w.MaxValue != nil && aws.ToString(w.MaxValue) != aws.ToString(c.MaxValue)) {
			return false
		}
	}
	return true
}

func (a *applier) resourceServers(ctx context.Context, p *UserPool, poolID string) error {
	if len(p.ResourceServers) == 0 {
		return nil
	}
	have := map[string]types.ResourceServerType{}
	if !isPlaceholder(poolID) {
		pg := cip.NewListResourceServersPaginator(a.idp, &cip.ListResourceServersInput{UserPoolId: &poolID, MaxResults: aws.Int32(50)})
		for pg.HasMorePages() {
			page, err := pg.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("list resource servers: %w", err)
			}
			for _, rs := range page.ResourceServers {
				have[aws.ToString(rs.Identifier)] = rs
			}
		}
	}
	for _, rs := range p.ResourceServers {
		var scopes []types.ResourceServerScopeType
		for _, s := range rs.Scopes {
			scopes = append(scopes, types.ResourceServerScopeType{ScopeName: aws.String(s.Name), ScopeDescription: aws.String(s.Description)})
		}
		cur, exists := have[rs.Identifier]
		var d diff
		if exists {
			if aws.ToString(cur.Name) != rs.Name {
				d.add("name")
			}
			if !sameScopes(cur.Scopes, scopes) {
				d.add("scopes")
			}
		}
		if !exists || len(d) > 0 {
			err := a.write(func() error {
				var err error
				if exists {
					_, err = a.idp.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String(rs.Identifier), Name: aws.String(rs.Name), Scopes: scopes})
				} else {
					_, err = a.idp.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String(rs.Identifier), Name: aws.String(rs.Name), Scopes: scopes})
				}
				return err
			})
			if err != nil {
				return fmt.Errorf("resource server %s: %w", rs.Identifier, err)
			}
		}
		a.record(!exists, "resource server", p.Name+"/"+rs.Identifier, d)
	}
	return nil
}

func sameScopes(a, b []types.ResourceServerScopeType) bool {
	flat := func(xs []types.ResourceServerScopeType) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = aws.ToString(x.ScopeName) + "\x00" + aws.ToString(x.ScopeDescription)
		}
		return out
	}
	return sameSet(flat(a), flat(b))
}
