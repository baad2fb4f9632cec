package hostedui

import (
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/federa/federa/internal/userpool"
)

// PathPrefix starts the path form of a domain's URLs: /_auth/<domain>/….
const PathPrefix = "/_auth/"

// Options configure the hosted UI.
type Options struct {
	// AuthDomains are the host suffixes after "<domain>.", e.g.
	// "auth.localhost" for <domain>.auth.localhost.
	AuthDomains []string
	// AuthURL is the externally visible base URL of a domain's hosted UI,
	// written into the discovery document.
	AuthURL func(domain string) string
	// Logger receives errors that are federa's fault.
	Logger *slog.Logger
}

// Handler serves every domain's hosted UI.
type Handler struct {
	svc     *userpool.Service
	suffix  []string
	authURL func(string) string
	log     *slog.Logger
	pages   *pages
}

// New returns the hosted UI handler.
func New(svc *userpool.Service, o Options) *Handler {
	h := &Handler{svc: svc, authURL: o.AuthURL, log: o.Logger, pages: loadPages()}
	for _, d := range o.AuthDomains {
		h.suffix = append(h.suffix, "."+strings.ToLower(d))
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	return h
}

// Match reports whether r is for a hosted UI: a Host of the form
// <domain>.auth.<base>, or a path under PathPrefix.
func Match(r *http.Request, authDomains []string) bool {
	_, _, ok := split(r, authDomains)
	return ok
}

// split finds the domain a request is for, the path prefix its URLs need
// (empty for the host form) and the path after it.
func split(r *http.Request, authDomains []string) (domain, base string, ok bool) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	for _, d := range authDomains {
		if !strings.HasPrefix(d, ".") {
			d = "." + strings.ToLower(d)
		}
		if prefix, found := strings.CutSuffix(host, d); found && prefix != "" && !strings.Contains(prefix, ".") {
			return prefix, "", true
		}
	}
	if rest, found := strings.CutPrefix(r.URL.Path, PathPrefix); found {
		domain, _, _ = strings.Cut(rest, "/")
		if domain != "" {
			return domain, PathPrefix + domain, true
		}
	}
	return "", "", false
}

// request is one hosted UI request, resolved to its pool.
type request struct {
	*http.Request
	domain, base, path, poolID string
}

// ServeHTTP resolves the domain and serves the page or endpoint.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	domain, base, ok := split(r, h.suffix)
	if !ok {
		h.errorPage(w, r, base, http.StatusNotFound, "Not found", "This is not a hosted UI address.")
		return
	}
	d, found, err := h.svc.DescribeUserPoolDomain(r.Context(), domain)
	if err != nil {
		h.internal(w, r, base, err)
		return
	}
	if !found {
		h.errorPage(w, r, base, http.StatusNotFound, "Unknown domain", "No user pool has the domain "+domain+". Create it with CreateUserPoolDomain.")
		return
	}
	req := &request{Request: r, domain: domain, base: base, path: strings.TrimPrefix(r.URL.Path, base), poolID: d.PoolID}
	if req.path == "" {
		req.path = "/"
	}
	h.route(w, req)
}

func (h *Handler) route(w http.ResponseWriter, r *request) {
	get, post := r.Method == http.MethodGet || r.Method == http.MethodHead, r.Method == http.MethodPost
	switch {
	case r.path == "/static/style.css" && get:
		h.serveCSS(w, r)
	case r.path == "/login" && get:
		h.loginPage(w, r)
	case r.path == "/login" && post:
		h.login(w, r)
	case r.path == "/challenge" && post:
		h.challenge(w, r)
	case r.path == "/signup" && get:
		h.signupPage(w, r)
	case r.path == "/signup" && post:
		h.signup(w, r)
	case r.path == "/confirmUser" && get:
		h.confirmPage(w, r)
	case r.path == "/confirmUser" && post:
		h.confirm(w, r)
	case r.path == "/resendCode" && post:
		h.resend(w, r)
	case r.path == "/forgotPassword" && get:
		h.forgotPage(w, r)
	case r.path == "/forgotPassword" && post:
		h.forgot(w, r)
	case r.path == "/confirmForgotPassword" && post:
		h.reset(w, r)
	case r.path == "/logout" && r.Method == http.MethodGet: // not HEAD: it has effects
		h.logout(w, r)
	case r.path == "/oauth2/authorize" && r.Method == http.MethodGet: // not HEAD: it issues codes
		h.authorize(w, r)
	case r.path == "/oauth2/token":
		h.token(w, r)
	case strings.EqualFold(r.path, "/oauth2/userInfo"):
		h.userInfo(w, r)
	case r.path == "/oauth2/revoke":
		h.revoke(w, r)
	case r.path == "/.well-known/openid-configuration" && get:
		h.discovery(w, r)
	case r.path == "/.well-known/jwks.json" && get:
		h.jwks(w, r)
	case r.path == "/login" || r.path == "/signup" || r.path == "/confirmUser" || r.path == "/forgotPassword" || r.path == "/logout" || r.path == "/oauth2/authorize":
		w.Header().Set("Allow", "GET, POST")
		h.errorPage(w, r.Request, r.base, http.StatusMethodNotAllowed, "Method not allowed", r.Method+" is not supported here.")
	default:
		h.errorPage(w, r.Request, r.base, http.StatusNotFound, "Not found", "The hosted UI has no page "+r.path+".")
	}
}

// securityHeaders are sent with every hosted UI response: no framing
// (clickjacking), no sniffing, no referrer leaking codes or tokens, and
// only federa's own stylesheet.
func securityHeaders(h http.Header) {
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

// internal logs an error that is federa's fault and shows a page without
// its details.
func (h *Handler) internal(w http.ResponseWriter, r *http.Request, base string, err error) {
	h.log.Error("hosted UI", "path", r.URL.Path, "error", err)
	h.errorPage(w, r, base, http.StatusInternalServerError, "Something went wrong", "federa could not complete the request. Try again; the server log has the details.")
}
