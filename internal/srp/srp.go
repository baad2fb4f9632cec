// Package srp is Cognito's SRP-6a, as amazon-cognito-identity-js
// (AuthenticationHelper) speaks it, for both sides: the 3072-bit group of
// RFC 5054 with g = 2, SHA-256 over the bytes of minimally padded hex (an
// extra 00 when the top bit is set), k = H(N | g), u = H(A | B),
// x = H(salt | H(poolName | user ":" password)), and a 16-byte key from
// HKDF-SHA256 (salt u, info "Caldera Derived Key") that signs
// poolName | user | secret block | timestamp.
package srp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"
	"time"
)

var (
	N = mustHex("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
		"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
		"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
		"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
		"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
		"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
		"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
		"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
		"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
		"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
		"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
		"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
		"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
		"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
		"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
		"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF")
	G = big.NewInt(2)
	k = new(big.Int).SetBytes(hexHash(PadHex(N) + PadHex(G)))
)

func mustHex(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("srp: bad constant")
	}
	return n
}

// PadHex is the client's hex form of a non-negative number: even length,
// with 00 in front when the first digit has its top bit set.
func PadHex(n *big.Int) string {
	h := n.Text(16)
	if len(h)%2 == 1 {
		h = "0" + h
	}
	if strings.IndexByte("89abcdef", h[0]) >= 0 {
		h = "00" + h
	}
	return h
}

// hexHash is SHA-256 of the bytes a hex string spells.
func hexHash(h string) []byte {
	b, _ := hex.DecodeString(h)
	sum := sha256.Sum256(b)
	return sum[:]
}

// Credential is what a user's password leaves for SRP: a salt and the
// verifier v = g^x mod N. Like a password hash it lets nobody sign in, but
// an offline guess costs one exponentiation, far less than argon2id: it is
// stored only because USER_SRP_AUTH cannot work without it, as in Cognito.
type Credential struct {
	Salt     string `json:"salt"`     // hex
	Verifier string `json:"verifier"` // hex
}

// poolName is the part of a pool id after "_", which SRP mixes in.
func poolName(poolID string) string {
	_, name, _ := strings.Cut(poolID, "_")
	return name
}

// x is the private value the client derives from the password.
func x(poolID, username, password string, salt *big.Int) *big.Int {
	inner := sha256.Sum256([]byte(poolName(poolID) + username + ":" + password))
	return new(big.Int).SetBytes(hexHash(PadHex(salt) + hex.EncodeToString(inner[:])))
}

// NewCredential makes the verifier for a password.
func NewCredential(poolID, username, password string) Credential {
	raw := make([]byte, 16)
	_, _ = rand.Read(raw)
	salt := new(big.Int).SetBytes(raw)
	v := expG(x(poolID, username, password, salt))
	return Credential{Salt: salt.Text(16), Verifier: v.Text(16)}
}

// Server is the server's half of one exchange.
type Server struct {
	Secret, Public *big.Int // b and B
}

// SecretBytes is the size of the random exponents a and b: 256 bits.
// RFC 5054 §2.5.4 asks for at least 256 bits, and RFC 3526 §8 puts the
// strength of a 3072-bit group at 128 bits, which a 256-bit exponent
// matches; a longer one buys no security and each bit costs a squaring of a
// 3072-bit number (128 bytes, as amazon-cognito-identity-js draws for a,
// make every exponentiation four times slower).
const SecretBytes = 32

// NewServer picks b and computes B = k·v + g^b mod N.
func NewServer(v *big.Int) Server {
	for {
		raw := make([]byte, SecretBytes)
		_, _ = rand.Read(raw)
		b := new(big.Int).SetBytes(raw)
		B := expG(b)
		B.Add(B, new(big.Int).Mul(k, v))
		B.Mod(B, N)
		if B.Sign() != 0 {
			return Server{Secret: b, Public: B}
		}
	}
}

// ServerKey is the 16-byte key both sides derive, or nil when A is
// unacceptable (A mod N = 0 or u = 0, which would let a client skip the
// password).
func ServerKey(A, B, b, v *big.Int) []byte {
	if new(big.Int).Mod(A, N).Sign() == 0 {
		return nil
	}
	u := new(big.Int).SetBytes(hexHash(PadHex(A) + PadHex(B)))
	if u.Sign() == 0 {
		return nil
	}
	S := new(big.Int).Exp(v, u, N)
	S.Mul(S, A)
	S.Exp(S, b, N)
	return hkdf16(hexBytes(PadHex(S)), hexBytes(PadHex(u)))
}

func hexBytes(h string) []byte {
	b, _ := hex.DecodeString(h)
	return b
}

// hkdf16 is the first block of HKDF-SHA256 with info "Caldera Derived
// Key", cut to 16 bytes.
func hkdf16(ikm, salt []byte) []byte {
	m := hmac.New(sha256.New, salt)
	m.Write(ikm)
	prk := m.Sum(nil)
	m = hmac.New(sha256.New, prk)
	m.Write([]byte("Caldera Derived Key\x01"))
	return m.Sum(nil)[:16]
}

// Signature is what the client sends as PASSWORD_CLAIM_SIGNATURE (before
// base64): HMAC over pool name, user, secret block and timestamp.
func Signature(key []byte, poolID, username string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName(poolID)))
	m.Write([]byte(username))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// TimestampLayout is the client's TIMESTAMP: "Tue Nov 3 09:05:07 UTC
// 2026", day of month unpadded.
const TimestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// ParseTimestamp reads TIMESTAMP.
func ParseTimestamp(s string) (time.Time, bool) {
	t, err := time.Parse(TimestampLayout, s)
	return t, err == nil
}

// Timestamp formats t as the client's TIMESTAMP.
func Timestamp(t time.Time) string { return t.UTC().Format(TimestampLayout) }
