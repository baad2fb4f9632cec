package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// wantPage checks an HTML answer that must not redirect anywhere.
func wantPage(t *testing.T, p page, status int, contains ...string) {
	t.Helper()
	if p.status != status || p.header.Get("Location") != "" || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
		t.Errorf("got %d %q Location %q, want a %d page", p.status, p.header.Get("Content-Type"), p.header.Get("Location"), status)
	}
	for _, s := range contains {
		if !strings.Contains(p.body, s) {
			t.Errorf("the page lacks %q:\n%s", s, p.body)
		}
	}
}

// TestHostedUILogout: /logout ends the session and sends the browser only
// to a registered sign-out URL, or back to sign-in.
func TestHostedUILogout(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	signIn := func() {
		t.Helper()
		redirectTo(t, b.signIn(e.authorizeQuery("token"), "alice", password), appURI)
	}
	toLogin := func(p page) {
		t.Helper()
		if loc := p.location(); p.status != http.StatusFound || loc == nil || loc.Path != "/_auth/"+oauthDomain+"/login" {
			t.Errorf("want a 302 to /login, got %d %q", p.status, p.header.Get("Location"))
		}
	}
	cleared := func(p page) {
		t.Helper()
		if c := p.cookie("federa_session"); c == nil || c.MaxAge >= 0 || c.Value != "" {
			t.Errorf("session cookie not cleared: %+v", c)
		}
	}

	signIn()
	out := b.get("/logout?" + url.Values{"client_id": {e.public}, "logout_uri": {appSignOut}}.Encode())
	if out.status != http.StatusFound || out.header.Get("Location") != appSignOut {
		t.Errorf("logout: %d Location %q, want 302 to %s", out.status, out.header.Get("Location"), appSignOut)
	}
	cleared(out)
	toLogin(b.get("/oauth2/authorize?" + e.authorizeQuery("token").Encode()))

	signIn()
	back := b.get("/logout?" + url.Values{"client_id": {e.public}, "redirect_uri": {appURI}, "response_type": {"code"}, "state": {"s"}}.Encode())
	toLogin(back)
	cleared(back)
	if loc := back.location(); loc != nil && (loc.Query().Get("redirect_uri") != appURI || loc.Query().Get("state") != "s") {
		t.Errorf("the sign-in page lost the request: %s", loc)
	}
	login := b.get(back.location().String())
	wantPage(t, login, http.StatusOK, `name="password"`)

	signIn()
	for _, q := range []url.Values{
		{"client_id": {e.public}, "logout_uri": {"https://evil.example/"}},
		{"client_id": {e.public}, "logout_uri": {appSignOut + "/"}},
		{"client_id": {e.public}, "logout_uri": {appURI}}, // a callback URL, not a sign-out URL
		{"client_id": {e.public}, "redirect_uri": {"https://evil.example/"}, "response_type": {"code"}},
		{"client_id": {"nosuchclient0000000000000"}, "logout_uri": {appSignOut}},
		{"logout_uri": {appSignOut}},
		{"client_id": {e.public}},
	} {
		p := b.get("/logout?" + q.Encode())
		if p.status != http.StatusBadRequest || p.header.Get("Location") != "" {
			t.Errorf("logout %v: %d Location %q, want a 400 page", q, p.status, p.header.Get("Location"))
		}
	}
	// None of those signed the user out.
	redirectTo(t, b.get("/oauth2/authorize?"+e.authorizeQuery("token").Encode()), appURI)
}

