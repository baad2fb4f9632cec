package userpool

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's first recommended configuration (19 MiB,
// two passes, one lane). Stored in each hash, so they can be raised later
// without invalidating existing passwords.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// argonSlots bounds how many argon2id hashes run at once to the number of
// CPUs. Each holds argonMemory (19 MiB) while it runs; sixteen sign-ins at
// once took 300 MiB and more, and finished no sooner than queued ones,
// since a hash is all CPU. It is process-wide because memory and CPUs are.
var argonSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// argon2ID is argon2.IDKey within an argonSlots slot.
func argon2ID(pw, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	argonSlots <- struct{}{}
	defer func() { <-argonSlots }()
	return argon2.IDKey(pw, salt, t, m, p, n)
}

// hashPassword returns a PHC-format argon2id hash of pw with a fresh salt.
func hashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	sum := argon2ID([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(sum)), nil
}

// checkPassword reports whether pw matches hash, comparing in constant time.
func checkPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || p == 0 || m > 1<<20 || t > 16 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2ID([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// PasswordPolicy is a pool's password policy (Policies.PasswordPolicy).
type PasswordPolicy struct {
	MinimumLength                 int  `json:"MinimumLength"`
	RequireUppercase              bool `json:"RequireUppercase"`
	RequireLowercase              bool `json:"RequireLowercase"`
	RequireNumbers                bool `json:"RequireNumbers"`
	RequireSymbols                bool `json:"RequireSymbols"`
	PasswordHistorySize           *int `json:"PasswordHistorySize,omitempty"`
	TemporaryPasswordValidityDays int  `json:"TemporaryPasswordValidityDays"`
}

// defaultPasswordPolicy is Cognito's default.
func defaultPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true,
		RequireSymbols: true, TemporaryPasswordValidityDays: 7}
}

// cognitoSymbols are the special characters Cognito counts as symbols.
const cognitoSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// check returns the InvalidPasswordException Cognito answers for pw, or nil.
func (p PasswordPolicy) check(pw string) error {
	fail := func(what string) error {
		return ErrInvalidPassword.New("Password does not conform to policy: %s", what)
	}
	if len(pw) > 256 {
		return fail("Password must have length less than or equal to 256")
	}
	if len([]rune(pw)) < p.MinimumLength {
		return fail("Password not long enough")
	}
	var upper, lower, digit, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case strings.ContainsRune(cognitoSymbols, r):
			symbol = true
		}
	}
	switch {
	case p.RequireLowercase && !lower:
		return fail("Password must have lowercase characters")
	case p.RequireUppercase && !upper:
		return fail("Password must have uppercase characters")
	case p.RequireNumbers && !digit:
		return fail("Password must have numeric characters")
	case p.RequireSymbols && !symbol:
		return fail("Password must have symbol characters")
	}
	return nil
}

// Describe words the policy for a sign-up or new-password form, e.g. "At
// least 8 characters, with an upper-case letter, a lower-case letter, a
// number and a symbol."
func (p PasswordPolicy) Describe() string {
	var parts []string
	for _, r := range []struct {
		on   bool
		what string
	}{{p.RequireUppercase, "an upper-case letter"}, {p.RequireLowercase, "a lower-case letter"},
		{p.RequireNumbers, "a number"}, {p.RequireSymbols, "a symbol"}} {
		if r.on {
			parts = append(parts, r.what)
		}
	}
	out := fmt.Sprintf("At least %d characters", max(p.MinimumLength, 6))
	switch len(parts) {
	case 0:
		return out + "."
	case 1:
		return out + ", with " + parts[0] + "."
	}
	return out + ", with " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] + "."
}
