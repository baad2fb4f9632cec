package cryptstore_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/federa/federa/internal/store/cryptstore"
)

func TestParseKey(t *testing.T) {
	raw := bytes.Repeat([]byte{0xa5}, 32)
	want, err := cryptstore.NewMasterKey(raw)
	check(t, err)
	for _, text := range []string{
		hex.EncodeToString(raw),
		strings.ToUpper(hex.EncodeToString(raw)) + "\n",
		base64.StdEncoding.EncodeToString(raw),
		"  " + base64.RawURLEncoding.EncodeToString(raw) + "\r\n",
	} {
		k, err := cryptstore.ParseKey([]byte(text))
		if err != nil || k.ID() != want.ID() {
			t.Errorf("ParseKey(%q) = %v, %v", text, k, err)
		}
	}
	for _, bad := range []string{"", "abc", hex.EncodeToString(raw[:16]), base64.StdEncoding.EncodeToString(append(raw, 1)), "passphrase"} {
		if _, err := cryptstore.ParseKey([]byte(bad)); err == nil {
			t.Errorf("ParseKey(%q) accepted", bad)
		}
	}
	other, _ := cryptstore.NewMasterKey(bytes.Repeat([]byte{0x5a}, 32))
	if len(want.ID()) != 8 || want.ID() == other.ID() {
		t.Errorf("ids %q and %q", want.ID(), other.ID())
	}
}

func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "master-key")
	k, created, err := cryptstore.LoadOrCreateKeyFile(path)
	if err != nil || !created {
		t.Fatalf("LoadOrCreateKeyFile = %v, %v", created, err)
	}
	info, err := os.Stat(path)
	check(t, err)
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("generated key file mode %o", info.Mode().Perm())
	}
	again, created, err := cryptstore.LoadOrCreateKeyFile(path)
	if err != nil || created || again.ID() != k.ID() {
		t.Errorf("second LoadOrCreateKeyFile = %v, %v, %v", again, created, err)
	}
	if _, err := cryptstore.GenerateKeyFile(path); err == nil {
		t.Error("GenerateKeyFile replaced an existing key")
	}
	if runtime.GOOS == "windows" {
		return
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660} {
		check(t, os.Chmod(path, mode))
		if _, err := cryptstore.LoadKeyFile(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %o: err = %v", mode, err)
		}
	}
	check(t, os.Chmod(path, 0o400))
	if _, err := cryptstore.LoadKeyFile(path); err != nil {
		t.Errorf("mode 0400: %v", err)
	}
	if _, err := cryptstore.LoadKeyFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file loaded")
	}
}
