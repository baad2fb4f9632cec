package identitypool

import (
	"encoding/json"
	"slices"
	"strings"
)

// RoleMapping chooses an authenticated identity's role from its login
// token: Type "Token" takes cognito:preferred_role or the only entry of
// cognito:roles; Type "Rules" takes the role of the first rule whose claim
// matches. When neither decides, AmbiguousRoleResolution says: the pool's
// authenticated role, or Deny.
type RoleMapping struct {
	Type                    string `json:"Type"`
	AmbiguousRoleResolution string `json:"AmbiguousRoleResolution,omitempty"`
	RulesConfiguration      *struct {
		Rules []MappingRule `json:"Rules"`
	} `json:"RulesConfiguration,omitempty"`
}

// MappingRule matches one claim.
type MappingRule struct {
	Claim     string `json:"Claim"`
	MatchType string `json:"MatchType"`
	Value     string `json:"Value"`
	RoleARN   string `json:"RoleARN"`
}

// parseRoleMappings validates SetIdentityPoolRoles' RoleMappings against
// the pool's providers.
func parseRoleMappings(raw map[string]json.RawMessage, set Settings) (map[string]RoleMapping, error) {
	if len(raw) > 10 {
		return nil, ErrInvalidParameter.New("1 validation error detected: Value at 'roleMappings' failed to satisfy constraint: Member must have length less than or equal to 10")
	}
	out := map[string]RoleMapping{}
	for key, b := range raw {
		if !mappingKeyKnown(key, set) {
			return nil, ErrInvalidParameter.New("Role mapping key %s names no provider of this pool: use <provider>:<clientId> for a user pool, or the OpenID Connect provider's name.", key)
		}
		var m RoleMapping
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, ErrInvalidParameter.New("Role mapping %s is not a RoleMapping object.", key)
		}
		switch m.Type {
		case "Token":
		case "Rules":
			if m.RulesConfiguration == nil || len(m.RulesConfiguration.Rules) == 0 || len(m.RulesConfiguration.Rules) > 25 {
				return nil, ErrInvalidParameter.New("Role mapping %s of type Rules needs 1 to 25 rules.", key)
			}
			for _, r := range m.RulesConfiguration.Rules {
				switch r.MatchType {
				case "Equals", "Contains", "StartsWith", "NotEqual":
				default:
					return nil, ErrInvalidParameter.New("MatchType must be Equals, Contains, StartsWith or NotEqual, not %q.", r.MatchType)
				}
				if r.Claim == "" || !roleARNPattern.MatchString(r.RoleARN) {
					return nil, ErrInvalidParameter.New("Each rule needs a Claim and the RoleARN of an IAM role.")
				}
			}
		default:
			return nil, ErrInvalidParameter.New("Role mapping Type must be Token or Rules, not %q.", m.Type)
		}
		switch m.AmbiguousRoleResolution {
		case "AuthenticatedRole", "Deny":
		default:
			return nil, ErrInvalidParameter.New("AmbiguousRoleResolution must be AuthenticatedRole or Deny for a %s mapping.", m.Type)
		}
		out[key] = m
	}
	return out, nil
}

// mappingKeyKnown reports whether a role-mapping key names a provider of
// the pool: "<user pool provider>:<client id>" or an OIDC provider name.
func mappingKeyKnown(key string, set Settings) bool {
	for _, p := range set.CognitoIdentityProviders {
		if key == p.ProviderName+":"+p.ClientID {
			return true
		}
	}
	for _, arn := range set.OpenIDConnectProviderARNs {
		if key == oidcProviderName(arn) {
			return true
		}
	}
	return false
}

// oidcProviderName is the login name of an IAM OIDC provider: its ARN's
// resource after "oidc-provider/".
func oidcProviderName(arn string) string {
	_, name, _ := strings.Cut(arn, ":oidc-provider/")
	return name
}

// mappedRole applies a mapping to a token's claims. ok is false when the
// mapping does not decide (the ambiguous case).
func (m RoleMapping) mappedRole(claims map[string]any) (role string, ok bool) {
	if m.Type == "Token" {
		if p, _ := claims["cognito:preferred_role"].(string); p != "" {
			return p, true
		}
		if roles := claimStrings(claims["cognito:roles"]); len(roles) == 1 {
			return roles[0], true
		}
		return "", false
	}
	for _, r := range m.RulesConfiguration.Rules {
		if r.matches(claims) {
			return r.RoleARN, true
		}
	}
	return "", false
}

// matches applies a rule to a claim, which may be a string or a list (a
// list matches when any element does; NotEqual when none equals).
func (r MappingRule) matches(claims map[string]any) bool {
	v, present := claims[r.Claim]
	if !present {
		return false
	}
	values := claimStrings(v)
	if r.MatchType == "NotEqual" {
		return !slices.Contains(values, r.Value)
	}
	for _, s := range values {
		switch r.MatchType {
		case "Equals":
			if s == r.Value {
				return true
			}
		case "Contains":
			if strings.Contains(s, r.Value) {
				return true
			}
		case "StartsWith":
			if strings.HasPrefix(s, r.Value) {
				return true
			}
		}
	}
	return false
}

// claimStrings reads a claim as strings: a string, a list of strings, or
// the text of a number or boolean.
func claimStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, claimStrings(e)...)
		}
		return out
	case nil:
		return nil
	}
	b, _ := json.Marshal(v)
	return []string{string(b)}
}
