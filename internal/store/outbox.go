package store

import (
	"context"
	"time"
)

// Message is a message federa delivers to a user instead of (or as well as)
// sending it: a confirmation or reset code, or a temporary password. The
// outbox is the administrator's view of what users were sent.
type Message struct {
	ID          string // sorts in creation order
	PoolID      string
	Username    string
	Destination string // the address or number it went to
	Medium      string // EMAIL or SMS
	Purpose     string // SignUp, ResendCode, ForgotPassword, VerifyUserAttribute, AdminCreateUser, …
	Subject     string
	Body        string
	CreatedAt   time.Time
}

// Outbox persists delivered messages.
type Outbox interface {
	AddMessage(ctx context.Context, m Message) error
	// ListMessages lists one pool's messages oldest first, after the given
	// ID ("" for the start).
	ListMessages(ctx context.Context, poolID, after string, limit int) ([]Message, error)
}
