package cryptstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/federa/federa/internal/store"
)

// KnownKeyPurposes are the server-key purposes that are not per user pool
// ("jwt/<poolID>", which Rotate finds from the pools): sts's session-token
// key, userpool's sign-in challenge key, identitypool's OpenID token key.
// A service that keeps a key under a new purpose adds it here, unless the
// store implements KeyPurposeLister.
var KnownKeyPurposes = []string{"session", "userpool-challenge", "cognito-identity"}

// KeyPurposeLister is implemented by stores that can name every key
// purpose they hold; Rotate then reseals keys of purposes it does not know.
type KeyPurposeLister interface {
	ListKeyPurposes(ctx context.Context) ([]string, error)
}

// Count is how many records of a kind Rotate resealed and how many were
// already under the new key.
type Count struct{ Resealed, Current int }

// Stats is what Rotate did.
type Stats struct {
	// From and To are the key ids ("" for a store in clear).
	From, To   string
	Keys       Count
	AppClients Count
	Users      Count
	// MessagesLeft counts outbox messages Rotate could not reseal
	// (store.Outbox has no update): they read as a note naming the retired
	// key, or stay in clear if they were.
	MessagesLeft int
	// AuthCodesDropped counts pending authorization codes deleted: they
	// live minutes, and the store can neither list nor rewrite them.
	AuthCodesDropped int
}

