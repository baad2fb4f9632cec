package userpool

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/federa/federa/internal/store"
)

// How long codes live and how often they may be guessed: Cognito's
// confirmation codes last 24 hours and reset codes one hour.
const (
	signUpCodeTTL    = 24 * time.Hour
	resetCodeTTL     = time.Hour
	verifyCodeTTL    = 24 * time.Hour
	maxCodeAttempts  = 5
	codeDigits       = "0123456789"
	codePurposeReset = "reset"
)

// pendingCode is a code sent to a user, kept as a hash.
type pendingCode struct {
	Hash      string `json:"h"`
	ExpiresAt int64  `json:"e"`
	Attempts  int    `json:"a,omitempty"`
}

// CodeDelivery is Cognito's CodeDeliveryDetails: where a code went, masked.
type CodeDelivery struct {
	Destination, DeliveryMedium, AttributeName string
}

func hashCode(sub, code string) string {
	sum := sha256.Sum256([]byte(sub + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

// issueCode makes a six-digit code for a purpose ("signup", "reset",
// "verify:email", …), remembers its hash on the user and delivers it.
func (s *Service) issueCode(ctx context.Context, u store.User, purpose, attr string, ttl time.Duration) (CodeDelivery, error) {
	code := randomString(6, codeDigits)
	now := s.clock()
	u, err := s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		sp := readSpec(*u)
		if sp.Codes == nil {
			sp.Codes = map[string]*pendingCode{}
		}
		sp.Codes[purpose] = &pendingCode{Hash: hashCode(u.Sub, code), ExpiresAt: now.Add(ttl).Unix()}
		writeSpec(u, sp)
		return nil
	})
	if err != nil {
		return CodeDelivery{}, err
	}
	subject, body := "Your verification code", "Your verification code is "+code+"."
	if purpose == codePurposeReset {
		subject, body = "Your password reset code", "Your password reset code is "+code+"."
	}
	return s.deliverTo(ctx, u, attr, purposeName(purpose), subject, body)
}

func purposeName(purpose string) string {
	switch {
	case purpose == "signup":
		return "SignUp"
	case purpose == codePurposeReset:
		return "ForgotPassword"
	}
	return "VerifyUserAttribute"
}

// checkCode consumes a code: right and fresh, it is deleted; wrong, the
// attempt is counted; too many wrong attempts or an old code refuse even
// the right one.
func (s *Service) checkCode(ctx context.Context, u store.User, purpose, code string) error {
	var outcome error
	_, err := s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		sp := readSpec(*u)
		pc := sp.Codes[purpose]
		switch {
		case pc == nil:
			outcome = ErrCodeMismatch.New("Invalid code provided, please request a code again.")
			return nil
		case pc.Attempts >= maxCodeAttempts:
			outcome = ErrLimitExceeded.New("Attempt limit exceeded, please try after some time.")
			return nil
		case s.clock().Unix() >= pc.ExpiresAt:
			outcome = ErrExpiredCode.New("Invalid code provided, please request a code again.")
			return nil
		case subtle.ConstantTimeCompare([]byte(pc.Hash), []byte(hashCode(u.Sub, code))) != 1:
			pc.Attempts++
			outcome = ErrCodeMismatch.New("Invalid verification code provided, please try again.")
		default:
			delete(sp.Codes, purpose)
		}
		writeSpec(u, sp)
		return nil
	})
	if err != nil {
		return err
	}
	return outcome
}

// deliver sends a message to the user's verified email, else phone.
func (s *Service) deliver(ctx context.Context, u store.User, purpose, subject, body string) (CodeDelivery, error) {
	attr := "email"
	if u.Attributes["email"] == "" && u.Attributes["phone_number"] != "" {
		attr = "phone_number"
	}
	return s.deliverTo(ctx, u, attr, purpose, subject, body)
}

// deliverTo puts a message for the user's attribute in the outbox.
func (s *Service) deliverTo(ctx context.Context, u store.User, attr, purpose, subject, body string) (CodeDelivery, error) {
	dest := u.Attributes[attr]
	medium := "EMAIL"
	if attr == "phone_number" {
		medium = "SMS"
	}
	now := s.clock()
	m := store.Message{ID: fmt.Sprintf("%020d-%s", now.UnixNano(), randomString(6, lowerAlnum)), PoolID: u.PoolID, Username: u.Username,
		Destination: dest, Medium: medium, Purpose: purpose, Subject: subject, Body: body, CreatedAt: now}
	if err := s.st.AddMessage(ctx, m); err != nil {
		return CodeDelivery{}, err
	}
	if s.send != nil {
		s.send(ctx, m)
	}
	return CodeDelivery{Destination: mask(dest), DeliveryMedium: medium, AttributeName: attr}, nil
}

// mask shows an address as Cognito does: a***@e***.
func mask(dest string) string {
	if dest == "" {
		return ""
	}
	if local, domain, ok := strings.Cut(dest, "@"); ok && local != "" && domain != "" {
		return local[:1] + "***@" + domain[:1] + "***"
	}
	if len(dest) > 4 {
		return "+*******" + dest[len(dest)-4:]
	}
	return "***"
}

// OutboxMessage is a delivered message as the outbox lists it.
type OutboxMessage = store.Message

// ListOutbox lists what a pool's users were sent, oldest first.
func (s *Service) ListOutbox(ctx context.Context, poolID, after string, limit int) ([]OutboxMessage, error) {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return nil, err
	}
	return s.st.ListMessages(ctx, poolID, after, limit)
}
