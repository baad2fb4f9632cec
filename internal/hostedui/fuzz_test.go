package hostedui

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/federa/federa/internal/userpool"
)

// tokenSeeds are token endpoint requests, good and bad: method,
// Content-Type, Authorization, body.
var tokenSeeds = [][4]string{
	{"POST", "application/x-www-form-urlencoded", "", "grant_type=authorization_code&client_id=CLIENT&code=abc&redirect_uri=http%3A%2F%2Flocalhost%3A3000"},
	{"POST", "application/x-www-form-urlencoded", "", "grant_type=refresh_token&client_id=CLIENT&refresh_token=xyz"},
	{"POST", "application/x-www-form-urlencoded", "Basic Q0xJRU5UOnNlY3JldA==", "grant_type=client_credentials&scope=a%2Fb"},
	{"POST", "application/x-www-form-urlencoded; charset=UTF-8", "Basic !!!", "grant_type=client_credentials"},
	{"POST", "application/x-www-form-urlencoded", "Bearer abc", "grant_type=client_credentials&client_id=CLIENT"},
	{"POST", "application/x-www-form-urlencoded", "", "grant_type=a&grant_type=b"},
	{"POST", "application/x-www-form-urlencoded", "", "%zz=1&;;&=&a"},
	{"POST", "application/x-www-form-urlencoded", "", strings.Repeat("a=b&", 20000)},
	{"POST", "application/json", "", `{"grant_type":"client_credentials"}`},
	{"POST", "", "", ""},
	{"GET", "", "", ""},
	{"POST", "multipart/form-data; boundary=x", "", "--x\r\n"},
}

// FuzzTokenForm: whatever a client sends, reading the token endpoint's form
// ends in a request or an OAuth error of the client's making, and the
// endpoint answers with JSON, never 5xx.
func FuzzTokenForm(f *testing.F) {
	for _, s := range tokenSeeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	fx := newFixture(f, nil)
	f.Fuzz(func(t *testing.T, method, contentType, authorization, body string) {
		req := fx.request(method, "127.0.0.1:4566", "/_auth/"+testDomain+"/oauth2/token", "", contentType, body)
		if authorization != "" {
			req.Header.Set("Authorization", strings.ReplaceAll(authorization, "\n", ""))
		}
		w := httptest.NewRecorder()
		tr, err := tokenForm(w, &request{Request: req, path: "/oauth2/token"})
		var oe *userpool.OAuthError
		switch {
		case err != nil && !errors.As(err, &oe):
			t.Fatalf("tokenForm: not an OAuth error: %v", err)
		case err != nil && oe.Code != "invalid_request" && oe.Code != "invalid_client":
			t.Fatalf("tokenForm: %s", oe.Code)
		case err == nil:
			for k, v := range req.PostForm {
				if len(v) > 1 {
					t.Fatalf("repeated %s accepted", k)
				}
			}
			if _, _, basic := req.BasicAuth(); basic != tr.BasicAuth {
				t.Fatalf("BasicAuth %v with Authorization %q", tr.BasicAuth, req.Header.Get("Authorization"))
			}
		}

		// The same request, whole, through the handler.
		req = fx.request(method, "127.0.0.1:4566", "/_auth/"+testDomain+"/oauth2/token", "", contentType, body)
		if authorization != "" {
			req.Header.Set("Authorization", strings.ReplaceAll(authorization, "\n", ""))
		}
		w = httptest.NewRecorder()
		fx.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		var answer map[string]any
		if json.Unmarshal(w.Body.Bytes(), &answer) != nil || (w.Code != 200 && answer["error"] == nil) {
			t.Fatalf("%d, not an OAuth answer: %s", w.Code, w.Body)
		}
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("Cache-Control %q", w.Header().Get("Cache-Control"))
		}
	})
}

