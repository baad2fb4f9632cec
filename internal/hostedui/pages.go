package hostedui

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/federa/federa/web"
)

// view is what every page template reads.
type view struct {
	Base                 string // path prefix of this domain's URLs
	Title, Message       string
	PoolName, ClientName string
	Action               string            // where the form posts
	CSRF                 string            // the form's CSRF token
	Hidden               map[string]string // further hidden fields
	Links                map[string]string // named links (login, signup, forgot, resend)
	Error, Notice        string
	Username, Email      string
	PasswordHint         string
	Secret               string
	OTPURI               template.URL // otpauth:// is not a URL html/template trusts by itself
}

// pageKinds are the bodies a page can have (<kind>-body in pages.html).
var pageKinds = []string{"login", "signup", "confirm", "forgot", "reset", "newpassword", "mfa", "mfasetup", "error"}

type pages struct {
	byKind map[string]*template.Template
	css    []byte
}

// loadPages parses the embedded templates once; a broken template is a
// build defect, caught by the tests, so it panics.
func loadPages() *pages {
	base := template.Must(template.ParseFS(web.HostedUI, "hostedui/pages.html"))
	p := &pages{byKind: map[string]*template.Template{}}
	for _, k := range pageKinds {
		t := template.Must(base.Clone())
		template.Must(t.New("body").Parse(`{{template "` + k + `-body" .}}`))
		p.byKind[k] = t
	}
	css, err := fs.ReadFile(web.HostedUI, "hostedui/style.css")
	if err != nil {
		panic(err)
	}
	p.css = css
	return p
}

// render writes a page; it is rendered into memory first so a template
// error never leaves half a page.
func (h *Handler) render(w http.ResponseWriter, status int, kind string, v view) {
	var buf bytes.Buffer
	if err := h.pages.byKind[kind].ExecuteTemplate(&buf, "layout", v); err != nil {
		h.log.Error("hosted UI template", "page", kind, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage shows an error that must not go back to a client's redirect
// URI (unknown client, unregistered URI).
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, base string, status int, title, msg string) {
	h.render(w, status, "error", view{Base: base, Title: title, Message: msg})
}

func (h *Handler) serveCSS(w http.ResponseWriter, _ *request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(h.pages.css)
}
