package userpool

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/federa/federa/internal/store"
)

// OAuthError is an OAuth 2.0 error (RFC 6749 §4.1.2.1, §5.2). Redirect
// says whether the authorization endpoint may send it to the client's
// redirect URI; when false (unknown client, unregistered redirect URI) it is
// shown as a page, never redirected, so that federa cannot be used as an
// open redirector.
type OAuthError struct {
	Code        string
	Description string
	Redirect    bool
}

func (e *OAuthError) Error() string { return e.Code + ": " + e.Description }

func oauthErr(code string, redirect bool, format string, args ...any) *OAuthError {
	return &OAuthError{Code: code, Description: fmt.Sprintf(format, args...), Redirect: redirect}
}

// AuthorizationCodeTTL is how long an authorization code may be redeemed.
const AuthorizationCodeTTL = 5 * time.Minute

// standardScopes are the scopes Cognito defines; custom scopes are
// "<resource server>/<scope>".
var standardScopes = map[string]bool{"openid": true, "email": true, "profile": true, "phone": true, adminScope: true}

// AuthorizeRequest is the query of /oauth2/authorize and /login.
type AuthorizeRequest struct {
	ClientID, RedirectURI, ResponseType, Scope, State, Nonce string
	CodeChallenge, CodeChallengeMethod, IdentityProvider     string
}

// Values is r as a query string, to carry it from page to page.
func (r AuthorizeRequest) Values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"client_id": r.ClientID, "redirect_uri": r.RedirectURI, "response_type": r.ResponseType,
		"scope": r.Scope, "state": r.State, "nonce": r.Nonce, "code_challenge": r.CodeChallenge,
		"code_challenge_method": r.CodeChallengeMethod, "identity_provider": r.IdentityProvider} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// AuthorizeRequestFrom reads an AuthorizeRequest from a query or form.
func AuthorizeRequestFrom(v url.Values) AuthorizeRequest {
	return AuthorizeRequest{ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"), ResponseType: v.Get("response_type"),
		Scope: v.Get("scope"), State: v.Get("state"), Nonce: v.Get("nonce"), CodeChallenge: v.Get("code_challenge"),
		CodeChallengeMethod: v.Get("code_challenge_method"), IdentityProvider: v.Get("identity_provider")}
}

// AuthorizeView is what the hosted UI shows about an accepted request.
type AuthorizeView struct {
	PoolID, PoolName, ClientID, ClientName string
	// Scopes are the scopes that will be granted.
	Scopes []string
	// PasswordRules words the pool's password policy for the forms.
	PasswordRules string
}

// pkceChallenge is RFC 7636's code_challenge: 43 to 128 unreserved characters.
var pkceChallenge = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// CheckAuthorize validates an authorization request for the pool poolID
// (the hosted UI's domain). Errors before the redirect URI is known to be the
// client's are not redirectable.
func (s *Service) CheckAuthorize(ctx context.Context, poolID string, r AuthorizeRequest) (AuthorizeView, error) {
	if r.ClientID == "" {
		return AuthorizeView{}, oauthErr("invalid_request", false, "The request has no client_id.")
	}
	c, err := s.client(ctx, r.ClientID)
	if err != nil || (poolID != "" && c.PoolID != poolID) {
		return AuthorizeView{}, oauthErr("invalid_request", false, "Client %q is not an app client of this user pool.", r.ClientID)
	}
	if r.RedirectURI == "" {
		return AuthorizeView{}, oauthErr("invalid_request", false, "The request has no redirect_uri.")
	}
	if !slices.Contains(c.Settings.CallbackURLs, r.RedirectURI) {
		return AuthorizeView{}, oauthErr("redirect_mismatch", false, "redirect_uri %q is not one of the app client's callback URLs; add it exactly, or correct the request.", r.RedirectURI)
	}
	p, set, err := s.pool(ctx, c.PoolID)
	if err != nil {
		return AuthorizeView{}, err
	}
	view := AuthorizeView{PoolID: c.PoolID, PoolName: p.Name, ClientID: c.ID, ClientName: c.Name,
		PasswordRules: set.passwordPolicy().Describe()}
	if !c.Settings.AllowedOAuthFlowsUserPoolClient {
		return view, oauthErr("unauthorized_client", true, "The app client is not enabled for OAuth (AllowedOAuthFlowsUserPoolClient).")
	}
	var flow string
	switch r.ResponseType {
	case "code":
		flow = "code"
	case "token":
		flow = "implicit"
	case "":
		return view, oauthErr("invalid_request", true, "The request has no response_type; use code or token.")
	default:
		return view, oauthErr("unsupported_response_type", true, "response_type %q is not supported; use code or token.", r.ResponseType)
	}
	if !slices.Contains(c.Settings.AllowedOAuthFlows, flow) {
		return view, oauthErr("unauthorized_client", true, "The app client does not allow the %s flow.", flow)
	}
	if !slices.Contains(c.Settings.SupportedIdentityProviders, "COGNITO") {
		return view, oauthErr("unauthorized_client", true, "The app client does not enable the COGNITO identity provider.")
	}
	if r.IdentityProvider != "" && r.IdentityProvider != "COGNITO" {
		return view, oauthErr("invalid_request", true, "identity_provider %q is not enabled; federa offers COGNITO.", r.IdentityProvider)
	}
	if view.Scopes, err = s.grantScopes(ctx, c, r.Scope, false); err != nil {
		return view, err
	}
	switch r.CodeChallengeMethod {
	case "", "S256", "plain":
	default:
		return view, oauthErr("invalid_request", true, "code_challenge_method %q is not supported; use S256 or plain.", r.CodeChallengeMethod)
	}
	if r.CodeChallenge != "" || r.CodeChallengeMethod != "" {
		if flow != "code" {
			return view, oauthErr("invalid_request", true, "PKCE applies to response_type=code only.")
		}
		if !pkceChallenge.MatchString(r.CodeChallenge) {
			return view, oauthErr("invalid_request", true, "code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9 and -._~.")
		}
	}
	return view, nil
}

