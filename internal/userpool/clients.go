package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/federa/federa/internal/store"
)

// TokenValidityUnits says the unit of each token validity of a client.
type TokenValidityUnits struct {
	AccessToken  string `json:"AccessToken,omitempty"`
	IDToken      string `json:"IdToken,omitempty"`
	RefreshToken string `json:"RefreshToken,omitempty"`
}

// ClientSettings are every field CreateUserPoolClient accepts but the pool
// id and name, stored and returned as given.
type ClientSettings struct {
	GenerateSecret                           bool                `json:"GenerateSecret,omitempty"`
	ClientSecret                             string              `json:"ClientSecret,omitempty"`
	RefreshTokenValidity                     int                 `json:"RefreshTokenValidity,omitempty"`
	AccessTokenValidity                      int                 `json:"AccessTokenValidity,omitempty"`
	IDTokenValidity                          int                 `json:"IdTokenValidity,omitempty"`
	TokenValidityUnits                       *TokenValidityUnits `json:"TokenValidityUnits,omitempty"`
	ReadAttributes                           []string            `json:"ReadAttributes,omitempty"`
	WriteAttributes                          []string            `json:"WriteAttributes,omitempty"`
	ExplicitAuthFlows                        []string            `json:"ExplicitAuthFlows,omitempty"`
	SupportedIdentityProviders               []string            `json:"SupportedIdentityProviders,omitempty"`
	CallbackURLs                             []string            `json:"CallbackURLs,omitempty"`
	LogoutURLs                               []string            `json:"LogoutURLs,omitempty"`
	DefaultRedirectURI                       string              `json:"DefaultRedirectURI,omitempty"`
	AllowedOAuthFlows                        []string            `json:"AllowedOAuthFlows,omitempty"`
	AllowedOAuthScopes                       []string            `json:"AllowedOAuthScopes,omitempty"`
	AllowedOAuthFlowsUserPoolClient          bool                `json:"AllowedOAuthFlowsUserPoolClient,omitempty"`
	AnalyticsConfiguration                   json.RawMessage     `json:"AnalyticsConfiguration,omitempty"`
	PreventUserExistenceErrors               string              `json:"PreventUserExistenceErrors,omitempty"`
	EnableTokenRevocation                    *bool               `json:"EnableTokenRevocation,omitempty"`
	EnablePropagateAdditionalUserContextData *bool               `json:"EnablePropagateAdditionalUserContextData,omitempty"`
	AuthSessionValidity                      int                 `json:"AuthSessionValidity,omitempty"`
	RefreshTokenRotation                     json.RawMessage     `json:"RefreshTokenRotation,omitempty"`
}

// Client is an app client as DescribeUserPoolClient returns it.
type Client struct {
	ID, PoolID, Name     string
	CreatedAt, UpdatedAt time.Time
	Settings             ClientSettings
}

var (
	clientNamePattern = regexp.MustCompile(`^[\w\s+=,.@-]+$`)
	knownAuthFlows    = map[string]bool{
		"ADMIN_NO_SRP_AUTH": true, "CUSTOM_AUTH_FLOW_ONLY": true, "USER_PASSWORD_AUTH": true,
		"ALLOW_ADMIN_USER_PASSWORD_AUTH": true, "ALLOW_CUSTOM_AUTH": true, "ALLOW_USER_PASSWORD_AUTH": true,
		"ALLOW_USER_SRP_AUTH": true, "ALLOW_REFRESH_TOKEN_AUTH": true, "ALLOW_USER_AUTH": true,
	}
)

// validity returns a token's lifetime from a client's value and unit, with
// Cognito's defaults and bounds.
func validity(value int, unit string, def time.Duration, defUnit time.Duration) time.Duration {
	if value == 0 {
		return def
	}
	switch unit {
	case "seconds":
		return time.Duration(value) * time.Second
	case "minutes":
		return time.Duration(value) * time.Minute
	case "hours":
		return time.Duration(value) * time.Hour
	case "days":
		return time.Duration(value) * 24 * time.Hour
	}
	return time.Duration(value) * defUnit
}

func (c ClientSettings) units() TokenValidityUnits {
	if c.TokenValidityUnits == nil {
		return TokenValidityUnits{}
	}
	return *c.TokenValidityUnits
}

func (c ClientSettings) idTokenTTL() time.Duration {
	return validity(c.IDTokenValidity, c.units().IDToken, time.Hour, time.Hour)
}

func (c ClientSettings) accessTokenTTL() time.Duration {
	return validity(c.AccessTokenValidity, c.units().AccessToken, time.Hour, time.Hour)
}

func (c ClientSettings) refreshTokenTTL() time.Duration {
	return validity(c.RefreshTokenValidity, c.units().RefreshToken, 30*24*time.Hour, 24*time.Hour)
}

