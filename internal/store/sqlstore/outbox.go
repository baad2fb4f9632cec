package sqlstore

import (
	"context"

	"github.com/federa/federa/internal/store"
)

// AddMessage implements store.Outbox.
func (s *Store) AddMessage(ctx context.Context, m store.Message) error {
	m.CreatedAt = utc(m.CreatedAt)
	_, err := s.exec(ctx, s.db, `INSERT INTO outbox (id, pool_id, doc) VALUES (?, ?, ?)`, m.ID, m.PoolID, encode(m))
	return err
}

// ListMessages implements store.Outbox.
func (s *Store) ListMessages(ctx context.Context, poolID, after string, limit int) ([]store.Message, error) {
	return listDocs[store.Message](ctx, s, `SELECT doc FROM outbox WHERE pool_id = ? AND id > ? ORDER BY id`+limitClause(limit), poolID, after)
}
