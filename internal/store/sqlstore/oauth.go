package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/federa/federa/internal/store"
)

// CreateAuthCode implements store.AuthCodes.
func (s *Store) CreateAuthCode(ctx context.Context, c store.AuthCode) error {
	c.ExpiresAt = utc(c.ExpiresAt)
	_, err := s.exec(ctx, s.db, `INSERT INTO auth_codes (hash, pool_id, expires_at, doc) VALUES (?, ?, ?, ?)`,
		c.Hash, c.PoolID, c.ExpiresAt.UnixNano(), encode(c))
	return err
}

// ConsumeAuthCode implements store.AuthCodes. The read and the delete share
// a transaction, and the delete decides: of two redemptions that both read
// the code, only the one whose delete removes the row gets it. That holds
// under SQLite's single writer and under PostgreSQL's row locks alike: there
// the read takes the row's lock, so a second redemption waits for the first
// to commit and then reads nothing (or, under SERIALIZABLE, is retried and
// then reads nothing).
func (s *Store) ConsumeAuthCode(ctx context.Context, hash string) (store.AuthCode, error) {
	var c store.AuthCode
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c = store.AuthCode{} // a retried batch runs fn again
		if err := s.getDoc(ctx, tx, &c, `SELECT doc FROM auth_codes WHERE hash = ?`+s.d.forUpdate, hash); err != nil {
			return err
		}
		return mustAffect(s.exec(ctx, tx, `DELETE FROM auth_codes WHERE hash = ?`, hash))
	})
	if err != nil {
		return store.AuthCode{}, err
	}
	return c, nil
}

// DeleteExpiredAuthCodes implements store.AuthCodes.
func (s *Store) DeleteExpiredAuthCodes(ctx context.Context, now time.Time) (int, error) {
	res, err := s.exec(ctx, s.db, `DELETE FROM auth_codes WHERE expires_at < ?`, now.UTC().UnixNano())
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// CreateResourceServer implements store.ResourceServers.
func (s *Store) CreateResourceServer(ctx context.Context, rs store.ResourceServer) error {
	_, err := s.exec(ctx, s.db, `INSERT INTO resource_servers (pool_id, identifier, doc) VALUES (?, ?, ?)`, rs.PoolID, rs.Identifier, encode(rs))
	return err
}

// GetResourceServer implements store.ResourceServers.
func (s *Store) GetResourceServer(ctx context.Context, poolID, identifier string) (store.ResourceServer, error) {
	var rs store.ResourceServer
	return rs, s.getDoc(ctx, s.db, &rs, `SELECT doc FROM resource_servers WHERE pool_id = ? AND identifier = ?`, poolID, identifier)
}

// ListResourceServers implements store.ResourceServers.
func (s *Store) ListResourceServers(ctx context.Context, poolID, after string, limit int) ([]store.ResourceServer, error) {
	return listDocs[store.ResourceServer](ctx, s, `SELECT doc FROM resource_servers WHERE pool_id = ? AND identifier > ? ORDER BY identifier`+limitClause(limit), poolID, after)
}

// UpdateResourceServer implements store.ResourceServers. The pool and the
// identifier cannot change: they are the key.
func (s *Store) UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(*store.ResourceServer) error) (store.ResourceServer, error) {
	return update(ctx, s, `SELECT doc FROM resource_servers WHERE pool_id = ? AND identifier = ?`,
		`UPDATE resource_servers SET doc = ? WHERE pool_id = ? AND identifier = ?`, []any{poolID, identifier},
		func(rs *store.ResourceServer) { rs.PoolID, rs.Identifier = poolID, identifier }, fn)
}

// DeleteResourceServer implements store.ResourceServers.
func (s *Store) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	return mustAffect(s.exec(ctx, s.db, `DELETE FROM resource_servers WHERE pool_id = ? AND identifier = ?`, poolID, identifier))
}
