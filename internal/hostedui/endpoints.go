package hostedui

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/federa/federa/internal/userpool"
)

func (h *Handler) authorize(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok {
		return
	}
	if s := session(r); s != "" {
		h.finish(w, r, f, s)
		return
	}
	http.Redirect(w, r.Request, r.base+"/login"+f.q, http.StatusFound)
}

// logout ends the hosted UI session and sends the browser to the client's
// sign-out URL (logout_uri), or back to sign-in (redirect_uri and
// response_type, as /login takes them). Either URL must be registered with
// the client exactly; otherwise an error page, never a redirect.
func (h *Handler) logout(w http.ResponseWriter, r *request) {
	q := r.URL.Query()
	clientID := q.Get("client_id")
	if lu := q.Get("logout_uri"); lu != "" || q.Get("redirect_uri") == "" {
		err := h.svc.CheckLogout(r.Context(), r.poolID, clientID, lu)
		if err != nil {
			h.authorizeError(w, r, userpool.AuthorizeRequest{}, notRedirectable(err))
			return
		}
		clearSession(w, r)
		http.Redirect(w, r.Request, lu, http.StatusFound)
		return
	}
	f, ok := h.begin(w, r)
	if !ok {
		return
	}
	clearSession(w, r)
	http.Redirect(w, r.Request, r.base+"/login"+f.q, http.StatusFound)
}

// notRedirectable keeps an error on the error page.
func notRedirectable(err error) error {
	var oe *userpool.OAuthError
	if errors.As(err, &oe) {
		c := *oe
		c.Redirect = false
		return &c
	}
	return err
}

// cors lets browser apps call the token, userInfo and revoke endpoints
// from their own origin, as Cognito's do: these endpoints take no cookies,
// so any origin may read their answers.
func cors(w http.ResponseWriter, r *request) (preflight bool) {
	if r.Header.Get("Origin") == "" {
		return false
	}
	hd := w.Header()
	hd.Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		hd.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		hd.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		hd.Set("Access-Control-Max-Age", "3600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

// writeJSON answers a token-bearing JSON body, never cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// oauthError writes an OAuth error body (RFC 6749 §5.2); an error that is
// not an OAuth one is federa's fault and is logged, not shown.
func (h *Handler) oauthError(w http.ResponseWriter, r *request, err error) {
	var oe *userpool.OAuthError
	if !errors.As(err, &oe) {
		h.log.Error("hosted UI endpoint", "path", r.URL.Path, "error", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	status := http.StatusBadRequest
	switch oe.Code {
	case "invalid_token":
		status = http.StatusUnauthorized
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+oe.Description+`"`)
	case "insufficient_scope":
		status = http.StatusForbidden
		w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope"`)
	}
	writeJSON(w, status, map[string]string{"error": oe.Code, "error_description": oe.Description})
}

// tokenForm reads the form of the token and revoke endpoints and the
// client's credentials, from HTTP Basic authentication or the form.
func tokenForm(w http.ResponseWriter, r *request) (userpool.TokenRequest, error) {
	if r.Method != http.MethodPost {
		return userpool.TokenRequest{}, &userpool.OAuthError{Code: "invalid_request", Description: "Use POST with an application/x-www-form-urlencoded body."}
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
		return userpool.TokenRequest{}, &userpool.OAuthError{Code: "invalid_request", Description: "The body must be application/x-www-form-urlencoded."}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return userpool.TokenRequest{}, &userpool.OAuthError{Code: "invalid_request", Description: "The form could not be read."}
	}
	f := r.PostForm
	for k, v := range f {
		if len(v) > 1 {
			return userpool.TokenRequest{}, &userpool.OAuthError{Code: "invalid_request", Description: "Parameter " + k + " is repeated."}
		}
	}
	t := userpool.TokenRequest{GrantType: f.Get("grant_type"), ClientID: f.Get("client_id"), ClientSecret: f.Get("client_secret"),
		Code: f.Get("code"), RedirectURI: f.Get("redirect_uri"), CodeVerifier: f.Get("code_verifier"),
		RefreshToken: f.Get("refresh_token"), Scope: f.Get("scope")}
	if id, secret, ok := r.BasicAuth(); ok {
		if t.ClientSecret != "" || (t.ClientID != "" && t.ClientID != id) {
			return t, &userpool.OAuthError{Code: "invalid_request", Description: "Send the client's credentials once: in HTTP Basic authentication or in the form, not both."}
		}
		t.ClientID, t.ClientSecret, t.BasicAuth = id, secret, true
	} else if r.Header.Get("Authorization") != "" {
		return t, &userpool.OAuthError{Code: "invalid_client", Description: "Client authentication must be HTTP Basic."}
	}
	return t, nil
}

func (h *Handler) token(w http.ResponseWriter, r *request) {
	if cors(w, r) {
		return
	}
	t, err := tokenForm(w, r)
	if err != nil {
		h.oauthError(w, r, err)
		return
	}
	res, err := h.svc.Token(r.Context(), r.poolID, t)
	if err != nil {
		h.oauthError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (h *Handler) revoke(w http.ResponseWriter, r *request) {
	if cors(w, r) {
		return
	}
	t, err := tokenForm(w, r)
	if err == nil {
		err = h.svc.OAuthRevoke(r.Context(), r.poolID, t, r.PostForm.Get("token"))
	}
	if err != nil {
		h.oauthError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

func (h *Handler) userInfo(w http.ResponseWriter, r *request) {
	if cors(w, r) {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		h.oauthError(w, r, &userpool.OAuthError{Code: "invalid_request", Description: "Use GET or POST."})
		return
	}
	// The scheme is case-insensitive (RFC 7235 §2.1).
	auth := r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		h.oauthError(w, r, &userpool.OAuthError{Code: "invalid_token", Description: "Send the access token as Authorization: Bearer <token>."})
		return
	}
	info, err := h.svc.UserInfo(r.Context(), strings.TrimSpace(tok))
	if err != nil {
		h.oauthError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (h *Handler) discovery(w http.ResponseWriter, r *request) {
	doc, err := h.svc.OpenIDConfiguration(r.Context(), r.poolID, h.authURL(r.domain))
	if err != nil {
		h.oauthError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, doc)
}

func (h *Handler) jwks(w http.ResponseWriter, r *request) {
	set, err := h.svc.JWKS(r.Context(), r.poolID)
	if err != nil {
		h.oauthError(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, set)
}
