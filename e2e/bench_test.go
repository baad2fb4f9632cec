package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Throughput of a federa server process on this machine, through
// aws-sdk-go-v2 with its defaults (payload SHA-256 signed over http, CRC32
// checksum, response checksum validation), next to what the disk itself
// does with the same fsyncs:
//
//	go test ./e2e -run '^$' -bench . -benchtime 5s -count 3
//
// The ops/s and MB/s metrics are the figures to compare.

// benchServer starts a server process with a bucket "bench".
func benchServer(b *testing.B) (*federaProc, *s3.Client) {
	b.Helper()
	p := newFederaProc(b, buildFedera(b))
	p.start()
	p.createBucket("bench")
	return p, p.s3Client(nil)
}

func benchPut(b *testing.B, c *s3.Client, key string, data []byte) {
	_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String(key), Body: bytes.NewReader(data)})
	if err != nil {
		b.Fatal(err)
	}
}

func benchGet(b *testing.B, c *s3.Client, key string, size int) {
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String(key)})
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, out.Body)
	out.Body.Close()
	if err != nil || n != int64(size) {
		b.Fatalf("GET %s: %d bytes, %v", key, n, err)
	}
}

func opsPerSecond(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkSmallObjects: 4 KiB PUTs (each a new key) and GETs, one client
// at a time and eight at once.
func BenchmarkSmallObjects(b *testing.B) {
	const size = 4 << 10
	_, c := benchServer(b)
	data := randomBytes(size, 4)
	for i := range 64 {
		benchPut(b, c, fmt.Sprintf("small/%d", i), data)
	}
	var seq atomic.Int64
	b.Run("put", func(b *testing.B) {
		for b.Loop() {
			benchPut(b, c, fmt.Sprintf("put/%d", seq.Add(1)), data)
		}
		opsPerSecond(b)
	})
	b.Run("put-8-clients", func(b *testing.B) {
		b.SetParallelism(4) // GOMAXPROCS is 2 here: 8 goroutines
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				benchPut(b, c, fmt.Sprintf("put/%d", seq.Add(1)), data)
			}
		})
		opsPerSecond(b)
	})
	b.Run("get", func(b *testing.B) {
		i := 0
		for b.Loop() {
			benchGet(b, c, fmt.Sprintf("small/%d", i%64), size)
			i++
		}
		opsPerSecond(b)
	})
	b.Run("get-8-clients", func(b *testing.B) {
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				benchGet(b, c, fmt.Sprintf("small/%d", seq.Add(1)%64), size)
			}
		})
		opsPerSecond(b)
	})
}

// BenchmarkLargeObjects: 64 MiB PUTs and GETs, one at a time; MB/s is the
// figure.
func BenchmarkLargeObjects(b *testing.B) {
	const size = 64 << 20
	_, c := benchServer(b)
	data := randomBytes(size, 64)
	benchPut(b, c, "large", data)
	b.Run("put", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			benchPut(b, c, "large-put", data)
		}
	})
	b.Run("get", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			benchGet(b, c, "large", size)
		}
	})
}

// BenchmarkDisk is the baseline: what the disk under the data directory
// does with the writes and fsyncs a PUT makes, without HTTP, hashing or
// metadata. "4KiB-durable" writes a 4 KiB file, fsyncs it, renames it into
// place and fsyncs the directory, as fsblob does; "64MiB-fsync" writes 64 MiB
// and fsyncs once.
func BenchmarkDisk(b *testing.B) {
	dir := b.TempDir()
	small, large := randomBytes(4<<10, 1), randomBytes(64<<20, 2)
	write := func(b *testing.B, data []byte, name string) {
		tmp := filepath.Join(dir, "tmp-"+name)
		f, err := os.Create(tmp)
		if err != nil {
			b.Fatal(err)
		}
		for off := 0; off < len(data); off += 1 << 20 {
			if _, err := f.Write(data[off:min(off+1<<20, len(data))]); err != nil {
				b.Fatal(err)
			}
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			b.Fatal(err)
		}
		d, err := os.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Sync(); err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
	b.Run("4KiB-durable", func(b *testing.B) {
		i := 0
		for b.Loop() {
			write(b, small, fmt.Sprint("small-", i%64))
			i++
		}
		opsPerSecond(b)
	})
	b.Run("64MiB-fsync", func(b *testing.B) {
		b.SetBytes(int64(len(large)))
		for b.Loop() {
			write(b, large, "large")
		}
	})
}
