package userpool

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/federa/federa/internal/sealbox"
	"github.com/federa/federa/internal/store"
)

// The hosted UI signs users in through the same flows as the API
// (passwords, NEW_PASSWORD_REQUIRED, TOTP), but what it needs at the end is
// not tokens: it is a sign-in session, kept in a cookie, from which the
// authorization endpoint later issues codes or tokens for the scopes asked.

// hostedKey marks a context whose sign-in ends in a hosted-UI session.
type hostedKey struct{}

// HostedSessionTTL is how long a hosted UI sign-in lasts before the user
// must sign in again, as Cognito's one-hour session cookie.
const HostedSessionTTL = time.Hour

// hostedSession is the sealed content of the session cookie.
type hostedSession struct {
	Pool     string `json:"p"`
	UserKey  string `json:"u"`
	AuthTime int64  `json:"t"`
	Expires  int64  `json:"e"`
}

// signedIn ends a successful sign-in: tokens for the API flows, a session
// for the hosted UI.
func (s *Service) signedIn(ctx context.Context, c Client, u store.User, authTime time.Time) (AuthResult, error) {
	if ctx.Value(hostedKey{}) != nil {
		sess, err := s.sealSession(ctx, hostedSession{Pool: u.PoolID, UserKey: u.Key, AuthTime: authTime.Unix(),
			Expires: s.clock().Add(HostedSessionTTL).Unix()})
		if err != nil {
			return AuthResult{}, err
		}
		return AuthResult{HostedSession: sess}, nil
	}
	t, err := s.issueTokens(ctx, c, u, authTime, true)
	if err != nil {
		return AuthResult{}, err
	}
	return AuthResult{Tokens: &t}, nil
}

const sessionKind = "hosted-session"

func (s *Service) sealSession(ctx context.Context, h hostedSession) (string, error) {
	plain, err := json.Marshal(h)
	if err != nil {
		return "", err
	}
	id, sealed, err := s.box.Seal(ctx, plain, []byte(sessionKind))
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(append([]byte(id), sealed...)), nil
}

// errNoSession is what any unusable session cookie becomes: the user signs
// in again.
var errNoSession = ErrNotAuthorized.New("The sign-in session is missing, expired or revoked; sign in again.")

// openSession returns the user of a hosted UI session of pool poolID if the
// session is intact, unexpired, and the user is still enabled and has not
// signed out globally since.
func (s *Service) openSession(ctx context.Context, poolID, cookie string) (store.User, hostedSession, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil || len(cookie) > maxState || len(raw) < 9 {
		return store.User{}, hostedSession{}, errNoSession
	}
	plain, err := s.box.Open(ctx, string(raw[:8]), raw[8:], []byte(sessionKind))
	if errors.Is(err, sealbox.ErrInvalid) {
		return store.User{}, hostedSession{}, errNoSession
	}
	if err != nil {
		return store.User{}, hostedSession{}, err
	}
	var h hostedSession
	if json.Unmarshal(plain, &h) != nil || h.Pool != poolID || s.clock().Unix() >= h.Expires {
		return store.User{}, hostedSession{}, errNoSession
	}
	u, err := s.st.GetUser(ctx, h.Pool, h.UserKey)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, hostedSession{}, errNoSession
	}
	if err != nil {
		return store.User{}, hostedSession{}, err
	}
	if !u.Enabled || u.Status != "CONFIRMED" || h.AuthTime <= readSpec(u).SignedOutAt {
		return store.User{}, hostedSession{}, errNoSession
	}
	return u, h, nil
}

// HostedSignIn checks a username and password typed into the hosted UI
// for client clientID. It ends in a challenge (NEW_PASSWORD_REQUIRED,
// SOFTWARE_TOKEN_MFA, MFA_SETUP) or in AuthResult.HostedSession. The hosted
// UI needs none of the client's ExplicitAuthFlows, as in Cognito.
func (s *Service) HostedSignIn(ctx context.Context, clientID, username, password string) (AuthResult, error) {
	c, err := s.client(ctx, clientID)
	if err != nil {
		return AuthResult{}, err
	}
	params := map[string]string{"USERNAME": username, "PASSWORD": password}
	if c.Settings.ClientSecret != "" {
		params["SECRET_HASH"] = secretHash(c.Settings.ClientSecret, username, c.ID)
	}
	return s.passwordAuth(context.WithValue(ctx, hostedKey{}, true), c, params)
}

// HostedRespond answers a challenge HostedSignIn returned.
func (s *Service) HostedRespond(ctx context.Context, clientID, name, session string, responses map[string]string) (AuthResult, error) {
	c, err := s.client(ctx, clientID)
	if err != nil {
		return AuthResult{}, err
	}
	if c.Settings.ClientSecret != "" && responses["USERNAME"] != "" {
		responses["SECRET_HASH"] = secretHash(c.Settings.ClientSecret, responses["USERNAME"], c.ID)
	}
	return s.respond(context.WithValue(ctx, hostedKey{}, true), c, name, session, responses)
}

// SecretHashFor is the SECRET_HASH of username at client clientID, or ""
// for a client without a secret: the hosted UI acts for the client, which
// holds the secret, when it calls SignUp, ConfirmSignUp and ForgotPassword.
func (s *Service) SecretHashFor(ctx context.Context, clientID, username string) (string, error) {
	c, err := s.client(ctx, clientID)
	if err != nil || c.Settings.ClientSecret == "" {
		return "", err
	}
	return secretHash(c.Settings.ClientSecret, username, c.ID), nil
}

// storedScopes turns a refresh token's Scopes back into a grant's: nil when
// it was issued by the API flows.
func storedScopes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Fields(s)
}

// Sweep deletes the expired refresh tokens and authorization codes of
// every pool and returns how many it deleted. The server runs it now and
// then; nothing depends on it for correctness, since every use checks expiry.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.clock()
	n, err := s.st.DeleteExpiredRefreshTokens(ctx, now)
	if err != nil {
		return n, err
	}
	m, err := s.st.DeleteExpiredAuthCodes(ctx, now)
	return n + m, err
}
