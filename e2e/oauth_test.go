package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/federa/federa/internal/app/apptest"
)

// TestOAuthImplicitFlow is seed 004's sign-in: the app sends the browser to
// /login with response_type=token, and gets tokens back in the fragment of
// its own URL, which it hands to an identity pool.
func TestOAuthImplicitFlow(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	q := e.authorizeQuery("token", "state", "st-123", "nonce", "n-456")

	login := b.get("/login?" + q.Encode())
	if login.status != http.StatusOK {
		t.Fatalf("GET /login: %d\n%s", login.status, login.body)
	}
	_, fields := login.form(t)
	for _, name := range []string{"username", "password", "_csrf"} {
		if _, ok := fields[name]; !ok {
			t.Errorf("the sign-in form has no input %q: %v", name, fields)
		}
	}
	for _, s := range []string{"notes", "notes-web"} {
		if !strings.Contains(login.body, s) {
			t.Errorf("the sign-in page does not name %q", s)
		}
	}

	wrong := b.submit(login, "username", "alice", "password", "not-"+password)
	if !wrong.alert() || wrong.location() != nil || wrong.status == http.StatusFound {
		t.Errorf("wrong password: %d Location %q, alert %v", wrong.status, wrong.header.Get("Location"), wrong.alert())
	}
	if wrong.cookie("federa_session") != nil {
		t.Error("a failed sign-in set a session cookie")
	}

	ok := b.submit(wrong, "username", "alice", "password", password)
	frag := redirectTo(t, ok, appURI)
	if frag.Get("id_token") == "" || frag.Get("access_token") == "" || frag.Get("expires_in") != "3600" ||
		frag.Get("token_type") != "Bearer" || frag.Get("state") != "st-123" || frag.Has("code") {
		t.Errorf("fragment = %v", frag)
	}
	if strings.Contains(ok.header.Get("Location"), "?") {
		t.Errorf("implicit tokens must travel in the fragment, not the query: %s", ok.header.Get("Location"))
	}
	id := payload(t, frag.Get("id_token"))
	if id["aud"] != e.public || id["iss"] != e.srv.URL+"/"+e.poolID || id["nonce"] != "n-456" || id["token_use"] != "id" || id["cognito:username"] != "alice" {
		t.Errorf("ID token claims = %v", id)
	}
	sess := ok.cookie("federa_session")
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Secure {
		t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure over http", sess)
	}

	// Single sign-on: the next authorization request is answered at once.
	again := b.get("/oauth2/authorize?" + e.authorizeQuery("token", "state", "second").Encode())
	if v := redirectTo(t, again, appURI); v.Get("access_token") == "" || v.Get("state") != "second" {
		t.Errorf("second authorize: %v", v)
	}
	if strings.Contains(again.body, `name="password"`) {
		t.Error("single sign-on showed the form again")
	}

	// The ID token is what seed 004's app gives the identity pool.
	idc := ci.NewFromConfig(e.srv.Config(aws.AnonymousCredentials{}))
	ctx := context.Background()
	provider := "cognito-idp." + apptest.Region + ".amazonaws.com/" + e.poolID
	root := ci.NewFromConfig(e.srv.RootConfig())
	ip, err := root.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{IdentityPoolName: aws.String("notes"),
		CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{ProviderName: &provider, ClientId: &e.public}}})
	must(t, err)
	role, err := iam.NewFromConfig(e.srv.RootConfig()).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("notes-auth"),
		AssumeRolePolicyDocument: aws.String(trustPolicy(*ip.IdentityPoolId))})
	must(t, err)
	_, err = root.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: ip.IdentityPoolId, Roles: map[string]string{"authenticated": *role.Role.Arn}})
	must(t, err)
	logins := map[string]string{provider: frag.Get("id_token")}
	got, err := idc.GetId(ctx, &ci.GetIdInput{IdentityPoolId: ip.IdentityPoolId, Logins: logins})
	must(t, err)
	creds, err := idc.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: got.IdentityId, Logins: logins})
	must(t, err)
	if aws.ToString(creds.Credentials.AccessKeyId) == "" {
		t.Error("no credentials for the hosted UI's ID token")
	}
}

