package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadCertificateRefusesHalfOrBadPairs: a server asked for TLS either
// gets a usable key pair at start or does not start.
func TestLoadCertificateRefusesHalfOrBadPairs(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not PEM"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ cert, key, want string }{
		{"", "", ""},
		{junk, "", "both a certificate"},
		{"", junk, "both a certificate"},
		{junk, junk, "TLS key pair"},
		{filepath.Join(dir, "missing.pem"), junk, "TLS key pair"},
	} {
		c, err := loadCertificate(tc.cert, tc.key)
		switch {
		case tc.want == "" && (err != nil || c != nil):
			t.Errorf("(%q, %q): %v, %v; want no TLS", tc.cert, tc.key, c, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("(%q, %q): error %v, want one saying %q", tc.cert, tc.key, err, tc.want)
		}
	}
}
