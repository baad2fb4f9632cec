package identitypool

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/federa/federa/internal/store"
)

// IdentityDescription is an identity as DescribeIdentity and
// ListIdentities show it: its id, the providers of its logins, its dates.
type IdentityDescription struct {
	IdentityID           string
	Logins               []string
	CreatedAt, UpdatedAt time.Time
}

func describeIdentity(i store.Identity) IdentityDescription {
	d := IdentityDescription{IdentityID: i.ID, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt, Logins: []string{}}
	for _, l := range i.Logins {
		if !slices.Contains(d.Logins, l.Provider) {
			d.Logins = append(d.Logins, l.Provider)
		}
	}
	return d
}

// identity loads an identity by id.
func (s *Service) identity(ctx context.Context, id string) (store.Identity, error) {
	if err := checkPoolID(id); err != nil {
		return store.Identity{}, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'identityId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\\\w-]+:[0-9a-f-]+", id)
	}
	i, err := s.st.GetIdentity(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return i, ErrResourceNotFound.New("Identity '%s' not found.", id)
	}
	return i, err
}

// DescribeIdentity returns an identity.
func (s *Service) DescribeIdentity(ctx context.Context, id string) (IdentityDescription, error) {
	i, err := s.identity(ctx, id)
	if err != nil {
		return IdentityDescription{}, err
	}
	return describeIdentity(i), nil
}

// ListIdentities lists a pool's identities in id order.
func (s *Service) ListIdentities(ctx context.Context, poolID, token string, max int) ([]IdentityDescription, string, error) {
	if max < 1 || max > 60 {
		return nil, "", ErrInvalidParameter.New("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60", max)
	}
	if _, err := s.pool(ctx, poolID); err != nil {
		return nil, "", err
	}
	page, err := s.st.ListIdentities(ctx, poolID, token, max+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(page) > max {
		page, next = page[:max], page[max-1].ID
	}
	out := make([]IdentityDescription, 0, len(page))
	for _, i := range page {
		out = append(out, describeIdentity(i))
	}
	return out, next, nil
}

// DeleteIdentities deletes up to 60 identities; their logins are freed and
// the credentials issued to them stop working. The ids it could not delete
// come back with a reason.
func (s *Service) DeleteIdentities(ctx context.Context, ids []string) (map[string]string, error) {
	if len(ids) == 0 || len(ids) > 60 {
		return nil, ErrInvalidParameter.New("1 validation error detected: Value at 'identityIdsToDelete' failed to satisfy constraint: Member must have length between 1 and 60")
	}
	failed := map[string]string{}
	for _, id := range ids {
		if err := checkPoolID(id); err != nil {
			return nil, ErrInvalidParameter.New("Identity id %q is not of the form REGION:GUID.", id)
		}
		if err := s.st.DeleteIdentity(ctx, id); err != nil && !errors.Is(err, store.ErrNotFound) {
			failed[id] = "InternalServerError"
		}
	}
	return failed, nil
}

// UnlinkIdentity removes logins from an identity; the caller proves it
// owns the identity with valid login tokens.
func (s *Service) UnlinkIdentity(ctx context.Context, id string, logins map[string]string, remove []string) error {
	ident, err := s.identity(ctx, id)
	if err != nil {
		return err
	}
	sp, err := s.pool(ctx, ident.PoolID)
	if err != nil {
		return err
	}
	verified, err := s.verifyLogins(ctx, ident.PoolID, sp, logins)
	if err != nil {
		return err
	}
	owned := false
	for _, l := range verified {
		owned = owned || slices.Contains(ident.Logins, l.Login)
	}
	if !owned {
		return ErrNotAuthorized.New("Logins don't match. Please include at least one valid login for this identity or identity pool.")
	}
	var drop []store.Login
	for _, l := range ident.Logins {
		if slices.Contains(remove, l.Provider) {
			drop = append(drop, l)
		}
	}
	_, err = s.st.UnlinkLogins(ctx, id, drop, s.clock())
	return err
}