// pkce is a code_verifier and its challenge.
func pkce(method, verifier string) string {
	if method == "plain" {
		return verifier
	}
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// TestOAuthCodeFlowPKCE runs the authorization code flow with each PKCE
// method, and every way a code can fail to redeem.
func TestOAuthCodeFlowPKCE(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	const verifier = "a-verifier-of-at-least-43-characters_0123456789.~"
	for i, method := range []string{"S256", "plain"} {
		t.Run(method, func(t *testing.T) {
			b.t = t
			q := e.authorizeQuery("code", "scope", "openid email", "state", "s-"+method, "nonce", "n-"+method,
				"code_challenge", pkce(method, verifier), "code_challenge_method", method)
			first := b.get("/oauth2/authorize?" + q.Encode())
			if i == 0 {
				// Not signed in yet: to the sign-in page, with the same request.
				loc := first.location()
				if first.status != http.StatusFound || loc == nil || loc.Path != "/_auth/"+oauthDomain+"/login" {
					t.Fatalf("authorize without a session: %d %q", first.status, first.header.Get("Location"))
				}
				if loc.Query().Encode() != q.Encode() {
					t.Errorf("the sign-in page was sent %v, want %v", loc.Query(), q)
				}
				first = b.submit(b.get(loc.String()), "username", "alice", "password", password)
			}
			v := redirectTo(t, first, appURI)
			if v.Get("code") == "" || v.Get("state") != "s-"+method || v.Has("access_token") {
				t.Fatalf("redirect query = %v", v)
			}
			tok := e.exchange(t, v.Get("code"), appURI, verifier)
			if tok.status != http.StatusOK || tok.header.Get("Cache-Control") != "no-store" {
				t.Fatalf("token: %d Cache-Control %q %s", tok.status, tok.header.Get("Cache-Control"), tok.raw)
			}
			for _, k := range []string{"id_token", "access_token", "refresh_token"} {
				if tok.str(k) == "" {
					t.Errorf("no %s in %s", k, tok.raw)
				}
			}
			if tok.json["expires_in"] != float64(3600) || tok.str("token_type") != "Bearer" {
				t.Errorf("token answer %s", tok.raw)
			}
			if access := payload(t, tok.str("access_token")); access["scope"] != "openid email" || access["client_id"] != e.public {
				t.Errorf("access token claims %v", access)
			}
			if id := payload(t, tok.str("id_token")); id["nonce"] != "n-"+method || id["aud"] != e.public || id["email"] != "alice@example.com" {
				t.Errorf("ID token claims %v", id)
			}
			wantOAuthError(t, e.exchange(t, v.Get("code"), appURI, verifier), 400, "invalid_grant")
		})
	}
	b.t = t

	// A challenge without a method is plain (RFC 7636 §4.3).
	plainCode := b.code(e.authorizeQuery("code", "code_challenge", verifier))
	if a := e.exchange(t, plainCode, appURI, verifier); a.status != http.StatusOK {
		t.Errorf("challenge without a method, plain verifier: %d %s", a.status, a.raw)
	}

	s256 := func(kv ...string) url.Values {
		return e.authorizeQuery("code", append([]string{"code_challenge", pkce("S256", verifier), "code_challenge_method", "S256"}, kv...)...)
	}
	for _, c := range []struct {
		name                  string
		q                     url.Values
		redirectURI, verifier string
		advance               time.Duration
	}{
		{name: "wrong verifier", q: s256(), redirectURI: appURI, verifier: verifier + "x"},
		{name: "no verifier", q: s256(), redirectURI: appURI},
		{name: "other registered redirect_uri", q: s256(), redirectURI: appCallback, verifier: verifier},
		{name: "redirect_uri of another request", q: s256("redirect_uri", appCallback), redirectURI: appURI, verifier: verifier},
		{name: "expired", q: s256(), redirectURI: appURI, verifier: verifier, advance: 5*time.Minute + time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			b.t = t
			code := b.code(c.q)
			e.srv.Clock.Advance(c.advance)
			wantOAuthError(t, e.exchange(t, code, c.redirectURI, c.verifier), 400, "invalid_grant")
			// A failed redemption uses the code up.
			if c.advance == 0 {
				wantOAuthError(t, e.exchange(t, code, appURI, verifier), 400, "invalid_grant")
			}
		})
	}
}

