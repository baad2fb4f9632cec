package storetest

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/store"
)

func upload(bucket, key, id string) store.Upload {
	return store.Upload{Bucket: bucket, Key: key, UploadID: id, Initiated: t0, ContentType: "text/plain",
		Metadata: map[string]string{"m": "1"}, ChecksumAlgorithm: "CRC32", ChecksumType: "COMPOSITE"}
}

func part(n int, blob string) store.UploadPart {
	return store.UploadPart{PartNumber: n, BlobID: blob, Size: int64(n), ETag: `"` + blob + `"`, LastModified: t0}
}

func testUploads(t *testing.T, s store.Store) {
	wantErr(t, s.CreateUpload(ctx, upload("missing", "k", "u0")), store.ErrNotFound)
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "b"}))
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "c"}))
	check(t, s.CreateUpload(ctx, upload("b", "k", "u1")))
	wantErr(t, s.CreateUpload(ctx, upload("c", "other", "u1")), store.ErrExists)

	u, err := s.GetUpload(ctx, "b", "k", "u1")
	check(t, err)
	if u.ContentType != "text/plain" || u.Metadata["m"] != "1" || u.ChecksumAlgorithm != "CRC32" || u.ChecksumType != "COMPOSITE" || !u.Initiated.Equal(t0) {
		t.Errorf("GetUpload = %+v", u)
	}
	// An id is only found under its own bucket and key.
	for _, bk := range [][2]string{{"b", "other"}, {"c", "k"}} {
		_, err := s.GetUpload(ctx, bk[0], bk[1], "u1")
		wantErr(t, err, store.ErrNotFound)
		_, err = s.PutUploadPart(ctx, bk[0], bk[1], "u1", part(1, "x"))
		wantErr(t, err, store.ErrNotFound)
		_, err = s.AbortUpload(ctx, bk[0], bk[1], "u1")
		wantErr(t, err, store.ErrNotFound)
	}

	for _, n := range []int{3, 1, 2} {
		prev, err := s.PutUploadPart(ctx, "b", "k", "u1", part(n, "blob"+strconv.Itoa(n)))
		check(t, err)
		if prev != nil {
			t.Errorf("first part %d replaced %+v", n, prev)
		}
	}
	prev, err := s.PutUploadPart(ctx, "b", "k", "u1", part(2, "blob2b"))
	check(t, err)
	if prev == nil || prev.BlobID != "blob2" {
		t.Errorf("re-uploading part 2 replaced %+v", prev)
	}
	listParts := func(key string, after, limit int) string {
		ps, err := s.ListUploadParts(ctx, "b", key, "u1", after, limit)
		check(t, err)
		return fmt.Sprint(ids(ps, func(p store.UploadPart) string { return strconv.Itoa(p.PartNumber) + ":" + p.BlobID }))
	}
	for _, c := range []struct {
		key          string
		after, limit int
		want         string
	}{
		{"k", 0, 0, "[1:blob1 2:blob2b 3:blob3]"},
		{"k", 1, 0, "[2:blob2b 3:blob3]"},
		{"k", 0, 2, "[1:blob1 2:blob2b]"},
		{"k", 3, 0, "[]"},
		{"other", 0, 0, "[]"},
	} {
		if got := listParts(c.key, c.after, c.limit); got != c.want {
			t.Errorf("ListUploadParts(%q, after %d, limit %d) = %s, want %s", c.key, c.after, c.limit, got, c.want)
		}
	}

	// A bucket with an upload in progress is not deleted behind its back.
	wantErr(t, s.DeleteBucket(ctx, "b"), store.ErrConflict)

	parts, err := s.AbortUpload(ctx, "b", "k", "u1")
	check(t, err)
	if got := fmt.Sprint(ids(parts, func(p store.UploadPart) string { return p.BlobID })); got != "[blob1 blob2b blob3]" {
		t.Errorf("AbortUpload returned %s", got)
	}
	_, err = s.GetUpload(ctx, "b", "k", "u1")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.PutUploadPart(ctx, "b", "k", "u1", part(1, "late"))
	wantErr(t, err, store.ErrNotFound)
	_, err = s.AbortUpload(ctx, "b", "k", "u1")
	wantErr(t, err, store.ErrNotFound)
	if got := listParts("k", 0, 0); got != "[]" {
		t.Errorf("parts after abort: %s", got)
	}
	check(t, s.DeleteBucket(ctx, "b"))
}

