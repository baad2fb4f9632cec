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
	// ManagedLoginVersion is the branding version the domain serves: always
	// 1, the hosted UI (classic), the only one federa has.
	ManagedLoginVersion int
}

// DomainSettings are what UpdateUserPoolDomain may change, with Cognito's
// JSON names. Both are optional; at least one must be given.
type DomainSettings struct {
	ManagedLoginVersion *int                `json:"ManagedLoginVersion,omitempty"`
	CustomDomainConfig  *CustomDomainConfig `json:"CustomDomainConfig,omitempty"`
}

// CustomDomainConfig names the ACM certificate of a custom domain.
type CustomDomainConfig struct {
	CertificateArn string `json:"CertificateArn"`
}

// classicHostedUI is ManagedLoginVersion 1; 2 is managed login with
// Cognito's branding editor, which federa does not implement.
const classicHostedUI = 1

var (
	// domainPattern is Cognito's rule for prefix domains.
	domainPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)
	// certificateARNPattern is the model's ArnType.
	certificateARNPattern = regexp.MustCompile(`^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$`)
)

func validDomain(domain string) error {
	if !domainPattern.MatchString(domain) {
		return ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$", domain)
	}
	return nil
}

// CreateUserPoolDomain gives a pool its prefix domain, served by the hosted
// UI (issue 8).
func (s *Service) CreateUserPoolDomain(ctx context.Context, poolID, domain string) error {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return err
	}
	if err := validDomain(domain); err != nil {
		return err
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
	return describeDomain(d), true, nil
}

func describeDomain(d store.Domain) Domain {
	return Domain{Domain: d.Domain, PoolID: d.PoolID, Status: "ACTIVE", ManagedLoginVersion: classicHostedUI}
}

// poolDomain loads a domain and checks that it is poolID's: a caller
// naming another pool's domain learns nothing more than that it is not
// this pool's.
func (s *Service) poolDomain(ctx context.Context, poolID, domain string) (store.Domain, bool, error) {
	if err := validDomain(domain); err != nil {
		return store.Domain{}, false, err
	}
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return store.Domain{}, false, err
	}
	d, err := s.st.GetDomain(ctx, domain)
	if errors.Is(err, store.ErrNotFound) || err == nil && d.PoolID != poolID {
		return store.Domain{}, false, nil
	}
	return d, err == nil, err
}

// UpdateUserPoolDomain changes what Cognito lets a domain change: its
// branding version and, for a custom domain, its certificate; a domain's
// name never changes (delete it and create another). federa serves the
// classic hosted UI on prefix domains only, so the one change it accepts is
// ManagedLoginVersion 1, which it already has; anything else is refused
// with what to send instead.
func (s *Service) UpdateUserPoolDomain(ctx context.Context, poolID, domain string, set DomainSettings) (Domain, error) {
	if c := set.CustomDomainConfig; c != nil && (len(c.CertificateArn) < 20 || len(c.CertificateArn) > 2048 || !certificateARNPattern.MatchString(c.CertificateArn)) {
		return Domain{}, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'customDomainConfig.certificateArn' failed to satisfy constraint: Member must be an ARN of length 20 to 2048, such as arn:aws:acm:us-east-1:123456789012:certificate/<id>", c.CertificateArn)
	}
	d, ok, err := s.poolDomain(ctx, poolID, domain)
	if err != nil {
		return Domain{}, err
	}
	if !ok {
		return Domain{}, ErrResourceNotFound.New("Domain %s does not exist in user pool %s.", domain, poolID)
	}
	if set.ManagedLoginVersion == nil && set.CustomDomainConfig == nil {
		return Domain{}, ErrInvalidParameter.New("Nothing to update: give ManagedLoginVersion, or CustomDomainConfig for a custom domain.")
	}
	if set.CustomDomainConfig != nil {
		// Prefix domains are served on the service's own name and
		// certificate; only a custom domain (a name with dots, which
		// federa does not create) has a certificate of its own.
		return Domain{}, ErrInvalidParameter.New("%s is a prefix domain: CustomDomainConfig applies only to custom domains; leave it out.", domain)
	}
	switch v := *set.ManagedLoginVersion; v {
	case classicHostedUI:
	case 2:
		return Domain{}, ErrFeatureUnavailableInTier.New("Managed login (ManagedLoginVersion 2) is not available: federa serves the hosted UI (classic), ManagedLoginVersion 1.")
	default:
		return Domain{}, ErrInvalidParameter.New("ManagedLoginVersion %d is not a branding version: use 1 (hosted UI, classic) or 2 (managed login).", v)
	}
	return describeDomain(d), nil
}

// DeleteUserPoolDomain removes a pool's domain; its hosted UI and OAuth
// endpoints stop answering. A domain of another pool is refused as if it
// did not exist, as Cognito does.
func (s *Service) DeleteUserPoolDomain(ctx context.Context, poolID, domain string) error {
	_, ok, err := s.poolDomain(ctx, poolID, domain)
	if err != nil {
		return err
	}
	notFound := ErrInvalidParameter.New("No such domain or user pool exists: %s is not a domain of user pool %s.", domain, poolID)
	if !ok {
		return notFound
	}
	// The check and the delete are two steps; a domain deleted in between
	// is reported as missing.
	if err := s.st.DeleteDomain(ctx, domain); errors.Is(err, store.ErrNotFound) {
		return notFound
	} else if err != nil {
		return err
	}
	return nil
}
