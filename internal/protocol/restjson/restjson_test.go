package restjson

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/sigv4"
)

// TestWriteError: the status, the code in X-Amzn-ErrorType and
// {"message"} — a service error as it is, a signature failure mapped to
// API Gateway's 403 codes, anything else a 500 that does not leak its cause.
func TestWriteError(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		code, body string
	}{
		{"service error", awserr.Code("NotFoundException", 404).New("Invalid API identifier specified"), 404, "NotFoundException", `{"message":"Invalid API identifier specified"}`},
		{"bad signature", fmt.Errorf("verify: %w", sigv4.ErrSignatureMismatch), 403, "InvalidSignatureException", ""},
		{"unknown key", sigv4.ErrUnknownAccessKey, 403, "UnrecognizedClientException", ""},
		{"internal", errors.New("disk on fire at /var/lib/federa"), 500, "InternalFailure", ""},
	} {
		w := httptest.NewRecorder()
		WriteError(w, httptest.NewRequest(http.MethodGet, "/restapis", nil), tc.err)
		if w.Code != tc.status || w.Header().Get("X-Amzn-ErrorType") != tc.code {
			t.Errorf("%s: %d %q, want %d %q", tc.name, w.Code, w.Header().Get("X-Amzn-ErrorType"), tc.status, tc.code)
		}
		if tc.body != "" && w.Body.String() != tc.body {
			t.Errorf("%s: body %s, want %s", tc.name, w.Body, tc.body)
		}
		if strings.Contains(w.Body.String(), "/var/lib") {
			t.Errorf("%s: the cause leaked: %s", tc.name, w.Body)
		}
	}
}
