package s3blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// abortTimeout bounds the clean-up of a failed upload, which runs even when
// the caller's context is already cancelled.
const abortTimeout = time.Minute

// Put implements blob.Store. The body is read into a small buffer, then a
// part-sized one: a body that fits goes in one PutObject of known length,
// anything longer in a multipart upload (see putParts). Nothing is sent
// before the first buffer is read, so a body that fails early sends
// nothing at all.
//
// The SDK's own upload manager (feature/s3/manager) is deprecated; this is
// the part of it federa needs, with two differences: the abort after a
// failure runs even when the context is cancelled, and small bodies never
// take a part-sized buffer.
func (s *Store) Put(ctx context.Context, id string, r io.Reader) (int64, error) {
	key, err := s.key(id)
	if err != nil {
		return 0, err
	}
	src := &source{r: ctxReader{ctx, r}}
	small := s.small.Get().(*[]byte)
	n, last, err := src.fill(*small)
	if err != nil {
		s.small.Put(small)
		return src.n, fmt.Errorf("s3blob: put %s: %w", id, err)
	}
	if last {
		defer s.small.Put(small)
		return src.n, s.putObject(ctx, id, key, (*small)[:n])
	}
	part := s.getPart()
	copy(*part, (*small)[:n])
	s.small.Put(small)
	m, last, err := src.fill((*part)[n:])
	if err != nil {
		s.putPart(part)
		return src.n, fmt.Errorf("s3blob: put %s: %w", id, err)
	}
	if last {
		defer s.putPart(part)
		return src.n, s.putObject(ctx, id, key, (*part)[:n+m])
	}
	return s.putParts(ctx, id, key, part, src)
}

// putObject stores b in one request. S3 makes the object visible only once
// the whole body has arrived and matched its length (and, with checksums
// on, its CRC32), so a request cut off leaves the old state.
func (s *Store) putObject(ctx context.Context, id, key string, b []byte) error {
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &s.cfg.Bucket, Key: &key,
		Body: bytes.NewReader(b), ContentLength: aws.Int64(int64(len(b))),
	})
	if err != nil {
		return fmt.Errorf("s3blob: put %s: %w", id, err)
	}
	return nil
}

// putParts uploads a body longer than one part: first is its first part,
// full, and src holds the rest. Up to uploadConcurrency parts are in flight
// while the next is read. Any failure (reading, a part, completing, or the
// context) aborts the upload, so its parts never become an object.
func (s *Store) putParts(ctx context.Context, id, key string, first *[]byte, src *source) (n int64, err error) {
	created, err := s.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: &s.cfg.Bucket, Key: &key, ChecksumAlgorithm: s.checksum,
	})
	if err != nil {
		s.putPart(first)
		return src.n, fmt.Errorf("s3blob: put %s: start upload: %w", id, err)
	}
	uploadID := created.UploadId
	defer func() {
		if err != nil {
			if aerr := s.abort(ctx, key, uploadID); aerr != nil {
				err = errors.Join(err, aerr)
			}
		}
	}()

	// A failed part cancels the others and stops the reading.
	pctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		parts []types.CompletedPart
		slots = make(chan struct{}, uploadConcurrency)
	)
	send := func(num int32, buf *[]byte, size int) {
		defer wg.Done()
		defer func() { <-slots }()
		defer s.putPart(buf)
		out, err := s.client.UploadPart(pctx, &s3.UploadPartInput{
			Bucket: &s.cfg.Bucket, Key: &key, UploadId: uploadID, PartNumber: aws.Int32(num),
			Body: bytes.NewReader((*buf)[:size]), ContentLength: aws.Int64(int64(size)),
			ChecksumAlgorithm: s.checksum,
		})
		if err != nil {
			cancel(fmt.Errorf("part %d: %w", num, err))
			return
		}
		mu.Lock()
		parts = append(parts, types.CompletedPart{
			PartNumber: aws.Int32(num), ETag: out.ETag,
			ChecksumCRC32: out.ChecksumCRC32, ChecksumCRC32C: out.ChecksumCRC32C,
			ChecksumCRC64NVME: out.ChecksumCRC64NVME,
			ChecksumSHA1:      out.ChecksumSHA1, ChecksumSHA256: out.ChecksumSHA256,
		})
		mu.Unlock()
	}

	var readErr error
	buf, size, last := first, int(s.cfg.PartSize), false
	for num := int32(1); ; num++ {
		if num > maxParts {
			s.putPart(buf)
			readErr = fmt.Errorf("the blob is over %d parts of %d bytes; raise part_size", maxParts, s.cfg.PartSize)
			break
		}
		select {
		case slots <- struct{}{}:
		case <-pctx.Done():
		}
		if pctx.Err() != nil {
			s.putPart(buf)
			break
		}
		wg.Add(1)
		go send(num, buf, size)
		if last {
			break
		}
		buf = s.getPart()
		if size, last, readErr = src.fill(*buf); readErr != nil {
			s.putPart(buf)
			break
		}
	}
	wg.Wait()
	if readErr == nil {
		readErr = context.Cause(pctx)
	}
	if readErr != nil {
		return src.n, fmt.Errorf("s3blob: put %s: %w", id, readErr)
	}

	sort.Slice(parts, func(i, j int) bool { return *parts[i].PartNumber < *parts[j].PartNumber })
	_, err = s.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: &s.cfg.Bucket, Key: &key, UploadId: uploadID,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	if err != nil {
		return src.n, fmt.Errorf("s3blob: put %s: complete upload: %w", id, err)
	}
	return src.n, nil
}

