package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/store"
)

// testRestAPIs covers the REST API documents: CRUD, paging by id, the key
// and creation time surviving an update, and compare-and-swap under
// concurrent updaters (each appends a byte to Spec; all must land).
func testRestAPIs(t *testing.T, s store.Store) {
	zone := time.FixedZone("UTC+5", 5*3600)
	for _, id := range []string{"b2c3d4e5f6", "a1b2c3d4e5", "c3d4e5f6g7"} {
		check(t, s.CreateRestAPI(ctx, store.RestAPI{ID: id, Name: "notes ✓ " + id, CreatedAt: t0.In(zone), Spec: []byte(`{"id":"` + id + `"}`)}))
	}
	wantErr(t, s.CreateRestAPI(ctx, store.RestAPI{ID: "a1b2c3d4e5"}), store.ErrExists)

	a, err := s.GetRestAPI(ctx, "a1b2c3d4e5")
	check(t, err)
	if a.Name != "notes ✓ a1b2c3d4e5" || string(a.Spec) != `{"id":"a1b2c3d4e5"}` || !a.CreatedAt.Equal(t0) || a.CreatedAt.Location() != time.UTC {
		t.Errorf("round trip %+v", a)
	}
	_, err = s.GetRestAPI(ctx, "nope")
	wantErr(t, err, store.ErrNotFound)

	page, err := s.ListRestAPIs(ctx, "", 2)
	check(t, err)
	if got := ids(page, func(a store.RestAPI) string { return a.ID }); fmt.Sprint(got) != "[a1b2c3d4e5 b2c3d4e5f6]" {
		t.Fatalf("first page %v", got)
	}
	page, err = s.ListRestAPIs(ctx, page[1].ID, 2)
	check(t, err)
	if got := ids(page, func(a store.RestAPI) string { return a.ID }); fmt.Sprint(got) != "[c3d4e5f6g7]" {
		t.Fatalf("second page %v", got)
	}
	if all, err := s.ListRestAPIs(ctx, "", 0); err != nil || len(all) != 3 {
		t.Fatalf("list without a limit: %d, %v", len(all), err)
	}

	a, err = s.UpdateRestAPI(ctx, "a1b2c3d4e5", func(a *store.RestAPI) error {
		a.Name, a.Spec = "renamed", []byte(`{"v":2}`)
		a.ID, a.CreatedAt = "hijack", t0.Add(time.Hour) // the key and creation time stay
		return nil
	})
	check(t, err)
	if a.ID != "a1b2c3d4e5" || a.Name != "renamed" || !a.CreatedAt.Equal(t0) {
		t.Errorf("update returned %+v", a)
	}
	if a, _ = s.GetRestAPI(ctx, "a1b2c3d4e5"); string(a.Spec) != `{"v":2}` || a.Name != "renamed" {
		t.Errorf("update stored %+v", a)
	}
	if _, err := s.GetRestAPI(ctx, "hijack"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update moved the API: %v", err)
	}
	boom := errors.New("boom")
	_, err = s.UpdateRestAPI(ctx, "a1b2c3d4e5", func(a *store.RestAPI) error { a.Name = "lost"; return boom })
	wantErr(t, err, boom)
	if a, _ = s.GetRestAPI(ctx, "a1b2c3d4e5"); a.Name != "renamed" {
		t.Errorf("a failed update wrote %q", a.Name)
	}
	_, err = s.UpdateRestAPI(ctx, "nope", func(*store.RestAPI) error { return nil })
	wantErr(t, err, store.ErrNotFound)

	const n = 8
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateRestAPI(ctx, "b2c3d4e5f6", func(a *store.RestAPI) error {
				a.Spec = append(a.Spec, 'x')
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if a, _ = s.GetRestAPI(ctx, "b2c3d4e5f6"); len(a.Spec) != len(`{"id":"b2c3d4e5f6"}`)+n {
		t.Errorf("after %d concurrent updates Spec is %q", n, a.Spec)
	}

	check(t, s.DeleteRestAPI(ctx, "a1b2c3d4e5"))
	wantErr(t, s.DeleteRestAPI(ctx, "a1b2c3d4e5"), store.ErrNotFound)
	_, err = s.GetRestAPI(ctx, "a1b2c3d4e5")
	wantErr(t, err, store.ErrNotFound)
}
