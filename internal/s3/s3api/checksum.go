package s3api

import (
	"net/http"
	"strings"

	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/s3"
)

// checksumInput reads what an upload declares about its additional
// checksum: a value header (x-amz-checksum-<alg>), or a trailer announced by
// x-amz-trailer and read from r.Trailer after the body, and the SDKs'
// x-amz-sdk-checksum-algorithm, which must agree with them.
func checksumInput(r *http.Request) (s3.ChecksumInput, error) {
	var in s3.ChecksumInput
	var named []checksum.Algorithm
	for name := range r.Header {
		if alg, ok := checksum.FromHeader(name); ok {
			named = append(named, alg)
			in.Algorithm, in.Value = alg, r.Header.Get(name)
		}
	}
	if tr := r.Header.Get("X-Amz-Trailer"); tr != "" {
		alg, ok := checksum.FromHeader(strings.TrimSpace(tr))
		if !ok {
			return in, s3.ErrInvalidRequest.New("The value specified in the x-amz-trailer header is not supported: %q.", tr)
		}
		named = append(named, alg)
		in.Algorithm = alg
		in.Trailer = func() string { return r.Trailer.Get(alg.Header()) }
	}
	if len(named) > 1 {
		return in, s3.ErrInvalidRequest.New("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
	}
	if in.Value != "" {
		if _, ok := in.Algorithm.Decode(in.Value); !ok {
			return in, s3.ErrInvalidRequest.New("Value for %s header is invalid.", in.Algorithm.Header())
		}
	}
	if v := r.Header.Get("X-Amz-Sdk-Checksum-Algorithm"); v != "" {
		alg, ok := checksum.Parse(v)
		if !ok || (len(named) == 1 && alg != named[0]) {
			return in, s3.ErrInvalidRequest.New("Value for x-amz-sdk-checksum-algorithm header is invalid.")
		}
		if len(named) == 0 {
			return in, s3.ErrInvalidRequest.New("x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		}
	}
	in.Explicit = len(named) == 1
	return in, nil
}

// setChecksumHeaders writes an object's additional checksum and its type.
func setChecksumHeaders(h http.Header, c *s3.Checksum) {
	if c == nil || c.Algorithm == "" {
		return
	}
	alg, ok := checksum.Parse(c.Algorithm)
	if !ok {
		return
	}
	h.Set(alg.Header(), c.Value)
	h.Set("X-Amz-Checksum-Type", c.Type)
}

// toChecksumsXML fills the member of c's algorithm.
func toChecksumsXML(c *s3.Checksum) checksumsXML {
	var x checksumsXML
	if c == nil {
		return x
	}
	switch checksum.Algorithm(c.Algorithm) {
	case checksum.CRC32:
		x.ChecksumCRC32 = c.Value
	case checksum.CRC32C:
		x.ChecksumCRC32C = c.Value
	case checksum.CRC64NVME:
		x.ChecksumCRC64NVME = c.Value
	case checksum.SHA1:
		x.ChecksumSHA1 = c.Value
	case checksum.SHA256:
		x.ChecksumSHA256 = c.Value
	default:
		return x
	}
	x.ChecksumType = c.Type
	return x
}
