package sqlstore

import (
	"context"
	"database/sql"

	"github.com/federa/federa/internal/store"
)

func normGroup(g *store.Group) { g.CreatedAt, g.UpdatedAt = utc(g.CreatedAt), utc(g.UpdatedAt) }

// CreateGroup implements store.Groups.
func (s *Store) CreateGroup(ctx context.Context, g store.Group) error {
	normGroup(&g)
	_, err := s.exec(ctx, s.db, `INSERT INTO user_groups (pool_id, name, doc) VALUES (?, ?, ?)`, g.PoolID, g.Name, encode(g))
	return err
}

// GetGroup implements store.Groups.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (store.Group, error) {
	var g store.Group
	return g, s.getDoc(ctx, s.db, &g, `SELECT doc FROM user_groups WHERE pool_id = ? AND name = ?`, poolID, name)
}

// ListGroups implements store.Groups.
func (s *Store) ListGroups(ctx context.Context, poolID, after string, limit int) ([]store.Group, error) {
	return listDocs[store.Group](ctx, s, `SELECT doc FROM user_groups WHERE pool_id = ? AND name > ? ORDER BY name`+limitClause(limit), poolID, after)
}

// UpdateGroup implements store.Groups. The pool, name and creation time
// cannot change.
func (s *Store) UpdateGroup(ctx context.Context, poolID, name string, fn func(*store.Group) error) (store.Group, error) {
	var keep store.Group
	return update(ctx, s, `SELECT doc FROM user_groups WHERE pool_id = ? AND name = ?`, `UPDATE user_groups SET doc = ? WHERE pool_id = ? AND name = ?`,
		[]any{poolID, name},
		func(g *store.Group) {
			g.PoolID, g.Name, g.CreatedAt = keep.PoolID, keep.Name, utc(keep.CreatedAt)
			g.UpdatedAt = utc(g.UpdatedAt)
		},
		func(g *store.Group) error { keep = *g; return fn(g) })
}

// DeleteGroup implements store.Groups.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(s.exec(ctx, tx, `DELETE FROM user_groups WHERE pool_id = ? AND name = ?`, poolID, name)); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `DELETE FROM group_members WHERE pool_id = ? AND group_name = ?`, poolID, name)
		return err
	})
}

// AddGroupMember implements store.Groups.
func (s *Store) AddGroupMember(ctx context.Context, poolID, group, userKey string) error {
	_, err := s.exec(ctx, s.db, `INSERT INTO group_members (pool_id, group_name, user_key) VALUES (?, ?, ?) ON CONFLICT (pool_id, group_name, user_key) DO NOTHING`, poolID, group, userKey)
	return err
}

// RemoveGroupMember implements store.Groups.
func (s *Store) RemoveGroupMember(ctx context.Context, poolID, group, userKey string) error {
	_, err := s.exec(ctx, s.db, `DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND user_key = ?`, poolID, group, userKey)
	return err
}

// ListGroupMembers implements store.Groups.
func (s *Store) ListGroupMembers(ctx context.Context, poolID, group, after string, limit int) ([]string, error) {
	return s.strings(ctx, `SELECT user_key FROM group_members WHERE pool_id = ? AND group_name = ? AND user_key > ? ORDER BY user_key`+limitClause(limit), poolID, group, after)
}

// ListUserGroups implements store.Groups.
func (s *Store) ListUserGroups(ctx context.Context, poolID, userKey string) ([]string, error) {
	return s.strings(ctx, `SELECT group_name FROM group_members WHERE pool_id = ? AND user_key = ? ORDER BY group_name`, poolID, userKey)
}

// strings runs a query of one text column.
func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