// String is the summary rotate-master-key prints.
func (s Stats) String() string {
	from := s.From
	if from == "" {
		from = "none (secrets in clear)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "master key %s -> %s\n", from, s.To)
	for _, c := range []struct {
		name string
		n    Count
	}{{"server keys", s.Keys}, {"app clients", s.AppClients}, {"users", s.Users}} {
		fmt.Fprintf(&b, "  %-12s %d resealed, %d already under %s\n", c.name, c.n.Resealed, c.n.Current, s.To)
	}
	if s.MessagesLeft > 0 {
		fmt.Fprintf(&b, "  outbox       %d messages left as they were (the store cannot rewrite them)\n", s.MessagesLeft)
	}
	if s.AuthCodesDropped > 0 {
		fmt.Fprintf(&b, "  auth codes   %d pending codes dropped (sign-ins in progress start again)\n", s.AuthCodesDropped)
	}
	return b.String()
}

// errCurrent stops an update whose record needs no reseal.
var errCurrent = errors.New("already current")

// pageSize bounds how many users Rotate holds at once.
const pageSize = 500

// Rotate reseals every secret of inner under to. from is the key the
// secrets are under now, nil when they are in clear; values already under
// to and values in clear are accepted either way. It is meant to run
// offline, on a store no server is using, and it is idempotent: run again
// after an interruption, with the same keys, it finishes the job. The
// store's marker names to only once every record is resealed.
func Rotate(ctx context.Context, inner store.Store, from, to *MasterKey) (Stats, error) {
	st := Stats{To: to.id}
	if from != nil {
		st.From = from.id
	}
	if err := checkRotationMarkers(ctx, inner, from, to); err != nil {
		return st, err
	}
	r := newKeyring(to, from)
	if err := recoverStash(ctx, inner); err != nil {
		return st, err
	}
	// Two markers say "rotating" to any server started meanwhile.
	if err := createMarker(ctx, inner, to); err != nil && !errors.Is(err, store.ErrExists) {
		return st, err
	}
	pools, err := inner.ListUserPools(ctx, "", 0)
	if err != nil {
		return st, err
	}
	if st.Keys, err = rotateKeys(ctx, inner, r, pools); err != nil {
		return st, err
	}
	for _, p := range pools {
		if err := rotatePool(ctx, inner, r, p.ID, &st); err != nil {
			return st, err
		}
	}
	// Authorization codes have no list or update, and live minutes: drop
	// them rather than leave them unsealed or under the old key.
	if st.AuthCodesDropped, err = inner.DeleteExpiredAuthCodes(ctx, time.Now().Add(100*365*24*time.Hour)); err != nil {
		return st, err
	}
	markers, err := inner.ListKeys(ctx, markerPurpose)
	if err != nil {
		return st, err
	}
	for _, m := range markers {
		if m.ID != to.id {
			if err := inner.DeleteKey(ctx, markerPurpose, m.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return st, err
			}
		}
	}
	return st, nil
}

// checkRotationMarkers accepts a store marked with from, with to, with both
// (an interrupted rotation) or with nothing, and checks each marker opens.
func checkRotationMarkers(ctx context.Context, inner store.Keys, from, to *MasterKey) error {
	markers, err := inner.ListKeys(ctx, markerPurpose)
	if err != nil {
		return err
	}
	for _, m := range markers {
		switch {
		case m.ID == to.id:
			err = checkMarker(m, to)
		case from != nil && m.ID == from.id:
			err = checkMarker(m, from)
		case from == nil:
			err = fmt.Errorf("the store's secrets are encrypted under master key %s: give that key as the old key", m.ID)
		default:
			err = fmt.Errorf("the store's secrets are encrypted under master key %s, but the old key given is %s", m.ID, from.id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// stashID names a key's stash record: purposes hold "/" but ids are hex.
func stashID(k store.Key) string { return k.ID + "|" + k.Purpose }

// recoverStash puts back any server key an interrupted rotation deleted
// before it wrote the resealed copy, then drops the stash.
func recoverStash(ctx context.Context, inner store.Keys) error {
	stash, err := inner.ListKeys(ctx, stashPurpose)
	if err != nil {
		return err
	}
	for _, s := range stash {
		id, purpose, ok := strings.Cut(s.ID, "|")
		if !ok {
			return fmt.Errorf("cryptstore: malformed rotation stash record %q", s.ID)
		}
		orig := store.Key{Purpose: purpose, ID: id, Material: s.Material, CreatedAt: s.CreatedAt}
		if err := inner.CreateKey(ctx, orig); err != nil && !errors.Is(err, store.ErrExists) {
			return err
		}
		if err := inner.DeleteKey(ctx, stashPurpose, s.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// keyPurposes is every purpose Rotate must visit.
func keyPurposes(ctx context.Context, inner store.Store, pools []store.UserPool) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] && !internalPurpose(p) {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range KnownKeyPurposes {
		add(p)
	}
	for _, p := range pools {
		add("jwt/" + p.ID)
	}
	if l, ok := inner.(KeyPurposeLister); ok {
		more, err := l.ListKeyPurposes(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range more {
			add(p)
		}
	}
	return out, nil
}

// rotateKeys reseals server keys. store.Keys has no update, so each is
// replaced by delete and create, with a stash copy kept across the two so
// an interruption loses nothing (recoverStash).
func rotateKeys(ctx context.Context, inner store.Store, r keyring, pools []store.UserPool) (Count, error) {
	var c Count
	purposes, err := keyPurposes(ctx, inner, pools)
	if err != nil {
		return c, err
	}
	for _, purpose := range purposes {
		list, err := inner.ListKeys(ctx, purpose)
		if err != nil {
			return c, err
		}
		for _, k := range list {
			if current(r, k.Material) {
				c.Current++
				continue
			}
			plain, err := r.openKey(k)
			if err != nil {
				return c, err
			}
			sealed := r.sealKey(plain)
			stash := store.Key{Purpose: stashPurpose, ID: stashID(k), Material: sealed.Material, CreatedAt: k.CreatedAt}
			if err := inner.CreateKey(ctx, stash); err != nil {
				return c, fmt.Errorf("stash %s: %w", what(fieldKey, k.Purpose, k.ID), err)
			}
			if err := inner.DeleteKey(ctx, k.Purpose, k.ID); err != nil {
				return c, err
			}
			if err := inner.CreateKey(ctx, sealed); err != nil {
				return c, err
			}
			if err := inner.DeleteKey(ctx, stashPurpose, stash.ID); err != nil {
				return c, err
			}
			c.Resealed++
		}
	}
	return c, nil
}

// rotatePool reseals a pool's app clients and users, each in its own
// compare-and-swap, and counts the messages it cannot reseal.
func rotatePool(ctx context.Context, inner store.Store, r keyring, poolID string, st *Stats) error {
	clients, err := inner.ListAppClients(ctx, poolID, "", 0)
	if err != nil {
		return err
	}
	for _, cl := range clients {
		_, err := inner.UpdateAppClient(ctx, cl.ClientID, func(raw *store.AppClient) error {
			if current(r, raw.Spec) {
				return errCurrent
			}
			plain, err := r.openClient(*raw)
			if err != nil {
				return err
			}
			*raw = r.sealClient(plain)
			return nil
		})
		if err := tally(&st.AppClients, err); err != nil {
			return err
		}
	}
	for after := ""; ; {
		users, err := inner.ListUsers(ctx, poolID, after, pageSize)
		if err != nil {
			return err
		}
		for _, u := range users {
			_, err := inner.UpdateUser(ctx, poolID, u.Key, func(raw *store.User) error {
				if current(r, raw.Spec) && current(r, raw.PasswordHash) {
					return errCurrent
				}
				plain, err := r.openUser(*raw)
				if err != nil {
					return err
				}
				*raw = r.sealUser(plain)
				return nil
			})
			if err := tally(&st.Users, err); err != nil {
				return err
			}
		}
		if len(users) < pageSize {
			break
		}
		after = users[len(users)-1].Key
	}
	msgs, err := inner.ListMessages(ctx, poolID, "", 0)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if !current(r, m.Body) {
			st.MessagesLeft++
		}
	}
	return nil
}

// tally counts one update's outcome; a record deleted meanwhile is not an
// error (there is nothing left to reseal).
func tally(c *Count, err error) error {
	switch {
	case err == nil:
		c.Resealed++
	case errors.Is(err, errCurrent):
		c.Current++
	case errors.Is(err, store.ErrNotFound):
	default:
		return err
	}
	return nil
}
