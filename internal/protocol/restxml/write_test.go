package restxml

import (
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/reqid"
	"github.com/federa/federa/internal/sigv4"
)

func TestWriteError(t *testing.T) {
	cases := []struct {
		name   string
		method string
		err    error
		status int
		code   string
	}{
		{"aws error", http.MethodGet, awserr.Code("NoSuchKey", 404).New("The specified key does not exist."), 404, "NoSuchKey"},
		{"sigv4 mismatch", http.MethodPut, sigv4.Fail(sigv4.ErrSignatureMismatch, "The request signature we calculated does not match."), 403, "SignatureDoesNotMatch"},
		{"skew", http.MethodGet, sigv4.Fail(sigv4.ErrRequestTimeTooSkewed, "too skewed"), 403, "RequestTimeTooSkewed"},
		{"unknown key", http.MethodGet, sigv4.Fail(sigv4.ErrUnknownAccessKey, "no such key"), 403, "InvalidAccessKeyId"},
		{"internal", http.MethodGet, errors.New("disk on fire"), 500, "InternalError"},
		{"head has no body", http.MethodHead, awserr.Code("NoSuchKey", 404).New("x"), 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/bucket/key", nil)
			r = r.WithContext(reqid.With(r.Context(), "rid"))
			w := httptest.NewRecorder()
			w.Header().Set("ETag", `"stale"`)
			WriteError(w, r, tc.err)
			if w.Code != tc.status || w.Header().Get("x-amz-request-id") != "rid" || w.Header().Get("ETag") != "" {
				t.Fatalf("status %d headers %v", w.Code, w.Header())
			}
			if tc.code == "" {
				if w.Body.Len() != 0 {
					t.Errorf("HEAD error has a body: %q", w.Body)
				}
				return
			}
			var e errorBody
			if err := xml.Unmarshal(w.Body.Bytes(), &e); err != nil {
				t.Fatal(err)
			}
			if e.Code != tc.code || e.RequestID != "rid" || e.Message == "" || e.Message == "disk on fire" {
				t.Errorf("error body %+v", e)
			}
		})
	}
}
