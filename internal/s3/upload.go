package s3

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"strings"

	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/store"
)

// ChecksumInput is what an upload declares about its additional checksum
// (x-amz-checksum-*).
type ChecksumInput struct {
	// Algorithm is the checksum to compute; "" means CRC64NVME, which S3
	// computes for every upload that names none.
	Algorithm checksum.Algorithm
	// Explicit is true when the client named the algorithm or sent a
	// value, so the response echoes the checksum.
	Explicit bool
	// Value is the expected base64 value sent in a header, "" when none.
	Value string
	// Trailer, when set, returns the expected value once the body has been
	// read: aws-chunked uploads send it after the last chunk.
	Trailer func() string
}

func (c ChecksumInput) algorithm() checksum.Algorithm {
	if c.Algorithm == "" {
		return checksum.CRC64NVME
	}
	return c.Algorithm
}

// storedBody is a body written to its own blob and verified.
type storedBody struct {
	BlobID   string
	Size     int64
	MD5      []byte
	Checksum store.Checksum
	// Sum is the raw additional checksum (for part checksums).
	Sum []byte
}

// ETag is the quoted hex MD5, as S3 sends a single-part ETag.
func (b storedBody) ETag() string { return `"` + hex.EncodeToString(b.MD5) + `"` }

// hashingReader feeds every byte it reads to the hashes, refuses more than
// limit bytes and remembers the body's own read error, so a client's
// failure can be told apart from the blob store's.
type hashingReader struct {
	r      io.Reader
	hashes []io.Writer
	limit  int64
	n      int64
	err    error
}

// errTooLarge marks a body that went past its limit.
var errTooLarge = errors.New("s3: body exceeds the maximum object size")

func (b *hashingReader) Read(p []byte) (int, error) {
	if b.n+int64(len(p)) > b.limit+1 {
		p = p[:b.limit+1-b.n]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	for _, h := range b.hashes {
		h.Write(p[:n])
	}
	if b.n > b.limit {
		b.err = errTooLarge
		return n, errTooLarge
	}
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

// decodeContentMD5 checks a Content-MD5 header before any byte is stored.
func decodeContentMD5(v string) ([]byte, error) {
	if v == "" {
		return nil, nil
	}
	d, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(d) != md5.Size {
		return nil, ErrInvalidDigest.New(msgInvalidDigest)
	}
	return d, nil
}

// storeBody streams body into a fresh blob while computing its MD5 and
// additional checksum, then checks the declared length, Content-MD5 and
// checksum. On any failure the blob is deleted: nothing is left behind.
func (s *Service) storeBody(ctx context.Context, body io.Reader, size, limit int64, contentMD5 string, ck ChecksumInput) (storedBody, error) {
	wantMD5, err := decodeContentMD5(contentMD5)
	if err != nil {
		return storedBody{}, err
	}
	if size > limit {
		return storedBody{}, ErrEntityTooLarge.New(msgEntityTooLarge)
	}
	alg := ck.algorithm()
	mh, ch := md5.New(), alg.New()
	if body == nil {
		body = strings.NewReader("")
	}
	hr := &hashingReader{r: body, hashes: []io.Writer{mh, ch}, limit: limit}
	var async *asyncHashes
	if size < 0 || size >= asyncMinSize {
		async = newAsyncHashes(mh, ch)
		hr.hashes = []io.Writer{async}
	}
	id := newBlobID()
	n, err := s.bl.Put(ctx, id, hr)
	if async != nil {
		async.wait()
	}
	fail := func(e error) (storedBody, error) {
		_ = s.bl.Delete(context.WithoutCancel(ctx), id)
		return storedBody{}, e
	}
	if err != nil {
		return fail(bodyError(hr.err, err))
	}
	if size >= 0 && n != size {
		return fail(ErrIncompleteBody.New(msgIncompleteBody))
	}
	out := storedBody{BlobID: id, Size: n, MD5: mh.Sum(nil), Sum: ch.Sum(nil)}
	if wantMD5 != nil && !bytes.Equal(wantMD5, out.MD5) {
		return fail(ErrBadDigest.New(msgBadDigest))
	}
	want := ck.Value
	if ck.Trailer != nil {
		if want = ck.Trailer(); want == "" {
			return fail(ErrInvalidRequest.New("The x-amz-trailer header names %s, but the body ended without that trailer.", alg.Header()))
		}
		if _, ok := alg.Decode(want); !ok {
			return fail(ErrInvalidRequest.New("Value for %s trailing header is invalid.", alg.Header()))
		}
	}
	got := checksum.Encode(out.Sum)
	if want != "" && want != got {
		return fail(ErrBadDigest.New("The %s you specified did not match the calculated checksum.", alg))
	}
	out.Checksum = store.Checksum{Algorithm: string(alg), Value: got, Type: checksum.FullObject}
	return out, nil
}
