package hostedui

import (
	"net/http"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/userpool"
)

// formError shows a page again with the service's message, or the generic
// error page when the fault is federa's.
func (h *Handler) formError(w http.ResponseWriter, r *request, kind string, v view, err error) {
	ae, ok := awserr.As(err)
	if !ok || ae.Status >= 500 {
		h.internal(w, r.Request, r.base, err)
		return
	}
	v.Error = ae.Message
	h.render(w, http.StatusBadRequest, kind, v)
}

func (h *Handler) signupPage(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok {
		return
	}
	h.render(w, http.StatusOK, "signup", h.page(w, r, f, "Sign up", "/signup"))
}

func (h *Handler) signup(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok || !h.parse(w, r, f, "signup", "Sign up", "/signup") {
		return
	}
	username, email := r.PostFormValue("username"), r.PostFormValue("email")
	v := h.page(w, r, f, "Sign up", "/signup")
	v.Username, v.Email = username, email
	hash, err := h.svc.SecretHashFor(r.Context(), f.req.ClientID, username)
	if err != nil {
		h.formError(w, r, "signup", v, err)
		return
	}
	var attrs []userpool.Attribute
	if email != "" {
		attrs = append(attrs, userpool.Attribute{Name: "email", Value: email})
	}
	res, err := h.svc.SignUp(r.Context(), f.req.ClientID, username, r.PostFormValue("password"), hash, attrs)
	if err != nil {
		h.formError(w, r, "signup", v, err)
		return
	}
	if res.UserConfirmed {
		v := h.page(w, r, f, "Sign in", "/login")
		v.Username, v.Notice = username, "Your account is ready. Sign in."
		h.render(w, http.StatusOK, "login", v)
		return
	}
	v = h.page(w, r, f, "Confirm your account", "/confirmUser")
	v.Hidden["username"] = username
	v.Notice = "We sent a code to you. Enter it to confirm your account."
	if res.Delivery != nil && res.Delivery.Destination != "" {
		v.Notice = "We sent a code to " + res.Delivery.Destination + ". Enter it to confirm your account."
	}
	h.render(w, http.StatusOK, "confirm", v)
}

func (h *Handler) confirmPage(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok {
		return
	}
	v := h.page(w, r, f, "Confirm your account", "/confirmUser")
	v.Hidden["username"] = r.URL.Query().Get("username")
	if v.Hidden["username"] == "" {
		// Without a username there is nothing to confirm: ask for it.
		v := h.page(w, r, f, "Sign in", "/login")
		v.Notice = "Sign in to confirm your account."
		h.render(w, http.StatusOK, "login", v)
		return
	}
	h.render(w, http.StatusOK, "confirm", v)
}

func (h *Handler) confirm(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok || !h.parse(w, r, f, "confirm", "Confirm your account", "/confirmUser") {
		return
	}
	username := r.PostFormValue("username")
	v := h.page(w, r, f, "Confirm your account", "/confirmUser")
	v.Hidden["username"] = username
	hash, err := h.svc.SecretHashFor(r.Context(), f.req.ClientID, username)
	if err == nil {
		err = h.svc.ConfirmSignUp(r.Context(), f.req.ClientID, username, r.PostFormValue("code"), hash)
	}
	if err != nil {
		h.formError(w, r, "confirm", v, err)
		return
	}
	v = h.page(w, r, f, "Sign in", "/login")
	v.Username, v.Notice = username, "Your account is confirmed. Sign in."
	h.render(w, http.StatusOK, "login", v)
}

func (h *Handler) resend(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok || !h.parse(w, r, f, "confirm", "Confirm your account", "/confirmUser") {
		return
	}
	username := r.PostFormValue("username")
	v := h.page(w, r, f, "Confirm your account", "/confirmUser")
	v.Hidden["username"] = username
	hash, err := h.svc.SecretHashFor(r.Context(), f.req.ClientID, username)
	var d userpool.CodeDelivery
	if err == nil {
		d, err = h.svc.ResendConfirmationCode(r.Context(), f.req.ClientID, username, hash)
	}
	if err != nil {
		h.formError(w, r, "confirm", v, err)
		return
	}
	v.Notice = "We sent a new code."
	if d.Destination != "" {
		v.Notice = "We sent a new code to " + d.Destination + "."
	}
	h.render(w, http.StatusOK, "confirm", v)
}

func (h *Handler) forgotPage(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok {
		return
	}
	h.render(w, http.StatusOK, "forgot", h.page(w, r, f, "Reset your password", "/forgotPassword"))
}

func (h *Handler) forgot(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok || !h.parse(w, r, f, "forgot", "Reset your password", "/forgotPassword") {
		return
	}
	username := r.PostFormValue("username")
	v := h.page(w, r, f, "Reset your password", "/forgotPassword")
	v.Username = username
	hash, err := h.svc.SecretHashFor(r.Context(), f.req.ClientID, username)
	var d userpool.CodeDelivery
	if err == nil {
		d, err = h.svc.ForgotPassword(r.Context(), f.req.ClientID, username, hash)
	}
	if err != nil {
		h.formError(w, r, "forgot", v, err)
		return
	}
	v = h.page(w, r, f, "Choose a new password", "/confirmForgotPassword")
	v.Hidden["username"] = username
	v.Notice = "If the account exists, we sent it a code. Enter it with your new password."
	if d.Destination != "" {
		v.Notice = "We sent a code to " + d.Destination + ". Enter it with your new password."
	}
	h.render(w, http.StatusOK, "reset", v)
}

func (h *Handler) reset(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok || !h.parse(w, r, f, "reset", "Choose a new password", "/confirmForgotPassword") {
		return
	}
	username := r.PostFormValue("username")
	v := h.page(w, r, f, "Choose a new password", "/confirmForgotPassword")
	v.Hidden["username"] = username
	hash, err := h.svc.SecretHashFor(r.Context(), f.req.ClientID, username)
	if err == nil {
		err = h.svc.ConfirmForgotPassword(r.Context(), f.req.ClientID, username, r.PostFormValue("code"), r.PostFormValue("password"), hash)
	}
	if err != nil {
		h.formError(w, r, "reset", v, err)
		return
	}
	v = h.page(w, r, f, "Sign in", "/login")
	v.Username, v.Notice = username, "Your password was changed. Sign in with the new one."
	h.render(w, http.StatusOK, "login", v)
}
