package userpool

import (
	"context"
	"errors"

	"github.com/federa/federa/internal/store"

	"github.com/federa/federa/internal/srp"
)

// AuthResult is the outcome of InitiateAuth: tokens, or a challenge.
type AuthResult struct {
	Tokens              *Tokens
	ChallengeName       string
	Session             string
	ChallengeParameters map[string]string
	// HostedSession is set instead of Tokens when a hosted UI sign-in
	// succeeds: the sealed value of its session cookie.
	HostedSession string
}

// InitiateAuth runs a client-side sign-in flow: USER_SRP_AUTH,
// USER_PASSWORD_AUTH or REFRESH_TOKEN_AUTH (REFRESH_TOKEN).
func (s *Service) InitiateAuth(ctx context.Context, clientID, flow string, params map[string]string) (AuthResult, error) {
	c, err := s.client(ctx, clientID)
	if err != nil {
		return AuthResult{}, err
	}
	switch flow {
	case "USER_PASSWORD_AUTH":
		if !c.Settings.allows("ALLOW_USER_PASSWORD_AUTH") {
			return AuthResult{}, ErrInvalidParameter.New("USER_PASSWORD_AUTH flow not enabled for this client")
		}
		return s.passwordAuth(ctx, c, params)
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		if !c.Settings.allows("ALLOW_REFRESH_TOKEN_AUTH") {
			return AuthResult{}, ErrInvalidParameter.New("REFRESH_TOKEN_AUTH flow not enabled for this client")
		}
		return s.refreshAuth(ctx, c, params)
	case "USER_SRP_AUTH":
		return s.srpAuth(ctx, c, params)
	case "CUSTOM_AUTH":
		return AuthResult{}, customAuthRefused()
	case "USER_AUTH":
		return AuthResult{}, ErrInvalidParameter.New("USER_AUTH (choice-based sign-in) is not supported by federa; use USER_SRP_AUTH or USER_PASSWORD_AUTH.")
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		return AuthResult{}, ErrInvalidParameter.New("Initiate Auth method not supported.")
	}
	return AuthResult{}, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]", flow)
}

// AdminInitiateAuth runs a server-side sign-in flow for a pool:
// ADMIN_USER_PASSWORD_AUTH (ADMIN_NO_SRP_AUTH) or REFRESH_TOKEN_AUTH.
func (s *Service) AdminInitiateAuth(ctx context.Context, poolID, clientID, flow string, params map[string]string) (AuthResult, error) {
	c, err := s.DescribeUserPoolClient(ctx, poolID, clientID)
	if err != nil {
		return AuthResult{}, err
	}
	switch flow {
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		if !c.Settings.allows("ALLOW_ADMIN_USER_PASSWORD_AUTH") {
			return AuthResult{}, ErrInvalidParameter.New("Auth flow not enabled for this client")
		}
		return s.passwordAuth(ctx, c, params)
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		if !c.Settings.allows("ALLOW_REFRESH_TOKEN_AUTH") {
			return AuthResult{}, ErrInvalidParameter.New("REFRESH_TOKEN_AUTH flow not enabled for this client")
		}
		return s.refreshAuth(ctx, c, params)
	case "USER_SRP_AUTH":
		return s.srpAuth(ctx, c, params)
	case "CUSTOM_AUTH":
		return AuthResult{}, customAuthRefused()
	case "USER_PASSWORD_AUTH":
		return AuthResult{}, ErrInvalidParameter.New("Initiate Auth method not supported.")
	}
	return AuthResult{}, ErrInvalidParameter.New("%s is not supported by federa; use USER_SRP_AUTH or ADMIN_USER_PASSWORD_AUTH.", flow)
}

// customAuthRefused is what Cognito answers CUSTOM_AUTH when the pool has
// no DefineAuthChallenge Lambda trigger; federa runs no triggers.
func customAuthRefused() error {
	return ErrInvalidParameter.New("Custom auth lambda trigger is not configured for the user pool.")
}