func testListUploads(t *testing.T, s store.Store) {
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "b"}))
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "other"}))
	check(t, s.CreateUpload(ctx, upload("other", "a", "x0")))
	for _, ku := range [][2]string{{"a", "u2"}, {"a", "u1"}, {"a/1", "u3"}, {"a%", "u4"}, {"b", "u5"}, {"€", "u6"}, {"a", "u7"}} {
		check(t, s.CreateUpload(ctx, upload("b", ku[0], ku[1])))
	}
	cases := []struct {
		prefix, afterKey, afterID string
		limit                     int
		want                      string
	}{
		{"", "", "", 0, "[a:u1 a:u2 a:u7 a%:u4 a/1:u3 b:u5 €:u6]"},
		{"a", "", "", 2, "[a:u1 a:u2]"},
		{"", "a", "u1", 0, "[a:u2 a:u7 a%:u4 a/1:u3 b:u5 €:u6]"},
		{"", "a", "", 0, "[a%:u4 a/1:u3 b:u5 €:u6]"},
		{"a%", "", "", 0, "[a%:u4]"}, // '%' is no wildcard
		{"a/", "a", "u7", 0, "[a/1:u3]"},
		{"€", "", "", 0, "[€:u6]"},
		{"z", "", "", 0, "[]"},
	}
	for _, c := range cases {
		us, err := s.ListUploads(ctx, "b", c.prefix, c.afterKey, c.afterID, c.limit)
		check(t, err)
		got := fmt.Sprint(ids(us, func(u store.Upload) string { return u.Key + ":" + u.UploadID }))
		if got != c.want {
			t.Errorf("ListUploads(prefix %q, after %q/%q, limit %d) = %s, want %s", c.prefix, c.afterKey, c.afterID, c.limit, got, c.want)
		}
	}
}

