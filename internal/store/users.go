package store

import (
	"context"
	"time"
)

// User is a user pool user. Key is the lookup form of the username chosen by
// the service (lower-cased in case-insensitive pools); Username is as created.
// Sub is unique within the pool.
type User struct {
	PoolID       string
	Key          string
	Username     string
	Sub          string
	Enabled      bool
	Status       string // UserStatusType: CONFIRMED, FORCE_CHANGE_PASSWORD, …
	PasswordHash string
	Attributes   map[string]string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Spec holds further service-owned state (MFA settings, codes, …).
	Spec []byte
}

// Users persists user pool users.
type Users interface {
	// CreateUser returns ErrExists when the key or sub is taken in the pool.
	CreateUser(ctx context.Context, u User) error
	GetUser(ctx context.Context, poolID, key string) (User, error)
	GetUserBySub(ctx context.Context, poolID, sub string) (User, error)
	// ListUsers lists one pool's users ordered by key.
	ListUsers(ctx context.Context, poolID, after string, limit int) ([]User, error)
	UpdateUser(ctx context.Context, poolID, key string, fn func(*User) error) (User, error)
	// DeleteUser removes the user, its refresh tokens and its group
	// memberships.
	DeleteUser(ctx context.Context, poolID, key string) error
}

// RefreshToken is an issued refresh token, kept only as a hash of the token.
type RefreshToken struct {
	Hash      string // hex SHA-256 of the opaque token
	PoolID    string
	ClientID  string
	UserKey   string
	IssuedAt  time.Time
	ExpiresAt time.Time
	// Scopes are the OAuth scopes granted with the token, space-separated;
	// empty for tokens from InitiateAuth, which carry the default scope.
	Scopes string
	// OriginJTI is the origin_jti of every token issued with or from it,
	// so that revoking it can revoke them too.
	OriginJTI string
}

// RefreshTokens persists refresh tokens.
type RefreshTokens interface {
	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	GetRefreshToken(ctx context.Context, hash string) (RefreshToken, error)
	DeleteRefreshToken(ctx context.Context, hash string) error
	// DeleteUserRefreshTokens revokes every refresh token of one user.
	DeleteUserRefreshTokens(ctx context.Context, poolID, userKey string) error
	// DeleteExpiredRefreshTokens removes tokens that expired before now and
	// returns how many it removed.
	DeleteExpiredRefreshTokens(ctx context.Context, now time.Time) (int, error)
}
