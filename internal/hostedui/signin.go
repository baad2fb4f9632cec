package hostedui

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/userpool"
)

// maxForm bounds a posted form: the largest is a few hundred bytes plus a
// challenge session of at most 4 KiB.
const maxForm = 64 << 10

// flow is an authorization request under way, carried in every page's URLs.
type flow struct {
	req  userpool.AuthorizeRequest
	view userpool.AuthorizeView
	q    string // the request as a query string, "?…"
}

// begin validates the authorization request in r's query. When it is not
// valid it answers (an error page, or a redirect for errors the client's
// redirect URI may receive) and returns false.
func (h *Handler) begin(w http.ResponseWriter, r *request) (flow, bool) {
	req := userpool.AuthorizeRequestFrom(r.URL.Query())
	v, err := h.svc.CheckAuthorize(r.Context(), r.poolID, req)
	if err != nil {
		h.authorizeError(w, r, req, err)
		return flow{}, false
	}
	return flow{req: req, view: v, q: "?" + req.Values().Encode()}, true
}

// authorizeError answers a failed authorization request: redirectable
// OAuth errors go back to the (verified) redirect URI, every other one is a
// page.
func (h *Handler) authorizeError(w http.ResponseWriter, r *request, req userpool.AuthorizeRequest, err error) {
	var oe *userpool.OAuthError
	switch {
	case errors.As(err, &oe) && oe.Redirect:
		http.Redirect(w, r.Request, userpool.ErrorRedirect(req, oe), http.StatusFound)
	case errors.As(err, &oe):
		h.errorPage(w, r.Request, r.base, http.StatusBadRequest, "Invalid request", oe.Description)
	default:
		h.internal(w, r.Request, r.base, err)
	}
}

// page fills what every page of a flow shows.
func (h *Handler) page(w http.ResponseWriter, r *request, f flow, title, action string) view {
	return view{
		Base: r.base, Title: title, PoolName: f.view.PoolName, ClientName: f.view.ClientName,
		Action: r.base + action + f.q, CSRF: csrfToken(w, r), Hidden: map[string]string{},
		Links: map[string]string{
			"login": r.base + "/login" + f.q, "signup": r.base + "/signup" + f.q,
			"forgot": r.base + "/forgotPassword" + f.q, "resend": r.base + "/resendCode" + f.q,
		},
		PasswordHint: f.view.PasswordRules,
	}
}

// finish sends the browser on to the client with a code or tokens, or to
// the sign-in page when the session no longer holds.
func (h *Handler) finish(w http.ResponseWriter, r *request, f flow, sess string) {
	to, err := h.svc.Authorize(r.Context(), r.poolID, f.req, sess)
	if userpool.IsNoSession(err) {
		clearSession(w, r)
		h.render(w, http.StatusOK, "login", h.page(w, r, f, "Sign in", "/login"))
		return
	}
	if err != nil {
		h.authorizeError(w, r, f.req, err)
		return
	}
	http.Redirect(w, r.Request, to, http.StatusFound)
}

func (h *Handler) loginPage(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok {
		return
	}
	if s := session(r); s != "" {
		h.finish(w, r, f, s)
		return
	}
	v := h.page(w, r, f, "Sign in", "/login")
	v.Username = r.URL.Query().Get("username")
	h.render(w, http.StatusOK, "login", v)
}

// parse reads a posted form within maxForm and checks its CSRF token; on
// failure it has answered.
func (h *Handler) parse(w http.ResponseWriter, r *request, f flow, kind, title, action string) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		v := h.page(w, r, f, title, action)
		v.Error = "The form could not be read; try again."
		h.render(w, http.StatusBadRequest, kind, v)
		return false
	}
	if !csrfOK(r) {
		v := h.page(w, r, f, title, action)
		v.Error = "This form has expired or was not sent from this page; submit it again."
		h.render(w, http.StatusForbidden, kind, v)
		return false
	}
	return true
}

func (h *Handler) login(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok || !h.parse(w, r, f, "login", "Sign in", "/login") {
		return
	}
	username := r.PostFormValue("username")
	res, err := h.svc.HostedSignIn(r.Context(), f.req.ClientID, username, r.PostFormValue("password"))
	h.afterSignIn(w, r, f, username, res, err, "login")
}

