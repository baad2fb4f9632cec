package sigv4

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"runtime"
	"testing"
)

// chunkedBody frames n chunks of size bytes as an unsigned aws-chunked body
// with its CRC32 trailer, as the SDKs send uploads over TLS.
func chunkedBody(n, size int) []byte {
	var b bytes.Buffer
	chunk := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	h := crc32.NewIEEE()
	for range n {
		fmt.Fprintf(&b, "%x\r\n", len(chunk))
		b.Write(chunk)
		b.WriteString("\r\n")
		h.Write(chunk)
	}
	b.WriteString("0\r\nx-amz-checksum-crc32:" + base64.StdEncoding.EncodeToString(h.Sum(nil)) + "\r\n\r\n")
	return b.Bytes()
}

func decodeChunked(tb testing.TB, body []byte) int64 {
	a := &Auth{Date: "20130524", Region: "us-east-1", Service: "s3", PayloadHash: "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}
	rc, err := a.ChunkedBody(io.NopCloser(bytes.NewReader(body)), "secret", Options{}, http.Header{})
	if err != nil {
		tb.Fatal(err)
	}
	n, err := io.CopyBuffer(io.Discard, rc, make([]byte, 32<<10))
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestChunkedBodyMemoryIsFlat: decoding allocates about one chunk's worth of
// memory, not one chunk per chunk, so a 5 GiB upload in 64 KiB chunks does
// not churn 5 GiB through the garbage collector.
func TestChunkedBodyMemoryIsFlat(t *testing.T) {
	const chunks, size = 256, 64 << 10
	body := chunkedBody(chunks, size)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := decodeChunked(t, body)
	runtime.ReadMemStats(&after)
	if n != chunks*size {
		t.Fatalf("decoded %d bytes, want %d", n, chunks*size)
	}
	// The bufio reader and one chunk buffer, plus header lines and hashes.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*size+chunks*1024 {
		t.Errorf("decoding %d chunks of %d bytes allocated %d bytes", chunks, size, alloc)
	}
}

func BenchmarkChunkedBody(b *testing.B) {
	body := chunkedBody(64, 64<<10)
	b.SetBytes(64 * 64 << 10)
	b.ReportAllocs()
	for b.Loop() {
		decodeChunked(b, body)
	}
}