// FuzzServe: garbage hosts, paths, queries, cookies and bodies never make
// the hosted UI panic, fail with 5xx, or redirect anywhere but to a
// registered URL or its own pages.
func FuzzServe(f *testing.F) {
	q := "?client_id=CLIENT&redirect_uri=" + url.QueryEscape(testRedirect) + "&response_type=code&state=s"
	for _, s := range [][6]string{
		{"GET", "127.0.0.1:4566", "/_auth/" + testDomain + "/login" + q, "", "", ""},
		{"GET", testDomain + ".auth.localhost:4566", "/oauth2/authorize" + q + "&code_challenge_method=S256&code_challenge=abc", "", "", ""},
		{"GET", testDomain + ".auth.localhost", "/oauth2/authorize" + q, "federa_session=AAAAAAAAAAAAAAAAAAAA", "", ""},
		{"POST", testDomain + ".auth.localhost", "/login" + q, "federa_csrf=" + strings.Repeat("x", 43), "application/x-www-form-urlencoded", "_csrf=" + strings.Repeat("x", 43) + "&username=alice&password=wrong"},
		{"POST", testDomain + ".auth.localhost", "/challenge" + q, "federa_csrf=" + strings.Repeat("x", 43), "application/x-www-form-urlencoded", "_csrf=" + strings.Repeat("x", 43) + "&challenge=SOFTWARE_TOKEN_MFA&session=abc&code=1"},
		{"POST", testDomain + ".auth.localhost", "/challenge" + q, "federa_csrf=" + strings.Repeat("x", 43), "application/x-www-form-urlencoded", "_csrf=" + strings.Repeat("x", 43) + "&challenge=MFA_SETUP&session=abc&code=1&step=verify"},
		{"POST", testDomain + ".auth.localhost", "/signup" + q, "federa_csrf=" + strings.Repeat("x", 43), "application/x-www-form-urlencoded", "_csrf=" + strings.Repeat("x", 43) + "&username=&password="},
		{"POST", testDomain + ".auth.localhost", "/confirmForgotPassword" + q, "federa_csrf=" + strings.Repeat("x", 43), "application/x-www-form-urlencoded", "_csrf=" + strings.Repeat("x", 43) + "&username=nobody&code=1&password=x"},
		{"GET", "127.0.0.1", "/_auth/" + testDomain + "/logout?client_id=CLIENT&logout_uri=http%3A%2F%2Flocalhost%3A3000%2Fbye", "", "", ""},
		{"GET", "127.0.0.1", "/_auth/" + testDomain + "/logout?client_id=CLIENT&redirect_uri=http%3A%2F%2Fevil&response_type=code", "", "", ""},
		{"GET", "127.0.0.1", "/_auth/nosuch/login", "", "", ""},
		{"GET", "x.y.auth.localhost", "/_auth/%00/login", "", "", ""},
		{"GET", "\x00", "/_auth/" + testDomain + "/%", "=;=;;", "", ""},
		{"POST", "127.0.0.1", "/_auth/" + testDomain + "/oauth2/userInfo", "", "", ""},
		{"GET", "127.0.0.1", "/_auth/" + testDomain + "/.well-known/openid-configuration", "", "", ""},
		{"PATCH", testDomain + ".auth.localhost", "/login", "", "text/plain", "\xff\xfe"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5])
	}
	fx := newFixture(f, nil)
	f.Fuzz(func(t *testing.T, method, host, target, cookie, contentType, body string) {
		if method == "" || strings.ContainsAny(method, " \r\n") {
			method = "GET"
		}
		w := httptest.NewRecorder()
		fx.h.ServeHTTP(w, fx.request(method, host, target, strings.ReplaceAll(cookie, "\n", ""), strings.ReplaceAll(contentType, "\n", ""), body))
		if w.Code >= 500 || w.Code < 200 {
			t.Fatalf("%s %s %s: %d\n%s", method, host, target, w.Code, w.Body)
		}
		if loc := w.Header().Get("Location"); loc != "" {
			u, err := url.Parse(loc)
			if err != nil {
				t.Fatalf("Location %q: %v", loc, err)
			}
			u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
			own := u.Host == "" && (strings.HasPrefix(u.Path, "/login") || strings.HasPrefix(u.Path, PathPrefix+testDomain+"/login"))
			if !own && u.String() != testRedirect && u.String() != testRedirect+"/bye" {
				t.Fatalf("%s %s %s: redirect to %q", method, host, target, loc)
			}
		}
	})
}
