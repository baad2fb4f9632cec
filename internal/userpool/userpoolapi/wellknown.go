package userpoolapi

import (
	"net/http"
	"strings"

	"github.com/federa/federa/internal/protocol/wellknown"
	"github.com/federa/federa/internal/userpool"
)

// WellKnown serves <issuer>/.well-known/jwks.json and
// <issuer>/.well-known/openid-configuration for every pool, so libraries
// that verify Cognito tokens by discovery work against federa. authURL gives
// the hosted UI's base URL of a pool domain, for the OAuth endpoints the
// discovery document lists.
func WellKnown(svc *userpool.Service, authURL func(domain string) string) http.Handler {
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
			domain, err := svc.PoolDomain(r.Context(), poolID)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			base := ""
			if domain != "" && authURL != nil {
				base = authURL(domain)
			}
			cfg, err := svc.OpenIDConfiguration(r.Context(), poolID, base)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			body = cfg
		default:
			http.NotFound(w, r)
			return
		}
		wellknown.Write(w, body)
	})
}