// TestOAuthTokenErrors is every error the token endpoint answers, each as
// RFC 6749 §5.2 writes it: 400 and {"error","error_description"}.
func TestOAuthTokenErrors(t *testing.T) {
	e := newOAuthEnv(t)
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	pub, conf := e.public, e.confidential
	basic := conf + ":" + e.secret
	for _, c := range []struct {
		name        string
		form        url.Values
		basic       string
		contentType string // default the form's
		want        string
	}{
		{name: "no grant_type", form: form("client_id", pub), want: "invalid_request"},
		{name: "no code", form: form("grant_type", "authorization_code", "client_id", pub, "redirect_uri", appURI), want: "invalid_request"},
		{name: "no redirect_uri", form: form("grant_type", "authorization_code", "client_id", pub, "code", "abc"), want: "invalid_request"},
		{name: "repeated parameter", form: form("grant_type", "authorization_code", "grant_type", "authorization_code", "client_id", pub, "code", "abc", "redirect_uri", appURI), want: "invalid_request"},
		{name: "JSON body", form: form("grant_type", "client_credentials"), basic: basic, contentType: "application/json", want: "invalid_request"},
		{name: "no client", form: form("grant_type", "client_credentials"), want: "invalid_request"},
		{name: "credentials twice", form: form("grant_type", "client_credentials", "client_secret", e.secret), basic: basic, want: "invalid_request"},
		{name: "no refresh_token", form: form("grant_type", "refresh_token", "client_id", pub), want: "invalid_request"},

		{name: "unknown client", form: form("grant_type", "authorization_code", "client_id", "nosuchclient0000000000000", "code", "abc", "redirect_uri", appURI), want: "invalid_client"},
		{name: "wrong secret (Basic)", form: form("grant_type", "client_credentials"), basic: conf + ":wrong", want: "invalid_client"},
		{name: "confidential client, no secret", form: form("grant_type", "client_credentials", "client_id", conf), want: "invalid_client"},
		{name: "secret for a public client", form: form("grant_type", "authorization_code", "code", "abc", "redirect_uri", appURI), basic: pub + ":s3cret", want: "invalid_client"},
		{name: "secret in the form for a public client", form: form("grant_type", "authorization_code", "client_id", pub, "client_secret", "s3cret", "code", "abc", "redirect_uri", appURI), want: "invalid_client"},

		{name: "unknown code", form: form("grant_type", "authorization_code", "client_id", pub, "code", "abc", "redirect_uri", appURI), want: "invalid_grant"},
		{name: "unknown refresh token", form: form("grant_type", "refresh_token", "client_id", pub, "refresh_token", "eyJnot.a.token"), want: "invalid_grant"},

		{name: "client_credentials, public client", form: form("grant_type", "client_credentials", "client_id", pub), want: "unauthorized_client"},
		{name: "client_credentials, OAuth disabled", form: form("grant_type", "client_credentials", "client_id", e.plain), want: "unauthorized_client"},
		{name: "code, confidential client without the code flow", form: form("grant_type", "authorization_code", "code", "abc", "redirect_uri", appURI), basic: basic, want: "unauthorized_client"},

		{name: "password grant", form: form("grant_type", "password", "client_id", pub, "username", "alice", "password", password), want: "unsupported_grant_type"},
		{name: "unknown grant", form: form("grant_type", "urn:ietf:params:oauth:grant-type:device_code", "client_id", pub), want: "unsupported_grant_type"},

		{name: "scope not allowed", form: form("grant_type", "client_credentials", "scope", writeScope), basic: basic, want: "invalid_scope"},
		{name: "scope of no resource server", form: form("grant_type", "client_credentials", "scope", "nothing/here"), basic: basic, want: "invalid_scope"},
		{name: "user scope for a machine", form: form("grant_type", "client_credentials", "scope", "openid"), basic: basic, want: "invalid_scope"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, e.pathBase()+"/oauth2/token", strings.NewReader(c.form.Encode()))
			must(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			if id, secret, ok := strings.Cut(c.basic, ":"); ok {
				req.SetBasicAuth(id, secret)
			}
			a := clientDo(t, req)
			wantOAuthError(t, a, http.StatusBadRequest, c.want)
			if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	t.Run("GET", func(t *testing.T) {
		wantOAuthError(t, bearer(t, http.MethodGet, e.pathBase()+"/oauth2/token?grant_type=client_credentials", ""), 400, "invalid_request")
	})
}

// TestOAuthAuthorizeErrors: a request that cannot be trusted to go back to
// the client (unknown client, redirect URI not registered exactly) is an
// error page, never a redirect; the others go back to the client with error
// and state (RFC 6749 §4.1.2.1).
func TestOAuthAuthorizeErrors(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	for _, c := range []struct {
		name string
		q    url.Values
	}{
		{"unregistered host", e.authorizeQuery("code", "redirect_uri", "https://evil.example/cb")},
		{"prefix of a registered URI", e.authorizeQuery("code", "redirect_uri", "http://localhost:300")},
		{"registered URI as a prefix", e.authorizeQuery("code", "redirect_uri", appCallback+"/more")},
		{"other port", e.authorizeQuery("code", "redirect_uri", "http://localhost:3001")},
		{"trailing slash", e.authorizeQuery("code", "redirect_uri", appURI+"/")},
		{"query added", e.authorizeQuery("code", "redirect_uri", appURI+"?next=https://evil.example")},
		{"other scheme", e.authorizeQuery("code", "redirect_uri", "https://localhost:3000")},
		{"no redirect_uri", e.authorizeQuery("code", "redirect_uri", "")},
		{"unknown client", e.authorizeQuery("code", "client_id", "nosuchclient0000000000000")},
		{"no client_id", e.authorizeQuery("code", "client_id", "")},
		{"client of no OAuth", e.authorizeQuery("code", "client_id", e.plain)},
	} {
		t.Run(c.name, func(t *testing.T) {
			b.t = t
			for _, path := range []string{"/oauth2/authorize", "/login"} {
				p := b.get(path + "?" + c.q.Encode())
				if p.status != http.StatusBadRequest || p.header.Get("Location") != "" {
					t.Errorf("%s: %d Location %q, want 400 and no redirect", path, p.status, p.header.Get("Location"))
				}
				if !strings.Contains(p.body, "<h1>") || strings.Contains(p.body, `name="password"`) {
					t.Errorf("%s: not an error page:\n%s", path, p.body)
				}
			}
		})
	}
	b.t = t

	for _, c := range []struct {
		name, want string
		q          url.Values
	}{
		{"unsupported_response_type", "unsupported_response_type", e.authorizeQuery("id_token")},
		{"no response_type", "invalid_request", e.authorizeQuery("")},
		{"bogus code_challenge_method", "invalid_request", e.authorizeQuery("code", "code_challenge", pkce("S256", strings.Repeat("v", 43)), "code_challenge_method", "S512")},
		{"short code_challenge", "invalid_request", e.authorizeQuery("code", "code_challenge", "short", "code_challenge_method", "S256")},
		{"scope not allowed", "invalid_scope", e.authorizeQuery("code", "scope", "openid "+writeScope)},
		{"scope of no resource server", "invalid_scope", e.authorizeQuery("code", "scope", "openid nothing/here")},
		{"email without openid", "invalid_scope", e.authorizeQuery("code", "scope", "email")},
	} {
		t.Run(c.name, func(t *testing.T) {
			b.t = t
			c.q.Set("state", "keep-me")
			v := redirectTo(t, b.get("/oauth2/authorize?"+c.q.Encode()), appURI)
			if v.Get("error") != c.want || v.Get("state") != "keep-me" || v.Get("error_description") == "" {
				t.Errorf("error redirect carries %v, want error=%s and state", v, c.want)
			}
		})
	}
	t.Run("implicit error in the fragment", func(t *testing.T) {
		b.t = t
		p := b.get("/oauth2/authorize?" + e.authorizeQuery("token", "scope", "openid "+writeScope, "state", "f").Encode())
		if loc := p.location(); loc == nil || loc.Fragment == "" || loc.RawQuery != "" {
			t.Fatalf("Location %q, want the error in the fragment", p.header.Get("Location"))
		}
		if v := redirectTo(t, p, appURI); v.Get("error") != "invalid_scope" || v.Get("state") != "f" {
			t.Errorf("fragment %v", v)
		}
	})
}

// tokensFor runs the code flow for alice with scope and returns the token answer.
func (e *oauthEnv) tokensFor(t *testing.T, b *browser, scope string) tokenAnswer {
	t.Helper()
	q := e.authorizeQuery("code", "scope", scope)
	p := b.get("/oauth2/authorize?" + q.Encode())
	if p.status == http.StatusFound && strings.Contains(p.header.Get("Location"), "/login?") {
		p = b.signIn(q, "alice", password)
	}
	v := redirectTo(t, p, appURI)
	a := e.exchange(t, v.Get("code"), appURI, "")
	if a.status != http.StatusOK {
		t.Fatalf("token for scope %q: %d %s", scope, a.status, a.raw)
	}
	return a
}

// TestOAuthRefreshAndRevoke: a refreshed access token keeps the scopes of
// the grant; a revoked refresh token is refused.
func TestOAuthRefreshAndRevoke(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	first := e.tokensFor(t, b, "openid email "+readScope)
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {e.public}, "refresh_token": {first.str("refresh_token")}}
	r := e.oauthPost(t, "/oauth2/token", refresh, "")
	if r.status != http.StatusOK || r.str("access_token") == "" || r.str("id_token") == "" || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("refresh: %d %s", r.status, r.raw)
	}
	if r.str("refresh_token") != "" {
		t.Errorf("refresh answered a new refresh token (Cognito does not rotate by default): %s", r.raw)
	}
	if got := payload(t, r.str("access_token"))["scope"]; got != "openid email "+readScope {
		t.Errorf("refreshed access token scope %q, want %q", got, "openid email "+readScope)
	}

	// Revocation: the client authenticates as at the token endpoint.
	wantOAuthError(t, e.oauthPost(t, "/oauth2/revoke", url.Values{"token": {first.str("refresh_token")}, "client_id": {"nosuchclient0000000000000"}}, ""), 400, "invalid_client")
	wantOAuthError(t, e.oauthPost(t, "/oauth2/revoke", url.Values{"client_id": {e.public}}, ""), 400, "invalid_request")
	rv := e.oauthPost(t, "/oauth2/revoke", url.Values{"token": {first.str("refresh_token")}, "client_id": {e.public}}, "")
	if rv.status != http.StatusOK {
		t.Fatalf("revoke: %d %s", rv.status, rv.raw)
	}
	wantOAuthError(t, e.oauthPost(t, "/oauth2/token", refresh, ""), 400, "invalid_grant")
	// Cognito: revoking a refresh token also revokes the access tokens
	// issued with it and from it (RevokeToken, and the revoke endpoint).
	for name, tok := range map[string]string{"issued with it": first.str("access_token"), "refreshed": r.str("access_token")} {
		if a := bearer(t, http.MethodGet, e.pathBase()+"/oauth2/userInfo", tok); a.status != http.StatusUnauthorized {
			t.Errorf("userInfo with the access token %s, after revoking the refresh token: %d %s", name, a.status, a.raw)
		}
	}
}

