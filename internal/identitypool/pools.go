package identitypool

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/federa/federa/internal/store"
	"github.com/google/uuid"
)

// Provider is a user pool configured as a login provider of an identity pool.
type Provider struct {
	ProviderName         string `json:"ProviderName"`
	ClientID             string `json:"ClientId"`
	ServerSideTokenCheck bool   `json:"ServerSideTokenCheck,omitempty"`
}

// Settings are an identity pool's settings, with Cognito's JSON names.
type Settings struct {
	IdentityPoolName               string            `json:"IdentityPoolName"`
	AllowUnauthenticatedIdentities bool              `json:"AllowUnauthenticatedIdentities"`
	AllowClassicFlow               *bool             `json:"AllowClassicFlow,omitempty"`
	SupportedLoginProviders        map[string]string `json:"SupportedLoginProviders,omitempty"`
	DeveloperProviderName          string            `json:"DeveloperProviderName,omitempty"`
	OpenIDConnectProviderARNs      []string          `json:"OpenIdConnectProviderARNs,omitempty"`
	CognitoIdentityProviders       []Provider        `json:"CognitoIdentityProviders,omitempty"`
	SamlProviderARNs               []string          `json:"SamlProviderARNs,omitempty"`
	IdentityPoolTags               map[string]string `json:"IdentityPoolTags,omitempty"`
}

// Roles are an identity pool's roles.
type Roles struct {
	Roles        map[string]string          `json:"Roles,omitempty"`
	RoleMappings map[string]json.RawMessage `json:"RoleMappings,omitempty"`
}

// spec is what the store keeps in IdentityPool.Spec.
type spec struct {
	Settings Settings `json:"settings"`
	Roles    Roles    `json:"roles"`
	// PrincipalTags maps provider names to their claim-to-tag maps.
	PrincipalTags map[string]TagMap `json:"tags,omitempty"`
}

// Pool is an identity pool.
type Pool struct {
	ID string
	Settings
}

var (
	poolNamePattern     = regexp.MustCompile(`^[\w\s+=,.@-]+$`)
	providerNamePattern = regexp.MustCompile(`^cognito-idp\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com/([\w-]+_[0-9A-Za-z]+)$`)
)

func (s *Service) validate(ctx context.Context, set *Settings) error {
	if set.IdentityPoolName == "" || len(set.IdentityPoolName) > 128 || !poolNamePattern.MatchString(set.IdentityPoolName) {
		return ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+", set.IdentityPoolName)
	}
	if len(set.CognitoIdentityProviders) > 50 {
		return ErrLimitExceeded.New("An identity pool can have at most 50 Cognito identity providers.")
	}
	for i, p := range set.CognitoIdentityProviders {
		// The pool's federa issuer (host/userPoolId) names it too; it is
		// kept in Cognito's form, so logins match either.
		p.ProviderName = s.canonicalProvider(p.ProviderName)
		set.CognitoIdentityProviders[i].ProviderName = p.ProviderName
		m := providerNamePattern.FindStringSubmatch(p.ProviderName)
		if m == nil {
			return ErrInvalidParameter.New("Invalid Cognito Identity Provider: %q is not of the form cognito-idp.<region>.amazonaws.com/<userPoolId>.", p.ProviderName)
		}
		if m[1] != s.region {
			return ErrInvalidParameter.New("Invalid Cognito Identity Provider: %s is in region %s; this server is %s.", p.ProviderName, m[1], s.region)
		}
		if p.ClientID == "" {
			return ErrInvalidParameter.New("Invalid Cognito Identity Provider: %s needs a ClientId.", p.ProviderName)
		}
	}
	if len(set.SupportedLoginProviders) > 0 || len(set.SamlProviderARNs) > 0 {
		return ErrInvalidParameter.New("federa supports Cognito user pools, OpenID Connect providers and developer-authenticated identities; social (SupportedLoginProviders) and SAML providers are not available.")
	}
	if d := set.DeveloperProviderName; d != "" && (!developerNamePattern.MatchString(d) || d == cognitoProvider) {
		return ErrInvalidParameter.New("DeveloperProviderName %q must be 1 to 128 letters, digits, '.', '_' and '-', such as login.example.app.", d)
	}
	if len(set.OpenIDConnectProviderARNs) > 10 {
		return ErrLimitExceeded.New("An identity pool can have at most 10 OpenID Connect providers.")
	}
	for _, arn := range set.OpenIDConnectProviderARNs {
		if !strings.HasPrefix(arn, "arn:aws:iam::"+s.account+":oidc-provider/") || s.oidc == nil || !s.oidc.OIDCProviderExists(ctx, arn) {
			return ErrInvalidParameter.New("Invalid OpenIdConnectProviderARN %s: register the provider with IAM CreateOpenIDConnectProvider first.", arn)
		}
	}
	return nil
}

// CreateIdentityPool creates a pool.
func (s *Service) CreateIdentityPool(ctx context.Context, set Settings) (Pool, error) {
	if err := s.validate(ctx, &set); err != nil {
		return Pool{}, err
	}
	b, err := json.Marshal(spec{Settings: set})
	if err != nil {
		return Pool{}, err
	}
	now := s.clock()
	p := store.IdentityPool{ID: s.region + ":" + uuid.NewString(), Name: set.IdentityPoolName, CreatedAt: now, UpdatedAt: now, Spec: b}
	if err := s.st.CreateIdentityPool(ctx, p); err != nil {
		return Pool{}, err
	}
	return Pool{ID: p.ID, Settings: set}, nil
}

