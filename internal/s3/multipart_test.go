package s3_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/blob/fsblob"
	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/store/sqlstore"
)

// recordingAuthz allows what allow says and records every check.
type recordingAuthz struct {
	mu     sync.Mutex
	allow  func(access.Check) bool
	checks []string
}

func (a *recordingAuthz) Authorize(_ context.Context, c access.Check) (access.Decision, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.checks = append(a.checks, c.Action+" "+c.Resource)
	return access.Decision{Allowed: a.allow == nil || a.allow(c)}, nil
}

type mpEnv struct {
	t     *testing.T
	svc   *s3.Service
	authz *recordingAuthz
	blobs string
	ctx   context.Context
}

// newMPEnv returns a service over SQLite and files, with bucket "bkt", called
// by an assumed role whose checks authz records.
func newMPEnv(t *testing.T) *mpEnv {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	dir := t.TempDir()
	bl, err := fsblob.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := &mpEnv{t: t, authz: &recordingAuthz{}, blobs: dir}
	e.svc = s3.New(st, bl, e.authz, s3.Options{Region: "us-east-1", AccountID: "123456789012"})
	e.ctx = access.WithPrincipal(context.Background(), &access.Principal{Kind: access.AssumedRole, Account: "123456789012", ARN: "arn:aws:sts::123456789012:assumed-role/r/s"})
	if err := e.svc.CreateBucket(e.ctx, s3.Request{Bucket: "bkt"}, ""); err != nil {
		t.Fatal(err)
	}
	return e
}

func req(key string) s3.Request { return s3.Request{Bucket: "bkt", Key: key} }

// blobCount counts the blobs on disk: what no record points at any more
// must be gone.
func (e *mpEnv) blobCount() int {
	n := 0
	_ = filepath.WalkDir(e.blobs, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, ".tmp") {
			n++
		}
		return nil
	})
	return n
}

func (e *mpEnv) create(key string, in s3.CreateUploadInput) string {
	e.t.Helper()
	u, err := e.svc.CreateMultipartUpload(e.ctx, req(key), in)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.UploadID
}

func (e *mpEnv) part(key, id string, n int, body []byte) s3.UploadPart {
	e.t.Helper()
	p, err := e.svc.UploadPart(e.ctx, req(key), s3.PartInput{UploadID: id, PartNumber: n, Body: bytes.NewReader(body), Size: int64(len(body))})
	if err != nil {
		e.t.Fatalf("UploadPart %d: %v", n, err)
	}
	return p
}

