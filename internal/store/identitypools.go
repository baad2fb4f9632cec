package store

import (
	"context"
	"time"
)

// IdentityPool is a Cognito identity pool; Spec holds its settings and roles.
type IdentityPool struct {
	ID        string // region:uuid
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Spec      []byte
}

// IdentityPools persists identity pools.
type IdentityPools interface {
	CreateIdentityPool(ctx context.Context, p IdentityPool) error
	GetIdentityPool(ctx context.Context, id string) (IdentityPool, error)
	ListIdentityPools(ctx context.Context, after string, limit int) ([]IdentityPool, error)
	UpdateIdentityPool(ctx context.Context, id string, fn func(*IdentityPool) error) (IdentityPool, error)
	// DeleteIdentityPool removes the pool and its identities.
	DeleteIdentityPool(ctx context.Context, id string) error
}

// Login links an identity to one external login: the provider name as it
// appears in Logins (e.g. cognito-idp.us-east-1.amazonaws.com/us-east-1_X) and
// the user's subject at that provider.
type Login struct {
	Provider string
	Subject  string
}

// Identity is an identity in an identity pool. Logins lists its linked logins.
type Identity struct {
	ID        string // region:uuid
	PoolID    string
	Logins    []Login
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Identities persists identities and their logins.
type Identities interface {
	// CreateIdentity stores the identity and links its logins atomically. When
	// a login is already linked in the pool it returns ErrExists and writes
	// nothing.
	CreateIdentity(ctx context.Context, id Identity) error
	GetIdentity(ctx context.Context, id string) (Identity, error)
	// FindIdentityByLogin returns the identity a login is linked to in a pool.
	FindIdentityByLogin(ctx context.Context, poolID string, l Login) (Identity, error)
	// ListIdentities lists one pool's identities ordered by id.
	ListIdentities(ctx context.Context, poolID, after string, limit int) ([]Identity, error)
	// TouchIdentity sets UpdatedAt (LastModifiedDate).
	TouchIdentity(ctx context.Context, id string, at time.Time) error
	// LinkLogins adds logins to an identity atomically: ErrExists, and no
	// change, when one is linked to another identity of the pool. Logins
	// the identity already has are ignored.
	LinkLogins(ctx context.Context, id string, logins []Login, at time.Time) (Identity, error)
	// UnlinkLogins removes logins from an identity.
	UnlinkLogins(ctx context.Context, id string, logins []Login, at time.Time) (Identity, error)
	DeleteIdentity(ctx context.Context, id string) error
}
