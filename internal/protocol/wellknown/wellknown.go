// Package wellknown writes the public JSON documents relying parties fetch
// without credentials: OpenID discovery documents and JWK sets.
package wellknown

import (
	"encoding/json"
	"net/http"
)

// Write answers with body as JSON, cacheable for five minutes: long enough
// to spare the server a fetch per token verification, short enough that a
// rotated signing key reaches verifiers quickly.
func Write(w http.ResponseWriter, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(b)
}
