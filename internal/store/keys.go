package store

import (
	"context"
	"time"
)

// Key is a server secret: a JWT signing key of a user pool, the session-token
// sealing key, … Purpose groups the versions of one key; ID names one version.
type Key struct {
	Purpose   string // e.g. "jwt/us-east-1_AbC", "session"
	ID        string // unique within Purpose; used as JWT kid or token key version
	Material  []byte
	CreatedAt time.Time
}

// Keys persists server keys.
type Keys interface {
	// CreateKey returns ErrExists when Purpose+ID exists.
	CreateKey(ctx context.Context, k Key) error
	// ListKeys returns a purpose's keys, newest first (by CreatedAt, then ID).
	ListKeys(ctx context.Context, purpose string) ([]Key, error)
	DeleteKey(ctx context.Context, purpose, id string) error
}