// abort drops a failed upload's parts. It runs on a context of its own:
// the caller's may be the very thing that was cancelled.
func (s *Store) abort(ctx context.Context, key string, uploadID *string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
	defer cancel()
	_, err := s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: &s.cfg.Bucket, Key: &key, UploadId: uploadID})
	var ae smithy.APIError
	if err == nil || errors.As(err, &ae) && ae.ErrorCode() == "NoSuchUpload" {
		return nil
	}
	return fmt.Errorf("s3blob: abort upload %s of %s (its parts stay, invisible, until a lifecycle rule removes them): %w", aws.ToString(uploadID), key, err)
}

// source reads a Put's body into buffers, looking one byte ahead so that a
// body of exactly one buffer is known to have ended without another buffer.
type source struct {
	r      io.Reader
	n      int64 // bytes handed out so far
	ahead  byte
	peeked bool
}

// fill reads into buf until it is full or the body ends. It returns how
// many bytes it put there and whether the body ended with them.
func (s *source) fill(buf []byte) (int, bool, error) {
	i := 0
	if s.peeked {
		buf[0], s.peeked, i = s.ahead, false, 1
	}
	m, err := io.ReadFull(s.r, buf[i:])
	i += m
	s.n += int64(i)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return i, true, nil
	case err != nil:
		return i, false, err
	}
	var one [1]byte
	switch _, err := io.ReadFull(s.r, one[:]); {
	case err == io.EOF:
		return i, true, nil
	case err != nil:
		return i, false, err
	}
	s.ahead, s.peeked = one[0], true
	return i, false, nil
}

// ctxReader stops reading the body once the context is done, so a cancelled
// Put ends at its next read rather than after the whole body.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// getPart takes a part buffer, counting those in use so that a test can
// check the bound on an upload's memory.
func (s *Store) getPart() *[]byte {
	n := s.partsInUse.Add(1)
	for {
		peak := s.partsPeak.Load()
		if n <= peak || s.partsPeak.CompareAndSwap(peak, n) {
			break
		}
	}
	return s.parts.Get().(*[]byte)
}

// putPart returns a buffer that getPart gave.
func (s *Store) putPart(b *[]byte) {
	s.partsInUse.Add(-1)
	s.parts.Put(b)
}
