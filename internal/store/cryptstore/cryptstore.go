package cryptstore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/federa/federa/internal/store"
)

// Store is a store.Store that seals secret fields on the way in and opens
// them on the way out. Methods not written in records.go pass straight to
// the wrapped store.
type Store struct {
	store.Store
	keys keyring
}

var _ store.Store = (*Store)(nil)

// Key purposes cryptstore keeps for itself; services never use them.
const (
	// markerPurpose holds one record per master key the secrets are under
	// (two while a rotation runs), named by the key's id.
	markerPurpose = "cryptstore/master-key"
	// stashPurpose keeps a server key's resealed copy while Rotate replaces
	// it, since store.Keys has no update (rotate.go).
	stashPurpose = "cryptstore/rotating"
)

// markerPlain is what a marker seals: opening it proves the key is right,
// not merely that its id matches.
const markerPlain = "federa master key check"

// New wraps inner: values are sealed under key and opened with key or any
// of older (old keys read during a rotation). New does not look at the
// store; servers use Open, which checks that key is the store's key.
func New(inner store.Store, key *MasterKey, older ...*MasterKey) *Store {
	return &Store{Store: inner, keys: newKeyring(key, older...)}
}

// Open wraps inner after checking that its secrets are under key:
//   - a store with no marker (new, or written before encryption) gets one
//     for key; its plaintext values stay readable and are sealed as they
//     are written again, or by Rotate;
//   - a store marked with another key is refused, naming both ids;
//   - a store a rotation left half done is refused until it is run again.
func Open(ctx context.Context, inner store.Store, key *MasterKey) (*Store, error) {
	if err := checkNoStash(ctx, inner); err != nil {
		return nil, err
	}
	markers, err := inner.ListKeys(ctx, markerPurpose)
	if err != nil {
		return nil, err
	}
	switch {
	case len(markers) == 0:
		if err := createMarker(ctx, inner, key); err != nil && !errors.Is(err, store.ErrExists) {
			return nil, err
		}
		// Another node may have marked the store with its key meanwhile.
		if markers, err = inner.ListKeys(ctx, markerPurpose); err != nil {
			return nil, err
		}
		if len(markers) != 1 || markers[0].ID != key.id {
			return nil, fmt.Errorf("the store's secrets are under master key %s, not %s (the key given): another node started with a different key", markerIDs(markers), key.id)
		}
	case len(markers) > 1:
		return nil, fmt.Errorf("a master key rotation between %s did not finish: run federa rotate-master-key again with the same keys", markerIDs(markers))
	case markers[0].ID != key.id:
		return nil, fmt.Errorf("the store's secrets are encrypted under master key %s, but the master key given is %s: "+
			"start with the key the store was last rotated to (federa rotate-master-key changes it)", markers[0].ID, key.id)
	default:
		if err := checkMarker(markers[0], key); err != nil {
			return nil, err
		}
	}
	return New(inner, key), nil
}

// CheckPlain returns an error when the store's secrets are encrypted, so
// that a server started without a master key stops with a message instead
// of failing on every secret it reads.
func CheckPlain(ctx context.Context, inner store.Keys) error {
	markers, err := inner.ListKeys(ctx, markerPurpose)
	if err != nil {
		return err
	}
	if len(markers) > 0 {
		return fmt.Errorf("the store's secrets are encrypted under master key %s: give the key with --master-key-file or FEDERA_MASTER_KEY", markerIDs(markers))
	}
	return checkNoStash(ctx, inner)
}

// KeyID returns the id of the master key the store's secrets are under, ""
// when they are in clear. During an unfinished rotation it lists both.
func KeyID(ctx context.Context, inner store.Keys) (string, error) {
	markers, err := inner.ListKeys(ctx, markerPurpose)
	if err != nil {
		return "", err
	}
	return markerIDs(markers), nil
}

func checkNoStash(ctx context.Context, inner store.Keys) error {
	stash, err := inner.ListKeys(ctx, stashPurpose)
	if err != nil {
		return err
	}
	if len(stash) > 0 {
		return fmt.Errorf("a master key rotation was interrupted while replacing %d server keys: run federa rotate-master-key again with the same keys", len(stash))
	}
	return nil
}

func markerAAD(id string) string { return aad("marker", markerPurpose, id) }

func createMarker(ctx context.Context, inner store.Keys, key *MasterKey) error {
	r := newKeyring(key)
	return inner.CreateKey(ctx, store.Key{Purpose: markerPurpose, ID: key.id, CreatedAt: time.Now().UTC(),
		Material: r.sealBytes([]byte(markerPlain), markerAAD(key.id))})
}

// checkMarker opens a marker with key: a key whose id collides with the
// store's but is another key fails here rather than on every secret.
func checkMarker(m store.Key, key *MasterKey) error {
	plain, err := newKeyring(key).openBytes(m.Material, markerAAD(m.ID))
	if err != nil || sealedID(m.Material) == "" || string(plain) != markerPlain {
		return fmt.Errorf("the master key given (id %s) does not open the store's key check: it is not the key the secrets are under", key.id)
	}
	return nil
}

func markerIDs(markers []store.Key) string {
	ids := make([]string, 0, len(markers))
	for _, m := range markers {
		ids = append(ids, m.ID)
	}
	sort.Strings(ids)
	return strings.Join(ids, " and ")
}
