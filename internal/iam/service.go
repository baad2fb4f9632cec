package iam

import (
	"crypto/rand"
	"time"

	"github.com/federa/federa/internal/store"
)

// Store is what iam keeps: roles and customer managed policies.
type Store interface {
	store.Roles
	store.Policies
	store.OIDCProviders
	// Identities lets a Cognito identity's sessions end with the identity.
	store.Identities
}

// Options configure the service.
type Options struct {
	Region    string
	AccountID string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Service implements IAM's role and policy operations and access.Authorizer.
type Service struct {
	st      Store
	account string
	region  string
	now     func() time.Time
	managed catalog
	parsed  *parseCache
}

// New returns the IAM service over st.
func New(st Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{st: st, account: o.AccountID, region: o.Region, now: o.Now, managed: loadCatalog(), parsed: newParseCache(4096)}
}

// AccountID is the account every ARN of this server names.
func (s *Service) AccountID() string { return s.account }

// idAlphabet is the alphabet of IAM unique ids (AROA…, ANPA…).
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// newID returns prefix followed by 17 random characters, the shape of IAM's
// unique ids. Ids matter for security: a role deleted and re-created gets a
// new id, so sessions of the old role stop working.
func newID(prefix string) string {
	b := make([]byte, 17)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return prefix + string(b)
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Second) }

// storeErr maps store sentinel errors to IAM's codes.
func storeErr(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case isNotFound(err):
		return ErrNoSuchEntity.Wrap(err, "The %s cannot be found.", what)
	case isExists(err):
		return ErrEntityAlreadyExists.Wrap(err, "%s already exists.", what)
	}
	return err
}