// passwordAuth checks USERNAME and PASSWORD.
func (s *Service) passwordAuth(ctx context.Context, c Client, params map[string]string) (AuthResult, error) {
	username, password := params["USERNAME"], params["PASSWORD"]
	if username == "" {
		return AuthResult{}, ErrInvalidParameter.New("Missing required parameter USERNAME")
	}
	if password == "" {
		return AuthResult{}, ErrInvalidParameter.New("Missing required parameter PASSWORD")
	}
	if err := checkSecretHash(c, username, params["SECRET_HASH"]); err != nil {
		return AuthResult{}, err
	}
	_, set, err := s.pool(ctx, c.PoolID)
	if err != nil {
		return AuthResult{}, err
	}
	u, err := s.user(ctx, c.PoolID, set, username)
	if ErrUserNotFound.Is(err) {
		checkPassword(s.dummyHash, password) // same cost as a real check
		if c.Settings.PreventUserExistenceErrors == "LEGACY" {
			return AuthResult{}, err
		}
		return AuthResult{}, ErrNotAuthorized.New("Incorrect username or password.")
	}
	if err != nil {
		return AuthResult{}, err
	}
	if err := s.lockedOut(u); err != nil {
		return AuthResult{}, err
	}
	if !checkPassword(u.PasswordHash, password) {
		if err := s.passwordFailed(ctx, u); err != nil {
			return AuthResult{}, err
		}
		return AuthResult{}, ErrNotAuthorized.New("Incorrect username or password.")
	}
	if u, err = s.passwordSucceeded(ctx, u); err != nil {
		return AuthResult{}, err
	}
	if readSpec(u).SRP == nil {
		// A password set before SRP support: now that we hold it, leave
		// the verifier USER_SRP_AUTH needs.
		cred := srp.NewCredential(c.PoolID, u.Username, password)
		if u, err = s.st.UpdateUser(ctx, c.PoolID, u.Key, func(u *store.User) error {
			sp := readSpec(*u)
			sp.SRP = &cred
			writeSpec(u, sp)
			return nil
		}); err != nil {
			return AuthResult{}, err
		}
	}
	return s.afterPassword(ctx, c, u, s.clock())
}

// refreshAuth exchanges a refresh token for new ID and access tokens.
func (s *Service) refreshAuth(ctx context.Context, c Client, params map[string]string) (AuthResult, error) {
	tok := params["REFRESH_TOKEN"]
	if tok == "" {
		return AuthResult{}, ErrInvalidParameter.New("Missing required parameter REFRESH_TOKEN")
	}
	invalid := ErrNotAuthorized.New("Invalid Refresh Token")
	rt, err := s.st.GetRefreshToken(ctx, hashToken(tok))
	if errors.Is(err, store.ErrNotFound) {
		return AuthResult{}, invalid
	}
	if err != nil {
		return AuthResult{}, err
	}
	if rt.ClientID != c.ID || !s.clock().Before(rt.ExpiresAt) {
		return AuthResult{}, invalid
	}
	u, err := s.st.GetUser(ctx, rt.PoolID, rt.UserKey)
	if errors.Is(err, store.ErrNotFound) {
		return AuthResult{}, invalid
	}
	if err != nil {
		return AuthResult{}, err
	}
	if ctx.Value(skipSecretHash{}) == nil {
		if err := checkSecretHash(c, u.Username, params["SECRET_HASH"]); err != nil {
			return AuthResult{}, err
		}
	}
	if !u.Enabled {
		return AuthResult{}, ErrNotAuthorized.New("User is disabled.")
	}
	t, err := s.mintTokens(ctx, c, u, grant{authTime: rt.IssuedAt, scopes: storedScopes(rt.Scopes), originJTI: rt.OriginJTI})
	if err != nil {
		return AuthResult{}, err
	}
	return AuthResult{Tokens: &t}, nil
}

// GetUser returns the user an access token belongs to, with the
// attributes its app client may read.
func (s *Service) GetUser(ctx context.Context, accessToken string) (User, error) {
	u, c, err := s.accessTokenSession(ctx, accessToken)
	if err != nil {
		return User{}, err
	}
	u.Attributes = readable(c, u.Attributes)
	return describeUser(u), nil
}

// JWKS returns a pool's public signing keys.
func (s *Service) JWKS(ctx context.Context, poolID string) (any, error) {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return nil, err
	}
	return s.keys.JWKS(ctx, keyPurpose(poolID))
}
