package sqlstore

import (
	"context"

	"github.com/federa/federa/internal/store"
)

// CreateOIDCProvider implements store.OIDCProviders.
func (s *Store) CreateOIDCProvider(ctx context.Context, p store.OIDCProvider) error {
	p.CreatedAt = utc(p.CreatedAt)
	_, err := s.exec(ctx, s.db, `INSERT INTO oidc_providers (arn, doc) VALUES (?, ?)`, p.ARN, encode(p))
	return err
}

// GetOIDCProvider implements store.OIDCProviders.
func (s *Store) GetOIDCProvider(ctx context.Context, arn string) (store.OIDCProvider, error) {
	var p store.OIDCProvider
	return p, s.getDoc(ctx, s.db, &p, `SELECT doc FROM oidc_providers WHERE arn = ?`, arn)
}

// ListOIDCProviders implements store.OIDCProviders, ordered by ARN.
func (s *Store) ListOIDCProviders(ctx context.Context) ([]store.OIDCProvider, error) {
	return listDocs[store.OIDCProvider](ctx, s, `SELECT doc FROM oidc_providers ORDER BY arn`)
}

// UpdateOIDCProvider implements store.OIDCProviders. The ARN, URL and
// creation time cannot change.
func (s *Store) UpdateOIDCProvider(ctx context.Context, arn string, fn func(*store.OIDCProvider) error) (store.OIDCProvider, error) {
	var keep store.OIDCProvider
	return update(ctx, s, `SELECT doc FROM oidc_providers WHERE arn = ?`, `UPDATE oidc_providers SET doc = ? WHERE arn = ?`, []any{arn},
		func(p *store.OIDCProvider) { p.ARN, p.URL, p.CreatedAt = keep.ARN, keep.URL, utc(keep.CreatedAt) },
		func(p *store.OIDCProvider) error { keep = *p; return fn(p) })
}

// DeleteOIDCProvider implements store.OIDCProviders.
func (s *Store) DeleteOIDCProvider(ctx context.Context, arn string) error {
	return mustAffect(s.exec(ctx, s.db, `DELETE FROM oidc_providers WHERE arn = ?`, arn))
}
