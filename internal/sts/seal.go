package sts

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/federa/federa/internal/sealbox"
	"github.com/federa/federa/internal/store"
)

// keyPurpose names the session-token keys in the store.
const keyPurpose = "session"

// maxToken bounds the session token we try to open; AWS's are under 2 KiB
// and ours are smaller, so anything far larger is garbage.
const maxToken = 8 << 10

// sealer seals claims into session tokens ("FED1.<key id>.<sealed>") and
// opens them; the secret access key of a session is derived from its key.
type sealer struct {
	box *sealbox.Box

	mu     sync.Mutex
	opened map[[32]byte]openedToken // by the token's SHA-256
}

func newSealer(st store.Keys, now func() time.Time) *sealer {
	return &sealer{box: sealbox.New(st, keyPurpose, now)}
}

// secretFor derives the secret access key of an access key id: 40
// characters, like AWS's.
func (s *sealer) secretFor(ctx context.Context, keyID, akid string) (string, error) {
	mac, err := s.box.MAC(ctx, keyID, []byte("federa secret access key\x00"+akid))
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(mac)[:40], nil
}

// seal returns the session token for c and the secret of c's key.
func (s *sealer) seal(ctx context.Context, c claims) (token, secret string, err error) {
	c.Version = 1
	plain, err := json.Marshal(c)
	if err != nil {
		return "", "", err
	}
	id, sealed, err := s.box.Seal(ctx, plain, nil)
	if err != nil {
		return "", "", err
	}
	if secret, err = s.secretFor(ctx, id, c.AccessKeyID); err != nil {
		return "", "", err
	}
	return "FED1." + id + "." + base64.RawURLEncoding.EncodeToString(sealed), secret, nil
}

// open verifies and decrypts a token, or returns what opening it gave
// before: a sealed token never opens differently (sealing keys are never
// deleted), and decoding its claims was a tenth of the cost of an
// authenticated S3 GET. Expiry is the caller's to check at every use.
func (s *sealer) open(ctx context.Context, token string) (claims, string, error) {
	h := sha256.Sum256([]byte(token))
	s.mu.Lock()
	o, ok := s.opened[h]
	s.mu.Unlock()
	if ok {
		return o.c.clone(), o.secret, nil
	}
	c, secret, err := s.open1(ctx, token)
	if err == nil {
		s.mu.Lock()
		if s.opened == nil || len(s.opened) >= maxOpened {
			s.opened = map[[32]byte]openedToken{}
		}
		s.opened[h] = openedToken{c: c.clone(), secret: secret}
		s.mu.Unlock()
	}
	return c, secret, err
}

// maxOpened bounds the memory of opened tokens; past it, it starts empty.
const maxOpened = 20_000

type openedToken struct {
	c      claims
	secret string
}

// open1 verifies and decrypts a token.
func (s *sealer) open1(ctx context.Context, token string) (claims, string, error) {
	if len(token) > maxToken {
		return claims{}, "", invalidToken()
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] != "FED1" {
		return claims{}, "", invalidToken()
	}
	sealed, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	if err != nil {
		return claims{}, "", invalidToken()
	}
	plain, err := s.box.Open(ctx, parts[1], sealed, nil)
	if errors.Is(err, sealbox.ErrInvalid) {
		return claims{}, "", invalidToken()
	}
	if err != nil {
		return claims{}, "", err
	}
	var c claims
	if err := json.Unmarshal(plain, &c); err != nil || c.Version != 1 {
		return claims{}, "", invalidToken()
	}
	secret, err := s.secretFor(ctx, parts[1], c.AccessKeyID)
	return c, secret, err
}
