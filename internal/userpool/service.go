package userpool

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/federa/federa/internal/jwtkeys"
	"github.com/federa/federa/internal/sealbox"
	"github.com/federa/federa/internal/store"
)

// Store is what user pools keep.
type Store interface {
	store.UserPools
	store.AppClients
	store.Domains
	store.Users
	store.RefreshTokens
	store.Outbox
	store.Groups
	store.Keys
	store.ResourceServers
	store.AuthCodes
}

// Options configure the service.
type Options struct {
	Region    string
	AccountID string
	// PublicURL is the server's externally visible base URL; a pool's token
	// issuer is <PublicURL>/<poolId>.
	PublicURL string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Deliver, when set, also sends each message that lands in the
	// outbox (email by SMTP). It is best effort: the outbox keeps the
	// message whatever happens to the sending.
	Deliver func(ctx context.Context, m store.Message)
}

// Service implements user pools.
type Service struct {
	st   Store
	keys *jwtkeys.Keys
	// box seals sign-in state between InitiateAuth and the answers to its
	// challenges (SRP's secret block, challenge sessions).
	box       *sealbox.Box
	region    string
	account   string
	publicURL string
	now       func() time.Time
	send      func(ctx context.Context, m store.Message)
	// dummyHash is verified against when a user does not exist, so a
	// sign-in for an unknown user costs as much as for a known one and the
	// timing does not reveal which usernames exist.
	dummyHash string
	// verified remembers checked ID tokens (idtokencache.go).
	verified verifiedTokens
}

// New returns the user pool service.
func New(st Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Service{st: st, keys: jwtkeys.New(st, o.Now), box: sealbox.New(st, "userpool-challenge", o.Now),
		region: o.Region, account: o.AccountID, publicURL: o.PublicURL, now: o.Now, send: o.Deliver}
	s.dummyHash, _ = hashPassword(randomString(24, alnum))
	return s
}

// Issuer is the iss claim of a pool's tokens.
func (s *Service) Issuer(poolID string) string { return s.publicURL + "/" + poolID }

func (s *Service) clock() time.Time { return s.now().UTC() }

func keyPurpose(poolID string) string { return "jwt/" + poolID }

const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// randomString returns n characters drawn uniformly from alphabet.
func randomString(n int, alphabet string) string {
	out := make([]byte, n)
	buf := make([]byte, 1)
	limit := 256 - 256%len(alphabet) // rejection sampling: no modulo bias
	for i := 0; i < n; {
		_, _ = rand.Read(buf)
		if int(buf[0]) >= limit {
			continue
		}
		out[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(out)
}