// TestHostedUICSRF: a form post without the token its page carried is
// refused, so another site cannot sign a user in or up.
func TestHostedUICSRF(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	q := e.authorizeQuery("token")
	login := b.get("/login?" + q.Encode())
	c := login.cookie("federa_csrf")
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Errorf("CSRF cookie %+v, want HttpOnly and SameSite=Strict", c)
	}
	action, fields := login.form(t)
	fields.Set("username", "alice")
	fields.Set("password", password)
	for _, c := range []struct {
		name  string
		token string
		b     *browser
	}{
		{"no token", "", b},
		{"wrong token", strings.Repeat("A", 43), b},
		{"the token without its cookie", fields.Get("_csrf"), newBrowser(t, e, e.pathBase())},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.b.t = t
			f := url.Values{}
			for k, v := range fields {
				f[k] = v
			}
			if c.token == "" {
				f.Del("_csrf")
			} else {
				f.Set("_csrf", c.token)
			}
			p := c.b.post(action.String(), f)
			wantPage(t, p, http.StatusForbidden, `role="alert"`)
			if p.cookie("federa_session") != nil {
				t.Error("a forged post set a session")
			}
		})
	}
	b.t = t
	redirectTo(t, b.post(action.String(), fields), appURI)
	for _, path := range []string{"/signup", "/forgotPassword", "/confirmUser", "/confirmForgotPassword", "/challenge", "/resendCode"} {
		p := b.post(e.pathBase()+path+"?"+q.Encode(), url.Values{"username": {"alice"}})
		if p.status != http.StatusForbidden {
			t.Errorf("POST %s without a token: %d", path, p.status)
		}
	}
}

// TestHostedUISignUp: sign up on the page, confirm with the emailed code,
// sign in.
func TestHostedUISignUp(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	q := e.authorizeQuery("token", "state", "su")
	form := b.get("/signup?" + q.Encode())
	wantPage(t, form, http.StatusOK, `name="username"`, `name="email"`, `name="password"`, "notes-web")

	weak := b.submit(form, "username", "bob", "email", "bob@example.com", "password", "short")
	wantPage(t, weak, http.StatusBadRequest, `role="alert"`, `name="email"`)

	confirm := b.submit(weak, "username", "bob", "email", "bob@example.com", "password", "Bob-pass-123!")
	wantPage(t, confirm, http.StatusOK, `name="code"`)
	if _, f := confirm.form(t); f.Get("username") != "bob" {
		t.Errorf("the confirmation form does not carry the username: %v", f)
	}
	wrong := b.submit(confirm, "code", "000000")
	wantPage(t, wrong, http.StatusBadRequest, `role="alert"`, `name="code"`)

	// An unconfirmed user who signs in is asked for the code.
	unconfirmed := b.signIn(q, "bob", "Bob-pass-123!")
	wantPage(t, unconfirmed, http.StatusOK, `name="code"`, `role="status"`)

	done := b.submit(unconfirmed, "code", lastCode(t, e.srv, e.poolID, "bob"))
	wantPage(t, done, http.StatusOK, `role="status"`, `name="password"`)
	if !strings.Contains(done.body, "confirmed") {
		t.Errorf("no confirmation notice:\n%s", done.body)
	}
	frag := redirectTo(t, b.submit(done, "password", "Bob-pass-123!"), appURI)
	if id := payload(t, frag.Get("id_token")); id["cognito:username"] != "bob" || id["email"] != "bob@example.com" || frag.Get("state") != "su" {
		t.Errorf("after sign-up: %v %v", id, frag)
	}
}

// TestHostedUIForgotPassword: reset a password with the emailed code, then
// sign in with the new one.
func TestHostedUIForgotPassword(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	q := e.authorizeQuery("code")
	forgot := b.get("/forgotPassword?" + q.Encode())
	wantPage(t, forgot, http.StatusOK, `name="username"`)
	reset := b.submit(forgot, "username", "alice")
	wantPage(t, reset, http.StatusOK, `name="code"`, `name="password"`)
	const next = "N3w-password!"
	wrong := b.submit(reset, "code", "000000", "password", next)
	wantPage(t, wrong, http.StatusBadRequest, `role="alert"`)
	done := b.submit(wrong, "code", lastCode(t, e.srv, e.poolID, "alice"), "password", next)
	wantPage(t, done, http.StatusOK, `role="status"`, `name="password"`)

	old := b.signIn(q, "alice", password)
	wantPage(t, old, http.StatusBadRequest, `role="alert"`)
	if v := redirectTo(t, b.submit(old, "username", "alice", "password", next), appURI); v.Get("code") == "" {
		t.Errorf("no code after the reset: %v", v)
	}
}

