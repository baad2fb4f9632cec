package sqlstore

import (
	"context"
	"database/sql"

	"github.com/federa/federa/internal/store"
)

func normPool(p *store.UserPool) { p.CreatedAt, p.UpdatedAt = utc(p.CreatedAt), utc(p.UpdatedAt) }

// CreateUserPool implements store.UserPools.
func (s *Store) CreateUserPool(ctx context.Context, p store.UserPool) error {
	normPool(&p)
	_, err := s.exec(ctx, s.db, `INSERT INTO user_pools (id, name, doc) VALUES (?, ?, ?)`, p.ID, p.Name, encode(p))
	return err
}

// GetUserPool implements store.UserPools.
func (s *Store) GetUserPool(ctx context.Context, id string) (store.UserPool, error) {
	var p store.UserPool
	return p, s.getDoc(ctx, s.db, &p, `SELECT doc FROM user_pools WHERE id = ?`, id)
}

// ListUserPools implements store.UserPools.
func (s *Store) ListUserPools(ctx context.Context, after string, limit int) ([]store.UserPool, error) {
	return listDocs[store.UserPool](ctx, s, `SELECT doc FROM user_pools WHERE id > ? ORDER BY id`+limitClause(limit), after)
}

// UpdateUserPool implements store.UserPools.
func (s *Store) UpdateUserPool(ctx context.Context, id string, fn func(*store.UserPool) error) (store.UserPool, error) {
	return update(ctx, s, `SELECT doc FROM user_pools WHERE id = ?`, `UPDATE user_pools SET doc = ? WHERE id = ?`, []any{id},
		func(p *store.UserPool) { p.ID = id; normPool(p) }, fn)
}

// DeleteUserPool implements store.UserPools; it removes everything of the pool.
func (s *Store) DeleteUserPool(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(s.exec(ctx, tx, `DELETE FROM user_pools WHERE id = ?`, id)); err != nil {
			return err
		}
		for _, t := range []string{"app_clients", "domains", "users", "refresh_tokens", "outbox", "user_groups", "group_members", "resource_servers", "auth_codes"} {
			if _, err := s.exec(ctx, tx, `DELETE FROM `+t+` WHERE pool_id = ?`, id); err != nil {
				return err
			}
		}
		_, err := s.exec(ctx, tx, `DELETE FROM server_keys WHERE purpose = ?`, "jwt/"+id)
		return err
	})
}

func normClient(c *store.AppClient) { c.CreatedAt, c.UpdatedAt = utc(c.CreatedAt), utc(c.UpdatedAt) }

// CreateAppClient implements store.AppClients.
func (s *Store) CreateAppClient(ctx context.Context, c store.AppClient) error {
	normClient(&c)
	_, err := s.exec(ctx, s.db, `INSERT INTO app_clients (client_id, pool_id, doc) VALUES (?, ?, ?)`, c.ClientID, c.PoolID, encode(c))
	return err
}

// GetAppClient implements store.AppClients.
func (s *Store) GetAppClient(ctx context.Context, clientID string) (store.AppClient, error) {
	var c store.AppClient
	return c, s.getDoc(ctx, s.db, &c, `SELECT doc FROM app_clients WHERE client_id = ?`, clientID)
}

// ListAppClients implements store.AppClients.
func (s *Store) ListAppClients(ctx context.Context, poolID, after string, limit int) ([]store.AppClient, error) {
	return listDocs[store.AppClient](ctx, s, `SELECT doc FROM app_clients WHERE pool_id = ? AND client_id > ? ORDER BY client_id`+limitClause(limit), poolID, after)
}

// UpdateAppClient implements store.AppClients. The client id and pool cannot change.
func (s *Store) UpdateAppClient(ctx context.Context, clientID string, fn func(*store.AppClient) error) (store.AppClient, error) {
	var pool string
	return update(ctx, s, `SELECT doc FROM app_clients WHERE client_id = ?`, `UPDATE app_clients SET doc = ? WHERE client_id = ?`, []any{clientID},
		func(c *store.AppClient) { c.ClientID, c.PoolID = clientID, pool; normClient(c) },
		func(c *store.AppClient) error { pool = c.PoolID; return fn(c) })
}

// DeleteAppClient implements store.AppClients.
func (s *Store) DeleteAppClient(ctx context.Context, clientID string) error {
	return mustAffect(s.exec(ctx, s.db, `DELETE FROM app_clients WHERE client_id = ?`, clientID))
}

// CreateDomain implements store.Domains.
func (s *Store) CreateDomain(ctx context.Context, d store.Domain) error {
	d.CreatedAt = utc(d.CreatedAt)
	_, err := s.exec(ctx, s.db, `INSERT INTO domains (domain, pool_id, doc) VALUES (?, ?, ?)`, d.Domain, d.PoolID, encode(d))
	return err
}

// GetDomain implements store.Domains.
func (s *Store) GetDomain(ctx context.Context, domain string) (store.Domain, error) {
	var d store.Domain
	return d, s.getDoc(ctx, s.db, &d, `SELECT doc FROM domains WHERE domain = ?`, domain)
}

// GetDomainByPool implements store.Domains.
func (s *Store) GetDomainByPool(ctx context.Context, poolID string) (store.Domain, error) {
	var d store.Domain
	return d, s.getDoc(ctx, s.db, &d, `SELECT doc FROM domains WHERE pool_id = ?`, poolID)
}

// DeleteDomain implements store.Domains.
func (s *Store) DeleteDomain(ctx context.Context, domain string) error {
	return mustAffect(s.exec(ctx, s.db, `DELETE FROM domains WHERE domain = ?`, domain))
}
