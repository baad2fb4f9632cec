// Package checksum computes the additional object checksums S3 accepts and
// returns (x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1, -sha256), and
// combines part checksums the way S3 does for multipart uploads: COMPOSITE
// (a checksum of the parts' checksums, suffixed "-N") and FULL_OBJECT (the
// CRC of the whole object, derived from the parts' CRCs without re-reading
// the bytes).
//
// checksum is a leaf: it imports nothing of federa's.
package checksum

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"strings"
)

// Algorithm names a checksum algorithm as S3 spells it in
// x-amz-checksum-algorithm and x-amz-sdk-checksum-algorithm.
type Algorithm string

// The algorithms S3 supports.
const (
	CRC32     Algorithm = "CRC32"
	CRC32C    Algorithm = "CRC32C"
	CRC64NVME Algorithm = "CRC64NVME"
	SHA1      Algorithm = "SHA1"
	SHA256    Algorithm = "SHA256"
)

// Algorithms lists every algorithm, in the order S3 documents them.
var Algorithms = []Algorithm{CRC32, CRC32C, CRC64NVME, SHA1, SHA256}

// Checksum types, as in x-amz-checksum-type.
const (
	FullObject = "FULL_OBJECT"
	Composite  = "COMPOSITE"
)

// crc64NVMETable is CRC-64/NVME: the reflected polynomial 0x9A6C9329AC4BC9B5
// with initial value and final XOR all ones, which is what hash/crc64 does.
var (
	crc64NVMETable = crc64.MakeTable(0x9a6c9329ac4bc9b5)
	castagnoli     = crc32.MakeTable(crc32.Castagnoli)
)

// Parse returns the algorithm named by s, case-insensitively.
func Parse(s string) (Algorithm, bool) {
	for _, a := range Algorithms {
		if strings.EqualFold(s, string(a)) {
			return a, true
		}
	}
	return "", false
}

// FromHeader returns the algorithm whose header is name
// ("x-amz-checksum-crc32" → CRC32), case-insensitively.
func FromHeader(name string) (Algorithm, bool) {
	rest, ok := strings.CutPrefix(strings.ToLower(name), "x-amz-checksum-")
	if !ok {
		return "", false
	}
	return Parse(rest)
}

// Header is the request and response header carrying a's value.
func (a Algorithm) Header() string { return "x-amz-checksum-" + strings.ToLower(string(a)) }

// New returns a fresh hash for a. It panics on an unknown algorithm, which
// only Parse and the constants produce.
func (a Algorithm) New() hash.Hash {
	switch a {
	case CRC32:
		return crc32.NewIEEE()
	case CRC32C:
		return crc32.New(castagnoli)
	case CRC64NVME:
		return crc64.New(crc64NVMETable)
	case SHA1:
		return sha1.New()
	case SHA256:
		return sha256.New()
	}
	panic("checksum: unknown algorithm " + string(a))
}

// Size is the length in bytes of a's raw digest.
func (a Algorithm) Size() int { return a.New().Size() }

// IsCRC reports whether a is a CRC, whose values can be combined into a
// FULL_OBJECT checksum.
func (a Algorithm) IsCRC() bool { return a == CRC32 || a == CRC32C || a == CRC64NVME }

// Encode is how S3 writes a digest: standard base64.
func Encode(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }

// Decode parses a header value for a, rejecting values of the wrong length.
func (a Algorithm) Decode(v string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(b) != a.Size() {
		return nil, false
	}
	return b, true
}
