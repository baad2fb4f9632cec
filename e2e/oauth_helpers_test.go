package e2e

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/federa/federa/internal/app/apptest"
)

// The hosted UI tests set up what seed 004 and a typical OAuth deployment
// have: a pool with a domain, a public client for the browser (code and
// implicit flows), a confidential client for machines (client_credentials
// with a custom scope), a client that never enabled OAuth, and a resource
// server defining the custom scopes.
const (
	appURI      = "http://localhost:3000" // seed 004's callback URL
	appCallback = "http://localhost:3000/callback"
	appSignOut  = "http://localhost:3000/signed-out"
	oauthDomain = "notes-auth"
	readScope   = "files/read"  // allowed to both OAuth clients
	writeScope  = "files/write" // defined, allowed to no client
	adminScope  = "aws.cognito.signin.user.admin"
)

// oauthEnv is one server with the pool, clients and users above.
type oauthEnv struct {
	srv                                 *apptest.Server
	idp                                 *cip.Client
	poolID, public, confidential, plain string
	secret                              string // the confidential client's
}

// newOAuthEnv sets the pool up through the SDK, as an administrator would;
// alice has a verified email and a permanent password.
func newOAuthEnv(t *testing.T) *oauthEnv {
	t.Helper()
	ctx := context.Background()
	e := &oauthEnv{srv: apptest.NewServer(t)}
	e.idp = cip.NewFromConfig(e.srv.RootConfig())
	pool, err := e.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("notes"),
		AutoVerifiedAttributes: []ciptypes.VerifiedAttributeType{"email"}})
	must(t, err)
	e.poolID = aws.ToString(pool.UserPool.Id)
	_, err = e.idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: &e.poolID, Domain: aws.String(oauthDomain)})
	must(t, err)
	_, err = e.idp.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &e.poolID, Identifier: aws.String("files"),
		Name: aws.String("files"), Scopes: []ciptypes.ResourceServerScopeType{
			{ScopeName: aws.String("read"), ScopeDescription: aws.String("Read files")},
			{ScopeName: aws.String("write"), ScopeDescription: aws.String("Write files")}}})
	if err != nil {
		t.Errorf("CreateResourceServer: %v (tests of the custom scope will fail)", err)
	}
	pub, err := e.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &e.poolID, ClientName: aws.String("notes-web"),
		ExplicitAuthFlows:               []ciptypes.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []ciptypes.OAuthFlowType{"code", "implicit"},
		AllowedOAuthScopes:         []string{"openid", "email", "profile", "phone", adminScope, readScope},
		CallbackURLs:               []string{appURI, appCallback},
		LogoutURLs:                 []string{appSignOut},
		SupportedIdentityProviders: []string{"COGNITO"}})
	must(t, err)
	e.public = aws.ToString(pub.UserPoolClient.ClientId)
	conf, err := e.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &e.poolID, ClientName: aws.String("notes-worker"),
		GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []ciptypes.OAuthFlowType{"client_credentials"},
		AllowedOAuthScopes: []string{readScope}, SupportedIdentityProviders: []string{"COGNITO"}})
	must(t, err)
	e.confidential, e.secret = aws.ToString(conf.UserPoolClient.ClientId), aws.ToString(conf.UserPoolClient.ClientSecret)
	plain, err := e.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &e.poolID, ClientName: aws.String("notes-cli"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	must(t, err)
	e.plain = aws.ToString(plain.UserPoolClient.ClientId)
	e.user(t, "alice", "alice@example.com", password)
	return e
}

// user creates a confirmed user with a verified email and a permanent password.
func (e *oauthEnv) user(t *testing.T, name, email, pw string) {
	t.Helper()
	ctx := context.Background()
	_, err := e.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &e.poolID, Username: &name, MessageAction: "SUPPRESS",
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: &email}, {Name: aws.String("email_verified"), Value: aws.String("true")}}})
	must(t, err)
	_, err = e.idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &e.poolID, Username: &name, Password: &pw, Permanent: true})
	must(t, err)
}

// pathBase is the path form of the domain's URLs.
func (e *oauthEnv) pathBase() string { return e.srv.URL + "/_auth/" + oauthDomain }

// hostBase is the host form, http://<domain>.auth.localhost:<port>.
func (e *oauthEnv) hostBase() string {
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(e.srv.URL, "http://"))
	return "http://" + oauthDomain + ".auth.localhost:" + port
}

