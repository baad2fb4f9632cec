package cryptstore

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// KeySize is the length of a master key: 32 random bytes.
const KeySize = 32

// MasterKey is an operator's master key, ready to seal and open values.
type MasterKey struct {
	id   string
	aead cipher.AEAD
}

// NewMasterKey makes a master key of 32 raw bytes.
//
// The bytes are not used as the AES key directly: HKDF-SHA256 derives the
// data key and, separately, the key's id, so the id (written beside every
// value and in error messages) says nothing about the key.
func NewMasterKey(raw []byte) (*MasterKey, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("cryptstore: a master key is %d bytes, not %d", KeySize, len(raw))
	}
	dk, err := hkdf.Key(sha256.New, raw, nil, "federa cryptstore v1 data key", 32)
	if err != nil {
		return nil, err
	}
	idb, err := hkdf.Key(sha256.New, raw, nil, "federa cryptstore v1 key id", 4)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(dk)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &MasterKey{id: hex.EncodeToString(idb), aead: aead}, nil
}

// ID names the key: 8 hex digits, derived from it, written in every sealed
// value and in the messages that say a key is the wrong one.
func (k *MasterKey) ID() string { return k.id }

// ParseKey reads a master key written as text: 64 hex digits, or base64
// (standard or URL alphabet, padded or not) of 32 bytes. Surrounding white
// space is ignored, so a file may end in a newline.
func ParseKey(text []byte) (*MasterKey, error) {
	s := strings.TrimSpace(string(text))
	if s == "" {
		return nil, errors.New("the master key is empty")
	}
	if raw, err := hex.DecodeString(s); err == nil && len(raw) == KeySize {
		return NewMasterKey(raw)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err := enc.DecodeString(s); err == nil && len(raw) == KeySize {
			return NewMasterKey(raw)
		}
	}
	return nil, fmt.Errorf("a master key is %d random bytes written as 64 hex digits or as base64 (for example: openssl rand -hex 32)", KeySize)
}

// LoadKeyFile reads a master key file. It refuses a file that the group or
// others may read or write: the key opens every secret of the store, so a
// loose mode is a mistake worth stopping for (chmod 600 fixes it).
func LoadKeyFile(path string) (*MasterKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("master key file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("master key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("master key file %s is not a regular file", path)
	}
	// Windows has no permission bits to check; its ACLs are the operator's.
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return nil, fmt.Errorf("master key file %s has mode %04o: the group or others can reach it; chmod 600 %s", path, perm, path)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, fmt.Errorf("master key file: %w", err)
	}
	k, err := ParseKey(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("master key file %s: %w", path, err)
	}
	return k, nil
}

// GenerateKeyFile writes a new random master key to path as hex, mode 0600,
// and returns it. It never replaces an existing file: losing a master key
// loses every secret sealed under it.
func GenerateKeyFile(path string) (*MasterKey, error) {
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	k, err := NewMasterKey(raw)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("master key file: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(raw) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return k, f.Close()
}

// LoadOrCreateKeyFile loads the key at path, or generates it there when
// there is no file yet (demo mode keeps one in the data directory).
// created reports a new key, so the caller can say so once.
func LoadOrCreateKeyFile(path string) (k *MasterKey, created bool, err error) {
	k, err = LoadKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, false, err
	}
	k, err = GenerateKeyFile(path)
	return k, err == nil, err
}
