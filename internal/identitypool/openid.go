package identitypool

import (
	"context"
	"errors"
	"time"

	"github.com/federa/federa/internal/jwtkeys"
	"github.com/federa/federa/internal/store"
)

// keyPurpose names the identity pools' token keys in the store.
const keyPurpose = "cognito-identity"

// openIDTokenTTL is how long a GetOpenIdToken token lasts, as on Cognito.
const openIDTokenTTL = 10 * time.Minute

// Issuer is the iss of the OpenID tokens identity pools issue. Its path
// begins with "_", which no bucket name can, so it never shadows S3.
func (s *Service) Issuer() string { return s.publicURL + "/_cognito-identity" }

// openIDClaims are an OpenID token's claims.
type openIDClaims struct {
	Iss string   `json:"iss"`
	Sub string   `json:"sub"`
	Aud string   `json:"aud"`
	Amr []string `json:"amr"`
	Iat int64    `json:"iat"`
	Exp int64    `json:"exp"`
}

// GetOpenIdToken returns an OpenID Connect token for an identity: the basic
// (classic) flow, in which the app passes it to STS AssumeRoleWithWebIdentity.
// The identity proves itself as for GetCredentialsForIdentity.
func (s *Service) GetOpenIdToken(ctx context.Context, identityID string, logins map[string]string) (string, error) {
	ident, err := s.identity(ctx, identityID)
	if err != nil {
		return "", err
	}
	sp, err := s.pool(ctx, ident.PoolID)
	if err != nil {
		return "", err
	}
	if sp.Settings.AllowClassicFlow == nil || !*sp.Settings.AllowClassicFlow {
		return "", ErrInvalidParameter.New("Basic (classic) flow is not enabled for this identity pool: set AllowClassicFlow, or use GetCredentialsForIdentity.")
	}
	_, amr, err := s.authenticate(ctx, &ident, sp, logins)
	if err != nil {
		return "", err
	}
	return s.openIDToken(ctx, ident.ID, ident.PoolID, amr, openIDTokenTTL)
}

// openIDToken signs an OpenID token for an identity.
func (s *Service) openIDToken(ctx context.Context, identityID, poolID string, amr []string, ttl time.Duration) (string, error) {
	if err := s.keys.Ensure(ctx, keyPurpose); err != nil {
		return "", err
	}
	now := s.clock()
	return s.keys.Sign(ctx, keyPurpose, openIDClaims{Iss: s.Issuer(), Sub: identityID, Aud: poolID, Amr: amr,
		Iat: now.Unix(), Exp: now.Add(ttl).Unix()})
}

// OpenIDToken is what a verified identity pool token asserts.
type OpenIDToken struct {
	PoolID, IdentityID string
	Amr                []string
}

// VerifyOpenIdToken checks a token GetOpenIdToken issued: signature,
// issuer, expiry, and that its pool and identity still exist.
func (s *Service) VerifyOpenIdToken(ctx context.Context, token string) (OpenIDToken, error) {
	var c openIDClaims
	if err := s.keys.Verify(ctx, keyPurpose, token, &c); err != nil {
		if errors.Is(err, jwtkeys.ErrInvalid) {
			return OpenIDToken{}, ErrNotAuthorized.New("Invalid OpenID token: bad signature or algorithm.")
		}
		return OpenIDToken{}, err
	}
	if c.Iss != s.Issuer() {
		return OpenIDToken{}, ErrNotAuthorized.New("Invalid OpenID token: unknown issuer.")
	}
	if s.clock().Unix() >= c.Exp {
		return OpenIDToken{}, errTokenExpired
	}
	if _, err := s.pool(ctx, c.Aud); err != nil {
		return OpenIDToken{}, ErrNotAuthorized.New("Invalid OpenID token: its identity pool does not exist.")
	}
	if _, err := s.st.GetIdentity(ctx, c.Sub); errors.Is(err, store.ErrNotFound) {
		return OpenIDToken{}, ErrNotAuthorized.New("Invalid OpenID token: its identity was deleted.")
	} else if err != nil {
		return OpenIDToken{}, err
	}
	return OpenIDToken{PoolID: c.Aud, IdentityID: c.Sub, Amr: c.Amr}, nil
}

// errTokenExpired is how an expired OpenID token is refused; the STS
// adapter turns it into ExpiredTokenException.
var errTokenExpired = ErrNotAuthorized.New("Token expired")

// IsExpired reports whether err is an expired OpenID token.
func IsExpired(err error) bool { return errors.Is(err, errTokenExpired) }

// JWKS returns the public keys of the identity pools' OpenID tokens.
func (s *Service) JWKS(ctx context.Context) (any, error) {
	if err := s.keys.Ensure(ctx, keyPurpose); err != nil {
		return nil, err
	}
	return s.keys.JWKS(ctx, keyPurpose)
}