// TestHostedUINewPassword: a user an administrator created with a temporary
// password chooses one on the page.
func TestHostedUINewPassword(t *testing.T) {
	e := newOAuthEnv(t)
	_, err := e.idp.AdminCreateUser(context.Background(), &cip.AdminCreateUserInput{UserPoolId: &e.poolID, Username: aws.String("dora"),
		TemporaryPassword: aws.String("Temp-pass-1!"), MessageAction: "SUPPRESS"})
	must(t, err)
	b := newBrowser(t, e, e.pathBase())
	ch := b.signIn(e.authorizeQuery("token"), "dora", "Temp-pass-1!")
	wantPage(t, ch, http.StatusOK, "Change your password", `name="password"`)
	if _, f := ch.form(t); f.Get("challenge") != "NEW_PASSWORD_REQUIRED" || f.Get("session") == "" {
		t.Errorf("challenge form fields %v", f)
	}
	// The session is dora's: naming alice in the form must not set alice's password.
	if p := b.submit(ch, "password", "Swap-pass-123!", "username", "alice"); p.status == http.StatusFound {
		if id := payload(t, redirectTo(t, p, appURI).Get("id_token")); id["cognito:username"] != "dora" {
			t.Errorf("dora's challenge signed %v in", id["cognito:username"])
		}
		t.Log("the swapped username was ignored")
	}
	redirectTo(t, newBrowser(t, e, e.pathBase()).signIn(e.authorizeQuery("token"), "alice", password), appURI)
	b = newBrowser(t, e, e.pathBase())
	ch = b.signIn(e.authorizeQuery("token"), "dora", "Temp-pass-1!")
	weak := b.submit(ch, "password", "weak")
	wantPage(t, weak, http.StatusBadRequest, `role="alert"`, `name="password"`)
	frag := redirectTo(t, b.submit(weak, "password", "Dora-pass-123!"), appURI)
	if payload(t, frag.Get("id_token"))["cognito:username"] != "dora" {
		t.Errorf("fragment %v", frag)
	}
	redirectTo(t, newBrowser(t, e, e.pathBase()).signIn(e.authorizeQuery("token"), "dora", "Dora-pass-123!"), appURI)
}

