package srp

import (
	"math/big"
	"testing"
	"time"
)

// Benchmarks of each SRP step. A USER_SRP_AUTH sign-in costs the server
// NewServer (InitiateAuth), ServerKey and Signature (the PASSWORD_VERIFIER
// answer); NewCredential runs whenever a password is set; ClientKey is the
// client's share, paid by federa only in tests, the demo and e2e clients.

const benchPool, benchUser, benchPassword = "us-east-1_AbCdEf123", "alice", "Corr3ct-horse!"

// benchVerifier returns a stored credential's salt and verifier as numbers.
func benchVerifier() (salt, v *big.Int) {
	cred := NewCredential(benchPool, benchUser, benchPassword)
	salt, _ = new(big.Int).SetString(cred.Salt, 16)
	v, _ = new(big.Int).SetString(cred.Verifier, 16)
	return salt, v
}

// BenchmarkNewServer measures picking b and computing B = k·v + g^b mod N,
// a 256-bit exponentiation in the 3072-bit group, paid on every SRP
// InitiateAuth, also for unknown users (which get a fake verifier).
func BenchmarkNewServer(b *testing.B) {
	_, v := benchVerifier()
	b.ReportAllocs()
	for b.Loop() {
		if NewServer(v).Public.Sign() == 0 {
			b.Fatal("B = 0")
		}
	}
}

// BenchmarkClientKey measures the client's S = (B − k·g^x)^(a + u·x) and
// its HKDF: two exponentiations, one with an exponent as long as u·x. It
// bounds the SDK-side cost that a sign-in adds to the server's.
func BenchmarkClientKey(b *testing.B) {
	salt, v := benchVerifier()
	srv := NewServer(v)
	cl := NewClient()
	b.ReportAllocs()
	for b.Loop() {
		if cl.Key(benchPool, benchUser, benchPassword, salt, srv.Public) == nil {
			b.Fatal("no key")
		}
	}
}

// BenchmarkNewCredential measures making a salt and verifier v = g^x mod N,
// done whenever a password is set (sign-up, administrator, change, reset,
// NEW_PASSWORD_REQUIRED), next to the argon2id hash of the same password.
func BenchmarkNewCredential(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if NewCredential(benchPool, benchUser, benchPassword).Verifier == "" {
			b.Fatal("no verifier")
		}
	}
}

// BenchmarkSignature measures the PASSWORD_CLAIM_SIGNATURE HMAC the server
// recomputes to check the client's proof. The secret block is 1.6 KiB, about
// the size of federa's, which carries b, B and A sealed.
func BenchmarkSignature(b *testing.B) {
	_, v := benchVerifier()
	srv := NewServer(v)
	cl := NewClient()
	key := ServerKey(cl.Public, srv.Public, srv.Secret, v)
	block := make([]byte, 1600)
	ts := Timestamp(time.Date(2026, 11, 3, 9, 5, 7, 0, time.UTC))
	b.ReportAllocs()
	for b.Loop() {
		if len(Signature(key, benchPool, benchUser, block, ts)) != 32 {
			b.Fatal("signature is not 32 bytes")
		}
	}
}
