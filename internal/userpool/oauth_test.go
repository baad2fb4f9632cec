package userpool_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/userpool"
)

// oauthClient is a public client allowed the code flow, with no
// ExplicitAuthFlows the hosted UI would need.
func oauthClient() userpool.ClientSettings {
	return userpool.ClientSettings{ExplicitAuthFlows: []string{"ALLOW_REFRESH_TOKEN_AUTH"}, CallbackURLs: []string{"https://app.example.com/cb"},
		AllowedOAuthFlows: []string{"code", "implicit"}, AllowedOAuthScopes: []string{"openid", "email", "aws.cognito.signin.user.admin"},
		AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: []string{"COGNITO"}}
}

// signInHosted signs Alice in through the hosted UI path and returns the
// session cookie value.
func signInHosted(t *testing.T, s *userpool.Service, clientID string) string {
	t.Helper()
	res, err := s.HostedSignIn(context.Background(), clientID, "alice", "Corr3ct-horse!")
	if err != nil || res.HostedSession == "" || res.Tokens != nil {
		t.Fatalf("HostedSignIn = %+v, %v; want a session and no tokens", res, err)
	}
	return res.HostedSession
}

func codeFrom(t *testing.T, redirect string) string {
	t.Helper()
	u, err := url.Parse(redirect)
	if err != nil || u.Query().Get("code") == "" {
		t.Fatalf("redirect %q has no code", redirect)
	}
	return u.Query().Get("code")
}

// TestAuthorizationCodeIsRedeemedOnce: of many concurrent redemptions of
// one code, exactly one gets tokens.
func TestAuthorizationCodeIsRedeemedOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	p, c := setup(t, s, oauthClient())
	sess := signInHosted(t, s, c.ID)
	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	req := userpool.AuthorizeRequest{ClientID: c.ID, RedirectURI: "https://app.example.com/cb", ResponseType: "code", Scope: "openid email",
		CodeChallenge: base64.RawURLEncoding.EncodeToString(sum[:]), CodeChallengeMethod: "S256", Nonce: "n-1"}
	to, err := s.Authorize(ctx, p.ID, req, sess)
	if err != nil {
		t.Fatal(err)
	}
	code := codeFrom(t, to)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, refusals := 0, 0
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := s.Token(ctx, p.ID, userpool.TokenRequest{GrantType: "authorization_code", ClientID: c.ID, Code: code,
				RedirectURI: "https://app.example.com/cb", CodeVerifier: verifier})
			mu.Lock()
			defer mu.Unlock()
			var oe *userpool.OAuthError
			switch {
			case err == nil && res.IDToken != "" && res.RefreshToken != "":
				wins++
			case errors.As(err, &oe) && oe.Code == "invalid_grant":
				refusals++
			default:
				t.Errorf("redemption: %+v, %v", res, err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 || refusals != 15 {
		t.Fatalf("%d redemptions won and %d were refused; want 1 and 15", wins, refusals)
	}
}

// TestHostedSessionEndsWithGlobalSignOutAndExpiry: a session cookie stops
// authorizing after the user signs out everywhere, after an hour, and in
// another pool.
func TestHostedSessionEndsWithGlobalSignOutAndExpiry(t *testing.T) {
	ctx := context.Background()
	s, clk := newService(t)
	p, c := setup(t, s, oauthClient())
	req := userpool.AuthorizeRequest{ClientID: c.ID, RedirectURI: "https://app.example.com/cb", ResponseType: "token"}

	sess := signInHosted(t, s, c.ID)
	to, err := s.Authorize(ctx, p.ID, req, sess)
	if err != nil || !strings.Contains(to, "#access_token=") && !strings.Contains(to, "&access_token=") {
		t.Fatalf("implicit redirect = %q, %v", to, err)
	}
	if _, err := s.Authorize(ctx, "us-east-1_Other", req, sess); err == nil {
		t.Fatal("a session was accepted for a client of another pool's domain")
	}
	clk.now = clk.now.Add(2 * time.Second)
	if err := s.AdminUserGlobalSignOut(ctx, p.ID, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authorize(ctx, p.ID, req, sess); !userpool.IsNoSession(err) {
		t.Fatalf("after global sign-out: %v; want the sign-in page", err)
	}
	clk.now = clk.now.Add(2 * time.Second)
	sess = signInHosted(t, s, c.ID)
	clk.now = clk.now.Add(userpool.HostedSessionTTL)
	if _, err := s.Authorize(ctx, p.ID, req, sess); !userpool.IsNoSession(err) {
		t.Fatalf("after an hour: %v; want the sign-in page", err)
	}
	if _, err := s.Authorize(ctx, p.ID, req, sess[:len(sess)-2]+"AA"); !userpool.IsNoSession(err) {
		t.Fatalf("tampered session: %v; want the sign-in page", err)
	}
}

// TestSweepDeletesExpiredCodesAndTokens: codes and refresh tokens past
// their expiry are deleted; live ones stay.
func TestSweepDeletesExpiredCodesAndTokens(t *testing.T) {
	ctx := context.Background()
	s, clk := newService(t)
	p, c := setup(t, s, oauthClient())
	sess := signInHosted(t, s, c.ID)
	req := userpool.AuthorizeRequest{ClientID: c.ID, RedirectURI: "https://app.example.com/cb", ResponseType: "code"}
	if _, err := s.Authorize(ctx, p.ID, req, sess); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep of live codes = %d, %v; want 0", n, err)
	}
	clk.now = clk.now.Add(userpool.AuthorizationCodeTTL + time.Second)
	if n, err := s.Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("sweep after expiry = %d, %v; want 1", n, err)
	}
}
