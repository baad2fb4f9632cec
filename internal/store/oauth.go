package store

import (
	"context"
	"time"
)

// AuthCode is an OAuth 2.0 authorization code the hosted UI issued. Only its
// hash is kept, and only until it is redeemed once or expires.
type AuthCode struct {
	Hash      string
	PoolID    string
	ClientID  string
	UserKey   string
	ExpiresAt time.Time
	// Spec is what the token endpoint needs to finish the grant (redirect
	// URI, scopes, nonce, PKCE challenge, auth time), owned by the service.
	Spec []byte
}

// AuthCodes persists authorization codes.
type AuthCodes interface {
	// CreateAuthCode returns ErrExists when the hash is taken.
	CreateAuthCode(ctx context.Context, c AuthCode) error
	// ConsumeAuthCode deletes the code and returns it in one step, so that of
	// two concurrent redemptions exactly one succeeds; ErrNotFound when the
	// code is unknown or already consumed. Expiry is the caller's check.
	ConsumeAuthCode(ctx context.Context, hash string) (AuthCode, error)
	// DeleteExpiredAuthCodes removes codes that expired before now and
	// returns how many it removed.
	DeleteExpiredAuthCodes(ctx context.Context, now time.Time) (int, error)
}

// ResourceServer is a user pool's OAuth 2.0 resource server: an identifier
// and the custom scopes clients may ask for as "<identifier>/<scope>".
type ResourceServer struct {
	PoolID     string
	Identifier string
	Name       string
	// Spec holds the scopes, owned by the service.
	Spec []byte
}

// ResourceServers persists resource servers. Deleting a user pool deletes its
// resource servers and authorization codes.
type ResourceServers interface {
	// CreateResourceServer returns ErrExists when the pool already has one
	// with that identifier.
	CreateResourceServer(ctx context.Context, rs ResourceServer) error
	GetResourceServer(ctx context.Context, poolID, identifier string) (ResourceServer, error)
	// ListResourceServers lists one pool's resource servers ordered by
	// identifier, those after the given one, at most limit.
	ListResourceServers(ctx context.Context, poolID, after string, limit int) ([]ResourceServer, error)
	UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(*ResourceServer) error) (ResourceServer, error)
	DeleteResourceServer(ctx context.Context, poolID, identifier string) error
}
