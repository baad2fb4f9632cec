package setup

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func (e *exporter) exportUserPools(ctx context.Context) error {
	e.poolNames, e.clientNames = map[string]string{}, map[string]string{}
	pools, err := listUserPools(ctx, e.idp)
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(pools) {
		if len(pools[name]) > 1 {
			e.note("%d user pools are named %q; only the first is exported", len(pools[name]), name)
		}
		p, err := e.exportUserPool(ctx, pools[name][0])
		if err != nil {
			return fmt.Errorf("user pool %s: %w", name, err)
		}
		e.f.UserPools = append(e.f.UserPools, *p)
	}
	return nil
}

func (e *exporter) exportUserPool(ctx context.Context, id string) (*UserPool, error) {
	d, err := e.idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &id})
	if err != nil {
		return nil, err
	}
	up := d.UserPool
	p := &UserPool{Name: aws.ToString(up.Name), UsernameAttributes: strs(up.UsernameAttributes), AliasAttributes: strs(up.AliasAttributes),
		AutoVerifiedAttributes: strs(up.AutoVerifiedAttributes), Domain: aws.ToString(up.Domain)}
	e.res.UserPools[p.Name] = id
	e.poolNames[id] = p.Name
	e.refs[id] = "${userPool:" + p.Name + "}"
	if up.UsernameConfiguration != nil && aws.ToBool(up.UsernameConfiguration.CaseSensitive) {
		p.CaseSensitiveUsernames = aws.Bool(true)
	}
	if up.MfaConfiguration != "" && up.MfaConfiguration != types.UserPoolMfaTypeOff {
		p.MFA = string(up.MfaConfiguration)
	}
	if up.DeletionProtection == types.DeletionProtectionTypeActive {
		p.DeletionProtection = aws.Bool(true)
	}
	if up.Policies != nil && up.Policies.PasswordPolicy != nil {
		p.PasswordPolicy = exportPasswordPolicy(up.Policies.PasswordPolicy)
	}
	schema, err := e.schema(ctx, up)
	if err != nil {
		return nil, err
	}
	for _, s := range schema {
		if a, ok := exportAttribute(s); ok {
			p.Schema = append(p.Schema, a)
		}
	}
	if err := e.exportResourceServers(ctx, p, id); err != nil {
		return nil, err
	}
	if err := e.exportClients(ctx, p, id); err != nil {
		return nil, err
	}
	if err := e.exportGroups(ctx, p, id); err != nil {
		return nil, err
	}
	if err := e.exportUsers(ctx, p, id, up.UsernameAttributes); err != nil {
		return nil, err
	}
	return p, nil
}

// exportPasswordPolicy writes the fields that differ from Cognito's
// default, nil when none does.
func exportPasswordPolicy(pp *types.PasswordPolicyType) *PasswordPolicy {
	var out PasswordPolicy
	set := false
	intIf := func(v int32, def int32) *int {
		if v == def {
			return nil
		}
		set = true
		n := int(v)
		return &n
	}
	boolIf := func(v bool) *bool {
		if v {
			return nil
		}
		set = true
		return aws.Bool(false)
	}
	out.MinimumLength = intIf(aws.ToInt32(pp.MinimumLength), 8)
	out.RequireUppercase = boolIf(pp.RequireUppercase)
	out.RequireLowercase = boolIf(pp.RequireLowercase)
	out.RequireNumbers = boolIf(pp.RequireNumbers)
	out.RequireSymbols = boolIf(pp.RequireSymbols)
	out.TemporaryPasswordValidityDays = intIf(pp.TemporaryPasswordValidityDays, 7)
	if pp.PasswordHistorySize != nil {
		out.PasswordHistorySize = intIf(*pp.PasswordHistorySize, 0)
	}
	if !set {
		return nil
	}
	return &out
}

// standardTypes are the standard attributes that are not strings.
var standardTypes = map[string]string{"email_verified": "Boolean", "phone_number_verified": "Boolean", "updated_at": "Number"}