// TestOAuthCodeRace: a code redeemed by several requests at once yields
// tokens once.
func TestOAuthCodeRace(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	redirectTo(t, b.signIn(e.authorizeQuery("code"), "alice", password), appURI)
	for range 3 {
		code := b.code(e.authorizeQuery("code"))
		statuses := make(chan int, 8)
		var wg sync.WaitGroup
		for range cap(statuses) {
			wg.Go(func() {
				f := url.Values{"grant_type": {"authorization_code"}, "client_id": {e.public}, "code": {code}, "redirect_uri": {appURI}}
				req, _ := http.NewRequest(http.MethodPost, e.pathBase()+"/oauth2/token", strings.NewReader(f.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					statuses <- 0
					return
				}
				resp.Body.Close()
				statuses <- resp.StatusCode
			})
		}
		wg.Wait()
		close(statuses)
		ok := 0
		for s := range statuses {
			switch s {
			case http.StatusOK:
				ok++
			case http.StatusBadRequest:
			default:
				t.Errorf("concurrent redemption answered %d", s)
			}
		}
		if ok != 1 {
			t.Errorf("one code redeemed %d times", ok)
		}
	}
}

// TestOAuthClientCredentials: a machine client gets an access token with
// its custom scope and nothing else, and that token is no user's.
func TestOAuthClientCredentials(t *testing.T) {
	e := newOAuthEnv(t)
	for _, scope := range []string{readScope, ""} {
		f := url.Values{"grant_type": {"client_credentials"}}
		if scope != "" {
			f.Set("scope", scope)
		}
		a := e.oauthPost(t, "/oauth2/token", f, e.confidential+":"+e.secret)
		if a.status != http.StatusOK || a.str("token_type") != "Bearer" || a.json["expires_in"] != float64(3600) || a.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("client_credentials scope %q: %d %s", scope, a.status, a.raw)
		}
		if a.str("id_token") != "" || a.str("refresh_token") != "" {
			t.Errorf("client_credentials answered an ID or refresh token: %s", a.raw)
		}
		c := payload(t, a.str("access_token"))
		if c["scope"] != readScope || c["client_id"] != e.confidential || c["sub"] != e.confidential || c["token_use"] != "access" {
			t.Errorf("scope %q: access token claims %v", scope, c)
		}
		_, err := e.idp.GetUser(context.Background(), &cip.GetUserInput{AccessToken: aws.String(a.str("access_token"))})
		if !isCode(err, "NotAuthorizedException") {
			t.Errorf("GetUser with a client_credentials token: %v", err)
		}
	}
	// The secret may come in the form too (client_secret_post).
	a := e.oauthPost(t, "/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {e.confidential}, "client_secret": {e.secret}}, "")
	if a.status != http.StatusOK {
		t.Errorf("client_secret_post: %d %s", a.status, a.raw)
	}
}

// TestOAuthUserInfo: /oauth2/userInfo releases what the token's scopes
// allow, and refuses tokens without openid or that are not tokens.
func TestOAuthUserInfo(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	info := e.pathBase() + "/oauth2/userInfo"
	withEmail := e.tokensFor(t, b, "openid email").str("access_token")
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		a := bearer(t, method, info, withEmail)
		if a.status != http.StatusOK || a.str("sub") == "" || a.str("username") != "alice" || a.str("email") != "alice@example.com" ||
			a.str("email_verified") != "true" {
			t.Errorf("%s userInfo: %d %s", method, a.status, a.raw)
		}
	}
	openidOnly := bearer(t, http.MethodGet, info, e.tokensFor(t, b, "openid").str("access_token"))
	if openidOnly.status != http.StatusOK || openidOnly.json["email"] != nil {
		t.Errorf("openid alone released the email: %s", openidOnly.raw)
	}

	noOpenID := e.tokensFor(t, b, adminScope).str("access_token")
	for _, c := range []struct {
		name, token, auth string
		status            int
		want              string
	}{
		{"without openid", noOpenID, "", http.StatusForbidden, "insufficient_scope"},
		{"garbage", "garbage", "", http.StatusUnauthorized, "invalid_token"},
		{"an ID token", e.tokensFor(t, b, "openid").str("id_token"), "", http.StatusUnauthorized, "invalid_token"},
		{"no Authorization", "", "", http.StatusUnauthorized, "invalid_token"},
		{"Basic", "", "Basic YWxpY2U6cHc=", http.StatusUnauthorized, "invalid_token"},
		// RFC 7235 §2.1: the scheme is case-insensitive.
		{"lower-case scheme", "", "bearer " + withEmail, http.StatusOK, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, info, nil)
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			a := clientDo(t, req)
			if a.status != c.status || a.str("error") != c.want {
				t.Errorf("%d %s, want %d %s", a.status, a.raw, c.status, c.want)
			}
			if c.want == "" {
				return
			}
			if w := a.header.Get("WWW-Authenticate"); !strings.HasPrefix(w, "Bearer ") || !strings.Contains(w, c.want) {
				t.Errorf("WWW-Authenticate %q", w)
			}
		})
	}
	_, err := e.idp.AdminUserGlobalSignOut(context.Background(), &cip.AdminUserGlobalSignOutInput{UserPoolId: &e.poolID, Username: aws.String("alice")})
	must(t, err)
	if a := bearer(t, http.MethodGet, info, withEmail); a.status != http.StatusUnauthorized || a.str("error") != "invalid_token" {
		t.Errorf("userInfo after a global sign-out: %d %s", a.status, a.raw)
	}
}

