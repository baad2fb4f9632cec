package checksum

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// Check values from the CRC catalogue (reveng) and FIPS 180 for "123456789".
func TestKnownValues(t *testing.T) {
	tests := []struct {
		alg  Algorithm
		want string
	}{
		{CRC32, "cbf43926"},
		{CRC32C, "e3069283"},
		{CRC64NVME, "ae8b14860a799888"},
		{SHA1, "f7c3bc1d808e04732adf679965ccc34ca7ae3441"},
		{SHA256, "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"},
	}
	for _, tt := range tests {
		h := tt.alg.New()
		h.Write([]byte("123456789"))
		if got := hexString(h.Sum(nil)); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.alg, got, tt.want)
		}
	}
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestFullObjectOfMatchesWholeCRC(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, alg := range []Algorithm{CRC32, CRC32C, CRC64NVME} {
		for trial := range 20 {
			var whole []byte
			var parts []Part
			for range 1 + trial%5 {
				b := make([]byte, r.IntN(3000))
				for i := range b {
					b[i] = byte(r.Uint32())
				}
				h := alg.New()
				h.Write(b)
				parts = append(parts, Part{Sum: h.Sum(nil), Size: int64(len(b))})
				whole = append(whole, b...)
			}
			h := alg.New()
			h.Write(whole)
			got, ok := alg.FullObjectOf(parts)
			if !ok || !bytes.Equal(got, h.Sum(nil)) {
				t.Fatalf("%s trial %d: combined %x, whole %x", alg, trial, got, h.Sum(nil))
			}
		}
	}
	if _, ok := SHA256.FullObjectOf(nil); ok {
		t.Fatal("SHA256 has no full-object combination")
	}
}

func TestCompositeOf(t *testing.T) {
	// Two parts: the SHA-256 of their concatenated raw SHA-256s, then "-2".
	a, b := SHA256.New(), SHA256.New()
	a.Write([]byte("part one"))
	b.Write([]byte("part two"))
	sa, sb := a.Sum(nil), b.Sum(nil)
	h := SHA256.New()
	h.Write(append(append([]byte{}, sa...), sb...))
	want := Encode(h.Sum(nil)) + "-2"
	if got := SHA256.CompositeOf([]Part{{Sum: sa, Size: 8}, {Sum: sb, Size: 8}}); got != want {
		t.Fatalf("got %s want %s", got, want)
	}
}

func TestParseAndDecode(t *testing.T) {
	if a, ok := FromHeader("X-Amz-Checksum-Crc64nvme"); !ok || a != CRC64NVME {
		t.Fatalf("FromHeader: %v %v", a, ok)
	}
	if _, ok := FromHeader("x-amz-checksum-md5"); ok {
		t.Fatal("md5 is not an additional checksum")
	}
	if _, ok := CRC32.Decode("AAAAAAA="); ok {
		t.Fatal("5 bytes accepted for CRC32")
	}
	if _, ok := CRC32.Decode("AAAAAA=="); !ok {
		t.Fatal("4 bytes refused for CRC32")
	}
}
