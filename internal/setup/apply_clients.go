package setup

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func (a *applier) clients(ctx context.Context, p *UserPool, poolID string) error {
	if len(p.Clients) == 0 {
		return nil
	}
	existing := map[string][]string{}
	if !isPlaceholder(poolID) {
		pg := cip.NewListUserPoolClientsPaginator(a.idp, &cip.ListUserPoolClientsInput{UserPoolId: &poolID, MaxResults: aws.Int32(60)})
		for pg.HasMorePages() {
			page, err := pg.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("list app clients: %w", err)
			}
			for _, c := range page.UserPoolClients {
				existing[aws.ToString(c.ClientName)] = append(existing[aws.ToString(c.ClientName)], aws.ToString(c.ClientId))
			}
		}
	}
	for i := range p.Clients {
		c := &p.Clients[i]
		name := p.Name + "/" + c.Name
		id, err := one("app client", name, existing[c.Name])
		if err != nil {
			return err
		}
		var cur types.UserPoolClientType
		if id != "" {
			out, err := a.idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &poolID, ClientId: &id})
			if err != nil {
				return fmt.Errorf("app client %s: %w", c.Name, err)
			}
			cur = *out.UserPoolClient
			if hasSecret := cur.ClientSecret != nil; hasSecret != c.GenerateSecret {
				a.conflict("app client", name, "generateSecret is %v on the server; a client's secret is fixed when it is created", hasSecret)
			}
		}
		in, d := clientSettings(cur, c, id == "")
		if id == "" {
			id = placeholder("app client", name)
			err = a.write(func() error {
				out, err := a.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
					UserPoolId: &poolID, ClientName: &c.Name, GenerateSecret: c.GenerateSecret,
					ExplicitAuthFlows: in.ExplicitAuthFlows, AllowedOAuthFlows: in.AllowedOAuthFlows,
					AllowedOAuthFlowsUserPoolClient: in.AllowedOAuthFlowsUserPoolClient, AllowedOAuthScopes: in.AllowedOAuthScopes,
					CallbackURLs: in.CallbackURLs, LogoutURLs: in.LogoutURLs, DefaultRedirectURI: in.DefaultRedirectURI,
					SupportedIdentityProviders: in.SupportedIdentityProviders, ReadAttributes: in.ReadAttributes, WriteAttributes: in.WriteAttributes,
					AccessTokenValidity: in.AccessTokenValidity, IdTokenValidity: in.IdTokenValidity, RefreshTokenValidity: in.RefreshTokenValidity,
					TokenValidityUnits: in.TokenValidityUnits, PreventUserExistenceErrors: in.PreventUserExistenceErrors,
					EnableTokenRevocation: in.EnableTokenRevocation,
				})
				if err == nil {
					id = aws.ToString(out.UserPoolClient.ClientId)
				}
				return err
			})
			if err != nil {
				return fmt.Errorf("create app client %s: %w", c.Name, err)
			}
			a.res.Clients[name] = id
			a.record(true, "app client", name, nil)
			continue
		}
		if len(d) > 0 {
			in.UserPoolId, in.ClientId = &poolID, &id
			if err := a.write(func() error { _, err := a.idp.UpdateUserPoolClient(ctx, in); return err }); err != nil {
				return fmt.Errorf("update app client %s: %w", c.Name, err)
			}
		}
		a.res.Clients[name] = id
		a.record(false, "app client", name, d)
	}
	return nil
}

