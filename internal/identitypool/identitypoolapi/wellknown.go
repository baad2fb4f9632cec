package identitypoolapi

import (
	"net/http"

	"github.com/federa/federa/internal/identitypool"
	"github.com/federa/federa/internal/protocol/wellknown"
)

// WellKnownPrefix is where the identity pools' OpenID discovery lives: the
// issuer's path.
const WellKnownPrefix = "/_cognito-identity/.well-known/"

// WellKnown serves the discovery document and JWKS of the OpenID tokens
// GetOpenIdToken issues, so STS and any other relying party can verify them.
func WellKnown(svc *identitypool.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body any
		switch r.URL.Path {
		case WellKnownPrefix + "jwks_uri":
			set, err := svc.JWKS(r.Context())
			if err != nil {
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
			body = set
		case WellKnownPrefix + "openid-configuration":
			iss := svc.Issuer()
			body = map[string]any{
				"issuer":                                iss,
				"jwks_uri":                              iss + "/.well-known/jwks_uri",
				"subject_types_supported":               []string{"public"},
				"id_token_signing_alg_values_supported": []string{"RS256"},
				"response_types_supported":              []string{"id_token"},
				"claims_supported":                      []string{"iss", "sub", "aud", "amr", "iat", "exp"},
			}
		default:
			http.NotFound(w, r)
			return
		}
		wellknown.Write(w, body)
	})
}