// TestOAuthAdminScope: an OAuth access token calls the user pool API only
// when it was granted aws.cognito.signin.user.admin.
func TestOAuthAdminScope(t *testing.T) {
	e := newOAuthEnv(t)
	b := newBrowser(t, e, e.pathBase())
	user := cip.NewFromConfig(e.srv.Config(aws.AnonymousCredentials{}))
	ctx := context.Background()
	for _, c := range []struct {
		scope string
		ok    bool
	}{
		{"openid email", false},
		{readScope, false},
		{"openid " + adminScope, true},
		{adminScope, true},
	} {
		tok := e.tokensFor(t, b, c.scope).str("access_token")
		got, err := user.GetUser(ctx, &cip.GetUserInput{AccessToken: &tok})
		switch {
		case c.ok && (err != nil || aws.ToString(got.Username) != "alice"):
			t.Errorf("scope %q: GetUser = %v", c.scope, err)
		case !c.ok && !isCode(err, "NotAuthorizedException"):
			t.Errorf("scope %q: GetUser = %v, want NotAuthorizedException", c.scope, err)
		}
		if scopes := strings.Fields(payload(t, tok)["scope"].(string)); !slices.Equal(scopes, strings.Fields(c.scope)) {
			t.Errorf("scope %q granted %q", c.scope, scopes)
		}
	}
}

