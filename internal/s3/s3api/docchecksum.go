package s3api

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"net/http"

	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/s3"
)

// checkDocument verifies the integrity header of a configuration document
// whose operation S3 marks "requestChecksumRequired" (PutPublicAccessBlock,
// PutObjectTagging): a Content-MD5 or an x-amz-checksum-* header must come
// with it and match. Clients that send the checksum as an aws-chunked
// trailer declare it in x-amz-sdk-checksum-algorithm or x-amz-trailer; the
// edge verifies the framing, so those are accepted as they are.
func checkDocument(h http.Header, body []byte) error {
	found := false
	if v := h.Get("Content-MD5"); v != "" {
		want, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(want) != md5.Size {
			return s3.ErrInvalidDigest.New("The Content-MD5 you specified is not valid.")
		}
		sum := md5.Sum(body)
		if !bytes.Equal(want, sum[:]) {
			return s3.ErrBadDigest.New("The Content-MD5 you specified did not match what we received.")
		}
		found = true
	}
	for _, alg := range checksum.Algorithms {
		v := h.Get(alg.Header())
		if v == "" {
			continue
		}
		want, ok := alg.Decode(v)
		if !ok {
			return s3.ErrInvalidRequest.New("Value for %s header is invalid.", alg.Header())
		}
		hh := alg.New()
		hh.Write(body)
		if !bytes.Equal(want, hh.Sum(nil)) {
			return s3.ErrBadDigest.New("The %s you specified did not match the calculated checksum.", alg)
		}
		found = true
	}
	if !found && h.Get("X-Amz-Sdk-Checksum-Algorithm") == "" && h.Get("X-Amz-Trailer") == "" {
		return s3.ErrInvalidRequest.New("Missing required header for this request: Content-MD5")
	}
	return nil
}