// TestHostedUITOTP: a user with an authenticator app is asked for its
// code; a user of a pool that requires MFA sets one up on the page.
func TestHostedUITOTP(t *testing.T) {
	e := newOAuthEnv(t)
	ctx := context.Background()
	_, err := e.idp.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: &e.poolID, MfaConfiguration: "OPTIONAL",
		SoftwareTokenMfaConfiguration: &ciptypes.SoftwareTokenMfaConfigType{Enabled: true}})
	must(t, err)
	user := cip.NewFromConfig(e.srv.Config(aws.AnonymousCredentials{}))
	in, err := user.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &e.public, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password}})
	must(t, err)
	access := in.AuthenticationResult.AccessToken
	assoc, err := user.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: access})
	must(t, err)
	secret := aws.ToString(assoc.SecretCode)
	step := e.srv.Clock.Now().Unix() / 30
	_, err = user.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String(totp(t, secret, step))})
	must(t, err)
	_, err = user.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: access,
		SoftwareTokenMfaSettings: &ciptypes.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)

	b := newBrowser(t, e, e.pathBase())
	mfa := b.signIn(e.authorizeQuery("token"), "alice", password)
	wantPage(t, mfa, http.StatusOK, `name="code"`, "authentication code")
	if mfa.cookie("federa_session") != nil {
		t.Error("a session before the second factor")
	}
	good := totp(t, secret, step+1)
	bad := string('0'+(good[0]-'0'+5)%10) + good[1:]
	wrong := b.submit(mfa, "code", bad)
	wantPage(t, wrong, http.StatusBadRequest, `role="alert"`, `name="code"`)
	frag := redirectTo(t, b.submit(wrong, "code", good), appURI)
	if frag.Get("access_token") == "" {
		t.Errorf("fragment %v", frag)
	}

	// The challenge session is alice's: naming another user in the form
	// must not sign that user in.
	e.user(t, "bob", "bob@example.com", password)
	e.srv.Clock.Advance(30 * time.Second)
	b = newBrowser(t, e, e.pathBase())
	mfa = b.signIn(e.authorizeQuery("token"), "alice", password)
	if p := b.submit(mfa, "code", totp(t, secret, step+2), "username", "bob"); p.status == http.StatusFound {
		if id := payload(t, redirectTo(t, p, appURI).Get("id_token")); id["cognito:username"] != "alice" {
			t.Errorf("alice's second factor signed %v in", id["cognito:username"])
		}
	}

	t.Run("MFA_SETUP", func(t *testing.T) {
		_, err := e.idp.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: &e.poolID, MfaConfiguration: "ON",
			SoftwareTokenMfaConfiguration: &ciptypes.SoftwareTokenMfaConfigType{Enabled: true}})
		must(t, err)
		e.user(t, "erin", "erin@example.com", password)
		b := newBrowser(t, e, e.pathBase())
		setup := b.signIn(e.authorizeQuery("token"), "erin", password)
		wantPage(t, setup, http.StatusOK, `class="secret"`, "otpauth://totp/", `name="code"`)
		_, f := setup.form(t)
		if len(f.Get("secret")) != 32 {
			t.Fatalf("setup form fields %v", f)
		}
		frag := redirectTo(t, b.submit(setup, "code", totp(t, f.Get("secret"), e.srv.Clock.Now().Unix()/30)), appURI)
		if frag.Get("access_token") == "" {
			t.Errorf("fragment %v", frag)
		}
	})
}

// TestHostedUIDomainForms: the host form <domain>.auth.localhost and the
// path form /_auth/<domain> serve the same UI; unknown domains are 404.
func TestHostedUIDomainForms(t *testing.T) {
	e := newOAuthEnv(t)
	for base, cookiePath := range map[string]string{e.hostBase(): "/", e.pathBase(): "/_auth/" + oauthDomain + "/"} {
		t.Run(base, func(t *testing.T) {
			b := newBrowser(t, e, base)
			login := b.get("/login?" + e.authorizeQuery("code").Encode())
			wantPage(t, login, http.StatusOK, `name="username"`, "notes-web")
			if action, _ := login.form(t); !strings.HasPrefix(action.String(), base+"/login?") {
				t.Errorf("the form posts to %s, not under %s", action, base)
			}
			p := b.submit(login, "username", "alice", "password", password)
			if c := p.cookie("federa_session"); c == nil || c.Path != cookiePath {
				t.Errorf("session cookie %+v", c)
			}
			code := redirectTo(t, p, appURI).Get("code")
			if a := e.exchange(t, code, appURI, ""); a.status != http.StatusOK {
				t.Errorf("code from %s: %d %s", base, a.status, a.raw)
			}
			css := b.get("/static/style.css")
			if css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") {
				t.Errorf("style.css: %d %q", css.status, css.header.Get("Content-Type"))
			}
			wantPage(t, b.get("/no-such-page"), http.StatusNotFound)
		})
	}
	for _, base := range []string{strings.Replace(e.hostBase(), oauthDomain, "nosuch", 1), e.srv.URL + "/_auth/nosuch"} {
		p := newBrowser(t, e, base).get("/login?" + e.authorizeQuery("token").Encode())
		wantPage(t, p, http.StatusNotFound, "nosuch")
	}
}

