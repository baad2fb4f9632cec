package hostedui

import (
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/federa/federa/web"
)

// TestPagesRender renders every page kind with every field set (hostile
// where it is text), and the error page as errorPage builds it, with no
// maps: each must render whole, escape what it shows, and carry the CSRF
// token in each of its forms.
func TestPagesRender(t *testing.T) {
	h := &Handler{pages: loadPages(), log: slog.New(slog.DiscardHandler)}
	const evil = `<script>alert("x")</script>`
	full := view{
		Base: "/_auth/notes", Title: "Title " + evil, Message: "Message " + evil, PoolName: "Pool " + evil, ClientName: "Client " + evil,
		Action: "/_auth/notes/login?client_id=c&redirect_uri=http%3A%2F%2Flocalhost", CSRF: "csrf-token-value",
		Hidden: map[string]string{"username": evil, "session": "sess"},
		Links: map[string]string{"login": "/_auth/notes/login?x=1", "signup": "/_auth/notes/signup?x=1",
			"forgot": "/_auth/notes/forgotPassword?x=1", "resend": "/_auth/notes/resendCode?x=1"},
		Error: "Error " + evil, Notice: "Notice " + evil, Username: evil, Email: "e@example.com", PasswordHint: "Hint",
		Secret: "JBSWY3DPEHPK3PXP", OTPURI: template.URL("otpauth://totp/notes:alice?secret=JBSWY3DPEHPK3PXP&issuer=notes"),
	}
	for _, kind := range pageKinds {
		t.Run(kind, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.render(w, http.StatusOK, kind, full)
			body := w.Body.String()
			if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
				t.Fatalf("%d %q:\n%s", w.Code, w.Header().Get("Content-Type"), body)
			}
			if strings.Contains(body, "<script>") {
				t.Errorf("unescaped text:\n%s", body)
			}
			for _, s := range []string{"Title ", "Pool ", "Client ", `role="alert"`, `role="status"`, `href="/_auth/notes/static/style.css"`} {
				if !strings.Contains(body, s) {
					t.Errorf("lacks %q", s)
				}
			}
			forms := strings.Count(body, "<form ")
			if kind != "error" && (forms == 0 || strings.Count(body, `name="_csrf" value="csrf-token-value"`) != forms) {
				t.Errorf("%d forms, %d CSRF fields", forms, strings.Count(body, `name="_csrf"`))
			}
			if kind == "mfasetup" && !strings.Contains(body, `href="otpauth://totp/`) {
				t.Errorf("the authenticator link lost its scheme:\n%s", body)
			}
		})
	}
	w := httptest.NewRecorder()
	h.errorPage(w, httptest.NewRequest("GET", "/", nil), "", http.StatusBadRequest, "Invalid request", evil)
	if w.Code != http.StatusBadRequest || strings.Contains(w.Body.String(), "<script>") || !strings.Contains(w.Body.String(), "Invalid request") {
		t.Errorf("error page: %d\n%s", w.Code, w.Body)
	}
}

// TestPageKindsComplete: every body pages.html defines is a kind the
// handler loads, and the other way round.
func TestPageKindsComplete(t *testing.T) {
	raw, err := fs.ReadFile(web.HostedUI, "hostedui/pages.html")
	if err != nil {
		t.Fatal(err)
	}
	var defined []string
	for _, m := range regexp.MustCompile(`\{\{define "([a-z]+)-body"\}\}`).FindAllStringSubmatch(string(raw), -1) {
		defined = append(defined, m[1])
	}
	slices.Sort(defined)
	kinds := slices.Clone(pageKinds)
	slices.Sort(kinds)
	if !slices.Equal(defined, kinds) {
		t.Errorf("pages.html defines %v; pageKinds is %v", defined, kinds)
	}
}
