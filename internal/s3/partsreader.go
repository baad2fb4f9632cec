package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/store"
)

// partsReader reads an object completed from a multipart upload, whose
// bytes are its parts' blobs in order, as one seekable stream. It holds one
// blob open at a time and opens the next only when reading reaches it, so a
// 10,000-part object costs one file handle and no buffering.
type partsReader struct {
	ctx   context.Context
	bl    blob.Store
	parts []store.ObjectPart
	ends  []int64 // ends[i] is the offset just past part i
	pos   int64
	cur   io.ReadSeekCloser
	idx   int  // the part cur reads
	moved bool // pos was changed by Seek; cur must be repositioned
}

// newPartsReader returns a reader over parts; first is part 0's blob,
// already open (the caller opens it to learn early whether the object was
// replaced meanwhile).
func newPartsReader(ctx context.Context, bl blob.Store, parts []store.ObjectPart, first io.ReadSeekCloser) *partsReader {
	r := &partsReader{ctx: ctx, bl: bl, parts: parts, ends: make([]int64, len(parts)), cur: first}
	var end int64
	for i, p := range parts {
		end += p.Size
		r.ends[i] = end
	}
	return r
}

func (r *partsReader) size() int64 {
	if len(r.ends) == 0 {
		return 0
	}
	return r.ends[len(r.ends)-1]
}

// start is the offset of part i's first byte.
func (r *partsReader) start(i int) int64 {
	if i == 0 {
		return 0
	}
	return r.ends[i-1]
}

// errPartChanged reports a part blob that is missing or has another size
// than the manifest says: the object was replaced or deleted while being
// read, or the blob store lost data. Either way the read must fail rather
// than send wrong bytes.
var errPartChanged = errors.New("s3: a part of the object changed while it was read")

func (r *partsReader) Read(p []byte) (int, error) {
	for {
		if r.pos >= r.size() {
			return 0, io.EOF
		}
		// The part holding pos: the first whose end is past it (this skips
		// empty parts).
		i := sort.Search(len(r.ends), func(i int) bool { return r.ends[i] > r.pos })
		if err := r.position(i); err != nil {
			return 0, err
		}
		want := min(int64(len(p)), r.ends[i]-r.pos)
		n, err := r.cur.Read(p[:want])
		r.pos += int64(n)
		if n > 0 {
			return n, nil
		}
		if err == io.EOF {
			return 0, fmt.Errorf("%w: part %d is short", errPartChanged, i+1)
		}
		if err != nil {
			return 0, err
		}
	}
}

// position makes cur read part i at pos.
func (r *partsReader) position(i int) error {
	if r.cur != nil && r.idx == i && !r.moved {
		return nil
	}
	if r.cur == nil || r.idx != i {
		if r.cur != nil {
			_ = r.cur.Close()
			r.cur = nil
		}
		rc, n, err := r.bl.Open(r.ctx, r.parts[i].BlobID)
		if errors.Is(err, blob.ErrNotFound) {
			return fmt.Errorf("%w: part %d is gone", errPartChanged, i+1)
		}
		if err != nil {
			return err
		}
		if n != r.parts[i].Size {
			_ = rc.Close()
			return fmt.Errorf("%w: part %d has %d bytes, not %d", errPartChanged, i+1, n, r.parts[i].Size)
		}
		r.cur, r.idx = rc, i
	}
	if _, err := r.cur.Seek(r.pos-r.start(i), io.SeekStart); err != nil {
		return err
	}
	r.moved = false
	return nil
}

// Seek implements io.Seeker; the blob is repositioned at the next Read.
func (r *partsReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.pos
	case io.SeekEnd:
		offset += r.size()
	default:
		return 0, errors.New("s3: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("s3: negative position")
	}
	if offset != r.pos {
		r.pos, r.moved = offset, true
	}
	return offset, nil
}

// Close closes the open blob.
func (r *partsReader) Close() error {
	if r.cur == nil {
		return nil
	}
	err := r.cur.Close()
	r.cur = nil
	return err
}

// openBytes opens the blobs holding o's bytes: its single blob, or its parts
// in sequence. It returns blob.ErrNotFound when the (first) blob is gone,
// which means o was replaced after its metadata was read.
func (s *Service) openBytes(ctx context.Context, o Object) (io.ReadSeekCloser, error) {
	if len(o.Parts) == 0 {
		rc, _, err := s.bl.Open(ctx, o.BlobID)
		return rc, err
	}
	first, n, err := s.bl.Open(ctx, o.Parts[0].BlobID)
	if err != nil {
		return nil, err
	}
	if n != o.Parts[0].Size {
		_ = first.Close()
		return nil, fmt.Errorf("%w: part 1 has %d bytes, not %d", errPartChanged, n, o.Parts[0].Size)
	}
	return newPartsReader(ctx, s.bl, o.Parts, first), nil
}

// PartRange returns where part n of o lies in its bytes, and how many parts
// o has: 0 for an object not uploaded in parts, whose only part, 1, is all
// of it (S3 answers partNumber=1 so for such objects, without a count).
func PartRange(o Object, n int) (start, length int64, count int, err error) {
	if len(o.Parts) == 0 {
		if n != 1 {
			return 0, 0, 0, ErrInvalidPartNumber.New(msgInvalidPartNum)
		}
		return 0, o.Size, 0, nil
	}
	if n < 1 || n > len(o.Parts) {
		return 0, 0, 0, ErrInvalidPartNumber.New(msgInvalidPartNum)
	}
	for _, p := range o.Parts[:n-1] {
		start += p.Size
	}
	return start, o.Parts[n-1].Size, len(o.Parts), nil
}
