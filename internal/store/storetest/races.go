package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/federa/federa/internal/store"
)

// These tests race writers that SQLite runs one at a time anyway and a
// database with concurrent writers (PostgreSQL) must order with locks or
// retries: each outcome must be one that running them in some order gives.

// race runs fns at once and returns their errors.
func race(fns ...func() error) []error {
	errs := make([]error, len(fns))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// testNewKeyRace puts one new key from many writers at once: none fails
// (the losers of the insert replace the winner's object instead), and every
// version but the last is returned as replaced exactly once, so the caller
// can release its blob.
func testNewKeyRace(t *testing.T, s store.Store) {
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "b"}))
	check(t, s.CreateUpload(ctx, upload("b", "k", "u")))
	const n = 12
	var mu sync.Mutex
	replacedObjects, replacedParts := map[string]int{}, map[string]int{}
	var fns []func() error
	for i := range n {
		fns = append(fns, func() error {
			prev, err := s.PutObject(ctx, store.Object{Bucket: "b", Key: "new", BlobID: fmt.Sprint("o", i)}, nil)
			if err == nil && prev != nil {
				mu.Lock()
				replacedObjects[prev.BlobID]++
				mu.Unlock()
			}
			return err
		}, func() error {
			prev, err := s.PutUploadPart(ctx, "b", "k", "u", part(7, fmt.Sprint("p", i)))
			if err == nil && prev != nil {
				mu.Lock()
				replacedParts[prev.BlobID]++
				mu.Unlock()
			}
			return err
		})
	}
	for i, err := range race(fns...) {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	o, err := s.GetObject(ctx, "b", "new")
	check(t, err)
	parts, err := s.ListUploadParts(ctx, "b", "k", "u", 0, 0)
	check(t, err)
	if len(parts) != 1 {
		t.Fatalf("%d parts numbered 7", len(parts))
	}
	for what, c := range map[string]struct {
		replaced map[string]int
		last     string
	}{"object": {replacedObjects, o.BlobID}, "part": {replacedParts, parts[0].BlobID}} {
		if len(c.replaced) != n-1 || c.replaced[c.last] != 0 {
			t.Errorf("%s: %d versions replaced, the last (%s) %d times; want %d, and the last never", what, len(c.replaced), c.last, c.replaced[c.last], n-1)
		}
		for blob, times := range c.replaced {
			if times != 1 {
				t.Errorf("%s: version %s replaced %d times", what, blob, times)
			}
		}
	}
}

// testDeleteBucketRace deletes a bucket while an object is put into it and
// while an upload into it is completed. A deleted bucket must hold nothing:
// either the put came first and the delete is refused, or the delete came
// first and the put finds no bucket. The upload is there before the race,
// so the delete is refused whichever comes first.
func testDeleteBucketRace(t *testing.T, s store.Store) {
	const rounds = 20
	for r := range rounds {
		b := fmt.Sprint("put-", r)
		check(t, s.CreateBucket(ctx, store.Bucket{Name: b}))
		errs := race(func() error {
			_, err := s.PutObject(ctx, store.Object{Bucket: b, Key: "k", BlobID: "x"}, nil)
			return err
		}, func() error { return s.DeleteBucket(ctx, b) })
		put, del := errs[0], errs[1]
		switch {
		case put == nil && errors.Is(del, store.ErrConflict):
		case del == nil && errors.Is(put, store.ErrNotFound):
			if objs, err := s.ListObjects(ctx, b, "", "", 0); err != nil || len(objs) != 0 {
				t.Errorf("round %d: the deleted bucket lists %d objects (%v)", r, len(objs), err)
			}
		default:
			t.Errorf("round %d: PutObject %v, DeleteBucket %v: not an outcome of running them in either order", r, put, del)
		}

		b = fmt.Sprint("complete-", r)
		check(t, s.CreateBucket(ctx, store.Bucket{Name: b}))
		check(t, s.CreateUpload(ctx, upload(b, "k", "u-"+b)))
		errs = race(func() error {
			_, _, _, err := s.CompleteUpload(ctx, b, "k", "u-"+b, func(store.Upload, []store.UploadPart, *store.Object) (store.Object, error) {
				return store.Object{BlobID: "y"}, nil
			})
			return err
		}, func() error { return s.DeleteBucket(ctx, b) })
		if errs[0] != nil || !errors.Is(errs[1], store.ErrConflict) {
			t.Errorf("round %d: CompleteUpload %v, DeleteBucket %v; want success and ErrConflict", r, errs[0], errs[1])
		}
	}
}
