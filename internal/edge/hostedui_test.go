package edge

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/federa/federa/internal/awserr"
)

// recorder is an endpoint that notes it was called.
type recorder struct{ name string }

func (e recorder) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("X-Served-By", e.name)
	w.WriteHeader(http.StatusOK)
}

func (e recorder) WriteError(w http.ResponseWriter, _ *http.Request, err error) {
	w.Header().Set("X-Served-By", e.name)
	status := http.StatusInternalServerError
	if ae, ok := awserr.As(err); ok {
		status = ae.Status
	}
	w.WriteHeader(status)
}

// TestHostedUIBypassesSigV4: an OAuth client's Basic or Bearer
// Authorization header is not a malformed SigV4 one; the hosted UI gets
// the request untouched.
func TestHostedUIBypassesSigV4(t *testing.T) {
	e := New(Options{Endpoints: map[Service]Endpoint{S3: recorder{"s3"}, HostedUI: recorder{"hosted-ui"}},
		IsHostedUI: func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/_auth/") }})
	for _, tc := range []struct{ path, auth, want string }{
		{"/_auth/d/oauth2/token", "Basic Y2xpZW50OnNlY3JldA==", "hosted-ui"},
		{"/_auth/d/oauth2/userInfo", "Bearer abc", "hosted-ui"},
		{"/bucket/key", "Basic Y2xpZW50OnNlY3JldA==", "s3"},
	} {
		r := httptest.NewRequest(http.MethodPost, tc.path, nil)
		r.Header.Set("Authorization", tc.auth)
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		if got := w.Header().Get("X-Served-By"); got != tc.want {
			t.Errorf("%s with %q: served by %q, want %q", tc.path, tc.auth, got, tc.want)
		}
	}
}

// TestJSONPreflight: browsers' preflights for the Cognito APIs are answered
// for any origin; S3 preflights are left to S3's bucket CORS rules.
func TestJSONPreflight(t *testing.T) {
	for _, tc := range []struct {
		name, path, reqHeaders string
		want                   bool
	}{
		{"cognito", "/", "content-type,x-amz-target,x-amz-user-agent", true},
		{"s3 object", "/bucket/key", "x-amz-target", false},
		{"s3 root without target", "/", "content-type,x-amz-date", false},
	} {
		r := httptest.NewRequest(http.MethodOptions, tc.path, nil)
		r.Header.Set("Origin", "http://localhost:3000")
		r.Header.Set("Access-Control-Request-Method", "POST")
		r.Header.Set("Access-Control-Request-Headers", tc.reqHeaders)
		w := httptest.NewRecorder()
		got := jsonPreflight(w, r)
		if got != tc.want {
			t.Errorf("%s: answered %v, want %v", tc.name, got, tc.want)
		}
		if got && (w.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "x-amz-target")) {
			t.Errorf("%s: preflight headers %v", tc.name, w.Header())
		}
	}
}