func checkPoolID(id string) error {
	region, rest, ok := strings.Cut(id, ":")
	if !ok || region == "" || len(id) > 55 || uuid.Validate(rest) != nil {
		return ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+", id)
	}
	return nil
}

// pool loads a pool's spec.
func (s *Service) pool(ctx context.Context, id string) (spec, error) {
	var sp spec
	if err := checkPoolID(id); err != nil {
		return sp, err
	}
	p, err := s.st.GetIdentityPool(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return sp, ErrResourceNotFound.New("IdentityPool '%s' not found.", id)
	}
	if err != nil {
		return sp, err
	}
	return sp, json.Unmarshal(p.Spec, &sp)
}

// DescribeIdentityPool returns a pool.
func (s *Service) DescribeIdentityPool(ctx context.Context, id string) (Pool, error) {
	sp, err := s.pool(ctx, id)
	if err != nil {
		return Pool{}, err
	}
	return Pool{ID: id, Settings: sp.Settings}, nil
}

// ListIdentityPools lists pools by id; next is the token of the next page.
func (s *Service) ListIdentityPools(ctx context.Context, token string, max int) ([]Pool, string, error) {
	if max < 1 || max > 60 {
		return nil, "", ErrInvalidParameter.New("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60", max)
	}
	page, err := s.st.ListIdentityPools(ctx, token, max+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(page) > max {
		page = page[:max]
		next = page[max-1].ID
	}
	out := make([]Pool, 0, len(page))
	for _, p := range page {
		var sp spec
		if err := json.Unmarshal(p.Spec, &sp); err != nil {
			return nil, "", err
		}
		out = append(out, Pool{ID: p.ID, Settings: sp.Settings})
	}
	return out, next, nil
}

// UpdateIdentityPool replaces a pool's settings.
func (s *Service) UpdateIdentityPool(ctx context.Context, id string, set Settings) (Pool, error) {
	old, err := s.pool(ctx, id)
	if err != nil {
		return Pool{}, err
	}
	if d := old.Settings.DeveloperProviderName; d != "" && set.DeveloperProviderName != d {
		// Developer users are linked under the name: it cannot change.
		return Pool{}, ErrInvalidParameter.New("DeveloperProviderName %s cannot be changed once set.", d)
	}
	if err := s.validate(ctx, &set); err != nil {
		return Pool{}, err
	}
	_, err = s.st.UpdateIdentityPool(ctx, id, func(p *store.IdentityPool) error {
		var sp spec
		if err := json.Unmarshal(p.Spec, &sp); err != nil {
			return err
		}
		sp.Settings = set
		b, err := json.Marshal(sp)
		if err != nil {
			return err
		}
		p.Spec, p.Name, p.UpdatedAt = b, set.IdentityPoolName, s.clock()
		return nil
	})
	if err != nil {
		return Pool{}, err
	}
	return Pool{ID: id, Settings: set}, nil
}

// DeleteIdentityPool deletes a pool and its identities.
func (s *Service) DeleteIdentityPool(ctx context.Context, id string) error {
	if _, err := s.pool(ctx, id); err != nil {
		return err
	}
	return s.st.DeleteIdentityPool(ctx, id)
}

var roleARNPattern = regexp.MustCompile(`^arn:aws:iam::\d{12}:role/[\w+=,.@/-]+$`)

// SetIdentityPoolRoles sets the pool's authenticated and unauthenticated roles.
func (s *Service) SetIdentityPoolRoles(ctx context.Context, id string, roles Roles) error {
	sp, err := s.pool(ctx, id)
	if err != nil {
		return err
	}
	for k, v := range roles.Roles {
		if k != "authenticated" && k != "unauthenticated" {
			return ErrInvalidParameter.New("Invalid role key %q: use authenticated or unauthenticated.", k)
		}
		if !roleARNPattern.MatchString(v) {
			return ErrInvalidParameter.New("Invalid role ARN %q.", v)
		}
	}
	if _, err := parseRoleMappings(roles.RoleMappings, sp.Settings); err != nil {
		return err
	}
	_, err = s.st.UpdateIdentityPool(ctx, id, func(p *store.IdentityPool) error {
		var sp spec
		if err := json.Unmarshal(p.Spec, &sp); err != nil {
			return err
		}
		sp.Roles = roles
		b, err := json.Marshal(sp)
		if err != nil {
			return err
		}
		p.Spec, p.UpdatedAt = b, s.clock()
		return nil
	})
	return err
}

// GetIdentityPoolRoles returns the pool's roles.
func (s *Service) GetIdentityPoolRoles(ctx context.Context, id string) (Roles, error) {
	sp, err := s.pool(ctx, id)
	return sp.Roles, err
}

// canonicalProvider turns a user pool's federa issuer, with or without its
// scheme (127.0.0.1:4566/us-east-1_abc), into Cognito's provider name
// (cognito-idp.us-east-1.amazonaws.com/us-east-1_abc); other names are
// returned as they are.
func (s *Service) canonicalProvider(name string) string {
	base := strings.TrimPrefix(strings.TrimPrefix(s.publicURL, "https://"), "http://")
	rest := strings.TrimPrefix(strings.TrimPrefix(name, "https://"), "http://")
	poolID, ok := strings.CutPrefix(rest, base+"/")
	if !ok || base == "" || !strings.HasPrefix(poolID, s.region+"_") || strings.Contains(poolID, "/") {
		return name
	}
	return "cognito-idp." + s.region + ".amazonaws.com/" + poolID
}
