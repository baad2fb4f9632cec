// Package jwtkeys keeps RS256 signing keys in the store, signs JWTs with the
// newest key of a purpose, verifies tokens against every key of it, and
// publishes the public keys as a JWKS. User pools sign ID and access tokens
// with it; identity pools will sign OpenID tokens (issue 5).
//
// Verification pins the algorithm to RS256 and looks the key up by kid
// within one purpose, so a token signed for one pool never verifies for
// another.
package jwtkeys

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/federa/federa/internal/store"
	"github.com/go-jose/go-jose/v4"
)

// ErrInvalid means the token is malformed, not signed by a key of the
// purpose, or signed with another algorithm.
var ErrInvalid = errors.New("jwtkeys: invalid token")

// maxToken bounds what Verify parses; Cognito's tokens are a few KiB.
const maxToken = 16 << 10

// Keys signs and verifies JWTs with keys kept in a store.
type Keys struct {
	st  store.Keys
	now func() time.Time

	mu    sync.RWMutex
	cache map[string]cached // by purpose
}

// cached is a purpose's keys, newest first, as read at a time.
type cached struct {
	keys   []key
	readAt time.Time
}

// CacheTTL is how long a node trusts its copy of a purpose's keys. Another
// node may rotate them; within CacheTTL every node signs with the new key
// and lists it in its JWKS.
const CacheTTL = 5 * time.Second

type key struct {
	id   string
	priv *rsa.PrivateKey
}

// New returns a key manager over st.
func New(st store.Keys, now func() time.Time) *Keys {
	if now == nil {
		now = time.Now
	}
	return &Keys{st: st, now: now, cache: map[string]cached{}}
}

// Ensure creates the purpose's first key if it has none.
func (k *Keys) Ensure(ctx context.Context, purpose string) error {
	list, err := k.load(ctx, purpose)
	if err != nil || len(list) > 0 {
		return err
	}
	return k.add(ctx, purpose)
}

// add stores a new key, which becomes the one that signs.
func (k *Keys) add(ctx context.Context, purpose string) error {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return err
	}
	idb := make([]byte, 16)
	_, _ = rand.Read(idb)
	err = k.st.CreateKey(ctx, store.Key{Purpose: purpose, ID: hex.EncodeToString(idb), Material: der, CreatedAt: k.now().UTC()})
	if err != nil && !errors.Is(err, store.ErrExists) {
		return err
	}
	k.forget(purpose)
	_, err = k.load(ctx, purpose)
	return err
}