// TestHostedUIDiscovery: the domain's and the issuer's discovery documents
// name the OAuth endpoints, at the domain's host-form URL.
func TestHostedUIDiscovery(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	iss := e.srv.URL + "/" + e.poolID
	for _, u := range []string{e.pathBase(), e.hostBase(), iss} {
		p := b.get(u + "/.well-known/openid-configuration")
		var doc map[string]any
		if p.status != http.StatusOK || json.Unmarshal([]byte(p.body), &doc) != nil {
			t.Errorf("%s: %d %s", u, p.status, p.body)
			continue
		}
		want := map[string]string{"issuer": iss, "jwks_uri": iss + "/.well-known/jwks.json",
			"authorization_endpoint": e.hostBase() + "/oauth2/authorize", "token_endpoint": e.hostBase() + "/oauth2/token",
			"userinfo_endpoint": e.hostBase() + "/oauth2/userInfo"}
		for k, v := range want {
			if doc[k] != v {
				t.Errorf("%s: %s = %v, want %s", u, k, doc[k], v)
			}
		}
	}
	if p := b.get(e.pathBase() + "/.well-known/jwks.json"); p.status != http.StatusOK || !strings.Contains(p.body, `"keys"`) {
		t.Errorf("domain JWKS: %d %s", p.status, p.body)
	}
}

// TestHostedUISecurityHeaders: every page refuses framing and caching.
func TestHostedUISecurityHeaders(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	q := e.authorizeQuery("code").Encode()
	for _, path := range []string{"/login?" + q, "/signup?" + q, "/forgotPassword?" + q, "/login?client_id=nosuch", "/nothing"} {
		p := b.get(path)
		h := p.header
		if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: X-Frame-Options %q CSP %q Cache-Control %q", path, h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"), h.Get("Cache-Control"))
		}
		if strings.Contains(p.body, "http://") || strings.Contains(p.body, "https://") {
			t.Errorf("%s fetches or links outside federa:\n%s", path, p.body)
		}
	}
}

