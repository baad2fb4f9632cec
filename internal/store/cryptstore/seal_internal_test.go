package cryptstore

import (
	"bytes"
	"testing"
)

// BenchmarkOpen is the cost of decryption alone, per value: a 2048-bit RSA
// key's PKCS#8 DER (1.2 KiB) and a user spec (300 B).
func BenchmarkOpen(b *testing.B) {
	k, err := NewMasterKey(bytes.Repeat([]byte{7}, KeySize))
	if err != nil {
		b.Fatal(err)
	}
	r := newKeyring(k)
	for _, size := range []int{1218, 300} {
		sealed := r.sealBytes(bytes.Repeat([]byte{'x'}, size), aad(fieldKey, "jwt/p", "kid"))
		b.Run(map[int]string{1218: "rsa-key", 300: "user-spec"}[size], func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				if _, err := r.openBytes(sealed, aad(fieldKey, "jwt/p", "kid")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSealedForm: the head names the format and the key, a []byte field
// holds raw ciphertext and a string field base64, and each opens only
// with its own additional data.
func TestSealedForm(t *testing.T) {
	k, _ := NewMasterKey(bytes.Repeat([]byte{7}, KeySize))
	r := newKeyring(k)
	b := r.sealBytes([]byte("secret"), "a")
	if !bytes.HasPrefix(b, []byte("$fed1$"+k.ID()+"$")) || len(b) != len("$fed1$")+8+1+12+6+16 {
		t.Errorf("sealed bytes %q", b)
	}
	s := r.sealString("secret", "a")
	if got, err := r.openString(s, "a"); err != nil || got != "secret" {
		t.Errorf("openString = %q, %v", got, err)
	}
	if _, err := r.openString(s, "b"); err != ErrCorrupt {
		t.Errorf("opened with other additional data: %v", err)
	}
	if got, err := r.openString("$argon2id$v=19$x", "a"); err != nil || got != "$argon2id$v=19$x" {
		t.Errorf("plaintext read as %q, %v", got, err)
	}
	for _, bad := range []string{"$fed1$", "$fed1$" + k.ID(), "$fed1$" + k.ID() + "$!!", "$fed1$" + k.ID() + "$AAAA"} {
		if _, err := r.openString(bad, "a"); err == nil {
			t.Errorf("openString(%q) succeeded", bad)
		}
	}
	if len(r.sealBytes(nil, "a")) != 0 || r.sealString("", "a") != "" {
		t.Error("an empty value was sealed")
	}
}
