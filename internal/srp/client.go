package srp

import (
	"crypto/rand"
	"math/big"
)

// Client is the client's half of one exchange: a and A = g^a mod N.
type Client struct {
	Secret, Public *big.Int
}

// NewClient picks a, of SecretBytes like b.
func NewClient() Client {
	for {
		raw := make([]byte, SecretBytes)
		_, _ = rand.Read(raw)
		a := new(big.Int).SetBytes(raw)
		A := expG(a)
		if A.Sign() != 0 {
			return Client{Secret: a, Public: A}
		}
	}
}

// Key derives the signing key from the server's salt and B and the
// password, or nil when B is unacceptable (B mod N = 0).
func (c Client) Key(poolID, username, password string, salt, B *big.Int) []byte {
	if new(big.Int).Mod(B, N).Sign() == 0 {
		return nil
	}
	u := new(big.Int).SetBytes(hexHash(PadHex(c.Public) + PadHex(B)))
	xv := x(poolID, username, password, salt)
	// S = (B - k·g^x)^(a + u·x) mod N
	base := expG(xv)
	base.Mul(base, k)
	base.Sub(B, base)
	base.Mod(base, N)
	exp := new(big.Int).Mul(u, xv)
	exp.Add(exp, c.Secret)
	S := new(big.Int).Exp(base, exp, N)
	return hkdf16(hexBytes(PadHex(S)), hexBytes(PadHex(u)))
}
