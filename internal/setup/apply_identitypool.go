package setup

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
)

// listIdentityPools maps identity pool names to their ids.
func listIdentityPools(ctx context.Context, c *ci.Client) (map[string][]string, error) {
	out := map[string][]string{}
	p := ci.NewListIdentityPoolsPaginator(c, &ci.ListIdentityPoolsInput{MaxResults: aws.Int32(60)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list identity pools: %w", err)
		}
		for _, ip := range page.IdentityPools {
			out[aws.ToString(ip.IdentityPoolName)] = append(out[aws.ToString(ip.IdentityPoolName)], aws.ToString(ip.IdentityPoolId))
		}
	}
	return out, nil
}

func (a *applier) identityPools(ctx context.Context) error {
	if len(a.f.IdentityPools) == 0 {
		return nil
	}
	existing, err := listIdentityPools(ctx, a.cid)
	if err != nil {
		return err
	}
	for i := range a.f.IdentityPools {
		p := &a.f.IdentityPools[i]
		id, err := one("identity pool", p.Name, existing[p.Name])
		if err != nil {
			return err
		}
		if err := a.identityPool(ctx, p, id); err != nil {
			return fmt.Errorf("identity pool %s: %w", p.Name, err)
		}
	}
	return nil
}

func (a *applier) identityPool(ctx context.Context, p *IdentityPool, id string) error {
	cur := &ci.UpdateIdentityPoolInput{IdentityPoolName: &p.Name}
	if id != "" {
		d, err := a.cid.DescribeIdentityPool(ctx, &ci.DescribeIdentityPoolInput{IdentityPoolId: &id})
		if err != nil {
			return fmt.Errorf("describe: %w", err)
		}
		cur = &ci.UpdateIdentityPoolInput{IdentityPoolId: &id, IdentityPoolName: d.IdentityPoolName,
			AllowUnauthenticatedIdentities: d.AllowUnauthenticatedIdentities, AllowClassicFlow: d.AllowClassicFlow,
			CognitoIdentityProviders: d.CognitoIdentityProviders, DeveloperProviderName: d.DeveloperProviderName,
			IdentityPoolTags: d.IdentityPoolTags, OpenIdConnectProviderARNs: d.OpenIdConnectProviderARNs,
			SamlProviderARNs: d.SamlProviderARNs, SupportedLoginProviders: d.SupportedLoginProviders}
	}
	in := *cur
	var d diff
	if p.AllowUnauthenticated != nil && *p.AllowUnauthenticated != in.AllowUnauthenticatedIdentities {
		d.add("allowUnauthenticated")
		in.AllowUnauthenticatedIdentities = *p.AllowUnauthenticated
	}
	if p.AllowClassicFlow != nil && *p.AllowClassicFlow != aws.ToBool(in.AllowClassicFlow) {
		d.add("allowClassicFlow")
		in.AllowClassicFlow = p.AllowClassicFlow
	}
	if p.UserPoolClients != nil {
		var want []types.CognitoIdentityProvider
		for _, pc := range p.UserPoolClients {
			want = append(want, types.CognitoIdentityProvider{ProviderName: aws.String(a.providerName(a.res.UserPools[pc.UserPool])),
				ClientId: aws.String(a.res.Clients[pc.UserPool+"/"+pc.Client]), ServerSideTokenCheck: aws.Bool(boolOr(pc.ServerSideTokenCheck, false))})
		}
		flat := func(ps []types.CognitoIdentityProvider) []string {
			out := make([]string, len(ps))
			for i, p := range ps {
				out[i] = fmt.Sprintf("%s %s %v", aws.ToString(p.ProviderName), aws.ToString(p.ClientId), aws.ToBool(p.ServerSideTokenCheck))
			}
			return out
		}
		if !sameSet(flat(want), flat(in.CognitoIdentityProviders)) {
			d.add("userPoolClients")
		}
		in.CognitoIdentityProviders = want
	}
	if p.OIDCProviders != nil {
		var arns []string
		for _, o := range p.OIDCProviders {
			if arn, ok := a.res.OIDCProviders[oidcKey(o)]; ok {
				o = arn
			}
			arns = append(arns, o)
		}
		in.OpenIdConnectProviderARNs = d.setList("oidcProviders", in.OpenIdConnectProviderARNs, arns)
	}
	if p.LoginProviders != nil {
		if !maps.Equal(p.LoginProviders, in.SupportedLoginProviders) && (len(p.LoginProviders) > 0 || len(in.SupportedLoginProviders) > 0) {
			d.add("loginProviders")
		}
		in.SupportedLoginProviders = p.LoginProviders
	}
	if p.DeveloperProviderName != "" {
		if cur := aws.ToString(in.DeveloperProviderName); cur != "" && cur != p.DeveloperProviderName {
			a.conflict("identity pool", p.Name, "developerProviderName is %s; it cannot change once set", cur)
		} else if cur == "" {
			d.add("developerProviderName")
			in.DeveloperProviderName = aws.String(p.DeveloperProviderName)
		}
	}
	isNew := id == ""
	switch {
	case isNew:
		id = placeholder("identity pool", p.Name)
		err := a.write(func() error {
			out, err := a.cid.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{IdentityPoolName: &p.Name,
				AllowUnauthenticatedIdentities: in.AllowUnauthenticatedIdentities, AllowClassicFlow: in.AllowClassicFlow,
				CognitoIdentityProviders: in.CognitoIdentityProviders, DeveloperProviderName: in.DeveloperProviderName,
				OpenIdConnectProviderARNs: in.OpenIdConnectProviderARNs, SupportedLoginProviders: in.SupportedLoginProviders})
			if err == nil {
				id = aws.ToString(out.IdentityPoolId)
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("create: %w", err)
		}
		d = nil
	case len(d) > 0:
		if err := a.write(func() error { _, err := a.cid.UpdateIdentityPool(ctx, &in); return err }); err != nil {
			return fmt.Errorf("update: %w", err)
		}
	}
	a.res.IdentityPools[p.Name] = id
	a.record(isNew, "identity pool", p.Name, d)
	return nil
}

// identityPoolRoles sets each identity pool's roles and role mappings,
// once the roles exist. SetIdentityPoolRoles replaces both maps, so roles
// and mappings the file does not mention are carried over.
func (a *applier) identityPoolRoles(ctx context.Context) error {
	for _, p := range a.f.IdentityPools {
		if p.Roles == nil && p.RoleMappings == nil {
			continue
		}
		id := a.res.IdentityPools[p.Name]
		roles, mappings := map[string]string{}, map[string]types.RoleMapping{}
		if !isPlaceholder(id) {
			cur, err := a.cid.GetIdentityPoolRoles(ctx, &ci.GetIdentityPoolRolesInput{IdentityPoolId: &id})
			if err != nil {
				return fmt.Errorf("identity pool %s roles: %w", p.Name, err)
			}
			maps.Copy(roles, cur.Roles)
			maps.Copy(mappings, cur.RoleMappings)
		}
		wantRoles, wantMappings := maps.Clone(roles), maps.Clone(mappings)
		if r := p.Roles; r != nil {
			if r.Authenticated != "" {
				wantRoles["authenticated"] = a.roleARN(r.Authenticated)
			}
			if r.Unauthenticated != "" {
				wantRoles["unauthenticated"] = a.roleARN(r.Unauthenticated)
			}
		}
		for _, m := range p.RoleMappings {
			key := m.Provider
			if key == "" {
				key = a.providerName(a.res.UserPools[m.UserPool]) + ":" + a.res.Clients[m.UserPool+"/"+m.Client]
			}
			rm := types.RoleMapping{Type: types.RoleMappingType(m.Type), AmbiguousRoleResolution: types.AmbiguousRoleResolutionType(m.AmbiguousRoleResolution)}
			if len(m.Rules) > 0 {
				rm.RulesConfiguration = &types.RulesConfigurationType{}
				for _, r := range m.Rules {
					rm.RulesConfiguration.Rules = append(rm.RulesConfiguration.Rules, types.MappingRule{Claim: aws.String(r.Claim),
						MatchType: types.MappingRuleMatchType(r.MatchType), Value: aws.String(r.Value), RoleARN: aws.String(a.roleARN(r.Role))})
				}
			}
			wantMappings[key] = rm
		}
		var d diff
		if !maps.Equal(roles, wantRoles) {
			d.add("roles")
		}
		if !sameMappings(mappings, wantMappings) {
			d.add("roleMappings")
		}
		isNew := len(roles) == 0 && len(mappings) == 0
		if len(d) > 0 {
			err := a.write(func() error {
				_, err := a.cid.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: &id, Roles: wantRoles, RoleMappings: wantMappings})
				return err
			})
			if err != nil {
				return fmt.Errorf("identity pool %s: set roles: %w", p.Name, err)
			}
		}
		a.record(isNew && len(d) > 0, "identity pool roles", p.Name, d)
	}
	return nil
}

// sameMappings compares role mappings by value (they hold pointers).
func sameMappings(a, b map[string]types.RoleMapping) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	var x, y any
	_ = json.Unmarshal(ja, &x)
	_ = json.Unmarshal(jb, &y)
	return reflect.DeepEqual(x, y)
}
