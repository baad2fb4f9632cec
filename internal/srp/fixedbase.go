package srp

import (
	"math/big"
	"sync"
)

// Every exponentiation of g in SRP (A = g^a, B's g^b, the client's g^x and
// the verifier g^x) has a fixed base and an exponent of at most 256 bits
// (a and b are SecretBytes long, x is a SHA-256). With g^(d·256^i) for
// every byte value d and byte position i computed once, g^e is the product
// of one table entry per byte of e: 32 multiplications instead of the 256
// squarings and ~64 multiplications of big.Int.Exp, about six times faster.
// The table is 32 × 255 numbers of 384 bytes, 3 MiB, built on first use in
// about 30 ms.
//
// Like big.Int.Exp, whose windows are also indexed by exponent bits, this
// is not constant-time; a and b are used once, and SRP's security rests on
// them being unpredictable, not on hiding the exponentiation's timing from
// a process sharing the CPU.
const fixedBaseBytes = 32

var (
	gTableOnce sync.Once
	gTable     [fixedBaseBytes][256]*big.Int // gTable[i][d] = g^(d·256^i) mod N; [i][0] unused
)

func buildGTable() {
	base := new(big.Int).Set(G) // g^(256^i)
	for i := range fixedBaseBytes {
		gTable[i][1] = new(big.Int).Set(base)
		for d := 2; d < 256; d++ {
			v := new(big.Int).Mul(gTable[i][d-1], base)
			gTable[i][d] = v.Mod(v, N)
		}
		next := new(big.Int).Mul(gTable[i][255], base) // g^(256·256^i)
		base = next.Mod(next, N)
	}
}

// expG returns g^e mod N for a non-negative e.
func expG(e *big.Int) *big.Int {
	if e.Sign() < 0 || e.BitLen() > 8*fixedBaseBytes {
		return new(big.Int).Exp(G, e, N)
	}
	gTableOnce.Do(buildGTable)
	var buf [fixedBaseBytes]byte
	e.FillBytes(buf[:])
	r := big.NewInt(1)
	t := new(big.Int)
	for i := range fixedBaseBytes {
		d := buf[fixedBaseBytes-1-i] // byte i, least significant first
		if d == 0 {
			continue
		}
		t.Mul(r, gTable[i][d])
		r.Mod(t, N)
	}
	return r
}