// grantScopes resolves the scope parameter against what client c may ask
// for: every requested scope must be allowed, custom scopes must exist, and
// email, profile and phone need openid. An empty request grants everything
// the client allows (for client_credentials: every custom scope it allows).
func (s *Service) grantScopes(ctx context.Context, c Client, requested string, machine bool) ([]string, error) {
	custom, err := s.CustomScopes(ctx, c.PoolID)
	if err != nil {
		return nil, err
	}
	usable := func(sc string) bool {
		if !slices.Contains(c.Settings.AllowedOAuthScopes, sc) {
			return false
		}
		if standardScopes[sc] {
			return !machine
		}
		return custom[sc]
	}
	var out []string
	if strings.TrimSpace(requested) == "" {
		for _, sc := range c.Settings.AllowedOAuthScopes {
			if usable(sc) {
				out = append(out, sc)
			}
		}
		if len(out) == 0 {
			return nil, oauthErr("invalid_scope", true, "The app client allows no scope this grant can use; set AllowedOAuthScopes.")
		}
		return out, nil
	}
	for _, sc := range strings.Fields(requested) {
		if !usable(sc) {
			if machine && standardScopes[sc] {
				return nil, oauthErr("invalid_scope", true, "Scope %q is for users; client_credentials grants custom scopes only.", sc)
			}
			return nil, oauthErr("invalid_scope", true, "Scope %q is not allowed for this app client; it allows %s.", sc, strings.Join(c.Settings.AllowedOAuthScopes, " "))
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if !slices.Contains(out, "openid") {
		for _, sc := range []string{"email", "profile", "phone"} {
			if slices.Contains(out, sc) {
				return nil, oauthErr("invalid_scope", true, "Scope %s needs openid too.", sc)
			}
		}
	}
	return out, nil
}

// codeSpec is what an authorization code stands for.
type codeSpec struct {
	RedirectURI string   `json:"r"`
	Scopes      []string `json:"s"`
	Nonce       string   `json:"n,omitempty"`
	Challenge   string   `json:"c,omitempty"`
	Method      string   `json:"m,omitempty"`
	AuthTime    int64    `json:"t"`
}

// Authorize completes an authorization request for the user of a hosted UI
// session and returns the URL to send the browser to: the redirect URI with
// a code in the query, or with tokens in the fragment (implicit flow). A
// missing or stale session is errNoSession: the caller shows the sign-in
// page.
func (s *Service) Authorize(ctx context.Context, poolID string, r AuthorizeRequest, session string) (string, error) {
	view, err := s.CheckAuthorize(ctx, poolID, r)
	if err != nil {
		return "", err
	}
	u, h, err := s.openSession(ctx, view.PoolID, session)
	if err != nil {
		return "", err
	}
	c, err := s.client(ctx, r.ClientID)
	if err != nil {
		return "", err
	}
	if r.ResponseType == "token" {
		t, err := s.mintTokens(ctx, c, u, grant{authTime: time.Unix(h.AuthTime, 0), scopes: view.Scopes, nonce: r.Nonce})
		if err != nil {
			return "", err
		}
		frag := url.Values{}
		if t.IDToken != "" {
			frag.Set("id_token", t.IDToken)
		}
		frag.Set("access_token", t.AccessToken)
		frag.Set("expires_in", strconv.Itoa(t.ExpiresIn))
		frag.Set("token_type", "Bearer")
		if r.State != "" {
			frag.Set("state", r.State)
		}
		return r.RedirectURI + "#" + frag.Encode(), nil
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	code := base64.RawURLEncoding.EncodeToString(raw)
	method := r.CodeChallengeMethod
	if r.CodeChallenge != "" && method == "" {
		method = "plain" // RFC 7636 §4.3's default
	}
	spec, err := json.Marshal(codeSpec{RedirectURI: r.RedirectURI, Scopes: view.Scopes, Nonce: r.Nonce,
		Challenge: r.CodeChallenge, Method: method, AuthTime: h.AuthTime})
	if err != nil {
		return "", err
	}
	if err := s.st.CreateAuthCode(ctx, store.AuthCode{Hash: hashToken(code), PoolID: c.PoolID, ClientID: c.ID, UserKey: u.Key,
		ExpiresAt: s.clock().Add(AuthorizationCodeTTL), Spec: spec}); err != nil {
		return "", err
	}
	q := url.Values{"code": {code}}
	if r.State != "" {
		q.Set("state", r.State)
	}
	return withQuery(r.RedirectURI, q), nil
}

// withQuery appends q to a URI that may already have a query.
func withQuery(uri string, q url.Values) string {
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	return uri + sep + q.Encode()
}

// ErrorRedirect is where the authorization endpoint sends a redirectable
// error: the redirect URI with error, error_description and state.
func ErrorRedirect(r AuthorizeRequest, e *OAuthError) string {
	q := url.Values{"error": {e.Code}, "error_description": {e.Description}}
	if r.State != "" {
		q.Set("state", r.State)
	}
	if r.ResponseType == "token" {
		return r.RedirectURI + "#" + q.Encode()
	}
	return withQuery(r.RedirectURI, q)
}

// IsNoSession reports whether err means the user must sign in first.
func IsNoSession(err error) bool { return errors.Is(err, errNoSession) }

// pkceVerify checks a code_verifier against the stored challenge.
func pkceVerify(method, challenge, verifier string) bool {
	if !pkceChallenge.MatchString(verifier) {
		return false
	}
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		verifier = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(verifier), []byte(challenge)) == 1
}
