package sqlstore

import (
	"context"

	"github.com/federa/federa/internal/store"
)

// CreateRestAPI implements store.RestAPIs.
func (s *Store) CreateRestAPI(ctx context.Context, a store.RestAPI) error {
	a.CreatedAt = utc(a.CreatedAt)
	_, err := s.exec(ctx, s.db, `INSERT INTO rest_apis (id, doc) VALUES (?, ?)`, a.ID, encode(a))
	return err
}

// GetRestAPI implements store.RestAPIs.
func (s *Store) GetRestAPI(ctx context.Context, id string) (store.RestAPI, error) {
	var a store.RestAPI
	return a, s.getDoc(ctx, s.db, &a, `SELECT doc FROM rest_apis WHERE id = ?`, id)
}

// ListRestAPIs implements store.RestAPIs.
func (s *Store) ListRestAPIs(ctx context.Context, after string, limit int) ([]store.RestAPI, error) {
	return listDocs[store.RestAPI](ctx, s, `SELECT doc FROM rest_apis WHERE id > ? ORDER BY id`+limitClause(limit), after)
}

// UpdateRestAPI implements store.RestAPIs. The id and creation time cannot
// change.
func (s *Store) UpdateRestAPI(ctx context.Context, id string, fn func(*store.RestAPI) error) (store.RestAPI, error) {
	var keep store.RestAPI
	return update(ctx, s, `SELECT doc FROM rest_apis WHERE id = ?`, `UPDATE rest_apis SET doc = ? WHERE id = ?`, []any{id},
		func(a *store.RestAPI) { a.ID, a.CreatedAt = id, utc(keep.CreatedAt) },
		func(a *store.RestAPI) error { keep = *a; return fn(a) })
}

// DeleteRestAPI implements store.RestAPIs.
func (s *Store) DeleteRestAPI(ctx context.Context, id string) error {
	return mustAffect(s.exec(ctx, s.db, `DELETE FROM rest_apis WHERE id = ?`, id))
}
