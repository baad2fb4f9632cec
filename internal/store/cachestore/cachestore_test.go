package cachestore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/cachestore"
	"github.com/federa/federa/internal/store/sqlstore"
	"github.com/federa/federa/internal/store/storetest"
)

func openSQL(t *testing.T, path string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConformance runs the store suite through the cache: every write the
// suite makes must be visible to its next read, as without a cache.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return cachestore.New(openSQL(t, filepath.Join(t.TempDir(), "federa.db")))
	})
}

// TestOtherWritersSeenWithinTTL: a write another process makes (here a
// second store on the same database) is not announced to the cache; it is
// seen once the entry expires.
func TestOtherWritersSeenWithinTTL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "federa.db")
	c := cachestore.New(openSQL(t, path))
	other := openSQL(t, path)
	if err := c.CreateRole(ctx, store.Role{Name: "r", TrustPolicy: "v1"}); err != nil {
		t.Fatal(err)
	}
	if r, err := c.GetRole(ctx, "r"); err != nil || r.TrustPolicy != "v1" {
		t.Fatalf("GetRole = %+v, %v", r, err)
	}
	if _, err := other.UpdateRole(ctx, "r", func(r *store.Role) error { r.TrustPolicy = "v2"; return nil }); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(cachestore.TTL + 2*time.Second)
	for {
		r, err := c.GetRole(ctx, "r")
		if err != nil {
			t.Fatal(err)
		}
		if r.TrustPolicy == "v2" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("another writer's change unseen after %v", cachestore.TTL)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCallersCannotChangeTheCache: a record handed out is a copy.
func TestCallersCannotChangeTheCache(t *testing.T) {
	ctx := context.Background()
	c := cachestore.New(openSQL(t, filepath.Join(t.TempDir(), "federa.db")))
	if err := c.CreateRole(ctx, store.Role{Name: "r", AttachedPolicies: []string{"a"}, Tags: map[string]string{"k": "v"}}); err != nil {
		t.Fatal(err)
	}
	r, _ := c.GetRole(ctx, "r")
	r.AttachedPolicies[0], r.Tags["k"] = "changed", "changed"
	again, _ := c.GetRole(ctx, "r")
	if again.AttachedPolicies[0] != "a" || again.Tags["k"] != "v" {
		t.Fatalf("cached role changed through a caller's copy: %+v", again)
	}
}

// TestRestAPICached: the gateway reads its API on every request, so a read
// within TTL is served from memory (another writer's change unseen), and a
// write through the cache is seen at once.
func TestRestAPICached(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "federa.db")
	c := cachestore.New(openSQL(t, path))
	other := openSQL(t, path)
	if err := c.CreateRestAPI(ctx, store.RestAPI{ID: "a", Spec: []byte("v1")}); err != nil {
		t.Fatal(err)
	}
	if a, err := c.GetRestAPI(ctx, "a"); err != nil || string(a.Spec) != "v1" {
		t.Fatalf("GetRestAPI = %+v, %v", a, err)
	}
	if _, err := other.UpdateRestAPI(ctx, "a", func(a *store.RestAPI) error { a.Spec = []byte("v2"); return nil }); err != nil {
		t.Fatal(err)
	}
	if a, _ := c.GetRestAPI(ctx, "a"); string(a.Spec) != "v1" {
		t.Errorf("read within TTL went to the database: %q", a.Spec)
	}
	if _, err := c.UpdateRestAPI(ctx, "a", func(a *store.RestAPI) error { a.Spec = []byte("v3"); return nil }); err != nil {
		t.Fatal(err)
	}
	if a, _ := c.GetRestAPI(ctx, "a"); string(a.Spec) != "v3" {
		t.Errorf("own write unseen: %q", a.Spec)
	}
	if err := c.DeleteRestAPI(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetRestAPI(ctx, "a"); err == nil {
		t.Error("deleted API still served from the cache")
	}
}
