package s3blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/federa/federa/internal/blob"
)

// Tuning of reads.
const (
	// skipLimit: a forward seek this short reads and discards the bytes in
	// between rather than ask again, which costs a round trip and, since an
	// unfinished response body cannot be reused, a new connection.
	skipLimit = 256 << 10
	// drainLimit: at Close, a response with this little left is read to its
	// end so that its connection goes back to the pool.
	drainLimit = 64 << 10
	// maxResumes is how many times in a row a read cut off without progress
	// is resumed before the error is returned.
	maxResumes = 3
)

// Open implements blob.Store with one GetObject, whose response also gives
// the size. Seeks are served by ranged requests (see reader).
func (s *Store) Open(ctx context.Context, id string) (io.ReadSeekCloser, int64, error) {
	key, err := s.key(id)
	if err != nil {
		return nil, 0, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.cfg.Bucket, Key: &key})
	if err != nil {
		if isNotFound(err) {
			return nil, 0, fmt.Errorf("%w: %s", blob.ErrNotFound, id)
		}
		return nil, 0, fmt.Errorf("s3blob: open %s: %w", id, err)
	}
	if out.ContentLength == nil || *out.ContentLength < 0 {
		out.Body.Close()
		return nil, 0, fmt.Errorf("s3blob: open %s: the server sent no Content-Length", id)
	}
	size := *out.ContentLength
	return &reader{s: s, ctx: ctx, id: id, key: key, etag: out.ETag, size: size, body: out.Body}, size, nil
}

// reader reads one blob. It holds at most one response body, positioned at
// at; a Seek only moves pos, and the next Read brings the body to pos,
// asking for Range: bytes=pos- when it must. Every request after the first
// carries If-Match with the first response's ETag, so a blob replaced
// meanwhile fails the read rather than splice two versions.
type reader struct {
	s       *Store
	ctx     context.Context
	id, key string
	etag    *string
	size    int64
	pos     int64         // where the next Read reads
	body    io.ReadCloser // nil: none open
	at      int64         // the offset of body's next byte
	resumes int           // failed reads in a row
	closed  bool
}

var errClosed = errors.New("s3blob: read after close")

// Read implements io.Reader. A response that fails or ends before the blob
// does (a reset connection, a proxy timeout) is resumed from where it
// stopped, as a download manager would; the SDK's retryer covers only the
// request, not its body.
func (r *reader) Read(p []byte) (int, error) {
	if r.closed {
		return 0, errClosed
	}
	if r.pos >= r.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if err := r.position(); err != nil {
			return 0, err
		}
		n, err := r.body.Read(p[:min(int64(len(p)), r.size-r.pos)])
		r.pos += int64(n)
		r.at += int64(n)
		if n > 0 {
			r.resumes = 0
		}
		switch {
		case err == nil && r.pos < r.size:
			return n, nil
		case err == nil:
			// Read the end of the response too: that is where the SDK
			// compares the response checksum.
			err = r.finish()
		case err == io.EOF && r.pos == r.size:
			err = nil
			r.drop()
		}
		if err == nil {
			return n, nil
		}
		r.drop()
		if r.pos >= r.size {
			// The checksum disagrees with the bytes (or the response runs
			// on). Never resumed, or the bad bytes would pass; and the
			// last bytes are withheld, so that even a reader that stops at
			// the blob's size and drops a late error, as io.CopyN does
			// when s3api serves a GET, comes up short.
			r.pos -= int64(n)
			return 0, fmt.Errorf("s3blob: read %s: %w", r.id, err)
		}
		if cerr := r.ctx.Err(); cerr != nil {
			return n, cerr
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if r.resumes >= maxResumes {
			return n, fmt.Errorf("s3blob: read %s at byte %d: %w", r.id, r.pos, err)
		}
		r.resumes++
		if n > 0 {
			return n, nil
		}
	}
}

// position brings the body to pos: by skipping a few bytes, or by a new
// ranged request.
func (r *reader) position() error {
	if r.body != nil && r.at != r.pos {
		if d := r.pos - r.at; d > 0 && d <= skipLimit {
			if _, err := io.CopyN(io.Discard, r.body, d); err == nil {
				r.at = r.pos
			} else {
				r.drop()
			}
		} else {
			r.drop()
		}
	}
	if r.body != nil {
		return nil
	}
	out, err := r.s.client.GetObject(r.ctx, &s3.GetObjectInput{
		Bucket: &r.s.cfg.Bucket, Key: &r.key,
		Range:   aws.String(fmt.Sprintf("bytes=%d-", r.pos)),
		IfMatch: r.etag,
	})
	if err != nil {
		var ae smithy.APIError
		switch {
		case isNotFound(err):
			return fmt.Errorf("s3blob: %s was deleted while it was read: %w", r.id, blob.ErrNotFound)
		case errors.As(err, &ae) && ae.ErrorCode() == "PreconditionFailed":
			return fmt.Errorf("s3blob: %s was replaced while it was read: %w", r.id, err)
		}
		return fmt.Errorf("s3blob: read %s at byte %d: %w", r.id, r.pos, err)
	}
	// A server that ignored Range would send the blob from its start.
	if cr := aws.ToString(out.ContentRange); !strings.HasPrefix(cr, fmt.Sprintf("bytes %d-", r.pos)) {
		out.Body.Close()
		return fmt.Errorf("s3blob: read %s: asked for bytes from %d, got Content-Range %q", r.id, r.pos, cr)
	}
	r.body, r.at = out.Body, r.pos
	return nil
}

// finish reads the body's end once pos is at the blob's end: io.EOF, or an
// error. It returns nil for io.EOF.
func (r *reader) finish() error {
	var b [1]byte
	n, err := io.ReadFull(r.body, b[:])
	r.drop()
	if n > 0 {
		return errors.New("the response is longer than the blob")
	}
	if err == io.EOF {
		return nil
	}
	return err
}

// drop closes the body, if any.
func (r *reader) drop() {
	if r.body != nil {
		r.body.Close()
		r.body = nil
	}
}

// Seek implements io.Seeker. As with a file, a position past the end is
// allowed, and reading there gives io.EOF.
func (r *reader) Seek(offset int64, whence int) (int64, error) {
	if r.closed {
		return 0, errClosed
	}
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.pos
	case io.SeekEnd:
		offset += r.size
	default:
		return 0, errors.New("s3blob: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("s3blob: negative position")
	}
	r.pos = offset
	return offset, nil
}

// Close implements io.Closer. A body with little left is drained first so
// that its connection can be reused.
func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.body != nil && r.size-r.at <= drainLimit {
		_, _ = io.Copy(io.Discard, r.body)
	}
	r.drop()
	return nil
}