// exportAttribute writes a schema attribute: every custom one, and a
// standard one only where it differs from the standard's defaults (AWS
// describes all of them; writing each would bury what was chosen).
func exportAttribute(s types.SchemaAttributeType) (Attribute, bool) {
	name := attrName(aws.ToString(s.Name))
	a := Attribute{Name: name}
	standard := slices.Contains(standardAttributes, name)
	if name == "sub" {
		return a, false
	}
	defType := "String"
	if t, ok := standardTypes[name]; ok && standard {
		defType = t
	}
	if t := string(s.AttributeDataType); t != "" && t != defType {
		a.Type = t
	}
	if aws.ToBool(s.Required) {
		a.Required = aws.Bool(true)
	}
	if s.Mutable != nil && !*s.Mutable {
		a.Mutable = aws.Bool(false)
	}
	atoi := func(s *string) *int {
		if s == nil || *s == "" {
			return nil
		}
		n, err := strconv.Atoi(*s)
		if err != nil {
			return nil
		}
		return &n
	}
	if c := s.StringAttributeConstraints; c != nil && !standard {
		a.MinLength, a.MaxLength = atoi(c.MinLength), atoi(c.MaxLength)
	}
	if c := s.NumberAttributeConstraints; c != nil && !standard {
		a.MinValue, a.MaxValue = atoi(c.MinValue), atoi(c.MaxValue)
	}
	changed := a.Type != "" || a.Required != nil || a.Mutable != nil
	return a, !standard || changed
}

func (e *exporter) exportResourceServers(ctx context.Context, p *UserPool, id string) error {
	pg := cip.NewListResourceServersPaginator(e.idp, &cip.ListResourceServersInput{UserPoolId: &id, MaxResults: aws.Int32(50)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list resource servers: %w", err)
		}
		for _, rs := range page.ResourceServers {
			r := ResourceServer{Identifier: aws.ToString(rs.Identifier), Name: aws.ToString(rs.Name)}
			for _, s := range rs.Scopes {
				r.Scopes = append(r.Scopes, Scope{Name: aws.ToString(s.ScopeName), Description: aws.ToString(s.ScopeDescription)})
			}
			p.ResourceServers = append(p.ResourceServers, r)
		}
	}
	slices.SortFunc(p.ResourceServers, func(a, b ResourceServer) int { return strings.Compare(a.Identifier, b.Identifier) })
	return nil
}

func (e *exporter) exportClients(ctx context.Context, p *UserPool, poolID string) error {
	pg := cip.NewListUserPoolClientsPaginator(e.idp, &cip.ListUserPoolClientsInput{UserPoolId: &poolID, MaxResults: aws.Int32(60)})
	seen := map[string]bool{}
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list app clients: %w", err)
		}
		for _, lc := range page.UserPoolClients {
			name := aws.ToString(lc.ClientName)
			if seen[name] {
				e.note("user pool %s has several app clients named %q; only the first is exported", p.Name, name)
				continue
			}
			seen[name] = true
			out, err := e.idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &poolID, ClientId: lc.ClientId})
			if err != nil {
				return fmt.Errorf("app client %s: %w", name, err)
			}
			p.Clients = append(p.Clients, exportClient(out.UserPoolClient))
			id := aws.ToString(lc.ClientId)
			e.clientNames[id] = p.Name + "/" + name
			e.res.Clients[p.Name+"/"+name] = id
			e.refs[id] = "${client:" + p.Name + "/" + name + "}"
		}
	}
	slices.SortFunc(p.Clients, func(a, b Client) int { return strings.Compare(a.Name, b.Name) })
	return nil
}

