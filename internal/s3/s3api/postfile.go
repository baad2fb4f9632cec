package s3api

import (
	"io"
	"mime/multipart"
	"strings"

	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/s3"
)

// postFile streams a form's file part into the object. It enforces the
// policy's content-length-range as bytes arrive and verifies a checksum
// field; at the end of the file it reads the rest of the form, where a
// second file is an error and anything else is ignored. Every refusal is
// returned from Read in place of io.EOF, so the service deletes what it
// wrote and nothing becomes visible.
type postFile struct {
	part io.Reader
	mr   *multipart.Reader
	// gate, when set, bounds the reading of the form after the file.
	gate *formGate
	n    int64
	// lo and hi bound the size; hi < 0 means no upper bound.
	lo, hi int64
	// sizeCond is a content-length-range with a bound that is not a number:
	// the upload fails on it whatever its size.
	sizeCond *postCondition
	err      error
}

func (f *postFile) Read(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	if f.hi >= 0 && f.n+int64(len(p)) > f.hi+1 {
		// Read at most one byte past the limit: enough to know it is exceeded.
		p = p[:f.hi+1-f.n]
	}
	n, err := f.part.Read(p)
	f.n += int64(n)
	switch {
	case f.hi >= 0 && f.n > f.hi:
		f.err = s3.ErrEntityTooLarge.New(s3.MsgEntityTooLarge)
	case err == io.EOF:
		f.err = f.finish()
	case err != nil:
		f.err = malformedPOST(err)
	}
	if f.err != nil {
		return n, f.err
	}
	return n, nil
}

// finish runs the checks that need the whole file, then reads the parts
// after it. It returns io.EOF when the upload may be stored.
func (f *postFile) finish() error {
	if f.sizeCond != nil {
		return conditionFailed(f.sizeCond)
	}
	if f.n < f.lo {
		return s3.ErrEntityTooSmall.New(s3.MsgEntityTooSmall)
	}
	if f.gate != nil {
		f.gate.limit = f.gate.n + maxPostTrailer
	}
	for {
		p, err := f.mr.NextRawPart()
		if err == io.EOF || (err != nil && f.gate != nil && f.gate.tripped) {
			// A long trailer is left unread: S3 ignores what follows the file.
			return io.EOF
		}
		if err != nil {
			return malformedPOST(err)
		}
		if strings.EqualFold(p.FormName(), "file") {
			return errFileCount()
		}
		if _, err := io.Copy(io.Discard, p); err != nil {
			if f.gate != nil && f.gate.tripped {
				return io.EOF
			}
			return malformedPOST(err)
		}
	}
}

// errFileCount is S3's answer to a form with no file or with several.
func errFileCount() error {
	return s3.ErrInvalidArgument.New("POST requires exactly one file upload per request.")
}

// postChecksumOf reads the checksum fields: at most one x-amz-checksum-<alg>
// value, and an optional x-amz-checksum-algorithm that must name it. The
// service verifies the value as it stores the file.
func postChecksumOf(f *postForm) (s3.ChecksumInput, error) {
	var found *s3.ChecksumInput
	for _, fl := range f.fields {
		alg, ok := checksum.FromHeader(strings.ToLower(fl.Name))
		if !ok {
			continue
		}
		if found != nil && found.Algorithm != alg {
			return s3.ChecksumInput{}, s3.ErrInvalidRequest.New("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		if _, ok := alg.Decode(fl.Value); !ok {
			return s3.ChecksumInput{}, s3.ErrInvalidRequest.New("Value for %s header is invalid.", alg.Header())
		}
		found = &s3.ChecksumInput{Algorithm: alg, Value: fl.Value, Explicit: true}
	}
	if name, ok := f.get("x-amz-checksum-algorithm"); ok {
		alg, ok := checksum.Parse(name)
		if !ok {
			return s3.ChecksumInput{}, s3.ErrInvalidRequest.New("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
		}
		if found == nil || found.Algorithm != alg {
			return s3.ChecksumInput{}, s3.ErrInvalidRequest.New("x-amz-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		}
	}
	if found == nil {
		return s3.ChecksumInput{}, nil
	}
	return *found, nil
}
