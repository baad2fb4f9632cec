package store

import (
	"context"
	"time"
)

// UserPool is a Cognito user pool. Spec holds the pool's settings as the
// userpool service encodes them.
type UserPool struct {
	ID        string // e.g. us-east-1_AbCdEf123
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Spec      []byte
}

// UserPools persists user pools.
type UserPools interface {
	CreateUserPool(ctx context.Context, p UserPool) error
	GetUserPool(ctx context.Context, id string) (UserPool, error)
	ListUserPools(ctx context.Context, after string, limit int) ([]UserPool, error)
	UpdateUserPool(ctx context.Context, id string, fn func(*UserPool) error) (UserPool, error)
	// DeleteUserPool removes the pool with its clients, domains, users and
	// refresh tokens, in one transaction.
	DeleteUserPool(ctx context.Context, id string) error
}

// AppClient is a user pool app client. Client ids are unique across pools,
// because InitiateAuth names only the client.
type AppClient struct {
	ClientID  string
	PoolID    string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Spec      []byte
}

// AppClients persists app clients.
type AppClients interface {
	CreateAppClient(ctx context.Context, c AppClient) error
	GetAppClient(ctx context.Context, clientID string) (AppClient, error)
	// ListAppClients lists one pool's clients ordered by client id.
	ListAppClients(ctx context.Context, poolID, after string, limit int) ([]AppClient, error)
	UpdateAppClient(ctx context.Context, clientID string, fn func(*AppClient) error) (AppClient, error)
	DeleteAppClient(ctx context.Context, clientID string) error
}

// Domain is a user pool domain prefix (or custom domain). A pool has at most one
// prefix domain; a domain name belongs to one pool.
type Domain struct {
	Domain    string
	PoolID    string
	CreatedAt time.Time
	Spec      []byte
}

// Domains persists user pool domains.
type Domains interface {
	// CreateDomain returns ErrExists when the name is taken.
	CreateDomain(ctx context.Context, d Domain) error
	GetDomain(ctx context.Context, domain string) (Domain, error)
	// GetDomainByPool returns the pool's domain, or ErrNotFound.
	GetDomainByPool(ctx context.Context, poolID string) (Domain, error)
	DeleteDomain(ctx context.Context, domain string) error
}