func exportClient(c *types.UserPoolClientType) Client {
	out := Client{Name: aws.ToString(c.ClientName), GenerateSecret: c.ClientSecret != nil,
		AuthFlows: strs(c.ExplicitAuthFlows), OAuthFlows: strs(c.AllowedOAuthFlows), Scopes: c.AllowedOAuthScopes,
		CallbackURLs: c.CallbackURLs, LogoutURLs: c.LogoutURLs, DefaultRedirect: aws.ToString(c.DefaultRedirectURI),
		IdentityProviders: c.SupportedIdentityProviders, ReadAttributes: c.ReadAttributes, WriteAttributes: c.WriteAttributes,
		PreventUserExistenceErrors: string(c.PreventUserExistenceErrors)}
	if c.EnableTokenRevocation != nil && !*c.EnableTokenRevocation {
		out.EnableTokenRevocation = aws.Bool(false)
	}
	if out.PreventUserExistenceErrors == string(types.PreventUserExistenceErrorTypesEnabled) {
		out.PreventUserExistenceErrors = "" // Cognito's default for new clients
	}
	units := types.TokenValidityUnitsType{}
	if c.TokenValidityUnits != nil {
		units = *c.TokenValidityUnits
	}
	// A lifetime is written when it is not Cognito's default (an hour for
	// access and ID tokens, 30 days for refresh tokens).
	validity := func(n int32, unit, def types.TimeUnitsType, defSeconds int64) string {
		u := string(unitOr(unit, def))
		if n == 0 || seconds(n, u) == defSeconds {
			return ""
		}
		return formatValidity(n, u)
	}
	tv := TokenValidity{
		Access:  validity(aws.ToInt32(c.AccessTokenValidity), units.AccessToken, types.TimeUnitsTypeHours, 3600),
		ID:      validity(aws.ToInt32(c.IdTokenValidity), units.IdToken, types.TimeUnitsTypeHours, 3600),
		Refresh: validity(c.RefreshTokenValidity, units.RefreshToken, types.TimeUnitsTypeDays, 30*86400),
	}
	if tv != (TokenValidity{}) {
		out.TokenValidity = &tv
	}
	return out
}

func (e *exporter) exportGroups(ctx context.Context, p *UserPool, poolID string) error {
	pg := cip.NewListGroupsPaginator(e.idp, &cip.ListGroupsInput{UserPoolId: &poolID, Limit: aws.Int32(60)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list groups: %w", err)
		}
		for _, g := range page.Groups {
			out := Group{Name: aws.ToString(g.GroupName), Description: g.Description, Role: aws.ToString(g.RoleArn)}
			if out.Description != nil && *out.Description == "" {
				out.Description = nil
			}
			if g.Precedence != nil {
				n := int(*g.Precedence)
				out.Precedence = &n
			}
			p.Groups = append(p.Groups, out)
		}
	}
	slices.SortFunc(p.Groups, func(a, b Group) int { return strings.Compare(a.Name, b.Name) })
	return nil
}

// exportUsers writes the pool's users. In a pool whose users sign in by
// email or phone number, a user is written by that attribute: the username
// the pool assigned cannot be given to AdminCreateUser.
func (e *exporter) exportUsers(ctx context.Context, p *UserPool, poolID string, usernameAttrs []types.UsernameAttributeType) error {
	pg := cip.NewListUsersPaginator(e.idp, &cip.ListUsersInput{UserPoolId: &poolID, Limit: aws.Int32(60)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list users: %w", err)
		}
		for _, lu := range page.Users {
			u := User{Username: aws.ToString(lu.Username), Attributes: map[string]string{}}
			for _, at := range lu.Attributes {
				if n := aws.ToString(at.Name); n != "sub" {
					u.Attributes[n] = aws.ToString(at.Value)
				}
			}
			for _, ua := range usernameAttrs {
				if v := u.Attributes[string(ua)]; v != "" {
					u.Username = v
					break
				}
			}
			if len(u.Attributes) == 0 {
				u.Attributes = nil
			}
			if !lu.Enabled {
				u.Enabled = aws.Bool(false)
			}
			groups := cip.NewAdminListGroupsForUserPaginator(e.idp, &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: lu.Username})
			for groups.HasMorePages() {
				gp, err := groups.NextPage(ctx)
				if err != nil {
					return fmt.Errorf("user %s groups: %w", u.Username, err)
				}
				for _, g := range gp.Groups {
					u.Groups = append(u.Groups, aws.ToString(g.GroupName))
				}
			}
			slices.Sort(u.Groups)
			p.Users = append(p.Users, u)
		}
	}
	slices.SortFunc(p.Users, func(a, b User) int { return strings.Compare(a.Username, b.Username) })
	return nil
}