func (e *mpEnv) read(key string) []byte {
	e.t.Helper()
	_, rc, err := e.svc.GetObject(e.ctx, req(key))
	if err != nil {
		e.t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func fill(n int, c byte) []byte { return bytes.Repeat([]byte{c}, n) }

func md5hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// multipartETag is S3's ETag of a multipart object: the MD5 of the parts'
// raw MD5s, "-", the part count.
func multipartETag(parts ...[]byte) string {
	var raw []byte
	for _, p := range parts {
		s := md5.Sum(p)
		raw = append(raw, s[:]...)
	}
	return `"` + md5hex(raw) + "-" + fmt.Sprint(len(parts)) + `"`
}

func TestMultipartLifecycle(t *testing.T) {
	e := newMPEnv(t)
	p1, p2, p3 := fill(s3.MinPartSize, 'a'), fill(s3.MinPartSize+1, 'b'), []byte("tail")
	id := e.create("big", s3.CreateUploadInput{ContentType: "text/plain", Metadata: map[string]string{"k": "v"}, Headers: map[string]string{"Cache-Control": "no-cache"}})
	e.part("big", id, 1, p1)
	e.part("big", id, 2, fill(10, 'x')) // replaced below: its blob must go
	e.part("big", id, 2, p2)
	e.part("big", id, 3, p3)
	extra := e.part("big", id, 4, []byte("left out"))
	if got := e.blobCount(); got != 4 {
		t.Fatalf("%d blobs after re-uploading part 2, want 4", got)
	}
	page, err := e.svc.ListParts(e.ctx, req("big"), id, 0, 1000)
	if err != nil || len(page.Parts) != 4 || page.Parts[1].Size != int64(len(p2)) || page.Parts[1].ETag != `"`+md5hex(p2)+`"` {
		t.Fatalf("ListParts = %+v, %v", page, err)
	}
	o, err := e.svc.CompleteMultipartUpload(e.ctx, req("big"), s3.CompleteInput{UploadID: id, ObjectSize: -1, Parts: []s3.CompletedPart{
		{PartNumber: 1, ETag: md5hex(p1)}, // quotes are optional
		{PartNumber: 2, ETag: `"` + md5hex(p2) + `"`},
		{PartNumber: 3, ETag: md5hex(p3)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := multipartETag(p1, p2, p3); o.ETag != want {
		t.Errorf("ETag %s, want %s", o.ETag, want)
	}
	if o.Size != int64(len(p1)+len(p2)+len(p3)) || o.ContentType != "text/plain" || o.Metadata["k"] != "v" || o.Headers["Cache-Control"] != "no-cache" || o.BlobID != "" {
		t.Errorf("object %+v", o)
	}
	if got := e.read("big"); !bytes.Equal(got, bytes.Join([][]byte{p1, p2, p3}, nil)) {
		t.Errorf("read back %d bytes, not the three parts", len(got))
	}
	// Part 4 was left out: its blob is gone, the others are the object.
	if got := e.blobCount(); got != 3 {
		t.Errorf("%d blobs after complete, want 3 (part %d left out)", got, extra.PartNumber)
	}
	if _, err := e.svc.UploadPart(e.ctx, req("big"), s3.PartInput{UploadID: id, PartNumber: 5, Body: strings.NewReader("x"), Size: 1}); !s3.ErrNoSuchUpload.Is(err) {
		t.Errorf("UploadPart after complete: %v", err)
	}
	if e.blobCount() != 3 {
		t.Error("a refused part left its blob behind")
	}

	// CopyObject of a multipart object is one blob with the MD5 ETag.
	c, err := e.svc.CopyObject(e.ctx, req("copy"), s3.CopyInput{SourceBucket: "bkt", SourceKey: "big"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `"` + md5hex(bytes.Join([][]byte{p1, p2, p3}, nil)) + `"`; c.ETag != want || len(c.Parts) != 0 {
		t.Errorf("copy ETag %s (%d parts), want %s", c.ETag, len(c.Parts), want)
	}
	// Overwriting and deleting release the parts' blobs.
	if _, err := e.svc.PutObject(e.ctx, req("big"), s3.PutInput{Body: strings.NewReader("small"), Size: 5}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteObject(e.ctx, req("copy")); err != nil {
		t.Fatal(err)
	}
	if got := e.blobCount(); got != 1 {
		t.Errorf("%d blobs after overwrite and delete, want 1", got)
	}
}

func TestCompleteErrors(t *testing.T) {
	e := newMPEnv(t)
	big, small := fill(s3.MinPartSize, 'a'), []byte("small")
	id := e.create("k", s3.CreateUploadInput{})
	e.part("k", id, 1, big)
	e.part("k", id, 2, small)
	e.part("k", id, 3, small)
	if _, err := e.svc.PutObject(e.ctx, req("k"), s3.PutInput{Body: strings.NewReader("old"), Size: 3}); err != nil {
		t.Fatal(err)
	}
	cp := func(n int, b []byte) s3.CompletedPart { return s3.CompletedPart{PartNumber: n, ETag: md5hex(b)} }
	tests := []struct {
		name string
		in   s3.CompleteInput
		code string
	}{
		{"no parts", s3.CompleteInput{}, "MalformedXML"},
		{"descending", s3.CompleteInput{Parts: []s3.CompletedPart{cp(2, small), cp(1, big)}}, "InvalidPartOrder"},
		{"duplicate", s3.CompleteInput{Parts: []s3.CompletedPart{cp(1, big), cp(1, big)}}, "InvalidPartOrder"},
		{"not uploaded", s3.CompleteInput{Parts: []s3.CompletedPart{cp(1, big), cp(7, small)}}, "InvalidPart"},
		{"wrong etag", s3.CompleteInput{Parts: []s3.CompletedPart{cp(1, small)}}, "InvalidPart"},
		{"small middle part", s3.CompleteInput{Parts: []s3.CompletedPart{cp(1, big), cp(2, small), cp(3, small)}}, "EntityTooSmall"},
		{"object exists", s3.CompleteInput{Preconditions: s3.WritePreconditions{IfNoneMatch: "*"}, Parts: []s3.CompletedPart{cp(1, big)}}, "PreconditionFailed"},
		{"etag differs", s3.CompleteInput{Preconditions: s3.WritePreconditions{IfMatch: `"nope"`}, Parts: []s3.CompletedPart{cp(1, big)}}, "PreconditionFailed"},
		{"size differs", s3.CompleteInput{ObjectSize: 1, Parts: []s3.CompletedPart{cp(1, big)}}, "InvalidRequest"},
		{"checksum type on a plain upload", s3.CompleteInput{ChecksumType: "COMPOSITE", Parts: []s3.CompletedPart{cp(1, big)}}, "InvalidRequest"},
		{"unknown upload", s3.CompleteInput{UploadID: "nope", Parts: []s3.CompletedPart{cp(1, big)}}, "NoSuchUpload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.in.UploadID == "" {
				tt.in.UploadID = id
			}
			if tt.in.ObjectSize == 0 {
				tt.in.ObjectSize = -1
			}
			_, err := e.svc.CompleteMultipartUpload(e.ctx, req("k"), tt.in)
			if !hasCode(err, tt.code) {
				t.Fatalf("err = %v, want %s", err, tt.code)
			}
		})
	}
	// Every refusal left the upload and the old object as they were.
	if got := e.read("k"); string(got) != "old" {
		t.Errorf("object is %q after refused completes", got)
	}
	page, err := e.svc.ListParts(e.ctx, req("k"), id, 0, 1000)
	if err != nil || len(page.Parts) != 3 {
		t.Fatalf("parts after refused completes: %+v %v", page, err)
	}
	// The last part may be small, and If-Match on the current ETag holds.
	cur, err := e.svc.HeadObject(e.ctx, req("k"))
	if err != nil {
		t.Fatal(err)
	}
	o, err := e.svc.CompleteMultipartUpload(e.ctx, req("k"), s3.CompleteInput{UploadID: id, ObjectSize: int64(len(big) + len(small)), Preconditions: s3.WritePreconditions{IfMatch: cur.ETag},
		Parts: []s3.CompletedPart{cp(1, big), cp(2, small)}})
	if err != nil {
		t.Fatal(err)
	}
	if o.ETag != multipartETag(big, small) {
		t.Errorf("ETag %s", o.ETag)
	}
	// If-Match on a missing key is NoSuchKey, If-None-Match only takes *.
	id2 := e.create("absent", s3.CreateUploadInput{})
	e.part("absent", id2, 1, small)
	if _, err := e.svc.CompleteMultipartUpload(e.ctx, req("absent"), s3.CompleteInput{UploadID: id2, ObjectSize: -1, Preconditions: s3.WritePreconditions{IfMatch: `"x"`}, Parts: []s3.CompletedPart{cp(1, small)}}); !hasCode(err, "NoSuchKey") {
		t.Errorf("If-Match on a missing key: %v", err)
	}
	if _, err := e.svc.CompleteMultipartUpload(e.ctx, req("absent"), s3.CompleteInput{UploadID: id2, ObjectSize: -1, Preconditions: s3.WritePreconditions{IfNoneMatch: `"x"`}, Parts: []s3.CompletedPart{cp(1, small)}}); !hasCode(err, "NotImplemented") {
		t.Errorf("If-None-Match with an ETag: %v", err)
	}
	if _, err := e.svc.CompleteMultipartUpload(e.ctx, req("absent"), s3.CompleteInput{UploadID: id2, ObjectSize: -1, Preconditions: s3.WritePreconditions{IfNoneMatch: "*"}, Parts: []s3.CompletedPart{cp(1, small)}}); err != nil {
		t.Errorf("If-None-Match * on a new key: %v", err)
	}
}

func hasCode(err error, code string) bool {
	e, ok := err.(interface{ Error() string })
	return ok && strings.Contains(e.Error(), code)
}

func TestUploadPartErrors(t *testing.T) {
	e := newMPEnv(t)
	id := e.create("k", s3.CreateUploadInput{})
	tests := []struct {
		name string
		key  string
		in   s3.PartInput
		code string
	}{
		{"part 0", "k", s3.PartInput{UploadID: id, PartNumber: 0, Size: 1}, "InvalidArgument"},
		{"part 10001", "k", s3.PartInput{UploadID: id, PartNumber: 10001, Size: 1}, "InvalidArgument"},
		{"too large", "k", s3.PartInput{UploadID: id, PartNumber: 1, Size: s3.MaxObjectSize + 1}, "EntityTooLarge"},
		{"bad md5", "k", s3.PartInput{UploadID: id, PartNumber: 1, Size: 1, ContentMD5: "xx"}, "InvalidDigest"},
		{"md5 differs", "k", s3.PartInput{UploadID: id, PartNumber: 1, Size: 1, ContentMD5: "1B2M2Y8AsgTpgAmY7PhCfg=="}, "BadDigest"},
		{"short body", "k", s3.PartInput{UploadID: id, PartNumber: 1, Size: 2}, "IncompleteBody"},
		{"unknown upload", "k", s3.PartInput{UploadID: "nope", PartNumber: 1, Size: 1}, "NoSuchUpload"},
		{"another key's upload", "other", s3.PartInput{UploadID: id, PartNumber: 1, Size: 1}, "NoSuchUpload"},
	}
	for _, tt := range tests {
		tt.in.Body = strings.NewReader("x")
		if _, err := e.svc.UploadPart(e.ctx, req(tt.key), tt.in); !hasCode(err, tt.code) {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.code)
		}
	}
	if n := e.blobCount(); n != 0 {
		t.Errorf("refused parts left %d blobs", n)
	}
}

func TestAbortAndDeleteBucket(t *testing.T) {
	e := newMPEnv(t)
	id := e.create("k", s3.CreateUploadInput{})
	e.part("k", id, 1, []byte("one"))
	e.part("k", id, 2, []byte("two"))
	if err := e.svc.AbortMultipartUpload(e.ctx, req("other"), id); !s3.ErrNoSuchUpload.Is(err) {
		t.Errorf("abort under another key: %v", err)
	}
	if err := e.svc.AbortMultipartUpload(e.ctx, req("k"), id); err != nil {
		t.Fatal(err)
	}
	if n := e.blobCount(); n != 0 {
		t.Errorf("abort left %d blobs", n)
	}
	for _, err := range []error{
		e.svc.AbortMultipartUpload(e.ctx, req("k"), id),
		func() error { _, err := e.svc.ListParts(e.ctx, req("k"), id, 0, 10); return err }(),
	} {
		if !s3.ErrNoSuchUpload.Is(err) {
			t.Errorf("after abort: %v, want NoSuchUpload", err)
		}
	}

	// Uploads in progress do not keep a bucket alive; objects do.
	id = e.create("k", s3.CreateUploadInput{})
	e.part("k", id, 1, []byte("one"))
	if _, err := e.svc.PutObject(e.ctx, req("obj"), s3.PutInput{Body: strings.NewReader("x"), Size: 1}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteBucket(e.ctx, req("")); !s3.ErrBucketNotEmpty.Is(err) {
		t.Fatalf("delete with an object: %v", err)
	}
	if _, err := e.svc.ListParts(e.ctx, req("k"), id, 0, 10); err != nil {
		t.Fatalf("a refused bucket delete aborted the upload: %v", err)
	}
	if err := e.svc.DeleteObject(e.ctx, req("obj")); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteBucket(e.ctx, req("")); err != nil {
		t.Fatalf("delete with only an upload: %v", err)
	}
	if n := e.blobCount(); n != 0 {
		t.Errorf("bucket delete left %d blobs", n)
	}
}

func TestMultipartAuthorization(t *testing.T) {
	e := newMPEnv(t)
	if _, err := e.svc.PutObject(e.ctx, req("src"), s3.PutInput{Body: strings.NewReader("source"), Size: 6}); err != nil {
		t.Fatal(err)
	}
	e.authz.checks = nil
	id := e.create("k", s3.CreateUploadInput{})
	e.part("k", id, 1, []byte("x"))
	if _, err := e.svc.UploadPartCopy(e.ctx, req("k"), s3.PartCopyInput{UploadID: id, PartNumber: 2, SourceBucket: "bkt", SourceKey: "src"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ListParts(e.ctx, req("k"), id, 0, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ListMultipartUploads(e.ctx, req(""), s3.UploadsParams{MaxUploads: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CompleteMultipartUpload(e.ctx, req("k"), s3.CompleteInput{UploadID: id, ObjectSize: -1, Parts: []s3.CompletedPart{{PartNumber: 1, ETag: md5hex([]byte("x"))}}}); err != nil {
		t.Fatal(err)
	}
	id = e.create("k", s3.CreateUploadInput{})
	if err := e.svc.AbortMultipartUpload(e.ctx, req("k"), id); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"s3:PutObject arn:aws:s3:::bkt/k",                // create
		"s3:PutObject arn:aws:s3:::bkt/k",                // upload part
		"s3:GetObject arn:aws:s3:::bkt/src",              // copy source
		"s3:PutObject arn:aws:s3:::bkt/k",                // copy target
		"s3:ListMultipartUploadParts arn:aws:s3:::bkt/k", // list parts
		"s3:ListBucketMultipartUploads arn:aws:s3:::bkt", // list uploads
		"s3:PutObject arn:aws:s3:::bkt/k",                // complete
		"s3:PutObject arn:aws:s3:::bkt/k",                // create
		"s3:AbortMultipartUpload arn:aws:s3:::bkt/k",     // abort
	}
	if fmt.Sprint(e.authz.checks) != fmt.Sprint(want) {
		t.Errorf("checks\n%q\nwant\n%q", e.authz.checks, want)
	}
	// A denied caller learns nothing and changes nothing.
	e.authz.allow = func(access.Check) bool { return false }
	if _, err := e.svc.CreateMultipartUpload(e.ctx, req("k"), s3.CreateUploadInput{}); !s3.ErrAccessDenied.Is(err) {
		t.Errorf("denied create: %v", err)
	}
	if _, err := e.svc.UploadPart(e.ctx, req("k"), s3.PartInput{UploadID: "whatever", PartNumber: 1, Body: strings.NewReader("x"), Size: 1}); !s3.ErrAccessDenied.Is(err) {
		t.Errorf("denied part: %v", err)
	}
}

func TestUploadPartCopy(t *testing.T) {
	e := newMPEnv(t)
	src := []byte("0123456789")
	if _, err := e.svc.PutObject(e.ctx, req("src"), s3.PutInput{Body: bytes.NewReader(src), Size: int64(len(src))}); err != nil {
		t.Fatal(err)
	}
	id := e.create("k", s3.CreateUploadInput{ChecksumAlgorithm: "CRC32"})
	tests := []struct {
		rng  string
		want string
		code string
	}{
		{"", "0123456789", ""},
		{"bytes=2-4", "234", ""},
		{"bytes=9-9", "9", ""},
		{"bytes=5-10", "", "InvalidRange"},
		{"bytes=2-", "", "InvalidArgument"},
		{"bytes=-3", "", "InvalidArgument"},
		{"bytes=4-2", "", "InvalidArgument"},
		{"0-1", "", "InvalidArgument"},
	}
	for i, tt := range tests {
		p, err := e.svc.UploadPartCopy(e.ctx, req("k"), s3.PartCopyInput{UploadID: id, PartNumber: i + 1, SourceBucket: "bkt", SourceKey: "src", Range: tt.rng})
		if tt.code != "" {
			if !hasCode(err, tt.code) {
				t.Errorf("range %q: %v, want %s", tt.rng, err, tt.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("range %q: %v", tt.rng, err)
			continue
		}
		h := checksum.CRC32.New()
		h.Write([]byte(tt.want))
		if p.ETag != `"`+md5hex([]byte(tt.want))+`"` || p.Size != int64(len(tt.want)) || p.Checksum != checksum.Encode(h.Sum(nil)) {
			t.Errorf("range %q: part %+v", tt.rng, p)
		}
	}
	// The x-amz-copy-source-if-* conditions are decided on the source.
	src0, err := e.svc.HeadObject(e.ctx, req("src"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cond s3.ReadPreconditions
		ok   bool
	}{
		{s3.ReadPreconditions{IfMatch: src0.ETag}, true},
		{s3.ReadPreconditions{IfMatch: `"other"`}, false},
		{s3.ReadPreconditions{IfNoneMatch: src0.ETag}, false},
	} {
		_, err := e.svc.UploadPartCopy(e.ctx, req("k"), s3.PartCopyInput{UploadID: id, PartNumber: 1, SourceBucket: "bkt", SourceKey: "src", SourceIf: c.cond})
		if c.ok != (err == nil) || (!c.ok && !s3.ErrPreconditionFailed.Is(err)) {
			t.Errorf("copy with %+v: %v", c.cond, err)
		}
	}
	if _, err := e.svc.UploadPartCopy(e.ctx, req("k"), s3.PartCopyInput{UploadID: id, PartNumber: 1, SourceBucket: "bkt", SourceKey: "missing"}); !s3.ErrNoSuchKey.Is(err) {
		t.Errorf("missing source: %v", err)
	}
}

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

func TestListMultipartUploads(t *testing.T) {
	e := newMPEnv(t)
	ids := map[string][]string{}
	for _, k := range []string{"a/1", "a/2", "b", "b", "c/d/e", "z"} {
		ids[k] = append(ids[k], e.create(k, s3.CreateUploadInput{}))
		time.Sleep(time.Millisecond) // distinct initiation times
	}
	list := func(p s3.UploadsParams) (keys []string, page s3.UploadsPage) {
		page, err := e.svc.ListMultipartUploads(e.ctx, req(""), p)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Uploads {
			keys = append(keys, u.Key)
		}
		return append(keys, page.CommonPrefixes...), page
	}
	tests := []struct {
		p         s3.UploadsParams
		want      string
		truncated bool
	}{
		{s3.UploadsParams{MaxUploads: 1000}, "[a/1 a/2 b b c/d/e z]", false},
		{s3.UploadsParams{MaxUploads: 1000, Delimiter: "/"}, "[b b z a/ c/]", false},
		{s3.UploadsParams{MaxUploads: 2, Delimiter: "/"}, "[b a/]", true}, // uploads, then prefixes
		{s3.UploadsParams{MaxUploads: 1000, Prefix: "c/", Delimiter: "/"}, "[c/d/]", false},
		{s3.UploadsParams{MaxUploads: 1000, KeyMarker: "b"}, "[c/d/e z]", false},
		{s3.UploadsParams{MaxUploads: 1000, KeyMarker: "b", UploadIDMarker: ids["b"][0]}, "[b c/d/e z]", false},
		{s3.UploadsParams{MaxUploads: 1000, UploadIDMarker: ids["b"][0]}, "[a/1 a/2 b b c/d/e z]", false}, // ignored without key-marker
		{s3.UploadsParams{MaxUploads: 1000, KeyMarker: "a/", Delimiter: "/"}, "[b b z c/]", false},
		{s3.UploadsParams{MaxUploads: 0}, "[]", true},
	}
	for _, tt := range tests {
		keys, page := list(tt.p)
		if fmt.Sprint(keys) != tt.want && !(tt.want == "[]" && keys == nil) || page.IsTruncated != tt.truncated {
			t.Errorf("%+v: %v truncated=%v, want %s truncated=%v", tt.p, keys, page.IsTruncated, tt.want, tt.truncated)
		}
	}
	// Uploads of one key come in initiation order, and paging one at a
	// time with the markers visits each upload once.
	var seen []string
	p := s3.UploadsParams{MaxUploads: 1}
	for {
		_, page := list(p)
		for _, u := range page.Uploads {
			seen = append(seen, u.Key+"/"+u.UploadID)
		}
		if !page.IsTruncated {
			break
		}
		p.KeyMarker, p.UploadIDMarker = page.NextKeyMarker, page.NextUploadIDMarker
	}
	var want []string
	for k, us := range ids {
		for _, u := range us {
			want = append(want, k+"/"+u)
		}
	}
	sort.Strings(want)
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("paged %v\nwant  %v", seen, want)
	}
}
