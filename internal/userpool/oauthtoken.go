package userpool

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/federa/federa/internal/store"
	"github.com/google/uuid"
)

// TokenRequest is a request to the token endpoint, /oauth2/token.
type TokenRequest struct {
	GrantType string
	// ClientID and ClientSecret come from HTTP Basic authentication or
	// from the form; BasicAuth says which.
	ClientID, ClientSecret string
	BasicAuth              bool
	Code, RedirectURI      string
	CodeVerifier           string
	RefreshToken           string
	Scope                  string
}

// TokenResponse is the token endpoint's answer.
type TokenResponse struct {
	IDToken      string `json:"id_token,omitempty"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// Token runs one grant of the token endpoint. Every failure is an
// *OAuthError.
func (s *Service) Token(ctx context.Context, poolID string, r TokenRequest) (TokenResponse, error) {
	c, err := s.tokenClient(ctx, poolID, r)
	if err != nil {
		return TokenResponse{}, err
	}
	var t Tokens
	switch r.GrantType {
	case "authorization_code":
		t, err = s.codeGrant(ctx, c, r)
	case "refresh_token":
		t, err = s.refreshGrant(ctx, c, r)
	case "client_credentials":
		t, err = s.clientCredentialsGrant(ctx, c, r)
	case "":
		return TokenResponse{}, oauthErr("invalid_request", false, "The request has no grant_type.")
	default:
		return TokenResponse{}, oauthErr("unsupported_grant_type", false, "grant_type %q is not supported; use authorization_code, refresh_token or client_credentials.", r.GrantType)
	}
	if err != nil {
		return TokenResponse{}, err
	}
	return TokenResponse{IDToken: t.IDToken, AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, ExpiresIn: t.ExpiresIn, TokenType: "Bearer"}, nil
}

// tokenClient authenticates the client of a token request: a client with a
// secret must present it (Basic or form), compared in constant time.
func (s *Service) tokenClient(ctx context.Context, poolID string, r TokenRequest) (Client, error) {
	if r.ClientID == "" {
		return Client{}, oauthErr("invalid_request", false, "The request has no client_id (in the form or in HTTP Basic authentication).")
	}
	c, err := s.client(ctx, r.ClientID)
	if ErrResourceNotFound.Is(err) || ErrInvalidParameter.Is(err) || (err == nil && poolID != "" && c.PoolID != poolID) {
		return Client{}, oauthErr("invalid_client", false, "Client authentication failed: no such client in this user pool.")
	}
	if err != nil {
		return Client{}, err
	}
	secret := c.Settings.ClientSecret
	switch {
	case secret == "" && r.ClientSecret != "":
		return Client{}, oauthErr("invalid_client", false, "Client authentication failed: this app client has no secret; send client_id alone.")
	case secret != "" && r.ClientSecret == "":
		return Client{}, oauthErr("invalid_client", false, "Client authentication failed: this app client has a secret; send it with HTTP Basic authentication.")
	case secret != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(r.ClientSecret)) != 1:
		return Client{}, oauthErr("invalid_client", false, "Client authentication failed: wrong client secret.")
	}
	if !c.Settings.AllowedOAuthFlowsUserPoolClient {
		return Client{}, oauthErr("unauthorized_client", false, "The app client is not enabled for OAuth (AllowedOAuthFlowsUserPoolClient).")
	}
	return c, nil
}

func (s *Service) codeGrant(ctx context.Context, c Client, r TokenRequest) (Tokens, error) {
	if r.Code == "" {
		return Tokens{}, oauthErr("invalid_request", false, "The request has no code.")
	}
	if r.RedirectURI == "" {
		return Tokens{}, oauthErr("invalid_request", false, "The request has no redirect_uri; send the one the authorization request had.")
	}
	if !slices.Contains(c.Settings.AllowedOAuthFlows, "code") {
		return Tokens{}, oauthErr("unauthorized_client", false, "The app client does not allow the code flow.")
	}
	invalid := oauthErr("invalid_grant", false, "The authorization code is invalid, expired or already used.")
	ac, err := s.st.ConsumeAuthCode(ctx, hashToken(r.Code))
	if errors.Is(err, store.ErrNotFound) {
		return Tokens{}, invalid
	}
	if err != nil {
		return Tokens{}, err
	}
	var sp codeSpec
	if json.Unmarshal(ac.Spec, &sp) != nil || ac.ClientID != c.ID || !s.clock().Before(ac.ExpiresAt) {
		return Tokens{}, invalid
	}
	if sp.RedirectURI != r.RedirectURI {
		return Tokens{}, oauthErr("invalid_grant", false, "redirect_uri does not match the authorization request's.")
	}
	if sp.Challenge != "" && !pkceVerify(sp.Method, sp.Challenge, r.CodeVerifier) {
		return Tokens{}, oauthErr("invalid_grant", false, "code_verifier does not match the code_challenge.")
	}
	u, err := s.st.GetUser(ctx, ac.PoolID, ac.UserKey)
	if errors.Is(err, store.ErrNotFound) {
		return Tokens{}, invalid
	}
	if err != nil {
		return Tokens{}, err
	}
	if !u.Enabled {
		return Tokens{}, oauthErr("invalid_grant", false, "User is disabled.")
	}
	return s.mintTokens(ctx, c, u, grant{authTime: time.Unix(sp.AuthTime, 0), refresh: true, scopes: sp.Scopes, nonce: sp.Nonce})
}

func (s *Service) refreshGrant(ctx context.Context, c Client, r TokenRequest) (Tokens, error) {
	if r.RefreshToken == "" {
		return Tokens{}, oauthErr("invalid_request", false, "The request has no refresh_token.")
	}
	if !c.Settings.allows("ALLOW_REFRESH_TOKEN_AUTH") {
		return Tokens{}, oauthErr("unauthorized_client", false, "The app client does not allow refresh (ALLOW_REFRESH_TOKEN_AUTH).")
	}
	params := map[string]string{"REFRESH_TOKEN": r.RefreshToken}
	res, err := s.refreshAuth(context.WithValue(ctx, skipSecretHash{}, true), c, params)
	if ErrNotAuthorized.Is(err) {
		return Tokens{}, oauthErr("invalid_grant", false, "The refresh token is invalid, expired or revoked.")
	}
	if err != nil {
		return Tokens{}, err
	}
	return *res.Tokens, nil
}

// skipSecretHash marks a refresh whose client already authenticated with
// its secret (the token endpoint), so no SECRET_HASH is expected.
type skipSecretHash struct{}

func (s *Service) clientCredentialsGrant(ctx context.Context, c Client, r TokenRequest) (Tokens, error) {
	if !slices.Contains(c.Settings.AllowedOAuthFlows, "client_credentials") {
		return Tokens{}, oauthErr("unauthorized_client", false, "The app client does not allow the client_credentials flow.")
	}
	if c.Settings.ClientSecret == "" {
		return Tokens{}, oauthErr("unauthorized_client", false, "client_credentials needs an app client with a secret.")
	}
	scopes, err := s.grantScopes(ctx, c, r.Scope, true)
	if err != nil {
		var oe *OAuthError
		if errors.As(err, &oe) {
			oe.Redirect = false
		}
		return Tokens{}, err
	}
	now := s.clock()
	ttl := c.Settings.accessTokenTTL()
	access := map[string]any{
		"sub": c.ID, "iss": s.Issuer(c.PoolID), "client_id": c.ID, "token_use": "access", "scope": strings.Join(scopes, " "),
		"auth_time": now.Unix(), "iat": now.Unix(), "exp": now.Add(ttl).Unix(), "jti": uuid.NewString(), "version": 2,
	}
	tok, err := s.keys.Sign(ctx, keyPurpose(c.PoolID), access)
	if err != nil {
		return Tokens{}, err
	}
	return Tokens{AccessToken: tok, ExpiresIn: int(ttl / time.Second)}, nil
}
