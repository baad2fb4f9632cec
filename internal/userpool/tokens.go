package userpool

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/federa/federa/internal/jwtkeys"
	"github.com/federa/federa/internal/store"
	"github.com/google/uuid"
)

// Tokens is an AuthenticationResult.
type Tokens struct {
	IDToken, AccessToken, RefreshToken string
	ExpiresIn                          int // seconds, of the access token
}

// issueTokens signs an ID and an access token for u at client c, and a
// refresh token unless refresh is false (REFRESH_TOKEN_AUTH keeps the old one).
func (s *Service) issueTokens(ctx context.Context, c Client, u store.User, authTime time.Time, refresh bool) (Tokens, error) {
	return s.mintTokens(ctx, c, u, grant{authTime: authTime, refresh: refresh})
}

// grant is what a set of tokens is issued for.
type grant struct {
	authTime time.Time
	refresh  bool
	// scopes are the OAuth scopes granted; nil for the API sign-in flows,
	// whose access tokens carry aws.cognito.signin.user.admin alone.
	scopes []string
	// nonce is the OIDC nonce the authorization request carried.
	nonce string
	// originJTI continues a grant (a refresh); empty starts a new one.
	originJTI string
}

// adminScope is the scope that lets an access token call the user pool API
// (GetUser, ChangePassword, ...).
const adminScope = "aws.cognito.signin.user.admin"

// mintTokens signs the tokens of one grant. An OAuth grant without the
// openid scope gets no ID token, as in Cognito.
func (s *Service) mintTokens(ctx context.Context, c Client, u store.User, g grant) (Tokens, error) {
	now := s.clock()
	iat := now.Unix()
	if out := readSpec(u).SignedOutAt; iat <= out {
		// Signed in again within the second of a global sign-out: the new
		// tokens must outlive the revocation, whose resolution is a second.
		iat = out + 1
	}
	scope := adminScope
	if g.scopes != nil {
		scope = strings.Join(g.scopes, " ")
	}
	originJTI := g.originJTI
	if originJTI == "" {
		originJTI = uuid.NewString()
	}
	eventID := uuid.NewString()
	idClaims := map[string]any{}
	for k, v := range readable(&c, u.Attributes) {
		switch k {
		case "email_verified", "phone_number_verified":
			idClaims[k] = v == "true"
		default:
			idClaims[k] = v
		}
	}
	for k, v := range map[string]any{
		"sub": u.Sub, "iss": s.Issuer(u.PoolID), "aud": c.ID, "cognito:username": u.Username,
		"token_use": "id", "auth_time": g.authTime.Unix(), "iat": iat, "exp": now.Add(c.Settings.idTokenTTL()).Unix(),
		"jti": uuid.NewString(), "origin_jti": originJTI, "event_id": eventID,
	} {
		idClaims[k] = v
	}
	if g.nonce != "" {
		idClaims["nonce"] = g.nonce
	}
	access := map[string]any{
		"sub": u.Sub, "iss": s.Issuer(u.PoolID), "client_id": c.ID, "username": u.Username,
		"token_use": "access", "scope": scope, "auth_time": g.authTime.Unix(),
		"iat": iat, "exp": now.Add(c.Settings.accessTokenTTL()).Unix(), "jti": uuid.NewString(),
		"origin_jti": originJTI, "event_id": eventID, "version": 2,
	}
	groups, err := s.groupClaims(ctx, u)
	if err != nil {
		return Tokens{}, err
	}
	for k, v := range groups {
		idClaims[k] = v
	}
	if g, ok := groups["cognito:groups"]; ok {
		access["cognito:groups"] = g // the access token carries the groups only
	}
	var t Tokens
	if g.scopes == nil || slices.Contains(g.scopes, "openid") {
		if t.IDToken, err = s.keys.Sign(ctx, keyPurpose(u.PoolID), idClaims); err != nil {
			return Tokens{}, err
		}
	}
	if t.AccessToken, err = s.keys.Sign(ctx, keyPurpose(u.PoolID), access); err != nil {
		return Tokens{}, err
	}
	t.ExpiresIn = int(c.Settings.accessTokenTTL() / time.Second)
	if g.refresh {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return Tokens{}, err
		}
		t.RefreshToken = base64.RawURLEncoding.EncodeToString(raw)
		var scopes string
		if g.scopes != nil {
			scopes = strings.Join(g.scopes, " ")
		}
		err := s.st.CreateRefreshToken(ctx, store.RefreshToken{Hash: hashToken(t.RefreshToken), PoolID: u.PoolID, ClientID: c.ID,
			UserKey: u.Key, IssuedAt: now, ExpiresAt: now.Add(c.Settings.refreshTokenTTL()), Scopes: scopes, OriginJTI: originJTI})
		if err != nil {
			return Tokens{}, err
		}
	}
	return t, nil
}

// hashToken is how refresh tokens are kept: only their SHA-256, so a copy
// of the database does not hand out sessions.
func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// claims are the registered and Cognito claims every token has.
type claims struct {
	Sub       string          `json:"sub"`
	Iss       string          `json:"iss"`
	Aud       json.RawMessage `json:"aud"`
	ClientID  string          `json:"client_id"`
	TokenUse  string          `json:"token_use"`
	Exp       int64           `json:"exp"`
	Iat       int64           `json:"iat"`
	Username  string          `json:"username"`
	CogUser   string          `json:"cognito:username"`
	OriginJTI string          `json:"origin_jti"`
	Scope     string          `json:"scope"`
}

// VerifiedToken is what a verified ID token says.
type VerifiedToken struct {
	Subject, Audience, Issuer, Username string
	// Claims are every claim of the token, for role mappings and
	// principal tags.
	Claims map[string]any
}

