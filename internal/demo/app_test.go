package demo

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestHostedUIBase(t *testing.T) {
	for _, c := range []struct{ endpoint, base, want string }{
		{"http://localhost:4566", "localhost", "http://notes-demo.auth.localhost:4566"},
		{"http://127.0.0.1:4566/", "localhost", "http://notes-demo.auth.localhost:4566"},
		{"https://federa.example.com", "example.com", "https://notes-demo.auth.example.com"},
		{"https://federa.example.com:8443/base", "example.com", "https://notes-demo.auth.example.com:8443"},
		{"http://[::1]:4566", "localhost", "http://notes-demo.auth.localhost:4566"},
		{"localhost:4566", "localhost", "http://notes-demo.auth.localhost:4566"},
	} {
		if got := HostedUIBase(c.endpoint, c.base); got != c.want {
			t.Errorf("HostedUIBase(%q, %q) = %q, want %q", c.endpoint, c.base, got, c.want)
		}
	}
}

func TestAppHandler(t *testing.T) {
	cfg := AppConfig{Region: "us-east-1", Endpoint: "http://localhost:4566", UserPoolID: "us-east-1_abc", ClientID: "client",
		IdentityPoolID: "us-east-1:id", ProviderName: "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", Bucket: Bucket,
		AuthBase: "http://notes-demo.auth.localhost:4566", RedirectURI: "http://localhost:3000"}
	assets := fstest.MapFS{
		"index.html": {Data: []byte("<!doctype html><script src=app.js></script>")},
		"app.js":     {Data: []byte("console.log(1)")},
	}
	srv := httptest.NewServer(AppHandler(assets, cfg))
	defer srv.Close()

	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	resp, body := get("/config.json")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("config.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	// The app reads these names; a renamed tag would break it silently.
	for name, want := range map[string]string{"region": cfg.Region, "endpoint": cfg.Endpoint, "userPoolId": cfg.UserPoolID,
		"clientId": cfg.ClientID, "identityPoolId": cfg.IdentityPoolID, "providerName": cfg.ProviderName, "bucket": cfg.Bucket,
		"authBase": cfg.AuthBase, "redirectUri": cfg.RedirectURI} {
		if got[name] != want {
			t.Errorf("config.json %s = %q, want %q", name, got[name], want)
		}
	}
	if len(got) != 9 {
		t.Errorf("config.json has %d members, want 9: %s", len(got), body)
	}

	resp, body = get("/")
	if resp.StatusCode != 200 || !strings.Contains(body, "app.js") {
		t.Errorf("GET / = %d %q, want index.html", resp.StatusCode, body)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "connect-src 'self' http://localhost:4566 http://notes-demo.auth.localhost:4566", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if resp, _ := get("/app.js"); resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") {
		t.Errorf("app.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := get("/missing.js"); resp.StatusCode != 404 {
		t.Errorf("missing file: %d, want 404", resp.StatusCode)
	}
	post, err := http.Post(srv.URL+"/config.json", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	if post.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", post.StatusCode)
	}
}