// TestHostedUICORS: browser apps call the token endpoint and the Cognito
// JSON APIs from their own origin.
func TestHostedUICORS(t *testing.T) {
	e := newOAuthEnv(t)
	const origin = "http://localhost:3000"
	req := func(method, to string, body []byte, hdr ...string) tokenAnswer {
		t.Helper()
		r, err := http.NewRequest(method, to, bytes.NewReader(body))
		must(t, err)
		r.Header.Set("Origin", origin)
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		return clientDo(t, r)
	}
	allowed := func(name string, a tokenAnswer) {
		t.Helper()
		if a.status >= 300 || a.header.Get("Access-Control-Allow-Origin") == "" {
			t.Errorf("%s: %d Access-Control-Allow-Origin %q %s", name, a.status, a.header.Get("Access-Control-Allow-Origin"), a.raw)
		}
	}
	for _, path := range []string{"/oauth2/token", "/oauth2/userInfo", "/oauth2/revoke"} {
		a := req(http.MethodOptions, e.pathBase()+path, nil, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,authorization")
		allowed("preflight "+path, a)
		if !strings.Contains(strings.ToLower(a.header.Get("Access-Control-Allow-Headers")), "content-type") {
			t.Errorf("preflight %s allows headers %q", path, a.header.Get("Access-Control-Allow-Headers"))
		}
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {e.confidential}, "client_secret": {e.secret}}
	allowed("token", req(http.MethodPost, e.pathBase()+"/oauth2/token", []byte(form.Encode()), "Content-Type", "application/x-www-form-urlencoded"))

	pre := req(http.MethodOptions, e.srv.URL+"/", nil, "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent")
	allowed("JSON API preflight", pre)
	if h := strings.ToLower(pre.header.Get("Access-Control-Allow-Headers")); !strings.Contains(h, "x-amz-target") || !strings.Contains(h, "x-amz-user-agent") {
		t.Errorf("JSON API preflight allows headers %q", h)
	}

	ip, err := ci.NewFromConfig(e.srv.RootConfig()).CreateIdentityPool(context.Background(), &ci.CreateIdentityPoolInput{
		IdentityPoolName: aws.String("guests"), AllowUnauthenticatedIdentities: true})
	must(t, err)
	body, _ := json.Marshal(map[string]string{"IdentityPoolId": *ip.IdentityPoolId})
	getID := req(http.MethodPost, e.srv.URL+"/", body, "Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "AWSCognitoIdentityService.GetId")
	allowed("GetId", getID)
	if !strings.Contains(getID.raw, "IdentityId") {
		t.Errorf("GetId: %s", getID.raw)
	}
	bad, _ := json.Marshal(map[string]string{"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000"})
	if a := req(http.MethodPost, e.srv.URL+"/", bad, "Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "AWSCognitoIdentityService.GetId"); a.status < 400 || a.header.Get("Access-Control-Allow-Origin") == "" {
		t.Errorf("a GetId error is not readable by the page: %d %q", a.status, a.header.Get("Access-Control-Allow-Origin"))
	}
}

// TestHostedUISessionEnds: single sign-on lasts while the session holds;
// an hour, a global sign-out or a disabled user end it, and the next
// authorization request shows the sign-in form again.
func TestHostedUISessionEnds(t *testing.T) {
	e := newOAuthEnv(t)
	ctx := context.Background()
	for i, c := range []struct {
		name string
		end  func(t *testing.T)
	}{
		{"AdminUserGlobalSignOut", func(t *testing.T) {
			_, err := e.idp.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: &e.poolID, Username: aws.String("u0")})
			must(t, err)
		}},
		{"AdminDisableUser", func(t *testing.T) {
			_, err := e.idp.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &e.poolID, Username: aws.String("u1")})
			must(t, err)
		}},
		// Last: SigV4 calls fail once the server's clock has moved an hour.
		{"an hour later", func(*testing.T) { e.srv.Clock.Advance(time.Hour + time.Second) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			name := fmt.Sprintf("u%d", i)
			e.user(t, name, name+"@example.com", password)
			b := newBrowser(t, e, e.pathBase())
			q := e.authorizeQuery("token")
			first := payload(t, redirectTo(t, b.signIn(q, name, password), appURI).Get("id_token"))
			e.srv.Clock.Advance(2 * time.Second)
			sso := payload(t, redirectTo(t, b.get("/oauth2/authorize?"+q.Encode()), appURI).Get("id_token"))
			if sso["auth_time"] != first["auth_time"] || sso["iat"] == first["iat"] {
				t.Errorf("single sign-on: auth_time %v then %v, iat %v then %v", first["auth_time"], sso["auth_time"], first["iat"], sso["iat"])
			}
			c.end(t)
			for _, path := range []string{"/oauth2/authorize", "/login"} {
				p := b.get(path + "?" + q.Encode())
				if p.status == http.StatusFound && strings.Contains(p.header.Get("Location"), "/login?") {
					p = b.get(p.location().String())
				}
				wantPage(t, p, http.StatusOK, `name="password"`)
			}
		})
	}
}

// TestHostedUIEscaping: what a request or a user typed is shown as text,
// never as markup.
func TestHostedUIEscaping(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	const evil = `"><script>alert(1)</script>`
	for _, path := range []string{
		"/login?" + e.authorizeQuery("code", "username", evil).Encode(),
		"/login?" + e.authorizeQuery("code", "redirect_uri", "http://localhost:3000/"+evil).Encode(),
		"/login?" + e.authorizeQuery("code", "client_id", evil).Encode(),
		"/" + url.PathEscape(evil),
	} {
		if p := b.get(path); strings.Contains(p.body, "<script>") {
			t.Errorf("%s: markup from the request on the page:\n%s", path, p.body)
		}
	}
	login := b.get("/login?" + e.authorizeQuery("code", "state", evil).Encode())
	if p := b.submit(login, "username", evil, "password", "x"); strings.Contains(p.body, "<script>") || !p.alert() {
		t.Errorf("a failed sign-in echoes the username as markup:\n%s", p.body)
	}
}

