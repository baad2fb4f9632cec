package sigv4

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Limits on aws-chunked framing: a header line and a chunk are bounded so a
// client cannot make the server buffer without end.
const (
	maxChunkLine = 4 << 10
	maxChunkSize = 16 << 20
)

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// ChunkedBody decodes an aws-chunked body according to a.PayloadHash,
// verifying chunk signatures (chained from a.Signature) and the trailer
// signature as it streams. Trailing headers (x-amz-checksum-*) are added to
// trailer, when not nil, before the final Read returns io.EOF, as net/http
// fills Request.Trailer: checking a checksum is the service's business.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
func (a *Auth) ChunkedBody(body io.ReadCloser, secret string, opt Options, trailer http.Header) (io.ReadCloser, error) {
	c := &chunkReader{rc: body, br: bufio.NewReaderSize(body, 64<<10), prev: a.Signature, out: trailer}
	switch a.PayloadHash {
	case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD":
		c.signed = true
	case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER":
		c.signed, c.trailer = true, true
	case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
		c.trailer = true
	default:
		return nil, Fail(ErrIncompleteSignature, fmtSprintf("x-amz-content-sha256 %q is not a supported streaming mode.", a.PayloadHash))
	}
	if c.signed {
		c.key = SigningKey(secret, a.Date, a.Region, a.Service)
		c.prefix = a.Time.UTC().Format(amzDateFormat) + "\n" + a.scope() + "\n"
	}
	return c, nil
}

type chunkReader struct {
	rc              io.ReadCloser
	br              *bufio.Reader
	signed, trailer bool
	key             []byte
	prefix, prev    string
	buf             []byte
	// chunk is the buffer every chunk is read into, reused so that a long
	// upload allocates once rather than once per chunk.
	chunk []byte
	out   http.Header
	done  bool
	err   error
}

func bad(format string, args ...any) error {
	return Fail(ErrIncompleteBody, fmtSprintf(format, args...))
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if c.done {
			return 0, io.EOF
		}
		c.err = c.next()
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

func (c *chunkReader) Close() error { return c.rc.Close() }

func (c *chunkReader) line() (string, error) {
	var b []byte
	for {
		part, isPrefix, err := c.br.ReadLine()
		if err == io.EOF {
			return "", bad("The aws-chunked body ended before its final chunk.")
		}
		if err != nil {
			return "", err
		}
		b = append(b, part...)
		if len(b) > maxChunkLine {
			return "", bad("An aws-chunked header line is longer than %d bytes.", maxChunkLine)
		}
		if !isPrefix {
			return string(b), nil
		}
	}
}

// next reads one chunk into c.buf, or the final chunk and trailer.
func (c *chunkReader) next() error {
	header, err := c.line()
	if err != nil {
		return err
	}
	sizeHex, ext, _ := strings.Cut(header, ";")
	size, err := strconv.ParseInt(strings.TrimSpace(sizeHex), 16, 64)
	if err != nil || size < 0 || size > maxChunkSize {
		return bad("The aws-chunked size %q is not a hex number up to %d.", truncate(sizeHex, 32), maxChunkSize)
	}
	// Read() asks for the next chunk only once c.buf, which aliases chunk,
	// has been handed out entirely, so the buffer is free to reuse.
	if int64(cap(c.chunk)) < size {
		c.chunk = make([]byte, size)
	}
	data := c.chunk[:size]
	if _, err := io.ReadFull(c.br, data); err != nil {
		return bad("The aws-chunked body ended inside a chunk.")
	}
	if size > 0 || !c.trailer {
		if crlf, err := c.line(); err != nil || crlf != "" {
			return bad("An aws-chunked chunk is not followed by CRLF.")
		}
	}
	if c.signed {
		sig, ok := strings.CutPrefix(ext, "chunk-signature=")
		if !ok {
			return Fail(ErrIncompleteSignature, "Each aws-chunked chunk needs a chunk-signature.")
		}
		sum := sha256.Sum256(data)
		sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + c.prefix + c.prev + "\n" + emptySHA256 + "\n" + hex.EncodeToString(sum[:])
		if err := c.check(sig, sts); err != nil {
			return err
		}
	}
	if size > 0 {
		c.buf = data
		return nil
	}
	c.done = true
	if c.trailer {
		return c.readTrailer()
	}
	return nil
}

func (c *chunkReader) check(sig, sts string) error {
	want := hmacSHA256(c.key, sts)
	got, err := hex.DecodeString(sig)
	if err != nil || subtle.ConstantTimeCompare(got, want) != 1 {
		return Fail(ErrSignatureMismatch, mismatchMessage)
	}
	c.prev = sig
	return nil
}

// readTrailer reads trailing headers up to the blank line, verifies the
// trailer signature (signed mode) and hands the headers to c.out.
func (c *chunkReader) readTrailer() error {
	var canon bytes.Buffer
	var trailerSig string
	checks := map[string]string{}
	for {
		l, err := c.line()
		if err != nil {
			return err
		}
		if l == "" {
			break
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return bad("A trailing header %q is not name:value.", truncate(l, 64))
		}
		name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
		if name == "x-amz-trailer-signature" {
			trailerSig = value
			continue
		}
		canon.WriteString(name + ":" + value + "\n")
		checks[name] = value
	}
	if c.signed {
		sum := sha256.Sum256(canon.Bytes())
		if err := c.check(trailerSig, "AWS4-HMAC-SHA256-TRAILER\n"+c.prefix+c.prev+"\n"+hex.EncodeToString(sum[:])); err != nil {
			return err
		}
	}
	for name, value := range checks {
		if c.out != nil {
			c.out.Set(name, value)
		}
	}
	return nil
}
