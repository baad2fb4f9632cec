package userpool

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// RFC 6238 time-based one-time passwords, as authenticator apps compute
// them from the secret AssociateSoftwareToken returns: HMAC-SHA1, 30-second
// steps, six digits.
const totpStep = 30

var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTOTPSecret returns a 160-bit secret in base32, as Cognito's SecretCode.
func newTOTPSecret() string {
	raw := make([]byte, 20)
	_, _ = rand.Read(raw)
	return totpEncoding.EncodeToString(raw)
}

// totpCode is the code for a secret at a time step.
func totpCode(secret string, step int64) (string, bool) {
	key, err := totpEncoding.DecodeString(strings.ToUpper(secret))
	if err != nil {
		return "", false
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1_000_000), true
}

// checkTOTP finds the step, within one of now either way, whose code is
// the one given and that is later than the last step used; 0 when none.
// Refusing steps already used stops a code from being replayed.
func checkTOTP(secret, code string, now time.Time, lastStep int64) int64 {
	cur := now.Unix() / totpStep
	for _, step := range []int64{cur - 1, cur, cur + 1} {
		want, ok := totpCode(secret, step)
		if ok && step > lastStep && hmac.Equal([]byte(want), []byte(code)) {
			return step
		}
	}
	return 0
}
