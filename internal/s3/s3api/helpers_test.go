package s3api_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/blob/fsblob"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/s3/s3api"
	"github.com/federa/federa/internal/store/sqlstore"
)

var rootPrincipal = &access.Principal{Kind: access.Root, Account: "123456789012", ARN: "arn:aws:iam::123456789012:root"}

var rolePrincipal = &access.Principal{Kind: access.AssumedRole, Account: "123456789012", ARN: "arn:aws:sts::123456789012:assumed-role/r/s"}

// fakeAuthz decides with a func and records every check it saw.
type fakeAuthz struct {
	mu     sync.Mutex
	allow  func(access.Check) bool
	checks []access.Check
}

func (f *fakeAuthz) Authorize(_ context.Context, c access.Check) (access.Decision, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checks = append(f.checks, c)
	return access.Decision{Allowed: f.allow != nil && f.allow(c)}, nil
}

type env struct {
	t         *testing.T
	h         *s3api.Handler
	authz     *fakeAuthz
	principal *access.Principal
	now       time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st, bl := newBackends(t)
	e := &env{t: t, authz: &fakeAuthz{}, principal: rootPrincipal, now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	svc := s3.New(st, bl, e.authz, s3.Options{Region: "us-east-1", AccountID: "123456789012", Now: func() time.Time { return e.now }})
	e.h = s3api.New(svc, s3api.Options{BaseDomains: []string{"localhost"}})
	return e
}

// newBackends opens a fresh SQLite store and blob directory for one test.
func newBackends(t *testing.T) (s3.Store, blob.Store) {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	bl, err := fsblob.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return st, bl
}

// do sends one request; hdr alternates names and values.
func (e *env) do(method, target, body string, hdr ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	for i := 0; i+1 < len(hdr); i += 2 {
		if strings.EqualFold(hdr[i], "Host") {
			r.Host = hdr[i+1]
			continue
		}
		r.Header.Set(hdr[i], hdr[i+1])
	}
	if e.principal != nil {
		r = r.WithContext(access.WithPrincipal(r.Context(), e.principal))
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// must sends a request and fails unless it answers want.
func (e *env) must(want int, method, target, body string, hdr ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	w := e.do(method, target, body, hdr...)
	if w.Code != want {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, target, w.Code, want, w.Body.String())
	}
	return w
}

type errorDoc struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// errorCode returns the <Code> of an error response.
func errorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var d errorDoc
	if err := xml.Unmarshal(w.Body.Bytes(), &d); err != nil {
		t.Fatalf("error body %q: %v", w.Body.String(), err)
	}
	return d.Code
}

func decode(t *testing.T, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := xml.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("body %q: %v", w.Body.String(), err)
	}
}

// wantError checks status and code of a failed request.
func (e *env) wantError(status int, code, method, target, body string, hdr ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	w := e.must(status, method, target, body, hdr...)
	if method == http.MethodHead {
		if w.Body.Len() != 0 {
			e.t.Fatalf("HEAD error has a body: %q", w.Body.String())
		}
		return w
	}
	if got := errorCode(e.t, w); got != code {
		e.t.Fatalf("%s %s: code %q, want %q (%s)", method, target, got, code, w.Body.String())
	}
	return w
}

// raw returns a header's values by its exact (lower-case) name: S3 sends
// user metadata names in lower case, bypassing canonicalization.
func raw(h http.Header, name string) []string { return h[name] }