// clientSettings is the update that brings cur to the file's client c,
// and the names of what differs. UpdateUserPoolClient resets what it is
// not given, so everything else is carried over from cur.
func clientSettings(cur types.UserPoolClientType, c *Client, isNew bool) (*cip.UpdateUserPoolClientInput, diff) {
	var d diff
	in := &cip.UpdateUserPoolClientInput{
		ClientName:                      cur.ClientName,
		ExplicitAuthFlows:               enums[types.ExplicitAuthFlowsType](d.setList("authFlows", strs(cur.ExplicitAuthFlows), c.AuthFlows)),
		AllowedOAuthFlows:               enums[types.OAuthFlowType](d.setList("oauthFlows", strs(cur.AllowedOAuthFlows), c.OAuthFlows)),
		AllowedOAuthFlowsUserPoolClient: aws.ToBool(cur.AllowedOAuthFlowsUserPoolClient),
		AllowedOAuthScopes:              d.setList("scopes", cur.AllowedOAuthScopes, c.Scopes),
		CallbackURLs:                    d.setList("callbackURLs", cur.CallbackURLs, c.CallbackURLs),
		LogoutURLs:                      d.setList("logoutURLs", cur.LogoutURLs, c.LogoutURLs),
		SupportedIdentityProviders:      d.setList("identityProviders", cur.SupportedIdentityProviders, c.IdentityProviders),
		ReadAttributes:                  d.setList("readAttributes", cur.ReadAttributes, c.ReadAttributes),
		WriteAttributes:                 d.setList("writeAttributes", cur.WriteAttributes, c.WriteAttributes),
		PreventUserExistenceErrors:      types.PreventUserExistenceErrorTypes(d.str("preventUserExistenceErrors", string(cur.PreventUserExistenceErrors), c.PreventUserExistenceErrors)),
		EnableTokenRevocation:           cur.EnableTokenRevocation,
		AccessTokenValidity:             cur.AccessTokenValidity, IdTokenValidity: cur.IdTokenValidity, RefreshTokenValidity: cur.RefreshTokenValidity,
		TokenValidityUnits:                       cur.TokenValidityUnits,
		AnalyticsConfiguration:                   cur.AnalyticsConfiguration,
		AuthSessionValidity:                      cur.AuthSessionValidity,
		EnablePropagateAdditionalUserContextData: cur.EnablePropagateAdditionalUserContextData,
		RefreshTokenRotation:                     cur.RefreshTokenRotation,
	}
	if dr := d.str("defaultRedirectURI", aws.ToString(cur.DefaultRedirectURI), c.DefaultRedirect); dr != "" {
		in.DefaultRedirectURI = &dr
	}
	if c.OAuthFlows != nil {
		// The hosted UI serves a client whose OAuth flows are on.
		if want := len(c.OAuthFlows) > 0; want != in.AllowedOAuthFlowsUserPoolClient {
			in.AllowedOAuthFlowsUserPoolClient = want
			if !isNew {
				d.add("oauthFlows")
			}
		}
		if isNew && len(c.OAuthFlows) > 0 && c.IdentityProviders == nil {
			in.SupportedIdentityProviders = []string{"COGNITO"}
		}
	}
	if c.EnableTokenRevocation != nil {
		// Token revocation is on unless a client turned it off.
		if *c.EnableTokenRevocation != boolOr(cur.EnableTokenRevocation, true) {
			d.add("enableTokenRevocation")
		}
		in.EnableTokenRevocation = c.EnableTokenRevocation
	}
	if tv := c.TokenValidity; tv != nil {
		units := types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeHours, IdToken: types.TimeUnitsTypeHours, RefreshToken: types.TimeUnitsTypeDays}
		if cur.TokenValidityUnits != nil {
			units = *cur.TokenValidityUnits
			units.AccessToken = unitOr(units.AccessToken, types.TimeUnitsTypeHours)
			units.IdToken = unitOr(units.IdToken, types.TimeUnitsTypeHours)
			units.RefreshToken = unitOr(units.RefreshToken, types.TimeUnitsTypeDays)
		}
		set := func(name, want string, value *int32, unit *types.TimeUnitsType, def int32) {
			if want == "" {
				return
			}
			n, u, _ := parseValidity(want) // validated on load
			curN := def
			if *value != 0 {
				curN = *value
			}
			if seconds(n, string(u)) != seconds(curN, string(*unit)) {
				d.add("tokenValidity." + name)
			}
			*value, *unit = n, types.TimeUnitsType(u)
		}
		access, id := aws.ToInt32(in.AccessTokenValidity), aws.ToInt32(in.IdTokenValidity)
		set("access", tv.Access, &access, &units.AccessToken, 1)
		set("id", tv.ID, &id, &units.IdToken, 1)
		set("refresh", tv.Refresh, &in.RefreshTokenValidity, &units.RefreshToken, 30)
		if access != 0 {
			in.AccessTokenValidity = &access
		}
		if id != 0 {
			in.IdTokenValidity = &id
		}
		in.TokenValidityUnits = &units
	}
	if isNew {
		d = nil
	}
	return in, d
}

func unitOr(u, def types.TimeUnitsType) types.TimeUnitsType {
	if u == "" {
		return def
	}
	return u
}

// seconds is a token lifetime in seconds, to compare 60m with 1h.
func seconds(n int32, unit string) int64 {
	mult := map[string]int64{"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}[unit]
	return int64(n) * mult
}
