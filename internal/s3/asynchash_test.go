package s3

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"hash/crc32"
	"testing"
)

// TestAsyncHashesMatch: hashing in a goroutine gives the sums hashing
// inline gives, whatever the sizes of the writes and of the whole.
func TestAsyncHashesMatch(t *testing.T) {
	data := make([]byte, 3*asyncBufSize+12345)
	_, _ = rand.Read(data)
	for _, tc := range []struct{ total, chunk int }{
		{0, 1}, {1, 1}, {asyncBufSize - 1, 4096}, {asyncBufSize, asyncBufSize}, {asyncBufSize + 1, 32 << 10},
		{len(data), 7}, {len(data), 100 << 10}, {len(data), len(data)},
	} {
		m1, c1 := md5.New(), crc32.NewIEEE()
		m2, c2 := md5.New(), crc32.NewIEEE()
		a := newAsyncHashes(m2, c2)
		body := data[:tc.total]
		m1.Write(body)
		c1.Write(body)
		for off := 0; off < len(body); off += tc.chunk {
			chunk := body[off:min(off+tc.chunk, len(body))]
			if n, err := a.Write(chunk); n != len(chunk) || err != nil {
				t.Fatalf("Write = %d, %v", n, err)
			}
		}
		a.wait()
		if !bytes.Equal(m1.Sum(nil), m2.Sum(nil)) || !bytes.Equal(c1.Sum(nil), c2.Sum(nil)) {
			t.Errorf("total %d in writes of %d: sums differ", tc.total, tc.chunk)
		}
	}
}