// afterSignIn answers a sign-in step: the next challenge, the client's
// redirect, or the page again with what went wrong.
func (h *Handler) afterSignIn(w http.ResponseWriter, r *request, f flow, username string, res userpool.AuthResult, err error, kind string) {
	if err != nil {
		ae, ok := awserr.As(err)
		if !ok || ae.Status >= 500 {
			h.internal(w, r.Request, r.base, err)
			return
		}
		switch ae.Code {
		case "UserNotConfirmedException":
			v := h.page(w, r, f, "Confirm your account", "/confirmUser")
			v.Notice = "Your account is not confirmed yet. Enter the code we sent you, or ask for a new one."
			v.Hidden["username"] = username
			h.render(w, http.StatusOK, "confirm", v)
			return
		case "PasswordResetRequiredException":
			v := h.page(w, r, f, "Reset your password", "/forgotPassword")
			v.Notice = "Your password must be reset before you can sign in."
			v.Username = username
			h.render(w, http.StatusOK, "forgot", v)
			return
		}
		if kind == "login" {
			v := h.page(w, r, f, "Sign in", "/login")
			v.Username, v.Error = username, ae.Message
			h.render(w, http.StatusBadRequest, "login", v)
			return
		}
		h.challengePage(w, r, f, username, r.PostFormValue("challenge"), r.PostFormValue("session"), ae.Message)
		return
	}
	if res.HostedSession != "" {
		setSession(w, r, res.HostedSession)
		h.finish(w, r, f, res.HostedSession)
		return
	}
	h.challengePage(w, r, f, username, res.ChallengeName, res.Session, "")
}

// challengePage asks for what a challenge needs.
func (h *Handler) challengePage(w http.ResponseWriter, r *request, f flow, username, name, sess, problem string) {
	var kind, title string
	switch name {
	case "NEW_PASSWORD_REQUIRED":
		kind, title = "newpassword", "Change your password"
	case "SOFTWARE_TOKEN_MFA":
		kind, title = "mfa", "Enter your authentication code"
	case "MFA_SETUP":
		kind, title = "mfasetup", "Set up an authenticator app"
	default:
		h.internal(w, r.Request, r.base, errors.New("hosted UI: unexpected challenge "+name))
		return
	}
	v := h.page(w, r, f, title, "/challenge")
	v.Error = problem
	if name == "MFA_SETUP" && r.PostFormValue("step") != "verify" {
		secret, next, err := h.svc.AssociateSoftwareToken(r.Context(), "", sess)
		if err != nil {
			h.signInAgain(w, r, f, username, err)
			return
		}
		sess = next
		v.Secret = secret
		v.OTPURI = template.URL(otpauthURI(f.view.PoolName, username, secret))
		v.Hidden["step"] = "verify"
	} else if name == "MFA_SETUP" {
		v.Secret = r.PostFormValue("secret")
		v.OTPURI = template.URL(otpauthURI(f.view.PoolName, username, v.Secret))
		v.Hidden["step"] = "verify"
	}
	if v.Secret != "" {
		v.Hidden["secret"] = v.Secret
	}
	v.Hidden["challenge"], v.Hidden["session"], v.Hidden["username"] = name, sess, username
	status := http.StatusOK
	if problem != "" {
		status = http.StatusBadRequest
	}
	h.render(w, status, kind, v)
}

// signInAgain returns to the sign-in page when a challenge session can go no
// further (expired, or already used).
func (h *Handler) signInAgain(w http.ResponseWriter, r *request, f flow, username string, err error) {
	ae, ok := awserr.As(err)
	if !ok || ae.Status >= 500 {
		h.internal(w, r.Request, r.base, err)
		return
	}
	v := h.page(w, r, f, "Sign in", "/login")
	v.Username, v.Error = username, ae.Message+" Sign in again."
	h.render(w, http.StatusBadRequest, "login", v)
}

func (h *Handler) challenge(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok || !h.parse(w, r, f, "login", "Sign in", "/login") {
		return
	}
	name, sess, username := r.PostFormValue("challenge"), r.PostFormValue("session"), r.PostFormValue("username")
	responses := map[string]string{"USERNAME": username}
	switch name {
	case "NEW_PASSWORD_REQUIRED":
		responses["NEW_PASSWORD"] = r.PostFormValue("password")
	case "SOFTWARE_TOKEN_MFA":
		responses["SOFTWARE_TOKEN_MFA_CODE"] = r.PostFormValue("code")
	case "MFA_SETUP":
		next, err := h.svc.VerifySoftwareToken(r.Context(), "", sess, r.PostFormValue("code"))
		if err != nil {
			if awserr.HasCode(err, "NotAuthorizedException") {
				h.signInAgain(w, r, f, username, err)
				return
			}
			h.afterSignIn(w, r, f, username, userpool.AuthResult{}, err, name)
			return
		}
		sess = next
	default:
		h.errorPage(w, r.Request, r.base, http.StatusBadRequest, "Invalid request", "The form names no challenge federa issues.")
		return
	}
	res, err := h.svc.HostedRespond(r.Context(), f.req.ClientID, name, sess, responses)
	if awserr.HasCode(err, "NotAuthorizedException") {
		h.signInAgain(w, r, f, username, err)
		return
	}
	h.afterSignIn(w, r, f, username, res, err, name)
}

// otpauthURI is the key URI authenticator apps read (the Google
// Authenticator key URI format).
func otpauthURI(issuer, account, secret string) string {
	label := url.PathEscape(issuer + ":" + account)
	q := url.Values{"secret": {secret}, "issuer": {issuer}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}
