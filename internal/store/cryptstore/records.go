package cryptstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/federa/federa/internal/store"
)

// Field names, written into each value's additional data so that one
// field's ciphertext never opens as another's.
const (
	fieldKey      = "key.material"
	fieldClient   = "appclient.spec"
	fieldUserSpec = "user.spec"
	fieldUserHash = "user.passwordhash"
	fieldBody     = "message.body"
	fieldCode     = "authcode.spec"
)

// Each sealed kind has a seal and an open that work on a copy, so a
// caller's record is never changed underneath it.

func (r keyring) sealKey(k store.Key) store.Key {
	if !internalPurpose(k.Purpose) {
		k.Material = r.sealBytes(k.Material, aad(fieldKey, k.Purpose, k.ID))
	}
	return k
}

func (r keyring) openKey(k store.Key) (store.Key, error) {
	if internalPurpose(k.Purpose) {
		return k, nil
	}
	m, err := r.openBytes(k.Material, aad(fieldKey, k.Purpose, k.ID))
	k.Material = m
	return k, fieldError(err, fieldKey, k.Purpose, k.ID)
}

// internalPurpose is cryptstore's own bookkeeping, kept as it is.
func internalPurpose(p string) bool { return strings.HasPrefix(p, "cryptstore/") }

func (r keyring) sealClient(c store.AppClient) store.AppClient {
	c.Spec = r.sealBytes(c.Spec, aad(fieldClient, c.ClientID))
	return c
}

func (r keyring) openClient(c store.AppClient) (store.AppClient, error) {
	spec, err := r.openBytes(c.Spec, aad(fieldClient, c.ClientID))
	c.Spec = spec
	return c, fieldError(err, fieldClient, c.ClientID)
}

func (r keyring) sealUser(u store.User) store.User {
	u.Spec = r.sealBytes(u.Spec, aad(fieldUserSpec, u.PoolID, u.Key))
	u.PasswordHash = r.sealString(u.PasswordHash, aad(fieldUserHash, u.PoolID, u.Key))
	return u
}

func (r keyring) openUser(u store.User) (store.User, error) {
	spec, err := r.openBytes(u.Spec, aad(fieldUserSpec, u.PoolID, u.Key))
	if err != nil {
		return u, fieldError(err, fieldUserSpec, u.PoolID, u.Key)
	}
	hash, err := r.openString(u.PasswordHash, aad(fieldUserHash, u.PoolID, u.Key))
	if err != nil {
		return u, fieldError(err, fieldUserHash, u.PoolID, u.Key)
	}
	u.Spec, u.PasswordHash = spec, hash
	return u, nil
}

func (r keyring) sealMessage(m store.Message) store.Message {
	m.Body = r.sealString(m.Body, aad(fieldBody, m.PoolID, m.ID))
	return m
}

// openMessage opens a message's body. store.Outbox has no update, so
// Rotate cannot reseal old messages: one sealed under a retired key reads
// as a note saying so, rather than failing the whole outbox.
func (r keyring) openMessage(m store.Message) (store.Message, error) {
	body, err := r.openString(m.Body, aad(fieldBody, m.PoolID, m.ID))
	if errors.Is(err, ErrUnknownKey) {
		m.Body = fmt.Sprintf("(sealed under retired master key %s)", sealedID(m.Body))
		return m, nil
	}
	if err != nil {
		return m, fieldError(err, fieldBody, m.PoolID, m.ID)
	}
	m.Body = body
	return m, nil
}

func (r keyring) sealCode(c store.AuthCode) store.AuthCode {
	c.Spec = r.sealBytes(c.Spec, aad(fieldCode, c.Hash))
	return c
}

func (r keyring) openCode(c store.AuthCode) (store.AuthCode, error) {
	spec, err := r.openBytes(c.Spec, aad(fieldCode, c.Hash))
	c.Spec = spec
	return c, fieldError(err, fieldCode, c.Hash)
}

// openAll opens every record of a list, stopping at the first failure.
func openAll[T any](list []T, err error, open func(T) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i], err = open(list[i]); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// update runs a compare-and-swap of the wrapped store with fn seeing the
// opened record; what fn leaves is sealed again before it is written. A
// record that does not open aborts the update with that error, unchanged.
func update[T any](inner func(func(*T) error) (T, error), open func(T) (T, error), seal func(T) T, fn func(*T) error) (T, error) {
	stored, err := inner(func(raw *T) error {
		plain, err := open(*raw)
		if err != nil {
			return err
		}
		if err := fn(&plain); err != nil {
			return err
		}
		*raw = seal(plain)
		return nil
	})
	if err != nil {
		return stored, err
	}
	// The wrapped store may normalise the record after fn (keys, times):
	// what it returns is what it stored, so open that.
	return open(stored)
}

