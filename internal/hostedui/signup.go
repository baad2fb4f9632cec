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
	var res userpool.SignUpResult
	f, username, ok := h.step(w, r, "signup", "Sign up", "/signup", func(f flow, username, hash string) (err error) {
		var attrs []userpool.Attribute
		if email := r.PostFormValue("email"); email != "" {
			attrs = append(attrs, userpool.Attribute{Name: "email", Value: email})
		}
		res, err = h.svc.SignUp(r.Context(), f.req.ClientID, username, r.PostFormValue("password"), hash, attrs)
		return err
	})
	switch {
	case !ok:
	case res.UserConfirmed:
		h.signInPage(w, r, f, username, "Your account is ready. Sign in.")
	default:
		d := userpool.CodeDelivery{}
		if res.Delivery != nil {
			d = *res.Delivery
		}
		h.codePage(w, r, f, "confirm", "Confirm your account", "/confirmUser", username, sentTo(d, "a code")+" Enter it to confirm your account.")
	}
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

// step runs one posted self-service form (kind, at action): it checks the
// flow and the form, computes the client's SECRET_HASH for the username and
// calls do with it. When do fails the page is shown again with the message,
// and step returns false.
func (h *Handler) step(w http.ResponseWriter, r *request, kind, title, action string, do func(f flow, username, hash string) error) (flow, string, bool) {
	f, ok := h.begin(w, r)
	if !ok || !h.parse(w, r, f, kind, title, action) {
		return f, "", false
	}
	username := r.PostFormValue("username")
	hash, err := h.svc.SecretHashFor(r.Context(), f.req.ClientID, username)
	if err == nil {
		err = do(f, username, hash)
	}
	if err != nil {
		v := h.page(w, r, f, title, action)
		if kind == "confirm" || kind == "reset" {
			v.Hidden["username"] = username // these pages have no username field
		} else {
			v.Username, v.Email = username, r.PostFormValue("email")
		}
		h.formError(w, r, kind, v, err)
		return f, "", false
	}
	return f, username, true
}

// signInPage shows the sign-in form, filled with the username, and a notice.
func (h *Handler) signInPage(w http.ResponseWriter, r *request, f flow, username, notice string) {
	v := h.page(w, r, f, "Sign in", "/login")
	v.Username, v.Notice = username, notice
	h.render(w, http.StatusOK, "login", v)
}

// codePage shows a page that asks for a code sent to the user.
func (h *Handler) codePage(w http.ResponseWriter, r *request, f flow, kind, title, action, username, notice string) {
	v := h.page(w, r, f, title, action)
	v.Hidden["username"] = username
	v.Notice = notice
	h.render(w, http.StatusOK, kind, v)
}

// sentTo words where a code went.
func sentTo(d userpool.CodeDelivery, what string) string {
	if d.Destination == "" {
		return "We sent " + what + "."
	}
	return "We sent " + what + " to " + d.Destination + "."
}

func (h *Handler) confirm(w http.ResponseWriter, r *request) {
	f, username, ok := h.step(w, r, "confirm", "Confirm your account", "/confirmUser", func(f flow, username, hash string) error {
		return h.svc.ConfirmSignUp(r.Context(), f.req.ClientID, username, r.PostFormValue("code"), hash)
	})
	if ok {
		h.signInPage(w, r, f, username, "Your account is confirmed. Sign in.")
	}
}

func (h *Handler) resend(w http.ResponseWriter, r *request) {
	var d userpool.CodeDelivery
	f, username, ok := h.step(w, r, "confirm", "Confirm your account", "/confirmUser", func(f flow, username, hash string) (err error) {
		d, err = h.svc.ResendConfirmationCode(r.Context(), f.req.ClientID, username, hash)
		return err
	})
	if ok {
		h.codePage(w, r, f, "confirm", "Confirm your account", "/confirmUser", username, sentTo(d, "a new code"))
	}
}

func (h *Handler) forgotPage(w http.ResponseWriter, r *request) {
	f, ok := h.begin(w, r)
	if !ok {
		return
	}
	h.render(w, http.StatusOK, "forgot", h.page(w, r, f, "Reset your password", "/forgotPassword"))
}

func (h *Handler) forgot(w http.ResponseWriter, r *request) {
	var d userpool.CodeDelivery
	f, username, ok := h.step(w, r, "forgot", "Reset your password", "/forgotPassword", func(f flow, username, hash string) (err error) {
		d, err = h.svc.ForgotPassword(r.Context(), f.req.ClientID, username, hash)
		return err
	})
	if ok {
		h.codePage(w, r, f, "reset", "Choose a new password", "/confirmForgotPassword", username,
			sentTo(d, "a code")+" Enter it with your new password.")
	}
}

func (h *Handler) reset(w http.ResponseWriter, r *request) {
	f, username, ok := h.step(w, r, "reset", "Choose a new password", "/confirmForgotPassword", func(f flow, username, hash string) error {
		return h.svc.ConfirmForgotPassword(r.Context(), f.req.ClientID, username, r.PostFormValue("code"), r.PostFormValue("password"), hash)
	})
	if ok {
		h.signInPage(w, r, f, username, "Your password was changed. Sign in with the new one.")
	}
}
