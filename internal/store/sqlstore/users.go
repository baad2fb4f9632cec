package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/federa/federa/internal/store"
)

func normUser(u *store.User) { u.CreatedAt, u.UpdatedAt = utc(u.CreatedAt), utc(u.UpdatedAt) }

// CreateUser implements store.Users.
func (s *Store) CreateUser(ctx context.Context, u store.User) error {
	normUser(&u)
	_, err := s.exec(ctx, s.db, `INSERT INTO users (pool_id, user_key, sub, doc) VALUES (?, ?, ?, ?)`, u.PoolID, u.Key, u.Sub, encode(u))
	return err
}

// GetUser implements store.Users.
func (s *Store) GetUser(ctx context.Context, poolID, key string) (store.User, error) {
	var u store.User
	return u, s.getDoc(ctx, s.db, &u, `SELECT doc FROM users WHERE pool_id = ? AND user_key = ?`, poolID, key)
}

// GetUserBySub implements store.Users.
func (s *Store) GetUserBySub(ctx context.Context, poolID, sub string) (store.User, error) {
	var u store.User
	return u, s.getDoc(ctx, s.db, &u, `SELECT doc FROM users WHERE pool_id = ? AND sub = ?`, poolID, sub)
}

// ListUsers implements store.Users.
func (s *Store) ListUsers(ctx context.Context, poolID, after string, limit int) ([]store.User, error) {
	return listDocs[store.User](ctx, s, `SELECT doc FROM users WHERE pool_id = ? AND user_key > ? ORDER BY user_key`+limitClause(limit), poolID, after)
}

// UpdateUser implements store.Users. The sub cannot change.
func (s *Store) UpdateUser(ctx context.Context, poolID, key string, fn func(*store.User) error) (store.User, error) {
	var sub string
	return update(ctx, s, `SELECT doc FROM users WHERE pool_id = ? AND user_key = ?`, `UPDATE users SET doc = ? WHERE pool_id = ? AND user_key = ?`,
		[]any{poolID, key}, func(u *store.User) { u.PoolID, u.Key, u.Sub = poolID, key, sub; normUser(u) },
		func(u *store.User) error { sub = u.Sub; return fn(u) })
}

// DeleteUser implements store.Users; the user's refresh tokens go with it.
func (s *Store) DeleteUser(ctx context.Context, poolID, key string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(s.exec(ctx, tx, `DELETE FROM users WHERE pool_id = ? AND user_key = ?`, poolID, key)); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM refresh_tokens WHERE pool_id = ? AND user_key = ?`, poolID, key); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `DELETE FROM group_members WHERE pool_id = ? AND user_key = ?`, poolID, key)
		return err
	})
}

// CreateRefreshToken implements store.RefreshTokens.
func (s *Store) CreateRefreshToken(ctx context.Context, t store.RefreshToken) error {
	t.IssuedAt, t.ExpiresAt = utc(t.IssuedAt), utc(t.ExpiresAt)
	_, err := s.exec(ctx, s.db, `INSERT INTO refresh_tokens (hash, pool_id, user_key, expires_at, scopes, doc) VALUES (?, ?, ?, ?, ?, ?)`,
		t.Hash, t.PoolID, t.UserKey, t.ExpiresAt.UnixNano(), t.Scopes, encode(t))
	return err
}

// GetRefreshToken implements store.RefreshTokens. The scopes come from their
// column, the one place they are kept as a value of their own (the document
// of a token issued before migration 0006 has none).
func (s *Store) GetRefreshToken(ctx context.Context, hash string) (store.RefreshToken, error) {
	var t store.RefreshToken
	var doc, scopes string
	err := s.queryRow(ctx, s.db, `SELECT doc, scopes FROM refresh_tokens WHERE hash = ?`, hash).Scan(&doc, &scopes)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("%w", store.ErrNotFound)
	}
	if err != nil {
		return t, err
	}
	if err := json.Unmarshal([]byte(doc), &t); err != nil {
		return t, err
	}
	t.Scopes = scopes
	return t, nil
}

// DeleteRefreshToken implements store.RefreshTokens.
func (s *Store) DeleteRefreshToken(ctx context.Context, hash string) error {
	return mustAffect(s.exec(ctx, s.db, `DELETE FROM refresh_tokens WHERE hash = ?`, hash))
}

// DeleteUserRefreshTokens implements store.RefreshTokens.
func (s *Store) DeleteUserRefreshTokens(ctx context.Context, poolID, userKey string) error {
	_, err := s.exec(ctx, s.db, `DELETE FROM refresh_tokens WHERE pool_id = ? AND user_key = ?`, poolID, userKey)
	return err
}

// DeleteExpiredRefreshTokens implements store.RefreshTokens.
func (s *Store) DeleteExpiredRefreshTokens(ctx context.Context, now time.Time) (int, error) {
	res, err := s.exec(ctx, s.db, `DELETE FROM refresh_tokens WHERE expires_at < ?`, now.UTC().UnixNano())
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// CreateKey implements store.Keys.
func (s *Store) CreateKey(ctx context.Context, k store.Key) error {
	k.CreatedAt = utc(k.CreatedAt)
	_, err := s.exec(ctx, s.db, `INSERT INTO server_keys (purpose, id, created_at, doc) VALUES (?, ?, ?, ?)`, k.Purpose, k.ID, k.CreatedAt.UnixNano(), encode(k))
	return err
}

// ListKeys implements store.Keys: newest first.
func (s *Store) ListKeys(ctx context.Context, purpose string) ([]store.Key, error) {
	return listDocs[store.Key](ctx, s, `SELECT doc FROM server_keys WHERE purpose = ? ORDER BY created_at DESC, id DESC`, purpose)
}

// DeleteKey implements store.Keys.
func (s *Store) DeleteKey(ctx context.Context, purpose, id string) error {
	return mustAffect(s.exec(ctx, s.db, `DELETE FROM server_keys WHERE purpose = ? AND id = ?`, purpose, id))
}