// TestHostedUISecureCookies: behind a TLS-terminating proxy, the cookies
// are Secure.
func TestHostedUISecureCookies(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	req, err := http.NewRequest(http.MethodGet, e.pathBase()+"/login?"+e.authorizeQuery("code").Encode(), nil)
	must(t, err)
	req.Header.Set("X-Forwarded-Proto", "https")
	login := b.do(req)
	if c := login.cookie("federa_csrf"); c == nil || !c.Secure {
		t.Errorf("CSRF cookie over https: %+v", c)
	}
	action, f := login.form(t)
	f.Set("username", "alice")
	f.Set("password", password)
	req, err = http.NewRequest(http.MethodPost, action.String(), strings.NewReader(f.Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	if c := b.do(req).cookie("federa_session"); c == nil || !c.Secure {
		t.Errorf("session cookie over https: %+v", c)
	}
}

// TestHostedUIUserExistence: with PreventUserExistenceErrors (Cognito's
// default), the pages do not tell a stranger which usernames exist.
func TestHostedUIUserExistence(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	q := e.authorizeQuery("code")
	alert := regexp.MustCompile(`role="alert">([^<]*)<`)
	text := func(p page) string {
		m := alert.FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no alert (%d):\n%s", p.status, p.body)
		}
		return m[1]
	}
	wrong, unknown := b.signIn(q, "alice", "Wr0ng-password!"), b.signIn(q, "nobody", "Wr0ng-password!")
	if text(wrong) != text(unknown) || wrong.status != unknown.status {
		t.Errorf("wrong password: %d %q; unknown user: %d %q", wrong.status, text(wrong), unknown.status, text(unknown))
	}
	known := b.submit(b.get("/forgotPassword?"+q.Encode()), "username", "alice")
	stranger := b.submit(b.get("/forgotPassword?"+q.Encode()), "username", "nobody")
	wantPage(t, stranger, known.status, `name="code"`)
	if stranger.alert() {
		t.Errorf("forgot password for an unknown user shows an alert:\n%s", stranger.body)
	}
}

// TestHostedUISessionIsPerPool: a session cookie from one pool's domain,
// replayed at another pool's, signs no one in there.
func TestHostedUISessionIsPerPool(t *testing.T) {
	e := newOAuthEnv(t)
	ctx := context.Background()
	other, err := e.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("other")})
	must(t, err)
	_, err = e.idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: other.UserPool.Id, Domain: aws.String("other-auth")})
	must(t, err)
	c, err := e.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: other.UserPool.Id, ClientName: aws.String("other-web"),
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []ciptypes.OAuthFlowType{"implicit"}, AllowedOAuthScopes: []string{"openid"},
		CallbackURLs: []string{appURI}, SupportedIdentityProviders: []string{"COGNITO"}})
	must(t, err)

	b := newBrowser(t, e, e.pathBase())
	sess := b.submit(b.get("/login?"+e.authorizeQuery("token").Encode()), "username", "alice", "password", password).cookie("federa_session")
	if sess == nil {
		t.Fatal("no session")
	}
	q := e.authorizeQuery("token", "client_id", aws.ToString(c.UserPoolClient.ClientId))
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/_auth/other-auth/oauth2/authorize?"+q.Encode(), nil)
	must(t, err)
	req.AddCookie(&http.Cookie{Name: "federa_session", Value: sess.Value})
	p := newBrowser(t, e, "").do(req)
	if p.status == http.StatusFound && strings.HasPrefix(p.header.Get("Location"), appURI) {
		t.Fatalf("pool notes' session signed in at pool other: %s", p.header.Get("Location"))
	}
}
