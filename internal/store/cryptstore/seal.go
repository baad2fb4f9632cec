package cryptstore

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// prefix starts every sealed value: format version 1 (AES-256-GCM under an
// HKDF-derived key, 12-byte random nonce). Plaintext never starts with it:
// specs are JSON, keys are DER or random bytes (a chance of 2^-48 per
// value), password hashes start "$argon2id$". It avoids NUL, which
// PostgreSQL text and jsonb refuse.
const prefix = "$fed1$"

// ErrUnknownKey means a value is sealed under a master key this store was
// not given: the secrets are under another key (rotated, or the wrong
// file).
var ErrUnknownKey = errors.New("cryptstore: value sealed under another master key")

// ErrCorrupt means a sealed value does not open: it was changed, truncated,
// or moved from another record or field.
var ErrCorrupt = errors.New("cryptstore: sealed value does not open (changed, or moved from another record)")

// keyring seals with cur and opens with any key it holds.
type keyring struct {
	cur  *MasterKey
	byID map[string]*MasterKey
}

func newKeyring(cur *MasterKey, older ...*MasterKey) keyring {
	r := keyring{cur: cur, byID: map[string]*MasterKey{cur.id: cur}}
	for _, k := range older {
		if k != nil {
			r.byID[k.id] = k
		}
	}
	return r
}

// sealBytes encrypts plain under the current key, binding aad, for a
// []byte field: prefix, key id, "$", then nonce‖ciphertext as raw bytes
// (the wrapped store encodes the field once; text would be encoded twice).
// Empty values stay empty: there is nothing to hide, and nil must read
// back as nil.
func (r keyring) sealBytes(plain []byte, aad string) []byte {
	if len(plain) == 0 {
		return plain
	}
	k := r.cur
	n := k.aead.NonceSize()
	head := len(prefix) + len(k.id) + 1
	out := make([]byte, head+n, head+n+len(plain)+k.aead.Overhead())
	copy(out, prefix+k.id+"$")
	if _, err := rand.Read(out[head:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return k.aead.Seal(out, out[head:], plain, []byte(aad))
}

// sealString is sealBytes for a string field, with the ciphertext in
// base64 so the value stays valid text.
func (r keyring) sealString(plain, aad string) string {
	if plain == "" {
		return ""
	}
	b := r.sealBytes([]byte(plain), aad)
	head := len(prefix) + len(r.cur.id) + 1
	return string(b[:head]) + base64.RawStdEncoding.EncodeToString(b[head:])
}

// openBytes returns the plaintext of a sealed []byte value, or the value
// itself when it is plaintext from before encryption.
func (r keyring) openBytes(v []byte, aad string) ([]byte, error) {
	id, body, sealed := split(v)
	if !sealed {
		return v, nil
	}
	return r.openBody(id, body, aad)
}

// openString is openBytes for a string field.
func (r keyring) openString(v, aad string) (string, error) {
	id, body, sealed := split([]byte(v))
	if !sealed {
		return v, nil
	}
	ct, err := base64.RawStdEncoding.DecodeString(string(body))
	if err != nil {
		return "", ErrCorrupt
	}
	plain, err := r.openBody(id, ct, aad)
	return string(plain), err
}

func (r keyring) openBody(id string, ct []byte, aad string) ([]byte, error) {
	if id == "" {
		return nil, ErrCorrupt
	}
	k := r.byID[id]
	if k == nil {
		return nil, fmt.Errorf("%w %s", ErrUnknownKey, id)
	}
	n := k.aead.NonceSize()
	if len(ct) < n {
		return nil, ErrCorrupt
	}
	plain, err := k.aead.Open(nil, ct[:n], ct[n:], []byte(aad))
	if err != nil {
		return nil, ErrCorrupt
	}
	return plain, nil
}

// split parses a sealed value's head; sealed is false for plaintext.
func split(v []byte) (id string, body []byte, sealed bool) {
	rest, ok := bytes.CutPrefix(v, []byte(prefix))
	if !ok {
		return "", nil, false
	}
	idb, body, ok := bytes.Cut(rest, []byte("$"))
	if !ok {
		// A prefix without a key id: sealed, and broken.
		return "", nil, true
	}
	return string(idb), body, true
}

// sealedID is the id of the key v is sealed under, "" for plaintext.
func sealedID[T string | []byte](v T) string {
	id, _, _ := split([]byte(v))
	return id
}

// current reports whether v needs no rewrite under the current key: it is
// empty or already sealed under it.
func current[T string | []byte](r keyring, v T) bool {
	return len(v) == 0 || sealedID(v) == r.cur.id
}

// aad is the additional data of one field of one record: the format, the
// field, and the record's identity, joined by NUL (which no identity holds
// as a separator would be ambiguous otherwise).
func aad(field string, identity ...string) string {
	return "federa/cryptstore/v1\x00" + field + "\x00" + strings.Join(identity, "\x00")
}

// what names a field of a record in errors, without its secret.
func what(field string, identity ...string) string {
	return field + " of " + strings.Join(identity, "/")
}

// fieldError wraps a failure to open with what failed.
func fieldError(err error, field string, identity ...string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what(field, identity...), err)
}
