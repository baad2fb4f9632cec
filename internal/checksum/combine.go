package checksum

import (
	"encoding/binary"
	"strconv"
)

// Part is one part's raw checksum and length, as stored at UploadPart.
type Part struct {
	Sum  []byte
	Size int64
}

// CompositeOf returns S3's COMPOSITE checksum of parts: the checksum of the
// concatenated raw part checksums, base64-encoded, then "-" and the number
// of parts.
func (a Algorithm) CompositeOf(parts []Part) string {
	h := a.New()
	for _, p := range parts {
		h.Write(p.Sum)
	}
	return Encode(h.Sum(nil)) + "-" + strconv.Itoa(len(parts))
}

// FullObjectOf returns the CRC of the concatenation of the parts, computed
// from their CRCs and lengths alone. ok is false for a non-CRC algorithm.
func (a Algorithm) FullObjectOf(parts []Part) (sum []byte, ok bool) {
	var poly uint64
	var width uint
	switch a {
	case CRC32:
		poly, width = uint64(0xedb88320), 32
	case CRC32C:
		poly, width = uint64(0x82f63b78), 32
	case CRC64NVME:
		poly, width = 0x9a6c9329ac4bc9b5, 64
	default:
		return nil, false
	}
	g := gf2{poly: poly, width: width}
	var crc uint64
	for i, p := range parts {
		v := decodeBE(p.Sum)
		if i == 0 {
			crc = v
			continue
		}
		crc = g.mul(g.xPow8n(p.Size), crc) ^ v
	}
	out := make([]byte, width/8)
	if width == 32 {
		binary.BigEndian.PutUint32(out, uint32(crc))
	} else {
		binary.BigEndian.PutUint64(out, crc)
	}
	return out, true
}

func decodeBE(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// gf2 is arithmetic on polynomials over GF(2) modulo a reflected CRC
// polynomial, the algebra behind zlib's crc32_combine: for CRCs with
// all-ones initial value and final XOR, crc(A‖B) = crc(A)·x^(8·len(B)) ⊕ crc(B).
type gf2 struct {
	poly  uint64
	width uint
}

// top is the bit that stands for x^0 in the reflected representation.
func (g gf2) top() uint64 { return 1 << (g.width - 1) }

// mul returns a·b mod poly.
func (g gf2) mul(a, b uint64) uint64 {
	m := g.top()
	var p uint64
	for {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				break
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ g.poly
		} else {
			b >>= 1
		}
	}
	return p
}

// xPow8n returns x^(8n) mod poly by repeated squaring.
func (g gf2) xPow8n(n int64) uint64 {
	// In the reflected representation x^k is the bit top()>>k.
	result := g.top()  // x^0
	sq := g.top() >> 8 // x^8, squared each step: x^(8·2^k)
	for n > 0 {
		if n&1 != 0 {
			result = g.mul(sq, result)
		}
		n >>= 1
		sq = g.mul(sq, sq)
	}
	return result
}
