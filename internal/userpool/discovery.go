package userpool

import (
	"context"
	"errors"

	"github.com/federa/federa/internal/store"
)

// OpenIDConfiguration is a pool's OIDC discovery document. authURL is the
// base URL of the pool's hosted UI; when empty (the pool has no domain) the
// document names no OAuth endpoints.
func (s *Service) OpenIDConfiguration(ctx context.Context, poolID, authURL string) (map[string]any, error) {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return nil, err
	}
	iss := s.Issuer(poolID)
	doc := map[string]any{
		"issuer":                                iss,
		"jwks_uri":                              iss + "/.well-known/jwks.json",
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "token"},
		"scopes_supported":                      []string{"openid", "email", "phone", "profile"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"grant_types_supported":                 []string{"authorization_code", "implicit", "refresh_token", "client_credentials"},
		"code_challenge_methods_supported":      []string{"S256", "plain"},
		"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "email", "email_verified", "phone_number", "phone_number_verified", "cognito:username", "cognito:groups"},
	}
	if authURL != "" {
		doc["authorization_endpoint"] = authURL + "/oauth2/authorize"
		doc["token_endpoint"] = authURL + "/oauth2/token"
		doc["userinfo_endpoint"] = authURL + "/oauth2/userInfo"
		doc["revocation_endpoint"] = authURL + "/oauth2/revoke"
		doc["end_session_endpoint"] = authURL + "/logout"
	}
	return doc, nil
}

// PoolDomain is a pool's prefix domain, "" when it has none.
func (s *Service) PoolDomain(ctx context.Context, poolID string) (string, error) {
	d, err := s.st.GetDomainByPool(ctx, poolID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return d.Domain, err
}
