package userpool

import (
	"context"
	"time"

	"github.com/federa/federa/internal/store"
)

// Brute-force defence, as Cognito's: after freeAttempts wrong passwords in
// a row a user is locked out for a second, then twice as long after each
// further failure, up to maxLockout. A correct password resets the count.
const (
	freeAttempts = 5
	maxLockout   = 15 * time.Minute
)

// lockState is the failure count in the user's spec.
type lockState struct {
	Failures    int   `json:"n,omitempty"`
	LockedUntil int64 `json:"until,omitempty"` // unix milliseconds
}

// lockedOut is the refusal while a user is locked.
func (s *Service) lockedOut(u store.User) error {
	if s.clock().UnixMilli() < readSpec(u).Lock.LockedUntil {
		return ErrNotAuthorized.New("Password attempts exceeded")
	}
	return nil
}

// passwordFailed counts a wrong password and locks the user when due.
func (s *Service) passwordFailed(ctx context.Context, u store.User) error {
	_, err := s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		sp := readSpec(*u)
		sp.Lock.Failures++
		if over := sp.Lock.Failures - freeAttempts; over >= 0 {
			d := maxLockout
			if over < 20 {
				d = min(time.Second<<over, maxLockout)
			}
			sp.Lock.LockedUntil = s.clock().Add(d).UnixMilli()
		}
		writeSpec(u, sp)
		return nil
	})
	return err
}

// passwordSucceeded clears the failure count (without a write when there
// is none, the usual case).
func (s *Service) passwordSucceeded(ctx context.Context, u store.User) (store.User, error) {
	if readSpec(u).Lock == (lockState{}) {
		return u, nil
	}
	return s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		sp := readSpec(*u)
		sp.Lock = lockState{}
		writeSpec(u, sp)
		return nil
	})
}