// allows reports whether the client enables an auth flow, in its ALLOW_ or
// legacy form. A client with no explicit flows allows SRP and refresh, as
// Cognito does.
func (c ClientSettings) allows(flow string) bool {
	if len(c.ExplicitAuthFlows) == 0 {
		return flow == "ALLOW_USER_SRP_AUTH" || flow == "ALLOW_REFRESH_TOKEN_AUTH" || flow == "ALLOW_CUSTOM_AUTH"
	}
	legacy := map[string]string{"ALLOW_USER_PASSWORD_AUTH": "USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH": "ADMIN_NO_SRP_AUTH"}
	for _, f := range c.ExplicitAuthFlows {
		if f == flow || (legacy[flow] != "" && f == legacy[flow]) {
			return true
		}
		if flow == "ALLOW_REFRESH_TOKEN_AUTH" && !hasAllowPrefix(c.ExplicitAuthFlows) {
			// Legacy flow lists always allowed refresh.
			return true
		}
	}
	return false
}

func hasAllowPrefix(flows []string) bool {
	for _, f := range flows {
		if len(f) > 6 && f[:6] == "ALLOW_" {
			return true
		}
	}
	return false
}

func (c ClientSettings) validate() error {
	for _, f := range c.ExplicitAuthFlows {
		if !knownAuthFlows[f] {
			return ErrInvalidParameter.New("1 validation error detected: Value '[%s]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]", f)
		}
	}
	if hasAllowPrefix(c.ExplicitAuthFlows) && len(c.ExplicitAuthFlows) > 0 {
		for _, f := range c.ExplicitAuthFlows {
			if f == "ADMIN_NO_SRP_AUTH" || f == "USER_PASSWORD_AUTH" || f == "CUSTOM_AUTH_FLOW_ONLY" {
				return ErrInvalidParameter.New("ExplicitAuthFlows can not have both legacy and new values.")
			}
		}
	}
	for _, u := range append(append([]string{}, c.CallbackURLs...), c.LogoutURLs...) {
		pu, err := url.Parse(u)
		if err != nil || pu.Scheme == "" || pu.Fragment != "" {
			return ErrInvalidParameter.New("%s is not a valid URL: it needs a scheme and no fragment.", u)
		}
		if pu.Scheme == "http" && pu.Hostname() != "localhost" && pu.Hostname() != "127.0.0.1" {
			return ErrInvalidParameter.New("%s: HTTP is allowed only for localhost; use HTTPS.", u)
		}
	}
	if c.DefaultRedirectURI != "" && !slices.Contains(c.CallbackURLs, c.DefaultRedirectURI) {
		return ErrInvalidParameter.New("DefaultRedirectURI %s must be one of the CallbackURLs.", c.DefaultRedirectURI)
	}
	for _, f := range c.AllowedOAuthFlows {
		if f != "code" && f != "implicit" && f != "client_credentials" {
			return ErrInvalidParameter.New("AllowedOAuthFlows may contain code, implicit and client_credentials, not %q.", f)
		}
	}
	switch c.PreventUserExistenceErrors {
	case "", "ENABLED", "LEGACY":
	default:
		return ErrInvalidParameter.New("PreventUserExistenceErrors must be ENABLED or LEGACY.")
	}
	return nil
}

// CreateUserPoolClient creates an app client, generating its secret when asked.
func (s *Service) CreateUserPoolClient(ctx context.Context, poolID, name string, set ClientSettings) (Client, error) {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return Client{}, err
	}
	if name == "" || len(name) > 128 || !clientNamePattern.MatchString(name) {
		return Client{}, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'clientName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+", name)
	}
	if err := set.validate(); err != nil {
		return Client{}, err
	}
	if set.ClientSecret != "" && !set.GenerateSecret {
		set.GenerateSecret = true
	}
	if set.GenerateSecret && set.ClientSecret == "" {
		set.ClientSecret = randomString(51, lowerAlnum)
	}
	set.defaults()
	spec, err := json.Marshal(set)
	if err != nil {
		return Client{}, err
	}
	now := s.clock()
	c := store.AppClient{ClientID: randomString(26, lowerAlnum), PoolID: poolID, Name: name, CreatedAt: now, UpdatedAt: now, Spec: spec}
	if err := s.st.CreateAppClient(ctx, c); err != nil {
		return Client{}, err
	}
	return Client{ID: c.ClientID, PoolID: poolID, Name: name, CreatedAt: now, UpdatedAt: now, Settings: set}, nil
}

