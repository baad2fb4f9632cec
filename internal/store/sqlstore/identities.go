package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/federa/federa/internal/store"
)

func normIDPool(p *store.IdentityPool) { p.CreatedAt, p.UpdatedAt = utc(p.CreatedAt), utc(p.UpdatedAt) }

// CreateIdentityPool implements store.IdentityPools.
func (s *Store) CreateIdentityPool(ctx context.Context, p store.IdentityPool) error {
	normIDPool(&p)
	_, err := s.exec(ctx, s.db, `INSERT INTO identity_pools (id, name, doc) VALUES (?, ?, ?)`, p.ID, p.Name, encode(p))
	return err
}

// GetIdentityPool implements store.IdentityPools.
func (s *Store) GetIdentityPool(ctx context.Context, id string) (store.IdentityPool, error) {
	var p store.IdentityPool
	return p, s.getDoc(ctx, s.db, &p, `SELECT doc FROM identity_pools WHERE id = ?`, id)
}

// ListIdentityPools implements store.IdentityPools.
func (s *Store) ListIdentityPools(ctx context.Context, after string, limit int) ([]store.IdentityPool, error) {
	return listDocs[store.IdentityPool](ctx, s, `SELECT doc FROM identity_pools WHERE id > ? ORDER BY id`+limitClause(limit), after)
}

// UpdateIdentityPool implements store.IdentityPools.
func (s *Store) UpdateIdentityPool(ctx context.Context, id string, fn func(*store.IdentityPool) error) (store.IdentityPool, error) {
	return update(ctx, s, `SELECT doc FROM identity_pools WHERE id = ?`, `UPDATE identity_pools SET doc = ? WHERE id = ?`, []any{id},
		func(p *store.IdentityPool) { p.ID = id; normIDPool(p) }, fn)
}

// DeleteIdentityPool implements store.IdentityPools; identities and their
// logins go with it.
func (s *Store) DeleteIdentityPool(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(s.exec(ctx, tx, `DELETE FROM identity_pools WHERE id = ?`, id)); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM identities WHERE pool_id = ?`, id); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `DELETE FROM identity_logins WHERE pool_id = ?`, id)
		return err
	})
}

// CreateIdentity implements store.Identities: the identity and all its
// logins, or nothing.
func (s *Store) CreateIdentity(ctx context.Context, id store.Identity) error {
	id.CreatedAt, id.UpdatedAt = utc(id.CreatedAt), utc(id.UpdatedAt)
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `INSERT INTO identities (id, pool_id, doc) VALUES (?, ?, ?)`, id.ID, id.PoolID, encode(id)); err != nil {
			return err
		}
		for _, l := range id.Logins {
			if _, err := s.exec(ctx, tx, `INSERT INTO identity_logins (pool_id, provider, subject, identity_id) VALUES (?, ?, ?, ?)`,
				id.PoolID, l.Provider, l.Subject, id.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// GetIdentity implements store.Identities.
func (s *Store) GetIdentity(ctx context.Context, id string) (store.Identity, error) {
	var i store.Identity
	return i, s.getDoc(ctx, s.db, &i, `SELECT doc FROM identities WHERE id = ?`, id)
}

// FindIdentityByLogin implements store.Identities.
func (s *Store) FindIdentityByLogin(ctx context.Context, poolID string, l store.Login) (store.Identity, error) {
	var i store.Identity
	err := s.getDoc(ctx, s.db, &i, `SELECT i.doc FROM identity_logins l JOIN identities i ON i.id = l.identity_id
		WHERE l.pool_id = ? AND l.provider = ? AND l.subject = ?`, poolID, l.Provider, l.Subject)
	return i, err
}

// ListIdentities implements store.Identities.
func (s *Store) ListIdentities(ctx context.Context, poolID, after string, limit int) ([]store.Identity, error) {
	return listDocs[store.Identity](ctx, s, `SELECT doc FROM identities WHERE pool_id = ? AND id > ? ORDER BY id`+limitClause(limit), poolID, after)
}

// TouchIdentity implements store.Identities.
func (s *Store) TouchIdentity(ctx context.Context, id string, at time.Time) error {
	_, err := update(ctx, s, `SELECT doc FROM identities WHERE id = ?`, `UPDATE identities SET doc = ? WHERE id = ?`, []any{id},
		func(i *store.Identity) { i.ID = id }, func(i *store.Identity) error { i.UpdatedAt = utc(at); return nil })
	return err
}

// DeleteIdentity implements store.Identities; its logins are freed.
func (s *Store) DeleteIdentity(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(s.exec(ctx, tx, `DELETE FROM identities WHERE id = ?`, id)); err != nil {
			return err
		}
		_, err := s.exec(ctx, tx, `DELETE FROM identity_logins WHERE identity_id = ?`, id)
		return err
	})
}

// LinkLogins implements store.Identities.
func (s *Store) LinkLogins(ctx context.Context, id string, logins []store.Login, at time.Time) (store.Identity, error) {
	var out store.Identity
	err := s.tx(ctx, func(tx *sql.Tx) error {
		out = store.Identity{} // a retried fn starts afresh
		if err := s.getDoc(ctx, tx, &out, `SELECT doc FROM identities WHERE id = ?`+s.d.forUpdate, id); err != nil {
			return err
		}
		for _, l := range logins {
			if slices.Contains(out.Logins, l) {
				continue
			}
			if _, err := s.exec(ctx, tx, `INSERT INTO identity_logins (pool_id, provider, subject, identity_id) VALUES (?, ?, ?, ?)`,
				out.PoolID, l.Provider, l.Subject, id); err != nil {
				return err
			}
			out.Logins = append(out.Logins, l)
		}
		out.UpdatedAt = utc(at)
		_, err := s.exec(ctx, tx, `UPDATE identities SET doc = ? WHERE id = ?`, encode(out), id)
		return err
	})
	return out, err
}

// UnlinkLogins implements store.Identities.
func (s *Store) UnlinkLogins(ctx context.Context, id string, logins []store.Login, at time.Time) (store.Identity, error) {
	var out store.Identity
	err := s.tx(ctx, func(tx *sql.Tx) error {
		out = store.Identity{} // a retried fn starts afresh
		if err := s.getDoc(ctx, tx, &out, `SELECT doc FROM identities WHERE id = ?`+s.d.forUpdate, id); err != nil {
			return err
		}
		for _, l := range logins {
			if _, err := s.exec(ctx, tx, `DELETE FROM identity_logins WHERE identity_id = ? AND provider = ? AND subject = ?`, id, l.Provider, l.Subject); err != nil {
				return err
			}
		}
		out.Logins = slices.DeleteFunc(out.Logins, func(l store.Login) bool { return slices.Contains(logins, l) })
		out.UpdatedAt = utc(at)
		_, err := s.exec(ctx, tx, `UPDATE identities SET doc = ? WHERE id = ?`, encode(out), id)
		return err
	})
	return out, err
}
