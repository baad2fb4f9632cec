package hostedui

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/federa/federa/internal/userpool"
)

const (
	sessionCookie = "federa_session"
	csrfCookie    = "federa_csrf"
	csrfField     = "_csrf"
)

// cookiePath scopes cookies to one domain's hosted UI in the path form.
func cookiePath(r *request) string {
	if r.base == "" {
		return "/"
	}
	return r.base + "/"
}

// secure reports whether cookies must be Secure: the request came over
// TLS, directly or through a proxy that says so.
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// csrfToken returns the request's CSRF token, setting a new cookie when it
// has none. Forms echo it; posts must match the cookie (double submit; the
// cookie is SameSite=Strict and HttpOnly, so another site can neither send
// nor read it).
func csrfToken(w http.ResponseWriter, r *request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	tok := base64.RawURLEncoding.EncodeToString(raw)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: cookiePath(r), HttpOnly: true, Secure: secure(r.Request),
		SameSite: http.SameSiteStrictMode})
	return tok
}

// csrfOK checks a posted form's token against the cookie.
func csrfOK(r *request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue(csrfField))) == 1
}

// setSession stores a sign-in session. SameSite=Lax: the browser must send
// it on the top-level navigation from the app to /oauth2/authorize.
func setSession(w http.ResponseWriter, r *request, value string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: value, Path: cookiePath(r), HttpOnly: true, Secure: secure(r.Request),
		SameSite: http.SameSiteLaxMode, MaxAge: int(userpool.HostedSessionTTL / time.Second)})
}

func clearSession(w http.ResponseWriter, r *request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: cookiePath(r), HttpOnly: true, Secure: secure(r.Request),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func session(r *request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}
