package userpool

import (
	"context"
	"strings"

	"github.com/federa/federa/internal/jwtkeys"
)

// VerifiedAccessToken is what a verified access token says, for API
// Gateway's COGNITO_USER_POOLS authorizers with authorization scopes.
type VerifiedAccessToken struct {
	Subject, Username, ClientID, Issuer string
	// Scopes are the token's scope claim, split on spaces.
	Scopes []string
	// Claims are every claim of the token (they become
	// requestContext.authorizer.claims).
	Claims map[string]any
}

// VerifyAccessToken verifies an access token of pool poolID (signature,
// issuer, token_use "access", expiry, revocation, the user still enabled)
// whatever its scopes: API Gateway checks the scopes against the method's
// own list, not the user pool's admin scope.
func (s *Service) VerifyAccessToken(ctx context.Context, poolID, token string) (VerifiedAccessToken, error) {
	if p, err := poolOfToken(token); err != nil || p != poolID {
		return VerifiedAccessToken{}, ErrNotAuthorized.New("Invalid Access Token")
	}
	_, c, err := s.accessTokenVerify(ctx, token)
	if err != nil {
		return VerifiedAccessToken{}, err
	}
	var all map[string]any
	if err := jwtkeys.Peek(token, &all); err != nil { // verified above: cannot fail
		return VerifiedAccessToken{}, ErrNotAuthorized.New("Invalid Access Token")
	}
	return VerifiedAccessToken{Subject: c.Sub, Username: c.Username, ClientID: c.ClientID, Issuer: c.Iss,
		Scopes: strings.Fields(c.Scope), Claims: all}, nil
}
