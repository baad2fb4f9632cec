package app

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// RootCredentials is the account administrator's access key.
type RootCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
}

// rootCredentialsFile is where serve keeps a generated root key, mode 0600.
const rootCredentialsFile = "root-credentials"

// LoadOrCreateRootCredentials returns the root key stored in dataDir, creating
// and storing a fresh random one on first start. created reports whether it
// was just generated, so the caller prints it exactly once.
func LoadOrCreateRootCredentials(dataDir string) (c RootCredentials, created bool, err error) {
	path := filepath.Join(dataDir, rootCredentialsFile)
	b, err := os.ReadFile(path)
	if err == nil {
		id, secret, ok := strings.Cut(strings.TrimSpace(string(b)), ":")
		if !ok || id == "" || secret == "" {
			return c, false, fmt.Errorf("%s is not ACCESS_KEY_ID:SECRET_ACCESS_KEY; delete it to generate a new key", path)
		}
		return RootCredentials{id, secret}, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return c, false, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return c, false, err
	}
	c = RootCredentials{AccessKeyID: "AKIA" + randomString(16, upperAlnum), SecretAccessKey: randomString(40, secretAlphabet)}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return c, false, err
	}
	if _, err := fmt.Fprintf(f, "%s:%s\n", c.AccessKeyID, c.SecretAccessKey); err != nil {
		f.Close()
		return c, false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return c, false, err
	}
	return c, true, f.Close()
}

const (
	upperAlnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// randomString draws n characters uniformly from alphabet (len ≤ 256) by
// rejection sampling, so no character is favoured.
func randomString(n int, alphabet string) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	buf := make([]byte, 1)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		if int(buf[0]) < limit {
			out = append(out, alphabet[int(buf[0])%len(alphabet)])
		}
	}
	return string(out)
}

// matches compares a presented key id with the root key in constant time.
func (c RootCredentials) matches(accessKeyID string) bool {
	return c.AccessKeyID != "" && subtle.ConstantTimeCompare([]byte(c.AccessKeyID), []byte(accessKeyID)) == 1
}