// UpdateUserPoolClient replaces a client's settings (what the request
// leaves out returns to its default, as on Cognito); the secret stays.
func (s *Service) UpdateUserPoolClient(ctx context.Context, poolID, clientID, name string, set ClientSettings) (Client, error) {
	old, err := s.DescribeUserPoolClient(ctx, poolID, clientID)
	if err != nil {
		return Client{}, err
	}
	if name == "" {
		name = old.Name
	}
	if len(name) > 128 || !clientNamePattern.MatchString(name) {
		return Client{}, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'clientName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+", name)
	}
	if err := set.validate(); err != nil {
		return Client{}, err
	}
	set.ClientSecret = old.Settings.ClientSecret
	set.defaults()
	spec, err := json.Marshal(set)
	if err != nil {
		return Client{}, err
	}
	c, err := s.st.UpdateAppClient(ctx, clientID, func(c *store.AppClient) error {
		c.Name, c.Spec, c.UpdatedAt = name, spec, s.clock()
		return nil
	})
	if err != nil {
		return Client{}, err
	}
	return decodeClient(c)
}

// DeleteUserPoolClient deletes a client; its refresh tokens stop working.
func (s *Service) DeleteUserPoolClient(ctx context.Context, poolID, clientID string) error {
	if _, err := s.DescribeUserPoolClient(ctx, poolID, clientID); err != nil {
		return err
	}
	return s.st.DeleteAppClient(ctx, clientID)
}

// defaults fills Cognito's defaults for what a client request left out.
func (set *ClientSettings) defaults() {
	set.GenerateSecret = false // a request flag, not a setting
	if set.PreventUserExistenceErrors == "" {
		set.PreventUserExistenceErrors = "ENABLED"
	}
	if set.AuthSessionValidity == 0 {
		set.AuthSessionValidity = 3
	}
	if set.EnableTokenRevocation == nil {
		t := true
		set.EnableTokenRevocation = &t
	}
	if set.TokenValidityUnits == nil {
		set.TokenValidityUnits = &TokenValidityUnits{AccessToken: "hours", IDToken: "hours", RefreshToken: "days"}
	}
	if set.RefreshTokenValidity == 0 {
		set.RefreshTokenValidity = 30
	}
}

// client loads an app client by id alone (InitiateAuth names only the client).
func (s *Service) client(ctx context.Context, id string) (Client, error) {
	if id == "" || len(id) > 128 {
		return Client{}, ErrInvalidParameter.New("1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must have length between 1 and 128")
	}
	c, err := s.st.GetAppClient(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Client{}, ErrResourceNotFound.New("User pool client %s does not exist.", id)
	}
	if err != nil {
		return Client{}, err
	}
	return decodeClient(c)
}

func decodeClient(c store.AppClient) (Client, error) {
	out := Client{ID: c.ClientID, PoolID: c.PoolID, Name: c.Name, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	return out, json.Unmarshal(c.Spec, &out.Settings)
}

// DescribeUserPoolClient returns a client of a pool; server-side calls,
// which name the pool as well as the client, load their client with it.
func (s *Service) DescribeUserPoolClient(ctx context.Context, poolID, clientID string) (Client, error) {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return Client{}, err
	}
	c, err := s.client(ctx, clientID)
	if err != nil {
		return Client{}, err
	}
	if c.PoolID != poolID {
		return Client{}, ErrResourceNotFound.New("User pool client %s does not exist.", clientID)
	}
	return c, nil
}

// ListUserPoolClients lists a pool's clients in id order.
func (s *Service) ListUserPoolClients(ctx context.Context, poolID, token string, max int) ([]Client, string, error) {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return nil, "", err
	}
	if max == 0 {
		max = 60
	}
	if max < 1 || max > 60 {
		return nil, "", ErrInvalidParameter.New("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60", max)
	}
	page, err := s.st.ListAppClients(ctx, poolID, token, max+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(page) > max {
		page = page[:max]
		next = page[max-1].ClientID
	}
	out := make([]Client, 0, len(page))
	for _, c := range page {
		dc, err := decodeClient(c)
		if err != nil {
			return nil, "", err
		}
		out = append(out, dc)
	}
	return out, next, nil
}

// secretHash is Cognito's SECRET_HASH: Base64(HMAC-SHA256(secret, username+clientId)).
func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// checkSecretHash enforces SECRET_HASH for clients with a secret.
func checkSecretHash(c Client, username, got string) error {
	if c.Settings.ClientSecret == "" {
		return nil
	}
	if got == "" {
		return ErrNotAuthorized.New("Client %s is configured with secret but SECRET_HASH was not received", c.ID)
	}
	if !hmac.Equal([]byte(got), []byte(secretHash(c.Settings.ClientSecret, username, c.ID))) {
		return ErrNotAuthorized.New("Unable to verify secret hash for client %s", c.ID)
	}
	return nil
}

// SecretHash computes the SECRET_HASH a client with a secret must send, for
// tools and tests that sign in as such a client.
func SecretHash(secret, username, clientID string) string {
	return secretHash(secret, username, clientID)
}
