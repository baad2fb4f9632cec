package app

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRootCredentialsGeneratedOnceWithMode0600(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	c1, created, err := LoadOrCreateRootCredentials(dir)
	if err != nil || !created {
		t.Fatalf("first start: created=%v err=%v", created, err)
	}
	if len(c1.AccessKeyID) != 20 || len(c1.SecretAccessKey) != 40 {
		t.Errorf("key shapes %q / %d chars", c1.AccessKeyID, len(c1.SecretAccessKey))
	}
	fi, err := os.Stat(filepath.Join(dir, rootCredentialsFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file mode %v, err %v; want 0600", fi.Mode().Perm(), err)
	}
	c2, created, err := LoadOrCreateRootCredentials(dir)
	if err != nil || created || c2 != c1 {
		t.Errorf("second start: %v created=%v err=%v, want the same key", c2, created, err)
	}
	other, _, _ := LoadOrCreateRootCredentials(t.TempDir())
	if other == c1 {
		t.Error("two data directories got the same generated key")
	}
	if !c1.matches(c1.AccessKeyID) || c1.matches(c1.AccessKeyID+"X") || (RootCredentials{}).matches("") {
		t.Error("matches is wrong")
	}
}

func TestRootCredentialsCorruptFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, rootCredentialsFile), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreateRootCredentials(dir); err == nil {
		t.Error("a corrupt credentials file was accepted")
	}
}
