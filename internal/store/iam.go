package store

import (
	"context"
	"time"
)

// Role is an IAM role with its trust policy, inline policies and the ARNs of
// the managed policies attached to it. Role names are unique
// case-insensitively, as in IAM; lookups by name ignore case.
type Role struct {
	Name               string
	ID                 string // AROA…
	Path               string
	Description        string
	TrustPolicy        string // JSON document
	MaxSessionDuration int    // seconds
	CreatedAt          time.Time
	InlinePolicies     map[string]string // name -> JSON document
	AttachedPolicies   []string          // managed policy ARNs, in attach order
	Tags               map[string]string
	// PermissionsBoundary is the ARN of the managed policy that bounds the
	// role's permissions; empty when none.
	PermissionsBoundary string
}

// Roles persists IAM roles.
type Roles interface {
	CreateRole(ctx context.Context, r Role) error
	GetRole(ctx context.Context, name string) (Role, error)
	// ListRoles lists roles ordered by name.
	ListRoles(ctx context.Context, after string, limit int) ([]Role, error)
	UpdateRole(ctx context.Context, name string, fn func(*Role) error) (Role, error)
	DeleteRole(ctx context.Context, name string) error
}

// PolicyVersion is one version of a customer managed policy.
type PolicyVersion struct {
	ID        string // v1, v2, …
	Document  string
	CreatedAt time.Time
}

// ManagedPolicy is a customer managed IAM policy. (AWS managed policies are a
// catalog compiled into the iam service, not stored.)
type ManagedPolicy struct {
	ARN              string
	Name             string
	ID               string // ANPA…
	Path             string
	Description      string
	DefaultVersionID string
	Versions         []PolicyVersion
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Policies persists customer managed policies, keyed by ARN.
type Policies interface {
	CreatePolicy(ctx context.Context, p ManagedPolicy) error
	GetPolicy(ctx context.Context, arn string) (ManagedPolicy, error)
	// ListPolicies lists policies ordered by ARN.
	ListPolicies(ctx context.Context, after string, limit int) ([]ManagedPolicy, error)
	UpdatePolicy(ctx context.Context, arn string, fn func(*ManagedPolicy) error) (ManagedPolicy, error)
	DeletePolicy(ctx context.Context, arn string) error
}

// OIDCProvider is an IAM OpenID Connect provider: an issuer whose tokens
// identity pools and AssumeRoleWithWebIdentity accept.
type OIDCProvider struct {
	ARN         string // arn:aws:iam::ACCT:oidc-provider/<host/path>
	URL         string // https://host/path
	ClientIDs   []string
	Thumbprints []string
	Tags        map[string]string
	CreatedAt   time.Time
}

// OIDCProviders persists OIDC providers, keyed by ARN.
type OIDCProviders interface {
	CreateOIDCProvider(ctx context.Context, p OIDCProvider) error
	GetOIDCProvider(ctx context.Context, arn string) (OIDCProvider, error)
	ListOIDCProviders(ctx context.Context) ([]OIDCProvider, error)
	UpdateOIDCProvider(ctx context.Context, arn string, fn func(*OIDCProvider) error) (OIDCProvider, error)
	DeleteOIDCProvider(ctx context.Context, arn string) error
}