// Rotate makes a new key the signing key. The key it replaces stays, so
// tokens it signed keep verifying and the JWKS lists both; any older key
// is deleted, ending the tokens it signed.
func (k *Keys) Rotate(ctx context.Context, purpose string) error {
	if err := k.add(ctx, purpose); err != nil {
		return err
	}
	stored, err := k.st.ListKeys(ctx, purpose) // newest first
	if err != nil {
		return err
	}
	for _, s := range stored[min(2, len(stored)):] {
		if err := k.st.DeleteKey(ctx, purpose, s.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	k.forget(purpose)
	return nil
}

func (k *Keys) forget(purpose string) {
	k.mu.Lock()
	delete(k.cache, purpose)
	k.mu.Unlock()
}

// load returns the purpose's keys, reading the store on a cache miss or
// when the copy is older than CacheTTL. Keys already parsed are reused.
func (k *Keys) load(ctx context.Context, purpose string) ([]key, error) {
	k.mu.RLock()
	c, ok := k.cache[purpose]
	k.mu.RUnlock()
	now := k.now()
	if ok && now.Sub(c.readAt) < CacheTTL && !now.Before(c.readAt) {
		return c.keys, nil
	}
	stored, err := k.st.ListKeys(ctx, purpose)
	if err != nil {
		return nil, err
	}
	list := make([]key, 0, len(stored))
	for _, s := range stored {
		if i := slices.IndexFunc(c.keys, func(old key) bool { return old.id == s.ID }); i >= 0 {
			list = append(list, c.keys[i])
			continue
		}
		p, err := x509.ParsePKCS8PrivateKey(s.Material)
		if err != nil {
			return nil, err
		}
		rk, ok := p.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("jwtkeys: stored key is not RSA")
		}
		list = append(list, key{id: s.ID, priv: rk})
	}
	if len(list) > 0 {
		k.mu.Lock()
		k.cache[purpose] = cached{keys: list, readAt: now}
		k.mu.Unlock()
	}
	return list, nil
}

// Sign returns claims as a compact RS256 JWT signed by the purpose's newest key.
func (k *Keys) Sign(ctx context.Context, purpose string, claims any) (string, error) {
	list, err := k.load(ctx, purpose)
	if err != nil {
		return "", err
	}
	if len(list) == 0 {
		return "", errors.New("jwtkeys: no signing key for " + purpose)
	}
	cur := list[0]
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: cur.priv},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", cur.id))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

// Verify checks token's RS256 signature against the purpose's keys and
// decodes its payload into claims. It does not check exp, iss or aud: the
// caller knows what they must be.
func (k *Keys) Verify(ctx context.Context, purpose, token string, claims any) error {
	if len(token) > maxToken {
		return ErrInvalid
	}
	obj, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(obj.Signatures) != 1 {
		return ErrInvalid
	}
	kid := obj.Signatures[0].Header.KeyID
	list, err := k.load(ctx, purpose)
	if err != nil {
		return err
	}
	if !hasKey(list, kid) && validKeyID(kid) {
		// Perhaps another node rotated since we loaded: read again once.
		// Only well-formed ids reach the store, so garbage cannot make us
		// query it.
		k.forget(purpose)
		if list, err = k.load(ctx, purpose); err != nil {
			return err
		}
	}
	for _, c := range list {
		if c.id != kid {
			continue
		}
		payload, err := obj.Verify(&c.priv.PublicKey)
		if err != nil {
			return ErrInvalid
		}
		if err := json.Unmarshal(payload, claims); err != nil {
			return ErrInvalid
		}
		return nil
	}
	return ErrInvalid
}

func hasKey(list []key, kid string) bool {
	for _, c := range list {
		if c.id == kid {
			return true
		}
	}
	return false
}

// validKeyID reports whether kid has the form of our key ids (32 hex digits).
func validKeyID(kid string) bool {
	_, err := hex.DecodeString(kid)
	return err == nil && len(kid) == 32
}

// JWKS returns the purpose's public keys as a JSON Web Key Set.
func (k *Keys) JWKS(ctx context.Context, purpose string) (jose.JSONWebKeySet, error) {
	list, err := k.load(ctx, purpose)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, c := range list {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &c.priv.PublicKey, KeyID: c.id, Algorithm: "RS256", Use: "sig"})
	}
	return set, nil
}

// Delete removes every key of a purpose (when its pool is deleted).
func (k *Keys) Delete(ctx context.Context, purpose string) error {
	list, err := k.st.ListKeys(ctx, purpose)
	if err != nil {
		return err
	}
	for _, s := range list {
		if err := k.st.DeleteKey(ctx, purpose, s.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	k.forget(purpose)
	return nil
}

// Peek decodes an RS256 token's payload without verifying it, only to learn
// which purpose's keys to verify it with (the pool in its issuer). Nothing
// it returns may be trusted until Verify succeeds.
func Peek(token string, claims any) error {
	if len(token) > maxToken {
		return ErrInvalid
	}
	obj, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || json.Unmarshal(obj.UnsafePayloadWithoutVerification(), claims) != nil {
		return ErrInvalid
	}
	return nil
}

// HasKey says whether the purpose still has the key kid: a caller that
// remembers a verified token checks it before trusting the memory, so a
// token signed with a key that was dropped stops working as it would if
// verified again.
func (k *Keys) HasKey(ctx context.Context, purpose, kid string) (bool, error) {
	list, err := k.load(ctx, purpose)
	if err != nil {
		return false, err
	}
	return hasKey(list, kid), nil
}

// KeyID is the kid in a compact token's header, unverified, or "".
func KeyID(token string) string {
	obj, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(obj.Signatures) != 1 {
		return ""
	}
	return obj.Signatures[0].Header.KeyID
}