// authorizeQuery is an authorization request of the public client.
func (e *oauthEnv) authorizeQuery(responseType string, kv ...string) url.Values {
	q := url.Values{"response_type": {responseType}, "client_id": {e.public}, "redirect_uri": {appURI}}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

// browser is a user agent: it keeps cookies, follows no redirect (tests
// assert each one), and dials the test server whatever the host name, as
// a browser resolves *.localhost to loopback.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, e *oauthEnv, base string) *browser {
	jar, _ := cookiejar.New(nil)
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is what the browser got back.
type page struct {
	status int
	header http.Header
	body   string
	url    *url.URL // the URL it was fetched from
	set    []*http.Cookie
}

// location is the Location header resolved against the page's URL; nil when absent.
func (p page) location() *url.URL {
	l := p.header.Get("Location")
	if l == "" {
		return nil
	}
	u, err := p.url.Parse(l)
	if err != nil {
		return nil
	}
	return u
}

// cookie is the Set-Cookie of that name, or nil.
func (p page) cookie(name string) *http.Cookie {
	for _, c := range p.set {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (p page) alert() bool { return strings.Contains(p.body, `role="alert"`) }

// abs resolves a path against the browser's base (a path form's links
// already carry /_auth/<domain>).
func (b *browser) abs(ref string) string {
	if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
		return ref
	}
	return b.base + ref
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	must(b.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, header: resp.Header, body: string(raw), url: req.URL, set: resp.Cookies()}
}

// get fetches a path under the domain's base, or an absolute URL.
func (b *browser) get(ref string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.abs(ref), nil)
	must(b.t, err)
	return b.do(req)
}

// post sends a form to an absolute URL.
func (b *browser) post(to string, form url.Values) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, to, strings.NewReader(form.Encode()))
	must(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var (
	formRE  = regexp.MustCompile(`(?s)<form method="post" action="([^"]*)">(.*?)</form>`)
	inputRE = regexp.MustCompile(`<input\b[^>]*>`)
	nameRE  = regexp.MustCompile(`\bname="([^"]*)"`)
	valueRE = regexp.MustCompile(`\bvalue="([^"]*)"`)
)

// form reads the page's first form: where it posts and its inputs'
// values, as a browser would submit them untouched.
func (p page) form(t *testing.T) (*url.URL, url.Values) {
	t.Helper()
	m := formRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no form on the page (%d):\n%s", p.status, p.body)
	}
	action, err := p.url.Parse(html.UnescapeString(m[1]))
	must(t, err)
	fields := url.Values{}
	for _, in := range inputRE.FindAllString(m[2], -1) {
		n := nameRE.FindStringSubmatch(in)
		if n == nil {
			continue
		}
		v := ""
		if m := valueRE.FindStringSubmatch(in); m != nil {
			v = html.UnescapeString(m[1])
		}
		fields.Set(html.UnescapeString(n[1]), v)
	}
	return action, fields
}

// submit fills the page's first form with kv (name, value, …) and posts it.
func (b *browser) submit(p page, kv ...string) page {
	b.t.Helper()
	action, fields := p.form(b.t)
	for i := 0; i+1 < len(kv); i += 2 {
		fields.Set(kv[i], kv[i+1])
	}
	return b.post(action.String(), fields)
}

// signIn opens /login with an authorization request and signs in; the
// answer is what the form's post returned.
func (b *browser) signIn(q url.Values, user, pw string) page {
	b.t.Helper()
	login := b.get("/login?" + q.Encode())
	if login.status != http.StatusOK {
		b.t.Fatalf("GET /login: %d\n%s", login.status, login.body)
	}
	return b.submit(login, "username", user, "password", pw)
}

// redirectTo checks that p redirects to the client's URI and returns the
// parameters it carries (query, or fragment for the implicit flow).
func redirectTo(t *testing.T, p page, uri string) url.Values {
	t.Helper()
	loc := p.location()
	if p.status != http.StatusFound || loc == nil {
		t.Fatalf("want a 302 to %s, got %d Location %q\n%s", uri, p.status, p.header.Get("Location"), p.body)
	}
	at := *loc
	at.RawQuery, at.Fragment, at.RawFragment = "", "", ""
	if at.String() != uri {
		t.Fatalf("redirect to %s, want %s", loc, uri)
	}
	if loc.Fragment != "" {
		v, err := url.ParseQuery(loc.EscapedFragment())
		must(t, err)
		return v
	}
	return loc.Query()
}

// code runs the code flow for a browser that is signed in and returns the code.
func (b *browser) code(q url.Values) string {
	b.t.Helper()
	v := redirectTo(b.t, b.get("/oauth2/authorize?"+q.Encode()), q.Get("redirect_uri"))
	if v.Get("code") == "" {
		b.t.Fatalf("no code in %v", v)
	}
	return v.Get("code")
}

// tokenAnswer is a token endpoint's (or revoke's) answer.
type tokenAnswer struct {
	status int
	header http.Header
	json   map[string]any
	raw    string
}

func (a tokenAnswer) str(k string) string { s, _ := a.json[k].(string); return s }

// oauthPost posts a form to an OAuth endpoint (path under the domain) as a
// client: basic is "id:secret" for HTTP Basic, "" for none.
func (e *oauthEnv) oauthPost(t *testing.T, path string, form url.Values, basic string) tokenAnswer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.pathBase()+path, strings.NewReader(form.Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id, secret, ok := strings.Cut(basic, ":"); ok {
		req.SetBasicAuth(id, secret)
	}
	return clientDo(t, req)
}

// clientDo sends a client's request and decodes a JSON answer if there is one.
func clientDo(t *testing.T, req *http.Request) tokenAnswer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := tokenAnswer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		must(t, json.Unmarshal(raw, &a.json))
	}
	return a
}

// wantOAuthError checks an RFC 6749 §5.2 error answer.
func wantOAuthError(t *testing.T, a tokenAnswer, status int, code string) {
	t.Helper()
	if a.status != status || a.str("error") != code || a.str("error_description") == "" {
		t.Errorf("got %d %s, want %d {error:%s, error_description:…}", a.status, a.raw, status, code)
	}
	if a.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", a.header.Get("Cache-Control"))
	}
}

// exchange redeems a code at the token endpoint for the public client.
func (e *oauthEnv) exchange(t *testing.T, code, redirectURI, verifier string) tokenAnswer {
	t.Helper()
	f := url.Values{"grant_type": {"authorization_code"}, "client_id": {e.public}, "code": {code}, "redirect_uri": {redirectURI}}
	if verifier != "" {
		f.Set("code_verifier", verifier)
	}
	return e.oauthPost(t, "/oauth2/token", f, "")
}

// bearer calls an endpoint with an access token.
func bearer(t *testing.T, method, to, token string) tokenAnswer {
	t.Helper()
	req, err := http.NewRequest(method, to, nil)
	must(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return clientDo(t, req)
}
