package demo

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
)

// AppConfig is the /config.json the seed 004 upload app reads on load: where
// federa is, and the ids Setup created. The JSON names are the app's.
type AppConfig struct {
	Region         string `json:"region"`
	Endpoint       string `json:"endpoint"`
	UserPoolID     string `json:"userPoolId"`
	ClientID       string `json:"clientId"`
	IdentityPoolID string `json:"identityPoolId"`
	ProviderName   string `json:"providerName"`
	Bucket         string `json:"bucket"`
	AuthBase       string `json:"authBase"`
	RedirectURI    string `json:"redirectUri"`
}

// NewAppConfig is the app's configuration for r. The app signs in through
// the hosted UI at r.AuthBase and comes back to r.AppOrigin, which must be
// the app client's callback and sign-out URL (Setup makes it so).
func NewAppConfig(r *Result) AppConfig {
	return AppConfig{
		Region:         r.Region,
		Endpoint:       r.BrowserEndpoint,
		UserPoolID:     r.UserPoolID,
		ClientID:       r.ClientID,
		IdentityPoolID: r.IdentityPoolID,
		ProviderName:   ProviderName(r.Region, r.UserPoolID),
		Bucket:         Bucket,
		AuthBase:       r.AuthBase,
		RedirectURI:    r.AppOrigin,
	}
}

// AppHandler serves the upload app's files from assets (index.html at /)
// and cfg as /config.json.
func AppHandler(assets fs.FS, cfg AppConfig) http.Handler {
	configJSON, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		// AppConfig holds only strings, which always marshal.
		panic(err)
	}
	csp := contentSecurityPolicy(cfg)
	files := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		// The app is rebuilt with federa and its config changes with the
		// ports: have the browser ask every time (a 304 when unchanged).
		h.Set("Cache-Control", "no-cache")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == "/config.json" {
			h.Set("Content-Type", "application/json")
			_, _ = w.Write(configJSON)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy lets the page load only its own files and talk only
// to its own origin (config.json), federa's API endpoint (Cognito and S3)
// and the hosted UI (the code exchange). The tokens it holds are then
// useless to injected script, which could not send them anywhere else.
func contentSecurityPolicy(cfg AppConfig) string {
	connect := []string{"'self'"}
	for _, u := range []string{cfg.Endpoint, cfg.AuthBase} {
		if o := origin(u); o != "" {
			connect = append(connect, o)
		}
	}
	return strings.Join([]string{
		"default-src 'self'",
		"connect-src " + strings.Join(connect, " "),
		"img-src 'self' data: blob:",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

// origin is the scheme://host[:port] of rawURL, or "" if it has none.
func origin(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
