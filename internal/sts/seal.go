package sts

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/federa/federa/internal/store"
)

// keyPurpose names the session-token keys in the store.
const keyPurpose = "session"

// maxToken bounds the session token we try to open; AWS's are under 2 KiB
// and ours are smaller, so anything far larger is garbage.
const maxToken = 8 << 10

// sealer seals claims into session tokens and opens them. The newest key
// seals; every key in the store opens, so keys can be rotated (issue 9) while
// old sessions keep working.
type sealer struct {
	st  store.Keys
	now func() time.Time

	mu   sync.RWMutex
	keys map[string]cipherKey // by id
	cur  string
}

type cipherKey struct {
	aead   cipher.AEAD
	secret []byte // HMAC key deriving secret access keys
}

func newSealer(st store.Keys, now func() time.Time) *sealer {
	return &sealer{st: st, now: now, keys: map[string]cipherKey{}}
}

// current returns the sealing key, creating the first one on first use.
func (s *sealer) current(ctx context.Context) (string, cipherKey, error) {
	s.mu.RLock()
	id, k := s.cur, s.keys[s.cur]
	s.mu.RUnlock()
	if id != "" {
		return id, k, nil
	}
	if err := s.load(ctx); err != nil {
		return "", cipherKey{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.cur == "" {
		return "", cipherKey{}, errors.New("sts: no session key")
	}
	return s.cur, s.keys[s.cur], nil
}

// load reads the keys from the store, creating one when there is none.
func (s *sealer) load(ctx context.Context) error {
	list, err := s.st.ListKeys(ctx, keyPurpose)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		material := make([]byte, 64)
		if _, err := rand.Read(material); err != nil {
			return err
		}
		idb := make([]byte, 4)
		_, _ = rand.Read(idb)
		k := store.Key{Purpose: keyPurpose, ID: hex.EncodeToString(idb), Material: material, CreatedAt: s.now().UTC()}
		if err := s.st.CreateKey(ctx, k); err != nil && !errors.Is(err, store.ErrExists) {
			return err
		}
		// Another node (or goroutine) may have created one concurrently:
		// read back, so all agree on the newest.
		if list, err = s.st.ListKeys(ctx, keyPurpose); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, k := range list {
		ck, err := newCipherKey(k.Material)
		if err != nil {
			return err
		}
		s.keys[k.ID] = ck
		if i == 0 {
			s.cur = k.ID
		}
	}
	return nil
}

func newCipherKey(material []byte) (cipherKey, error) {
	if len(material) != 64 {
		return cipherKey{}, errors.New("sts: session key must be 64 bytes")
	}
	block, err := aes.NewCipher(material[:32])
	if err != nil {
		return cipherKey{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return cipherKey{}, err
	}
	return cipherKey{aead: aead, secret: material[32:]}, nil
}

// secretFor derives the secret access key of an access key id: 40
// characters, like AWS's.
func (k cipherKey) secretFor(akid string) string {
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte("federa secret access key\x00" + akid))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))[:40]
}

// seal returns the session token for c and the secret of c's key.
func (s *sealer) seal(ctx context.Context, c claims) (token, secret string, err error) {
	id, k, err := s.current(ctx)
	if err != nil {
		return "", "", err
	}
	c.Version = 1
	plain, err := json.Marshal(c)
	if err != nil {
		return "", "", err
	}
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", "", err
	}
	// The key id is bound as additional data, so a token cannot be moved
	// to another key.
	sealed := k.aead.Seal(nonce, nonce, plain, []byte(id))
	return "FED1." + id + "." + base64.RawURLEncoding.EncodeToString(sealed), k.secretFor(c.AccessKeyID), nil
}

// open verifies and decrypts a token.
func (s *sealer) open(ctx context.Context, token string) (claims, string, error) {
	if len(token) > maxToken {
		return claims{}, "", invalidToken()
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] != "FED1" {
		return claims{}, "", invalidToken()
	}
	id := parts[1]
	s.mu.RLock()
	k, ok := s.keys[id]
	s.mu.RUnlock()
	if !ok {
		// Perhaps created by another node since we loaded. Only well-formed
		// ids reach the store, so garbage tokens cannot make us query it.
		if _, err := hex.DecodeString(id); err != nil || len(id) != 8 {
			return claims{}, "", invalidToken()
		}
		if err := s.load(ctx); err != nil {
			return claims{}, "", err
		}
		s.mu.RLock()
		k, ok = s.keys[id]
		s.mu.RUnlock()
		if !ok {
			return claims{}, "", invalidToken()
		}
	}
	sealed, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	if err != nil || len(sealed) < k.aead.NonceSize() {
		return claims{}, "", invalidToken()
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, sealed[:n], sealed[n:], []byte(id))
	if err != nil {
		return claims{}, "", invalidToken()
	}
	var c claims
	if err := json.Unmarshal(plain, &c); err != nil || c.Version != 1 {
		return claims{}, "", invalidToken()
	}
	return c, k.secretFor(c.AccessKeyID), nil
}
