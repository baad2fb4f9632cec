package gatewayapi

import (
	"net/http"

	"github.com/federa/federa/internal/protocol/restjson"
)

// WriteError writes err as API Gateway does (protocol/restjson).
func (h *Handler) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	restjson.WriteError(w, r, err)
}
