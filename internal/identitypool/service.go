package identitypool

import (
	"context"
	"time"

	"github.com/federa/federa/internal/jwtkeys"
	"github.com/federa/federa/internal/store"
)

// VerifiedToken is what a verified user pool ID token says.
type VerifiedToken struct {
	Subject, Audience, Issuer string
	Claims                    map[string]any
}

// TokenVerifier verifies ID tokens of federa's user pools. Its errors are
// NotAuthorizedException for bad tokens.
type TokenVerifier interface {
	VerifyIDToken(ctx context.Context, userPoolID, token string) (VerifiedToken, error)
}

// IssueRequest asks for a web-identity session of a role.
type IssueRequest struct {
	RoleARN, SessionName, Provider string
	Context                        map[string][]string
	// Tags are session tags (principal tags); the role's trust policy must
	// allow sts:TagSession for them.
	Tags map[string]string
}

// Credentials are temporary credentials as GetCredentialsForIdentity returns them.
type Credentials struct {
	AccessKeyID, SecretKey, SessionToken string
	Expiration                           time.Time
}

// CredentialIssuer evaluates a role's trust policy and issues a session.
type CredentialIssuer interface {
	IssueWebIdentity(ctx context.Context, req IssueRequest) (Credentials, error)
}

// OIDCVerifier verifies login tokens of the IAM OpenID Connect providers an
// identity pool names by ARN. Its errors are NotAuthorizedException for
// bad tokens and ResourceNotFoundException for unknown providers.
type OIDCVerifier interface {
	VerifyOIDCLogin(ctx context.Context, providerARN, token string) (VerifiedToken, error)
	OIDCProviderExists(ctx context.Context, providerARN string) bool
}

// Store is what identity pools keep.
type Store interface {
	store.IdentityPools
	store.Identities
	store.Keys
}

// Options configure the service.
type Options struct {
	Region    string
	AccountID string
	PublicURL string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// OIDC verifies logins of OpenID Connect providers (none when nil).
	OIDC OIDCVerifier
}

// Service implements identity pools.
type Service struct {
	st        Store
	tokens    TokenVerifier
	creds     CredentialIssuer
	oidc      OIDCVerifier
	keys      *jwtkeys.Keys
	region    string
	account   string
	publicURL string
	now       func() time.Time
}

// New returns the identity pool service.
func New(st Store, tv TokenVerifier, ci CredentialIssuer, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{st: st, tokens: tv, creds: ci, oidc: o.OIDC, keys: jwtkeys.New(st, o.Now), region: o.Region, account: o.AccountID,
		publicURL: o.PublicURL, now: o.Now}
}

func (s *Service) clock() time.Time { return s.now().UTC() }
