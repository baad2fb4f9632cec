package userpool

import (
	"context"
	"errors"
	"regexp"

	"github.com/federa/federa/internal/store"
)

// Domain describes a pool's domain.
type Domain struct {
	Domain, PoolID, Status string
}

// domainPattern is Cognito's rule for prefix domains.
var domainPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)

// CreateUserPoolDomain gives a pool its prefix domain, served by the hosted
// UI (issue 8).
func (s *Service) CreateUserPoolDomain(ctx context.Context, poolID, domain string) error {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return err
	}
	if !domainPattern.MatchString(domain) {
		return ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$", domain)
	}
	if _, err := s.st.GetDomainByPool(ctx, poolID); err == nil {
		return ErrInvalidParameter.New("User pool %s already has a domain configured.", poolID)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	err := s.st.CreateDomain(ctx, store.Domain{Domain: domain, PoolID: poolID, CreatedAt: s.clock()})
	if errors.Is(err, store.ErrExists) {
		return ErrInvalidParameter.New("Domain already associated with another user pool.")
	}
	return err
}

// DescribeUserPoolDomain describes a domain; an unknown domain is an empty
// description, as Cognito answers.
func (s *Service) DescribeUserPoolDomain(ctx context.Context, domain string) (Domain, bool, error) {
	d, err := s.st.GetDomain(ctx, domain)
	if errors.Is(err, store.ErrNotFound) {
		return Domain{}, false, nil
	}
	if err != nil {
		return Domain{}, false, err
	}
	return Domain{Domain: d.Domain, PoolID: d.PoolID, Status: "ACTIVE"}, true, nil
}
