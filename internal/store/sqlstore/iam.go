package sqlstore

import (
	"context"
	"strings"

	"github.com/federa/federa/internal/store"
)

// Role names are unique case-insensitively in IAM, so rows are keyed by the
// lower-cased name.
func roleKey(name string) string { return strings.ToLower(name) }

// CreateRole implements store.Roles.
func (s *Store) CreateRole(ctx context.Context, r store.Role) error {
	r.CreatedAt = utc(r.CreatedAt)
	_, err := s.exec(ctx, s.db, `INSERT INTO roles (name_key, name, doc) VALUES (?, ?, ?)`, roleKey(r.Name), r.Name, encode(r))
	return err
}

// GetRole implements store.Roles.
func (s *Store) GetRole(ctx context.Context, name string) (store.Role, error) {
	var r store.Role
	return r, s.getDoc(ctx, s.db, &r, `SELECT doc FROM roles WHERE name_key = ?`, roleKey(name))
}

// ListRoles implements store.Roles, ordered by name.
func (s *Store) ListRoles(ctx context.Context, after string, limit int) ([]store.Role, error) {
	return listDocs[store.Role](ctx, s, `SELECT doc FROM roles WHERE name > ? ORDER BY name`+limitClause(limit), after)
}

// UpdateRole implements store.Roles. The name and id cannot change.
func (s *Store) UpdateRole(ctx context.Context, name string, fn func(*store.Role) error) (store.Role, error) {
	var keep store.Role
	return update(ctx, s, `SELECT doc FROM roles WHERE name_key = ?`, `UPDATE roles SET doc = ? WHERE name_key = ?`, []any{roleKey(name)},
		func(r *store.Role) { r.Name, r.ID, r.CreatedAt = keep.Name, keep.ID, utc(keep.CreatedAt) },
		func(r *store.Role) error { keep = *r; return fn(r) })
}

// DeleteRole implements store.Roles.
func (s *Store) DeleteRole(ctx context.Context, name string) error {
	return mustAffect(s.exec(ctx, s.db, `DELETE FROM roles WHERE name_key = ?`, roleKey(name)))
}

func normPolicy(p *store.ManagedPolicy) {
	p.CreatedAt, p.UpdatedAt = utc(p.CreatedAt), utc(p.UpdatedAt)
	for i := range p.Versions {
		p.Versions[i].CreatedAt = utc(p.Versions[i].CreatedAt)
	}
}

// CreatePolicy implements store.Policies.
func (s *Store) CreatePolicy(ctx context.Context, p store.ManagedPolicy) error {
	normPolicy(&p)
	_, err := s.exec(ctx, s.db, `INSERT INTO policies (arn, doc) VALUES (?, ?)`, p.ARN, encode(p))
	return err
}

// GetPolicy implements store.Policies.
func (s *Store) GetPolicy(ctx context.Context, arn string) (store.ManagedPolicy, error) {
	var p store.ManagedPolicy
	return p, s.getDoc(ctx, s.db, &p, `SELECT doc FROM policies WHERE arn = ?`, arn)
}

// ListPolicies implements store.Policies.
func (s *Store) ListPolicies(ctx context.Context, after string, limit int) ([]store.ManagedPolicy, error) {
	return listDocs[store.ManagedPolicy](ctx, s, `SELECT doc FROM policies WHERE arn > ? ORDER BY arn`+limitClause(limit), after)
}

// UpdatePolicy implements store.Policies.
func (s *Store) UpdatePolicy(ctx context.Context, arn string, fn func(*store.ManagedPolicy) error) (store.ManagedPolicy, error) {
	return update(ctx, s, `SELECT doc FROM policies WHERE arn = ?`, `UPDATE policies SET doc = ? WHERE arn = ?`, []any{arn},
		func(p *store.ManagedPolicy) { p.ARN = arn; normPolicy(p) }, fn)
}

// DeletePolicy implements store.Policies.
func (s *Store) DeletePolicy(ctx context.Context, arn string) error {
	return mustAffect(s.exec(ctx, s.db, `DELETE FROM policies WHERE arn = ?`, arn))
}
