package s3_test

import (
	"testing"

	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/s3"
)

func TestMultipartChecksums(t *testing.T) {
	e := newMPEnv(t)
	p1, p2 := fill(s3.MinPartSize, 'a'), []byte("end")
	sum := func(alg checksum.Algorithm, b []byte) []byte { h := alg.New(); h.Write(b); return h.Sum(nil) }
	for _, tt := range []struct {
		alg, typ, wantType string
		want               func() string
	}{
		{"CRC32", "", "COMPOSITE", func() string {
			return checksum.CRC32.CompositeOf([]checksum.Part{{Sum: sum(checksum.CRC32, p1)}, {Sum: sum(checksum.CRC32, p2)}})
		}},
		{"CRC32C", "FULL_OBJECT", "FULL_OBJECT", func() string {
			return checksum.Encode(sum(checksum.CRC32C, append(append([]byte{}, p1...), p2...)))
		}},
		{"CRC64NVME", "", "FULL_OBJECT", func() string {
			return checksum.Encode(sum(checksum.CRC64NVME, append(append([]byte{}, p1...), p2...)))
		}},
		{"SHA256", "COMPOSITE", "COMPOSITE", func() string {
			return checksum.SHA256.CompositeOf([]checksum.Part{{Sum: sum(checksum.SHA256, p1)}, {Sum: sum(checksum.SHA256, p2)}})
		}},
	} {
		t.Run(tt.alg+tt.typ, func(t *testing.T) {
			id := e.create("k", s3.CreateUploadInput{ChecksumAlgorithm: tt.alg, ChecksumType: tt.typ})
			a := checksum.Algorithm(tt.alg)
			q1, q2 := e.part("k", id, 1, p1), e.part("k", id, 2, p2)
			if q1.Checksum != checksum.Encode(sum(a, p1)) {
				t.Fatalf("part checksum %s", q1.Checksum)
			}
			parts := []s3.CompletedPart{
				{PartNumber: 1, ETag: q1.ETag, Checksums: map[checksum.Algorithm]string{a: q1.Checksum}},
				{PartNumber: 2, ETag: q2.ETag, Checksums: map[checksum.Algorithm]string{a: q2.Checksum}},
			}
			// A wrong part checksum is InvalidPart, a missing one (for
			// COMPOSITE) InvalidRequest, a wrong whole-object one BadDigest.
			bad := []s3.CompletedPart{parts[0], {PartNumber: 2, ETag: q2.ETag, Checksums: map[checksum.Algorithm]string{a: q1.Checksum}}}
			if _, err := e.svc.CompleteMultipartUpload(e.ctx, req("k"), s3.CompleteInput{UploadID: id, ObjectSize: -1, Parts: bad}); !s3.ErrInvalidPart.Is(err) {
				t.Errorf("wrong part checksum: %v", err)
			}
			if tt.wantType == "COMPOSITE" {
				missing := []s3.CompletedPart{parts[0], {PartNumber: 2, ETag: q2.ETag}}
				if _, err := e.svc.CompleteMultipartUpload(e.ctx, req("k"), s3.CompleteInput{UploadID: id, ObjectSize: -1, Parts: missing}); !s3.ErrInvalidRequest.Is(err) {
					t.Errorf("missing part checksum: %v", err)
				}
			}
			if _, err := e.svc.CompleteMultipartUpload(e.ctx, req("k"), s3.CompleteInput{UploadID: id, ObjectSize: -1, Parts: parts,
				Checksums: map[checksum.Algorithm]string{a: "AAAA"}}); !s3.ErrBadDigest.Is(err) {
				t.Errorf("wrong object checksum: %v", err)
			}
			other := map[string]string{"COMPOSITE": "FULL_OBJECT", "FULL_OBJECT": "COMPOSITE"}[tt.wantType]
			if _, err := e.svc.CompleteMultipartUpload(e.ctx, req("k"), s3.CompleteInput{UploadID: id, ObjectSize: -1, Parts: parts, ChecksumType: other}); !s3.ErrInvalidRequest.Is(err) {
				t.Errorf("other checksum type: %v", err)
			}
			o, err := e.svc.CompleteMultipartUpload(e.ctx, req("k"), s3.CompleteInput{UploadID: id, ObjectSize: -1, Parts: parts, ChecksumType: tt.wantType,
				Checksums: map[checksum.Algorithm]string{a: tt.want()}})
			if err != nil {
				t.Fatal(err)
			}
			if o.Checksum == nil || o.Checksum.Value != tt.want() || o.Checksum.Type != tt.wantType || o.Checksum.Algorithm != tt.alg {
				t.Errorf("object checksum %+v, want %s %s", o.Checksum, tt.want(), tt.wantType)
			}
		})
	}
	for _, bad := range []s3.CreateUploadInput{
		{ChecksumType: "COMPOSITE"},
		{ChecksumAlgorithm: "MD5"},
		{ChecksumAlgorithm: "SHA1", ChecksumType: "FULL_OBJECT"},
		{ChecksumAlgorithm: "CRC64NVME", ChecksumType: "COMPOSITE"},
		{ChecksumAlgorithm: "CRC32", ChecksumType: "PARTIAL"},
	} {
		if _, err := e.svc.CreateMultipartUpload(e.ctx, req("k"), bad); !s3.ErrInvalidRequest.Is(err) {
			t.Errorf("create %+v: %v, want InvalidRequest", bad, err)
		}
	}
}
