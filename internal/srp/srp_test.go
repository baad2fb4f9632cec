package srp

import (
	"bytes"
	"crypto/rand"
	"math/big"
	"testing"
	"time"
)

func TestPadHex(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{0, "00"}, {1, "01"}, {0x7f, "7f"}, {0x80, "0080"}, {0xabc, "0abc"}, {0x8abc, "008abc"}} {
		if got := PadHex(big.NewInt(tt.n)); got != tt.want {
			t.Errorf("PadHex(%#x) = %s, want %s", tt.n, got, tt.want)
		}
	}
}

// TestAgreement runs both halves: the client's key from the password equals
// the server's from the verifier, and only for the right password, user and
// pool.
func TestAgreement(t *testing.T) {
	const pool, user, pw = "us-east-1_AbCdEf123", "alice", "Corr3ct-horse!"
	cred := NewCredential(pool, user, pw)
	salt, _ := new(big.Int).SetString(cred.Salt, 16)
	v, _ := new(big.Int).SetString(cred.Verifier, 16)
	srv := NewServer(v)
	cl := NewClient()
	serverKey := ServerKey(cl.Public, srv.Public, srv.Secret, v)
	block := []byte("secret block")
	ts := Timestamp(time.Date(2026, 11, 3, 9, 5, 7, 0, time.UTC))
	if ts != "Tue Nov 3 09:05:07 UTC 2026" {
		t.Fatalf("timestamp %q", ts)
	}
	want := Signature(serverKey, pool, user, block, ts)
	for _, tt := range []struct {
		name, pool, user, pw string
		match                bool
	}{
		{"right password", pool, user, pw, true},
		{"wrong password", pool, user, pw + "x", false},
		{"other user", pool, "bob", pw, false},
		{"other pool", "us-east-1_Other", user, pw, false},
	} {
		key := cl.Key(tt.pool, tt.user, tt.pw, salt, srv.Public)
		got := Signature(key, pool, user, block, ts)
		if bytes.Equal(got, want) != tt.match {
			t.Errorf("%s: signatures match = %v", tt.name, !tt.match)
		}
	}
	if ServerKey(big.NewInt(0), srv.Public, srv.Secret, v) != nil || ServerKey(new(big.Int).Set(N), srv.Public, srv.Secret, v) != nil {
		t.Error("A ≡ 0 mod N accepted: it would let a client skip the password")
	}
	if cl.Key(pool, user, pw, salt, new(big.Int).Set(N)) != nil {
		t.Error("B ≡ 0 mod N accepted")
	}
	if _, ok := ParseTimestamp("Tue Nov 03 09:05:07 UTC 2026"); !ok {
		t.Error("zero-padded day refused")
	}
	if _, ok := ParseTimestamp("2026-11-03T09:05:07Z"); ok {
		t.Error("ISO timestamp accepted")
	}
}

func BenchmarkServerKey(b *testing.B) {
	cred := NewCredential("us-east-1_X", "alice", "pw")
	v, _ := new(big.Int).SetString(cred.Verifier, 16)
	cl := NewClient()
	for b.Loop() {
		srv := NewServer(v)
		if ServerKey(cl.Public, srv.Public, srv.Secret, v) == nil {
			b.Fatal("no key")
		}
	}
}

// TestExpGMatchesExp checks the fixed-base table against big.Int.Exp for
// exponents of every size it takes, and the fallback beyond.
func TestExpGMatchesExp(t *testing.T) {
	exps := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(255), big.NewInt(256), big.NewInt(65537),
		new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)), // 2^256-1: every byte 0xff
		new(big.Int).Lsh(big.NewInt(1), 256),                                  // beyond the table
		new(big.Int).Lsh(big.NewInt(3), 1000)}
	for range 20 {
		raw := make([]byte, 32)
		_, _ = rand.Read(raw)
		exps = append(exps, new(big.Int).SetBytes(raw))
	}
	for _, e := range exps {
		if got, want := expG(e), new(big.Int).Exp(G, e, N); got.Cmp(want) != 0 {
			t.Fatalf("expG(%x) = %x, want %x", e, got, want)
		}
	}
}
