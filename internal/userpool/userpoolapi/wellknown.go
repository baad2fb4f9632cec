package userpoolapi

import (
	"net/http"
	"strings"

	"github.com/federa/federa/internal/protocol/wellknown"
	"github.com/federa/federa/internal/userpool"
)

// WellKnown serves <issuer>/.well-known/jwks.json and
// <issuer>/.well-known/openid-configuration for every pool, so libraries
// that verify Cognito tokens by discovery work against federa.
func WellKnown(svc *userpool.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, "/")
		poolID, doc, ok := strings.Cut(rest, "/.well-known/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		var body any
		switch doc {
		case "jwks.json":
			set, err := svc.JWKS(r.Context(), poolID)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			body = set
		case "openid-configuration":
			if _, err := svc.JWKS(r.Context(), poolID); err != nil {
				http.NotFound(w, r)
				return
			}
			iss := svc.Issuer(poolID)
			body = map[string]any{
				"issuer":                                iss,
				"jwks_uri":                              iss + "/.well-known/jwks.json",
				"subject_types_supported":               []string{"public"},
				"id_token_signing_alg_values_supported": []string{"RS256"},
				"response_types_supported":              []string{"code", "token"},
				"scopes_supported":                      []string{"openid", "email", "phone", "profile"},
				"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
			}
		default:
			http.NotFound(w, r)
			return
		}
		wellknown.Write(w, body)
	})
}