// TestOAuthConfidentialCodeFlow: a server-side web app's client has a
// secret; the hosted UI signs its users in without it, and only the app,
// holding it, redeems their codes. Codes and refresh tokens are bound to
// the client they were issued to.
func TestOAuthConfidentialCodeFlow(t *testing.T) {
	e := newOAuthEnv(t)
	ctx := context.Background()
	web, err := e.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &e.poolID, ClientName: aws.String("notes-server"),
		GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []ciptypes.OAuthFlowType{"code"},
		AllowedOAuthScopes: []string{"openid", "email"}, CallbackURLs: []string{appURI}, SupportedIdentityProviders: []string{"COGNITO"}})
	must(t, err)
	id, secret := aws.ToString(web.UserPoolClient.ClientId), aws.ToString(web.UserPoolClient.ClientSecret)
	b := newBrowser(t, e, e.pathBase())
	q := e.authorizeQuery("code", "client_id", id)
	code := redirectTo(t, b.signIn(q, "alice", password), appURI).Get("code")
	redeem := func(code, basic string, kv ...string) tokenAnswer {
		f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {appURI}}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return e.oauthPost(t, "/oauth2/token", f, basic)
	}
	wantOAuthError(t, redeem(code, "", "client_id", id), 400, "invalid_client")
	a := redeem(code, id+":"+secret)
	if a.status != http.StatusOK || a.str("refresh_token") == "" {
		t.Fatalf("confidential code redemption: %d %s", a.status, a.raw)
	}
	code = b.code(q)
	if a := redeem(code, "", "client_id", id, "client_secret", secret); a.status != http.StatusOK {
		t.Errorf("client_secret_post: %d %s", a.status, a.raw)
	}
	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {a.str("refresh_token")}}
	if r := e.oauthPost(t, "/oauth2/token", refresh, id+":"+secret); r.status != http.StatusOK || r.str("access_token") == "" {
		t.Errorf("confidential refresh: %d %s", r.status, r.raw)
	}
	refresh.Set("client_id", id)
	wantOAuthError(t, e.oauthPost(t, "/oauth2/token", refresh, ""), 400, "invalid_client")

	// The public client's code and refresh token are not the server's.
	pubCode := b.code(e.authorizeQuery("code"))
	wantOAuthError(t, redeem(pubCode, id+":"+secret), 400, "invalid_grant")
	wantOAuthError(t, e.exchange(t, pubCode, appURI, ""), 400, "invalid_grant") // used up by the failed attempt
	pubRefresh := e.tokensFor(t, b, "openid").str("refresh_token")
	wantOAuthError(t, e.oauthPost(t, "/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {pubRefresh}}, id+":"+secret), 400, "invalid_grant")
	// Revoking another client's token is refused, and leaves it working.
	if a := e.oauthPost(t, "/oauth2/revoke", url.Values{"token": {pubRefresh}}, id+":"+secret); a.status == http.StatusOK {
		t.Errorf("revoked another client's refresh token: %s", a.raw)
	}
	if a := e.oauthPost(t, "/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {e.public}, "refresh_token": {pubRefresh}}, ""); a.status != http.StatusOK {
		t.Errorf("refresh after another client's revoke: %d %s", a.status, a.raw)
	}
	// Revoking a token federa never issued succeeds (RFC 7009 §2.2).
	if a := e.oauthPost(t, "/oauth2/revoke", url.Values{"token": {"not-a-token"}, "client_id": {e.public}}, ""); a.status != http.StatusOK {
		t.Errorf("revoke an unknown token: %d %s", a.status, a.raw)
	}

	// Sign-up through the hosted UI works for a client with a secret.
	su := b.get("/signup?" + q.Encode())
	confirm := b.submit(su, "username", "sam", "email", "sam@example.com", "password", "Sam-pass-123!")
	wantPage(t, confirm, http.StatusOK, `name="code"`)
	done := b.submit(confirm, "code", lastCode(t, e.srv, e.poolID, "sam"))
	wantPage(t, done, http.StatusOK, `role="status"`)
}
