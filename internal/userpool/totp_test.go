package userpool

import (
	"encoding/base32"
	"testing"
	"time"
)

// TestTOTPVectors checks the SHA-1 vectors of RFC 6238 appendix B (the
// 8-digit codes' last six digits).
func TestTOTPVectors(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	for _, tt := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		if got, _ := totpCode(secret, tt.unix/totpStep); got != tt.want {
			t.Errorf("T=%d: %s, want %s", tt.unix, got, tt.want)
		}
	}
	now := time.Unix(1111111111, 0)
	if step := checkTOTP(secret, "050471", now, 0); step == 0 {
		t.Error("current code refused")
	}
	if step := checkTOTP(secret, "050471", now, now.Unix()/totpStep); step != 0 {
		t.Error("a code accepted twice")
	}
	if step := checkTOTP(secret, "050471", now.Add(2*time.Minute), 0); step != 0 {
		t.Error("a two-minute-old code accepted")
	}
}
