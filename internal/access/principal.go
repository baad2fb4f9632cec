package access

import (
	"context"
	"time"
)

// Kind says what sort of caller a Principal is.
type Kind int

const (
	// Anonymous is an unsigned request.
	Anonymous Kind = iota
	// Root is the account's administrator key: every action is allowed.
	Root
	// AssumedRole is a temporary-credential session of an IAM role.
	AssumedRole
)

// String names the kind as aws:PrincipalType does.
func (k Kind) String() string {
	switch k {
	case Root:
		return "Account"
	case AssumedRole:
		return "AssumedRole"
	default:
		return "Anonymous"
	}
}

// Principal is an authenticated (or anonymous) caller.
type Principal struct {
	Kind Kind
	// Account is the 12-digit account the caller belongs to.
	Account string
	// ARN is arn:aws:iam::ACCOUNT:root for Root and
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION for a session.
	ARN string
	// UserID is aws:userid: the account id for Root, "ROLEID:SESSION" for a session.
	UserID string
	// AccessKeyID is the key the request was signed with.
	AccessKeyID string
	// RoleARN and RoleName name the role of a session.
	RoleARN  string
	RoleName string
	// SessionName is the role session name (CognitoIdentityCredentials for Cognito).
	SessionName string
	// IssuedAt and Expires bound a session's validity.
	IssuedAt time.Time
	Expires  time.Time
	// Context holds the condition keys the session carries, e.g.
	// cognito-identity.amazonaws.com:sub, :aud, :amr and aws:FederatedProvider.
	Context map[string][]string
	// SessionPolicy is an optional session policy document (JSON) that narrows
	// the role's permissions.
	SessionPolicy string
	// SessionPolicyARNs are the managed session policies of the session
	// (STS PolicyArns), resolved at each request.
	SessionPolicyARNs []string
}

type ctxKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the caller of the request, or an anonymous principal when
// the request was not signed.
func FromContext(ctx context.Context) *Principal {
	if p, ok := ctx.Value(ctxKey{}).(*Principal); ok && p != nil {
		return p
	}
	return &Principal{Kind: Anonymous}
}
