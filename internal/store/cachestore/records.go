package cachestore

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"time"

	"github.com/federa/federa/internal/store"
)

// Each cached kind: its Get goes through get, every write through it
// invalidates. Methods not written here pass straight to the wrapped store.

func cloneUserPool(p store.UserPool) store.UserPool       { p.Spec = bytes.Clone(p.Spec); return p }
func cloneClient(c store.AppClient) store.AppClient       { c.Spec = bytes.Clone(c.Spec); return c }
func cloneIDPool(p store.IdentityPool) store.IdentityPool { p.Spec = bytes.Clone(p.Spec); return p }
func cloneIdentity(i store.Identity) store.Identity       { i.Logins = slices.Clone(i.Logins); return i }
func cloneBucket(b store.Bucket) store.Bucket {
	b.CORS, b.Spec = bytes.Clone(b.CORS), bytes.Clone(b.Spec)
	if b.PublicAccessBlock != nil {
		pab := *b.PublicAccessBlock
		b.PublicAccessBlock = &pab
	}
	return b
}
func cloneRole(r store.Role) store.Role {
	r.InlinePolicies, r.Tags = maps.Clone(r.InlinePolicies), maps.Clone(r.Tags)
	r.AttachedPolicies = slices.Clone(r.AttachedPolicies)
	return r
}
func clonePolicy(p store.ManagedPolicy) store.ManagedPolicy {
	p.Versions = slices.Clone(p.Versions)
	return p
}

// GetUserPool implements store.UserPools.
func (s *Store) GetUserPool(ctx context.Context, id string) (store.UserPool, error) {
	return get(s, config, key{"userpool", id}, cloneUserPool, func() (store.UserPool, error) { return s.Store.GetUserPool(ctx, id) })
}

// CreateUserPool implements store.UserPools.
func (s *Store) CreateUserPool(ctx context.Context, p store.UserPool) error {
	defer s.invalidate(config)
	return s.Store.CreateUserPool(ctx, p)
}

// UpdateUserPool implements store.UserPools.
func (s *Store) UpdateUserPool(ctx context.Context, id string, fn func(*store.UserPool) error) (store.UserPool, error) {
	defer s.invalidate(config)
	return s.Store.UpdateUserPool(ctx, id, fn)
}

// DeleteUserPool implements store.UserPools.
func (s *Store) DeleteUserPool(ctx context.Context, id string) error {
	defer s.invalidate(config)
	return s.Store.DeleteUserPool(ctx, id)
}

// GetAppClient implements store.AppClients.
func (s *Store) GetAppClient(ctx context.Context, clientID string) (store.AppClient, error) {
	return get(s, config, key{"client", clientID}, cloneClient, func() (store.AppClient, error) { return s.Store.GetAppClient(ctx, clientID) })
}

// CreateAppClient implements store.AppClients.
func (s *Store) CreateAppClient(ctx context.Context, c store.AppClient) error {
	defer s.invalidate(config)
	return s.Store.CreateAppClient(ctx, c)
}

// UpdateAppClient implements store.AppClients.
func (s *Store) UpdateAppClient(ctx context.Context, clientID string, fn func(*store.AppClient) error) (store.AppClient, error) {
	defer s.invalidate(config)
	return s.Store.UpdateAppClient(ctx, clientID, fn)
}

// DeleteAppClient implements store.AppClients.
func (s *Store) DeleteAppClient(ctx context.Context, clientID string) error {
	defer s.invalidate(config)
	return s.Store.DeleteAppClient(ctx, clientID)
}

// GetIdentityPool implements store.IdentityPools.
func (s *Store) GetIdentityPool(ctx context.Context, id string) (store.IdentityPool, error) {
	return get(s, config, key{"idpool", id}, cloneIDPool, func() (store.IdentityPool, error) { return s.Store.GetIdentityPool(ctx, id) })
}

// CreateIdentityPool implements store.IdentityPools.
func (s *Store) CreateIdentityPool(ctx context.Context, p store.IdentityPool) error {
	defer s.invalidate(config)
	return s.Store.CreateIdentityPool(ctx, p)
}

// UpdateIdentityPool implements store.IdentityPools.
func (s *Store) UpdateIdentityPool(ctx context.Context, id string, fn func(*store.IdentityPool) error) (store.IdentityPool, error) {
	defer s.invalidate(config)
	return s.Store.UpdateIdentityPool(ctx, id, fn)
}

// DeleteIdentityPool implements store.IdentityPools.
func (s *Store) DeleteIdentityPool(ctx context.Context, id string) error {
	defer s.invalidate(config)
	return s.Store.DeleteIdentityPool(ctx, id)
}

// GetIdentity implements store.Identities.
func (s *Store) GetIdentity(ctx context.Context, id string) (store.Identity, error) {
	return get(s, identities, key{"identity", id}, cloneIdentity, func() (store.Identity, error) { return s.Store.GetIdentity(ctx, id) })
}

// FindIdentityByLogin implements store.Identities.
func (s *Store) FindIdentityByLogin(ctx context.Context, poolID string, l store.Login) (store.Identity, error) {
	k := key{"login", poolID + "\x00" + l.Provider + "\x00" + l.Subject}
	return get(s, identities, k, cloneIdentity, func() (store.Identity, error) { return s.Store.FindIdentityByLogin(ctx, poolID, l) })
}

