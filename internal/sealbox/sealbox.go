// Package sealbox seals small values (session tokens, sign-in challenge
// state) with AES-256-GCM under keys kept in the store, so that any node
// sharing the store can open what another sealed, and nothing needs to be
// remembered per value. Each 64-byte key is two halves: the sealing key and
// a MAC key for values derived from a sealed one.
//
// The newest key of a purpose seals; every key opens, so keys can be rotated
// while values sealed earlier stay valid until they expire.
package sealbox

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/federa/federa/internal/store"
)

// ErrInvalid is returned for anything that does not open: unknown key,
// tampered or truncated value, wrong additional data.
var ErrInvalid = errors.New("sealbox: invalid sealed value")

// Box seals values for one purpose.
type Box struct {
	st      store.Keys
	purpose string
	now     func() time.Time

	mu   sync.RWMutex
	keys map[string]key // by id
	cur  string
}

type key struct {
	aead cipher.AEAD
	mac  []byte
}

// New returns the box of a purpose ("session", "userpool-challenge", …).
func New(st store.Keys, purpose string, now func() time.Time) *Box {
	return &Box{st: st, purpose: purpose, now: now, keys: map[string]key{}}
}

// Seal encrypts plain, binding aad and the key id, and returns the id of
// the key it used with the nonce-prefixed ciphertext.
func (b *Box) Seal(ctx context.Context, plain, aad []byte) (keyID string, sealed []byte, err error) {
	id, k, err := b.current(ctx)
	if err != nil {
		return "", nil, err
	}
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", nil, err
	}
	return id, k.aead.Seal(nonce, nonce, plain, append([]byte(id), aad...)), nil
}

// Open decrypts what Seal returned.
func (b *Box) Open(ctx context.Context, keyID string, sealed, aad []byte) ([]byte, error) {
	k, err := b.key(ctx, keyID)
	if err != nil {
		return nil, err
	}
	n := k.aead.NonceSize()
	if len(sealed) < n {
		return nil, ErrInvalid
	}
	plain, err := k.aead.Open(nil, sealed[:n], sealed[n:], append([]byte(keyID), aad...))
	if err != nil {
		return nil, ErrInvalid
	}
	return plain, nil
}

// MAC is HMAC-SHA256 of msg under the MAC half of a key.
func (b *Box) MAC(ctx context.Context, keyID string, msg []byte) ([]byte, error) {
	k, err := b.key(ctx, keyID)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, k.mac)
	m.Write(msg)
	return m.Sum(nil), nil
}

// key finds a key by id, reloading once for keys another node created
// since; only well-formed ids reach the store, so garbage cannot make us
// query it.
func (b *Box) key(ctx context.Context, id string) (key, error) {
	b.mu.RLock()
	k, ok := b.keys[id]
	b.mu.RUnlock()
	if ok {
		return k, nil
	}
	if _, err := hex.DecodeString(id); err != nil || len(id) != 8 {
		return key{}, ErrInvalid
	}
	if err := b.load(ctx); err != nil {
		return key{}, err
	}
	b.mu.RLock()
	k, ok = b.keys[id]
	b.mu.RUnlock()
	if !ok {
		return key{}, ErrInvalid
	}
	return k, nil
}

// current returns the sealing key, creating the first one on first use.
func (b *Box) current(ctx context.Context) (string, key, error) {
	b.mu.RLock()
	id, k := b.cur, b.keys[b.cur]
	b.mu.RUnlock()
	if id != "" {
		return id, k, nil
	}
	if err := b.load(ctx); err != nil {
		return "", key{}, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.cur == "" {
		return "", key{}, errors.New("sealbox: no key")
	}
	return b.cur, b.keys[b.cur], nil
}

// load reads the purpose's keys, creating one when there is none.
func (b *Box) load(ctx context.Context) error {
	list, err := b.st.ListKeys(ctx, b.purpose)
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
		k := store.Key{Purpose: b.purpose, ID: hex.EncodeToString(idb), Material: material, CreatedAt: b.now().UTC()}
		if err := b.st.CreateKey(ctx, k); err != nil && !errors.Is(err, store.ErrExists) {
			return err
		}
		// Another node may have created one concurrently: read back, so
		// all agree on the newest.
		if list, err = b.st.ListKeys(ctx, b.purpose); err != nil {
			return err
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, sk := range list {
		if len(sk.Material) != 64 {
			return errors.New("sealbox: key " + sk.ID + " is not 64 bytes")
		}
		block, err := aes.NewCipher(sk.Material[:32])
		if err != nil {
			return err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return err
		}
		b.keys[sk.ID] = key{aead: aead, mac: sk.Material[32:]}
		if i == 0 {
			b.cur = sk.ID
		}
	}
	return nil
}
