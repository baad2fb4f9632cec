package userpool

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// scopeClaims are the attributes each OIDC scope releases at userInfo;
// profile releases every other attribute the client may read.
var scopeClaims = map[string][]string{
	"email": {"email", "email_verified"},
	"phone": {"phone_number", "phone_number_verified"},
}

// UserInfo answers /oauth2/userInfo for an access token: sub and username
// always, then the claims its scopes release. A token without the openid
// scope is refused, as the OIDC userInfo endpoint requires.
func (s *Service) UserInfo(ctx context.Context, accessToken string) (map[string]any, error) {
	u, c, err := s.accessTokenVerify(ctx, accessToken)
	if err != nil {
		return nil, oauthErr("invalid_token", false, "The access token is invalid, expired or revoked.")
	}
	scopes := strings.Fields(c.Scope)
	if !slices.Contains(scopes, "openid") {
		return nil, oauthErr("insufficient_scope", false, "The access token was not granted the openid scope.")
	}
	client, err := s.client(ctx, c.ClientID)
	if err != nil {
		return nil, oauthErr("invalid_token", false, "The access token's app client no longer exists.")
	}
	attrs := readable(&client, u.Attributes)
	out := map[string]any{"sub": u.Sub, "username": u.Username}
	released := map[string]bool{}
	for _, sc := range scopes {
		for _, name := range scopeClaims[sc] {
			released[name] = true
		}
	}
	profile := slices.Contains(scopes, "profile")
	for k, v := range attrs {
		special := k == "email" || k == "email_verified" || k == "phone_number" || k == "phone_number_verified"
		if !released[k] && (special || !profile) {
			continue
		}
		if k == "email_verified" || k == "phone_number_verified" {
			out[k] = v // Cognito's userInfo sends these as the strings it stores
			continue
		}
		out[k] = v
	}
	return out, nil
}

// CheckLogout validates a sign-out redirect: logoutURI must be one of the
// client's sign-out URLs, exactly.
func (s *Service) CheckLogout(ctx context.Context, poolID, clientID, logoutURI string) error {
	c, err := s.client(ctx, clientID)
	if err != nil || (poolID != "" && c.PoolID != poolID) {
		return oauthErr("invalid_request", false, "Client %q is not an app client of this user pool.", clientID)
	}
	if !slices.Contains(c.Settings.LogoutURLs, logoutURI) {
		return oauthErr("redirect_mismatch", false, "logout_uri %q is not one of the app client's sign-out URLs; add it exactly, or correct the request.", logoutURI)
	}
	return nil
}

// SessionUser names the user of a hosted UI session, for the page that says
// who is signed in; "" when the session is unusable.
func (s *Service) SessionUser(ctx context.Context, poolID, session string) string {
	u, _, err := s.openSession(ctx, poolID, session)
	if err != nil {
		return ""
	}
	return u.Username
}

// OAuthRevoke revokes a refresh token at /oauth2/revoke. The client
// authenticates as at the token endpoint.
func (s *Service) OAuthRevoke(ctx context.Context, poolID string, r TokenRequest, token string) error {
	c, err := s.tokenClient(ctx, poolID, r)
	if err != nil {
		return err
	}
	if token == "" {
		return oauthErr("invalid_request", false, "The request has no token.")
	}
	if c.Settings.EnableTokenRevocation != nil && !*c.Settings.EnableTokenRevocation {
		return oauthErr("unsupported_token_type", false, "Token revocation is disabled for this app client.")
	}
	err = s.RevokeToken(ctx, c.ID, c.Settings.ClientSecret, token)
	if ErrUnauthorizedClient.Is(err) {
		return oauthErr("invalid_request", false, "The token was not issued to this client.")
	}
	var ae *OAuthError
	if errors.As(err, &ae) {
		return err
	}
	return err
}