// VerifyIDToken verifies an ID token of pool poolID: RS256 signature by the
// pool's key, issuer, token_use "id" and expiry. The audience is returned for
// the caller to check against its own list of clients.
//
// The VerifiedToken's Claims map may be shared with other callers: read it,
// never change it.
func (s *Service) VerifyIDToken(ctx context.Context, poolID, token string) (VerifiedToken, error) {
	v, h, ok := s.rememberedIDToken(ctx, poolID, token)
	if ok {
		return v, nil
	}
	c, err := s.verify(ctx, poolID, token, "id")
	if err != nil {
		return VerifiedToken{}, err
	}
	var aud string
	if json.Unmarshal(c.Aud, &aud) != nil || aud == "" {
		return VerifiedToken{}, ErrNotAuthorized.New("Invalid login token. Missing or invalid audience.")
	}
	var all map[string]any
	if err := jwtkeys.Peek(token, &all); err != nil { // verified above: cannot fail
		return VerifiedToken{}, ErrNotAuthorized.New("Invalid login token.")
	}
	v = VerifiedToken{Subject: c.Sub, Audience: aud, Issuer: c.Iss, Username: c.CogUser, Claims: all}
	s.rememberIDToken(h, poolID, token, c.Exp, v)
	return v, nil
}

func (s *Service) verify(ctx context.Context, poolID, token, use string) (claims, error) {
	var c claims
	if _, _, err := s.pool(ctx, poolID); err != nil {
		if ErrResourceNotFound.Is(err) {
			return c, ErrNotAuthorized.New("Invalid login token. Issuer is not a known user pool.")
		}
		return c, err
	}
	if err := s.keys.Verify(ctx, keyPurpose(poolID), token, &c); err != nil {
		if errors.Is(err, jwtkeys.ErrInvalid) {
			return c, ErrNotAuthorized.New("Invalid %s token.", tokenName(use))
		}
		return c, err
	}
	if c.Iss != s.Issuer(poolID) {
		return c, ErrNotAuthorized.New("Invalid %s token. Issuer doesn't match providerName.", tokenName(use))
	}
	if c.TokenUse != use {
		return c, ErrNotAuthorized.New("Invalid %s token. Its token_use is %q; this call needs an %s token.", tokenName(use), c.TokenUse, kindName(use))
	}
	if s.now().Unix() >= c.Exp {
		return c, ErrNotAuthorized.New("Invalid %s token. Token expired.", tokenName(use))
	}
	return c, nil
}

// kindName names a token_use in words.
func kindName(use string) string {
	if use == "id" {
		return "ID"
	}
	return "access"
}

func tokenName(use string) string {
	if use == "id" {
		return "login"
	}
	return "Access"
}

// accessTokenUser verifies an access token and returns its user, as GetUser
// and the other self-service operations need.
func (s *Service) accessTokenUser(ctx context.Context, token string) (store.User, error) {
	u, _, err := s.accessTokenSession(ctx, token)
	return u, err
}

// accessTokenSession is accessTokenUser with the app client the token was
// issued to, whose attribute permissions apply.
func (s *Service) accessTokenSession(ctx context.Context, token string) (store.User, *Client, error) {
	u, clientID, err := s.accessTokenCheck(ctx, token)
	if err != nil {
		return u, nil, err
	}
	c, err := s.client(ctx, clientID)
	if ErrResourceNotFound.Is(err) {
		return u, nil, ErrNotAuthorized.New("Invalid Access Token: its app client was deleted.")
	}
	return u, &c, err
}

func (s *Service) accessTokenCheck(ctx context.Context, token string) (store.User, string, error) {
	u, c, err := s.accessTokenVerify(ctx, token)
	if err != nil {
		return u, "", err
	}
	if !slices.Contains(strings.Fields(c.Scope), adminScope) {
		return store.User{}, "", ErrNotAuthorized.New("Access Token does not have required scopes")
	}
	return u, c.ClientID, nil
}

// accessTokenVerify verifies an access token (signature, issuer, expiry,
// revocation, the user still enabled) whatever its scopes.
func (s *Service) accessTokenVerify(ctx context.Context, token string) (store.User, claims, error) {
	poolID, err := poolOfToken(token)
	if err != nil {
		return store.User{}, claims{}, err
	}
	c, err := s.verify(ctx, poolID, token, "access")
	if err != nil {
		if ErrNotAuthorized.Is(err) {
			return store.User{}, c, ErrNotAuthorized.New("Invalid Access Token")
		}
		return store.User{}, c, err
	}
	u, err := s.st.GetUserBySub(ctx, poolID, c.Sub)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, c, ErrNotAuthorized.New("User does not exist.")
	}
	if err != nil {
		return store.User{}, c, err
	}
	if !u.Enabled {
		return store.User{}, c, ErrNotAuthorized.New("User is disabled.")
	}
	sp := readSpec(u)
	if c.Iat <= sp.SignedOutAt {
		return store.User{}, c, ErrNotAuthorized.New("Access Token has been revoked")
	}
	if _, revoked := sp.Revoked[c.OriginJTI]; revoked && c.OriginJTI != "" {
		return store.User{}, c, ErrNotAuthorized.New("Access Token has been revoked")
	}
	return u, c, nil
}

// poolOfToken reads the pool id from an unverified token's issuer, only to
// know which pool's keys to verify it with.
func poolOfToken(token string) (string, error) {
	var c struct {
		Iss string `json:"iss"`
	}
	if jwtkeys.Peek(token, &c) != nil {
		return "", ErrNotAuthorized.New("Invalid Access Token")
	}
	return c.Iss[strings.LastIndexByte(c.Iss, '/')+1:], nil
}