// CreateKey implements store.Keys.
func (s *Store) CreateKey(ctx context.Context, k store.Key) error {
	return s.Store.CreateKey(ctx, s.keys.sealKey(k))
}

// ListKeys implements store.Keys.
func (s *Store) ListKeys(ctx context.Context, purpose string) ([]store.Key, error) {
	list, err := s.Store.ListKeys(ctx, purpose)
	return openAll(list, err, s.keys.openKey)
}

// CreateAppClient implements store.AppClients.
func (s *Store) CreateAppClient(ctx context.Context, c store.AppClient) error {
	return s.Store.CreateAppClient(ctx, s.keys.sealClient(c))
}

// GetAppClient implements store.AppClients.
func (s *Store) GetAppClient(ctx context.Context, clientID string) (store.AppClient, error) {
	c, err := s.Store.GetAppClient(ctx, clientID)
	if err != nil {
		return c, err
	}
	return s.keys.openClient(c)
}

// ListAppClients implements store.AppClients.
func (s *Store) ListAppClients(ctx context.Context, poolID, after string, limit int) ([]store.AppClient, error) {
	list, err := s.Store.ListAppClients(ctx, poolID, after, limit)
	return openAll(list, err, s.keys.openClient)
}

// UpdateAppClient implements store.AppClients.
func (s *Store) UpdateAppClient(ctx context.Context, clientID string, fn func(*store.AppClient) error) (store.AppClient, error) {
	inner := func(f func(*store.AppClient) error) (store.AppClient, error) {
		return s.Store.UpdateAppClient(ctx, clientID, f)
	}
	return update(inner, s.keys.openClient, s.keys.sealClient, fn)
}

// CreateUser implements store.Users.
func (s *Store) CreateUser(ctx context.Context, u store.User) error {
	return s.Store.CreateUser(ctx, s.keys.sealUser(u))
}

// GetUser implements store.Users.
func (s *Store) GetUser(ctx context.Context, poolID, key string) (store.User, error) {
	u, err := s.Store.GetUser(ctx, poolID, key)
	if err != nil {
		return u, err
	}
	return s.keys.openUser(u)
}

// GetUserBySub implements store.Users.
func (s *Store) GetUserBySub(ctx context.Context, poolID, sub string) (store.User, error) {
	u, err := s.Store.GetUserBySub(ctx, poolID, sub)
	if err != nil {
		return u, err
	}
	return s.keys.openUser(u)
}

// ListUsers implements store.Users.
func (s *Store) ListUsers(ctx context.Context, poolID, after string, limit int) ([]store.User, error) {
	list, err := s.Store.ListUsers(ctx, poolID, after, limit)
	return openAll(list, err, s.keys.openUser)
}

// UpdateUser implements store.Users.
func (s *Store) UpdateUser(ctx context.Context, poolID, key string, fn func(*store.User) error) (store.User, error) {
	inner := func(f func(*store.User) error) (store.User, error) { return s.Store.UpdateUser(ctx, poolID, key, f) }
	// The identity the value is bound to is the record's key, which fn
	// cannot change (the store keeps it), so seal under the given one.
	seal := func(u store.User) store.User { u.PoolID, u.Key = poolID, key; return s.keys.sealUser(u) }
	return update(inner, s.keys.openUser, seal, fn)
}

// AddMessage implements store.Outbox.
func (s *Store) AddMessage(ctx context.Context, m store.Message) error {
	return s.Store.AddMessage(ctx, s.keys.sealMessage(m))
}

// ListMessages implements store.Outbox.
func (s *Store) ListMessages(ctx context.Context, poolID, after string, limit int) ([]store.Message, error) {
	list, err := s.Store.ListMessages(ctx, poolID, after, limit)
	return openAll(list, err, s.keys.openMessage)
}

// CreateAuthCode implements store.AuthCodes.
func (s *Store) CreateAuthCode(ctx context.Context, c store.AuthCode) error {
	return s.Store.CreateAuthCode(ctx, s.keys.sealCode(c))
}

// ConsumeAuthCode implements store.AuthCodes.
func (s *Store) ConsumeAuthCode(ctx context.Context, hash string) (store.AuthCode, error) {
	c, err := s.Store.ConsumeAuthCode(ctx, hash)
	if err != nil {
		return c, err
	}
	return s.keys.openCode(c)
}