// CreateIdentity implements store.Identities.
func (s *Store) CreateIdentity(ctx context.Context, id store.Identity) error {
	defer s.invalidate(identities)
	return s.Store.CreateIdentity(ctx, id)
}

// TouchIdentity implements store.Identities.
func (s *Store) TouchIdentity(ctx context.Context, id string, at time.Time) error {
	defer s.invalidate(identities)
	return s.Store.TouchIdentity(ctx, id, at)
}

// LinkLogins implements store.Identities.
func (s *Store) LinkLogins(ctx context.Context, id string, logins []store.Login, at time.Time) (store.Identity, error) {
	defer s.invalidate(identities)
	return s.Store.LinkLogins(ctx, id, logins, at)
}

// UnlinkLogins implements store.Identities.
func (s *Store) UnlinkLogins(ctx context.Context, id string, logins []store.Login, at time.Time) (store.Identity, error) {
	defer s.invalidate(identities)
	return s.Store.UnlinkLogins(ctx, id, logins, at)
}

// DeleteIdentity implements store.Identities.
func (s *Store) DeleteIdentity(ctx context.Context, id string) error {
	defer s.invalidate(identities)
	return s.Store.DeleteIdentity(ctx, id)
}

// GetRole implements store.Roles.
func (s *Store) GetRole(ctx context.Context, name string) (store.Role, error) {
	return get(s, config, key{"role", name}, cloneRole, func() (store.Role, error) { return s.Store.GetRole(ctx, name) })
}

// CreateRole implements store.Roles.
func (s *Store) CreateRole(ctx context.Context, r store.Role) error {
	defer s.invalidate(config)
	return s.Store.CreateRole(ctx, r)
}

// UpdateRole implements store.Roles.
func (s *Store) UpdateRole(ctx context.Context, name string, fn func(*store.Role) error) (store.Role, error) {
	defer s.invalidate(config)
	return s.Store.UpdateRole(ctx, name, fn)
}

// DeleteRole implements store.Roles.
func (s *Store) DeleteRole(ctx context.Context, name string) error {
	defer s.invalidate(config)
	return s.Store.DeleteRole(ctx, name)
}

// GetPolicy implements store.Policies.
func (s *Store) GetPolicy(ctx context.Context, arn string) (store.ManagedPolicy, error) {
	return get(s, config, key{"policy", arn}, clonePolicy, func() (store.ManagedPolicy, error) { return s.Store.GetPolicy(ctx, arn) })
}

// CreatePolicy implements store.Policies.
func (s *Store) CreatePolicy(ctx context.Context, p store.ManagedPolicy) error {
	defer s.invalidate(config)
	return s.Store.CreatePolicy(ctx, p)
}

// UpdatePolicy implements store.Policies.
func (s *Store) UpdatePolicy(ctx context.Context, arn string, fn func(*store.ManagedPolicy) error) (store.ManagedPolicy, error) {
	defer s.invalidate(config)
	return s.Store.UpdatePolicy(ctx, arn, fn)
}

// DeletePolicy implements store.Policies.
func (s *Store) DeletePolicy(ctx context.Context, arn string) error {
	defer s.invalidate(config)
	return s.Store.DeletePolicy(ctx, arn)
}

// GetBucket implements store.Buckets.
func (s *Store) GetBucket(ctx context.Context, name string) (store.Bucket, error) {
	return get(s, config, key{"bucket", name}, cloneBucket, func() (store.Bucket, error) { return s.Store.GetBucket(ctx, name) })
}

// CreateBucket implements store.Buckets.
func (s *Store) CreateBucket(ctx context.Context, b store.Bucket) error {
	defer s.invalidate(config)
	return s.Store.CreateBucket(ctx, b)
}

// UpdateBucket implements store.Buckets.
func (s *Store) UpdateBucket(ctx context.Context, name string, fn func(*store.Bucket) error) (store.Bucket, error) {
	defer s.invalidate(config)
	return s.Store.UpdateBucket(ctx, name, fn)
}

// DeleteBucket implements store.Buckets.
func (s *Store) DeleteBucket(ctx context.Context, name string) error {
	defer s.invalidate(config)
	return s.Store.DeleteBucket(ctx, name)
}

func cloneRestAPI(a store.RestAPI) store.RestAPI { a.Spec = bytes.Clone(a.Spec); return a }

// GetRestAPI implements store.RestAPIs. The gateway reads its API on every
// invocation, so this is the read that matters; listing is an admin call
// and passes through.
func (s *Store) GetRestAPI(ctx context.Context, id string) (store.RestAPI, error) {
	return get(s, config, key{"restapi", id}, cloneRestAPI, func() (store.RestAPI, error) { return s.Store.GetRestAPI(ctx, id) })
}

// CreateRestAPI implements store.RestAPIs.
func (s *Store) CreateRestAPI(ctx context.Context, a store.RestAPI) error {
	defer s.invalidate(config)
	return s.Store.CreateRestAPI(ctx, a)
}

// UpdateRestAPI implements store.RestAPIs.
func (s *Store) UpdateRestAPI(ctx context.Context, id string, fn func(*store.RestAPI) error) (store.RestAPI, error) {
	defer s.invalidate(config)
	return s.Store.UpdateRestAPI(ctx, id, fn)
}

// DeleteRestAPI implements store.RestAPIs.
func (s *Store) DeleteRestAPI(ctx context.Context, id string) error {
	defer s.invalidate(config)
	return s.Store.DeleteRestAPI(ctx, id)
}
