package hostedui

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/federa/federa/internal/store/sqlstore"
	"github.com/federa/federa/internal/userpool"
)

// testDomain is the fixture pool's domain; clientPlaceholder in a request
// stands for its public client's ID, which is random.
const (
	testDomain        = "fuzz-auth"
	clientPlaceholder = "CLIENT"
	testRedirect      = "http://localhost:3000"
)

// fixture is a handler over a real user pool service (SQLite in a temp
// dir) with a pool, its domain, an OAuth client and a user.
type fixture struct {
	h        *Handler
	clientID string
}

// errorCounter fails nothing itself; it lets tests see whether the handler
// logged a fault of its own.
type errorCounter struct{ n *int }

func (c errorCounter) Enabled(context.Context, slog.Level) bool { return true }
func (c errorCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		*c.n++
	}
	return nil
}
func (c errorCounter) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c errorCounter) WithGroup(string) slog.Handler      { return c }

func newFixture(t testing.TB, errors *int) fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := userpool.New(st, userpool.Options{Region: "us-east-1", AccountID: "123456789012", PublicURL: "http://127.0.0.1:4566"})
	p, err := svc.CreateUserPool(ctx, "notes", userpool.PoolSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.CreateUserPoolDomain(ctx, p.ID, testDomain); err != nil {
		t.Fatal(err)
	}
	c, err := svc.CreateUserPoolClient(ctx, p.ID, "web", userpool.ClientSettings{AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows: []string{"code", "implicit"}, AllowedOAuthScopes: []string{"openid", "email"},
		CallbackURLs: []string{testRedirect}, LogoutURLs: []string{testRedirect + "/bye"}, SupportedIdentityProviders: []string{"COGNITO"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AdminCreateUser(ctx, userpool.AdminCreateUserInput{PoolID: p.ID, Username: "alice", MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.AdminSetUserPassword(ctx, p.ID, "alice", "Corr3ct-horse!", true); err != nil {
		t.Fatal(err)
	}
	if errors == nil {
		errors = new(int)
	}
	h := New(svc, Options{AuthDomains: []string{"auth.localhost"}, Logger: slog.New(errorCounter{errors}),
		AuthURL: func(d string) string { return "http://" + d + ".auth.localhost:4566" }})
	return fixture{h: h, clientID: c.ID}
}

// request builds a request from parts that need not be valid, as a fuzzer
// or a hostile client sends them; clientPlaceholder becomes the client ID.
func (f fixture) request(method, host, target, cookie, contentType, body string) *http.Request {
	fill := func(s string) string { return strings.ReplaceAll(s, clientPlaceholder, f.clientID) }
	path, query, _ := strings.Cut(fill(target), "?")
	r := &http.Request{Method: method, Host: host, URL: &url.URL{Path: path, RawQuery: query}, Header: http.Header{},
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, RemoteAddr: "192.0.2.1:1234"}
	r.RequestURI = r.URL.RequestURI()
	r.Body = http.NoBody
	if body != "" {
		r.Body = readCloser{strings.NewReader(fill(body))}
		r.ContentLength = int64(len(fill(body)))
	}
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r.WithContext(context.Background())
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

func TestSplit(t *testing.T) {
	suffixes := []string{".auth.localhost", "auth.example.com"}
	for _, c := range []struct {
		host, path   string
		domain, base string
		ok           bool
	}{
		{"notes.auth.localhost", "/login", "notes", "", true},
		{"notes.auth.localhost:4566", "/login", "notes", "", true},
		{"NOTES.Auth.LocalHost:4566", "/", "notes", "", true},
		{"notes.auth.example.com", "/oauth2/token", "notes", "", true},
		{"127.0.0.1:4566", "/_auth/notes/login", "notes", "/_auth/notes", true},
		{"127.0.0.1:4566", "/_auth/notes", "notes", "/_auth/notes", true},
		{"localhost", "/_auth/notes/", "notes", "/_auth/notes", true},
		// The host form wins over a path that looks like the path form.
		{"notes.auth.localhost", "/_auth/other/login", "notes", "", true},

		{"auth.localhost", "/login", "", "", false},
		{".auth.localhost", "/login", "", "", false},
		{"a.b.auth.localhost", "/login", "", "", false},
		{"notes.auth.localhost.evil.example", "/login", "", "", false},
		{"notesauth.localhost", "/login", "", "", false},
		{"127.0.0.1:4566", "/_auth/", "", "", false},
		{"127.0.0.1:4566", "/_auth//login", "", "", false},
		{"127.0.0.1:4566", "/_authx/notes/login", "", "", false},
		{"127.0.0.1:4566", "/bucket/_auth/notes/login", "", "", false},
		{"s3.localhost", "/notes/login", "", "", false},
	} {
		r := &http.Request{Host: c.host, URL: &url.URL{Path: c.path}}
		domain, base, ok := split(r, suffixes)
		if domain != c.domain || base != c.base || ok != c.ok {
			t.Errorf("split(%s %s) = %q %q %v, want %q %q %v", c.host, c.path, domain, base, ok, c.domain, c.base, c.ok)
		}
		if Match(r, suffixes) != c.ok {
			t.Errorf("Match(%s %s) = %v", c.host, c.path, !c.ok)
		}
	}
}

// TestRoutes: every route answers each method with a page or an OAuth
// error, never a fault of federa's.
func TestRoutes(t *testing.T) {
	var faults int
	f := newFixture(t, &faults)
	q := "?client_id=" + clientPlaceholder + "&redirect_uri=" + url.QueryEscape(testRedirect) + "&response_type=code"
	paths := []string{"/", "/login", "/challenge", "/signup", "/confirmUser", "/resendCode", "/forgotPassword", "/confirmForgotPassword",
		"/logout", "/oauth2/authorize", "/oauth2/token", "/oauth2/userInfo", "/oauth2/userinfo", "/oauth2/revoke",
		"/.well-known/openid-configuration", "/.well-known/jwks.json", "/static/style.css", "/nothing"}
	for _, path := range paths {
		for _, method := range []string{"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"} {
			for _, target := range []string{path, path + q} {
				w := httptest.NewRecorder()
				f.h.ServeHTTP(w, f.request(method, "127.0.0.1:4566", "/_auth/"+testDomain+target, "", "application/x-www-form-urlencoded", "a=b"))
				if w.Code >= 500 || w.Code < 200 {
					t.Errorf("%s %s: %d\n%s", method, target, w.Code, w.Body)
				}
				if w.Header().Get("X-Frame-Options") != "DENY" {
					t.Errorf("%s %s: no X-Frame-Options", method, target)
				}
			}
		}
	}
	if faults != 0 {
		t.Errorf("the handler logged %d faults of its own", faults)
	}
}
