package sigv4

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"io"
	"strings"
)

// VerifyBody wraps body so that reaching EOF fails with ErrContentSHA256Mismatch
// when the bytes read do not hash to wantHex. It streams.
func VerifyBody(body io.ReadCloser, wantHex string) io.ReadCloser {
	want, _ := hex.DecodeString(wantHex)
	return &hashingBody{rc: body, h: sha256.New(), want: want}
}

type hashingBody struct {
	rc   io.ReadCloser
	h    hash.Hash
	want []byte
	err  error
}

func (b *hashingBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.rc.Read(p)
	b.h.Write(p[:n])
	if err == io.EOF && subtle.ConstantTimeCompare(b.h.Sum(nil), b.want) != 1 {
		b.err = Fail(ErrContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")
		return n, b.err
	}
	return n, err
}

func (b *hashingBody) Close() error { return b.rc.Close() }

// IsStreaming reports whether a payload hash value announces aws-chunked framing.
func IsStreaming(payloadHash string) bool {
	return strings.HasPrefix(payloadHash, "STREAMING-")
}
