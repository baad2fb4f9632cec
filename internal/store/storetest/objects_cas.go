package storetest

import (
	"errors"
	"maps"
	"strconv"
	"sync"
	"testing"

	"github.com/federa/federa/internal/store"
)

// errChanged is what a compare-and-swap check returns when the object is no
// longer the version its writer read.
var errChanged = errors.New("object changed since it was read")

// testObjectCompareAndSwap checks that PutObject's check runs atomically with
// the write, so that a read-modify-write of an object's metadata (the s3
// service's tag updates) loses no update: N writers each add one tag to the
// version they read, retrying when another got there first, and the object
// ends with all N tags. A content overwrite in between is seen by the check
// and the metadata write does not resurrect the old version.
func testObjectCompareAndSwap(t *testing.T, s store.Store) {
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "b", PublicAccessBlock: &store.PublicAccessBlock{BlockPublicPolicy: true, RestrictPublicBuckets: true}}))
	b, err := s.GetBucket(ctx, "b")
	check(t, err)
	if pab := b.PublicAccessBlock; pab == nil || !pab.BlockPublicPolicy || !pab.RestrictPublicBuckets || pab.BlockPublicAcls || pab.IgnorePublicAcls {
		t.Errorf("public access block = %+v", b.PublicAccessBlock)
	}
	_, err = s.PutObject(ctx, store.Object{Bucket: "b", Key: "k", BlobID: "v1", ETag: `"1"`, LastModified: t0}, nil)
	check(t, err)

	same := func(a, b store.Object) bool {
		return a.BlobID == b.BlobID && a.ETag == b.ETag && a.LastModified.Equal(b.LastModified) && maps.Equal(a.Tags, b.Tags)
	}
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for attempt := 0; ; attempt++ {
				if attempt > 1000 {
					t.Errorf("writer %d never got through", i)
					return
				}
				read, err := s.GetObject(ctx, "b", "k")
				if err != nil {
					t.Error(err)
					return
				}
				next := read
				next.Tags = maps.Clone(read.Tags)
				if next.Tags == nil {
					next.Tags = map[string]string{}
				}
				next.Tags["w"+strconv.Itoa(i)] = "x"
				_, err = s.PutObject(ctx, next, func(cur *store.Object) error {
					if cur == nil || !same(*cur, read) {
						return errChanged
					}
					return nil
				})
				if errors.Is(err, errChanged) {
					continue
				}
				if err != nil {
					t.Error(err)
				}
				return
			}
		}()
	}
	wg.Wait()
	o, err := s.GetObject(ctx, "b", "k")
	check(t, err)
	if len(o.Tags) != n || o.BlobID != "v1" {
		t.Fatalf("after %d tag writers: %+v", n, o)
	}

	// A stale read-modify-write after an overwrite is refused.
	stale := o
	_, err = s.PutObject(ctx, store.Object{Bucket: "b", Key: "k", BlobID: "v2", ETag: `"2"`, LastModified: t0}, nil)
	check(t, err)
	stale.Tags = map[string]string{"late": "1"}
	_, err = s.PutObject(ctx, stale, func(cur *store.Object) error {
		if cur == nil || !same(*cur, o) {
			return errChanged
		}
		return nil
	})
	wantErr(t, err, errChanged)
	o, err = s.GetObject(ctx, "b", "k")
	check(t, err)
	if o.BlobID != "v2" || o.Tags != nil {
		t.Errorf("stale tag write changed the new version: %+v", o)
	}
}