func testCompleteUpload(t *testing.T, s store.Store) {
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "b"}))
	check(t, s.CreateUpload(ctx, upload("b", "k", "u1")))
	for n := 1; n <= 3; n++ {
		_, err := s.PutUploadPart(ctx, "b", "k", "u1", part(n, "p"+strconv.Itoa(n)))
		check(t, err)
	}
	_, err := s.PutObject(ctx, store.Object{Bucket: "b", Key: "k", BlobID: "old"}, nil)
	check(t, err)

	// A refusing build changes nothing.
	errNo := errors.New("refused")
	_, _, _, err = s.CompleteUpload(ctx, "b", "k", "u1", func(u store.Upload, parts []store.UploadPart, cur *store.Object) (store.Object, error) {
		if u.UploadID != "u1" || len(parts) != 3 || parts[0].PartNumber != 1 || parts[2].BlobID != "p3" {
			t.Errorf("build saw %+v %+v", u, parts)
		}
		if cur == nil || cur.BlobID != "old" {
			t.Errorf("build saw current object %+v", cur)
		}
		return store.Object{}, errNo
	})
	wantErr(t, err, errNo)
	if _, err := s.GetUpload(ctx, "b", "k", "u1"); err != nil {
		t.Fatalf("refused complete removed the upload: %v", err)
	}
	if o, err := s.GetObject(ctx, "b", "k"); err != nil || o.BlobID != "old" {
		t.Fatalf("refused complete changed the object: %+v %v", o, err)
	}

	done, prev, parts, err := s.CompleteUpload(ctx, "b", "k", "u1", func(u store.Upload, parts []store.UploadPart, cur *store.Object) (store.Object, error) {
		o := store.Object{ETag: `"x-2"`, ContentType: u.ContentType, LastModified: t0.In(time.FixedZone("x", 3600))}
		for _, p := range parts[:2] { // part 3 is left out
			o.Parts = append(o.Parts, store.ObjectPart{BlobID: p.BlobID, Size: p.Size, ETag: p.ETag})
			o.Size += p.Size
		}
		return o, nil
	})
	check(t, err)
	if done.Bucket != "b" || done.Key != "k" || len(done.Parts) != 2 || done.Size != 3 {
		t.Errorf("completed %+v", done)
	}
	if prev == nil || prev.BlobID != "old" {
		t.Errorf("replaced %+v", prev)
	}
	if got := fmt.Sprint(ids(parts, func(p store.UploadPart) string { return p.BlobID })); got != "[p1 p2 p3]" {
		t.Errorf("complete returned parts %s", got)
	}
	o, err := s.GetObject(ctx, "b", "k")
	check(t, err)
	if o.ETag != `"x-2"` || o.ContentType != "text/plain" || len(o.Parts) != 2 || o.Parts[1].BlobID != "p2" || o.LastModified.Location() != time.UTC {
		t.Errorf("stored %+v", o)
	}
	_, err = s.GetUpload(ctx, "b", "k", "u1")
	wantErr(t, err, store.ErrNotFound)
	_, _, _, err = s.CompleteUpload(ctx, "b", "k", "u1", func(store.Upload, []store.UploadPart, *store.Object) (store.Object, error) {
		t.Error("build ran for a completed upload")
		return store.Object{}, nil
	})
	wantErr(t, err, store.ErrNotFound)
	_, err = s.PutUploadPart(ctx, "b", "k", "u1", part(4, "late"))
	wantErr(t, err, store.ErrNotFound)

	// Completing onto a new key: build sees no current object.
	check(t, s.CreateUpload(ctx, upload("b", "fresh", "u2")))
	_, prev, _, err = s.CompleteUpload(ctx, "b", "fresh", "u2", func(_ store.Upload, _ []store.UploadPart, cur *store.Object) (store.Object, error) {
		if cur != nil {
			t.Errorf("build saw %+v for a new key", cur)
		}
		return store.Object{}, nil
	})
	check(t, err)
	if prev != nil {
		t.Errorf("new key replaced %+v", prev)
	}
}

// testUploadRace uploads parts while the upload is completed: every blob a
// successful PutUploadPart recorded must come back exactly once, as a
// replaced part or among the completed upload's parts, or the caller could
// not release it.
func testUploadRace(t *testing.T, s store.Store) {
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "b"}))
	check(t, s.CreateUpload(ctx, upload("b", "k", "u")))
	const writers, each = 4, 10
	var (
		mu       sync.Mutex
		accepted []string
		returned []string
		wg       sync.WaitGroup
	)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				blob := fmt.Sprintf("w%d-%d", w, i)
				prev, err := s.PutUploadPart(ctx, "b", "k", "u", part(1+i%3, blob))
				if errors.Is(err, store.ErrNotFound) {
					return // completed meanwhile
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				accepted = append(accepted, blob)
				if prev != nil {
					returned = append(returned, prev.BlobID)
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(5 * time.Millisecond)
	_, _, parts, err := s.CompleteUpload(ctx, "b", "k", "u", func(store.Upload, []store.UploadPart, *store.Object) (store.Object, error) {
		return store.Object{}, nil
	})
	check(t, err)
	wg.Wait()
	for _, p := range parts {
		returned = append(returned, p.BlobID)
	}
	sort.Strings(accepted)
	sort.Strings(returned)
	if fmt.Sprint(accepted) != fmt.Sprint(returned) {
		t.Errorf("recorded blobs %v, returned %v", accepted, returned)
	}
}
