package setup

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
)

func (e *exporter) exportIdentityPools(ctx context.Context) error {
	pools, err := listIdentityPools(ctx, e.cid)
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(pools) {
		if len(pools[name]) > 1 {
			e.note("%d identity pools are named %q; only the first is exported", len(pools[name]), name)
		}
		id := pools[name][0]
		d, err := e.cid.DescribeIdentityPool(ctx, &ci.DescribeIdentityPoolInput{IdentityPoolId: &id})
		if err != nil {
			return fmt.Errorf("identity pool %s: %w", name, err)
		}
		p := IdentityPool{Name: name, LoginProviders: d.SupportedLoginProviders, DeveloperProviderName: aws.ToString(d.DeveloperProviderName)}
		if d.AllowUnauthenticatedIdentities {
			p.AllowUnauthenticated = aws.Bool(true)
		}
		if aws.ToBool(d.AllowClassicFlow) {
			p.AllowClassicFlow = aws.Bool(true)
		}
		for _, cp := range d.CognitoIdentityProviders {
			client, ok := e.clientNames[aws.ToString(cp.ClientId)]
			pool, _, _ := strings.Cut(client, "/")
			if !ok || e.providerName(e.res.UserPools[pool]) != aws.ToString(cp.ProviderName) {
				e.note("identity pool %s: provider %s client %s is not a user pool client here; left out", name, aws.ToString(cp.ProviderName), aws.ToString(cp.ClientId))
				continue
			}
			pc := PoolProvider{UserPool: pool, Client: strings.TrimPrefix(client, pool+"/")}
			if aws.ToBool(cp.ServerSideTokenCheck) {
				pc.ServerSideTokenCheck = aws.Bool(true)
			}
			p.UserPoolClients = append(p.UserPoolClients, pc)
		}
		for _, arn := range d.OpenIdConnectProviderARNs {
			if u, ok := e.oidcURLs[arn]; ok {
				arn = u
			}
			p.OIDCProviders = append(p.OIDCProviders, arn)
		}
		e.res.IdentityPools[name] = id
		e.refs[id] = "${identityPool:" + name + "}"
		e.f.IdentityPools = append(e.f.IdentityPools, p)
	}
	return nil
}

// exportIdentityPoolRoles adds the identity pools' roles, once the roles'
// names are known.
func (e *exporter) exportIdentityPoolRoles(ctx context.Context) error {
	for i := range e.f.IdentityPools {
		p := &e.f.IdentityPools[i]
		id := e.res.IdentityPools[p.Name]
		r, err := e.cid.GetIdentityPoolRoles(ctx, &ci.GetIdentityPoolRolesInput{IdentityPoolId: &id})
		if err != nil {
			return fmt.Errorf("identity pool %s roles: %w", p.Name, err)
		}
		if auth, unauth := r.Roles["authenticated"], r.Roles["unauthenticated"]; auth != "" || unauth != "" {
			p.Roles = &PoolRoles{Authenticated: e.roleName(auth), Unauthenticated: e.roleName(unauth)}
		}
		for _, key := range sortedKeys(r.RoleMappings) {
			rm := r.RoleMappings[key]
			m := RoleMapping{Provider: key, Type: string(rm.Type), AmbiguousRoleResolution: string(rm.AmbiguousRoleResolution)}
			if provider, clientID, ok := strings.Cut(key, ":"); ok {
				if client, found := e.clientNames[clientID]; found {
					pool, name, _ := strings.Cut(client, "/")
					if e.providerName(e.res.UserPools[pool]) == provider {
						m.Provider, m.UserPool, m.Client = "", pool, name
					}
				}
			}
			if rm.RulesConfiguration != nil {
				for _, rule := range rm.RulesConfiguration.Rules {
					m.Rules = append(m.Rules, MappingRule{Claim: aws.ToString(rule.Claim), MatchType: string(rule.MatchType),
						Value: aws.ToString(rule.Value), Role: e.roleName(aws.ToString(rule.RoleARN))})
				}
			}
			p.RoleMappings = append(p.RoleMappings, m)
		}
	}
	return nil
}

// exportGroupRoles names the groups' roles by name, now that they are known.
func (e *exporter) exportGroupRoles(context.Context) error {
	for i := range e.f.UserPools {
		for j := range e.f.UserPools[i].Groups {
			g := &e.f.UserPools[i].Groups[j]
			g.Role = e.roleName(g.Role)
		}
	}
	return nil
}
