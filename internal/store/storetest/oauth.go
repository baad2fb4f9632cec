package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/store"
)

func testResourceServers(t *testing.T, s store.Store) {
	for _, id := range []string{"https://api.example.com", "billing", "Zeta", "payments"} {
		check(t, s.CreateResourceServer(ctx, store.ResourceServer{PoolID: "p", Identifier: id, Name: "n " + id, Spec: []byte(`{"scopes":["read"]}`)}))
	}
	check(t, s.CreateResourceServer(ctx, store.ResourceServer{PoolID: "q", Identifier: "billing"})) // other pool
	wantErr(t, s.CreateResourceServer(ctx, store.ResourceServer{PoolID: "p", Identifier: "billing"}), store.ErrExists)

	rs, err := s.GetResourceServer(ctx, "p", "billing")
	check(t, err)
	if rs.Name != "n billing" || string(rs.Spec) != `{"scopes":["read"]}` || rs.PoolID != "p" {
		t.Errorf("round trip %+v", rs)
	}
	_, err = s.GetResourceServer(ctx, "p", "BILLING")
	wantErr(t, err, store.ErrNotFound) // identifiers are case-sensitive
	_, err = s.GetResourceServer(ctx, "other", "billing")
	wantErr(t, err, store.ErrNotFound)

	// Pages of two, ordered by identifier (bytewise: upper case first).
	var pages []string
	after := ""
	for {
		page, err := s.ListResourceServers(ctx, "p", after, 2)
		check(t, err)
		pages = append(pages, strings.Join(ids(page, func(r store.ResourceServer) string { return r.Identifier }), ","))
		if len(page) < 2 {
			break
		}
		after = page[len(page)-1].Identifier
	}
	if got, want := strings.Join(pages, " | "), "Zeta,billing | https://api.example.com,payments | "; got != want {
		t.Errorf("pages %q, want %q", got, want)
	}
	all, err := s.ListResourceServers(ctx, "p", "", 0)
	check(t, err)
	if len(all) != 4 {
		t.Errorf("list without a limit: %d servers, want 4", len(all))
	}

	rs, err = s.UpdateResourceServer(ctx, "p", "billing", func(r *store.ResourceServer) error {
		r.Name, r.Spec = "Billing", []byte(`{"scopes":[]}`)
		r.PoolID, r.Identifier = "q", "hijack" // the key cannot change
		return nil
	})
	check(t, err)
	if rs.Name != "Billing" || rs.PoolID != "p" || rs.Identifier != "billing" {
		t.Errorf("update returned %+v", rs)
	}
	if rs, _ = s.GetResourceServer(ctx, "p", "billing"); string(rs.Spec) != `{"scopes":[]}` {
		t.Errorf("update stored %+v", rs)
	}
	boom := errors.New("boom")
	_, err = s.UpdateResourceServer(ctx, "p", "billing", func(r *store.ResourceServer) error { r.Name = "lost"; return boom })
	wantErr(t, err, boom)
	if rs, _ = s.GetResourceServer(ctx, "p", "billing"); rs.Name != "Billing" {
		t.Errorf("a failed update wrote %q", rs.Name)
	}
	_, err = s.UpdateResourceServer(ctx, "p", "nope", func(*store.ResourceServer) error { return nil })
	wantErr(t, err, store.ErrNotFound)

	check(t, s.DeleteResourceServer(ctx, "p", "billing"))
	wantErr(t, s.DeleteResourceServer(ctx, "p", "billing"), store.ErrNotFound)
	if _, err := s.GetResourceServer(ctx, "q", "billing"); err != nil {
		t.Errorf("deleting p's server removed q's: %v", err)
	}
}

func testAuthCodes(t *testing.T, s store.Store) {
	c := store.AuthCode{Hash: "h1", PoolID: "p", ClientID: "c", UserKey: "u",
		ExpiresAt: t0.In(time.FixedZone("UTC-3", -3*3600)), Spec: []byte(`{"redirect_uri":"https://app/cb"}`)}
	check(t, s.CreateAuthCode(ctx, c))
	wantErr(t, s.CreateAuthCode(ctx, store.AuthCode{Hash: "h1", PoolID: "q"}), store.ErrExists)
	got, err := s.ConsumeAuthCode(ctx, "h1")
	check(t, err)
	if got.PoolID != "p" || got.ClientID != "c" || got.UserKey != "u" || string(got.Spec) != string(c.Spec) ||
		!got.ExpiresAt.Equal(t0) || got.ExpiresAt.Location() != time.UTC {
		t.Errorf("consumed %+v", got)
	}
	_, err = s.ConsumeAuthCode(ctx, "h1")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.ConsumeAuthCode(ctx, "never")
	wantErr(t, err, store.ErrNotFound)

	// Expiry is the caller's check, so an expired code is still consumed;
	// collection removes only what expired strictly before now.
	check(t, s.CreateAuthCode(ctx, store.AuthCode{Hash: "old", PoolID: "p", ExpiresAt: t0.Add(-time.Second)}))
	check(t, s.CreateAuthCode(ctx, store.AuthCode{Hash: "now", PoolID: "p", ExpiresAt: t0}))
	check(t, s.CreateAuthCode(ctx, store.AuthCode{Hash: "new", PoolID: "p", ExpiresAt: t0.Add(time.Minute)}))
	n, err := s.DeleteExpiredAuthCodes(ctx, t0)
	check(t, err)
	if n != 1 {
		t.Errorf("removed %d codes, want 1", n)
	}
	if _, err := s.ConsumeAuthCode(ctx, "old"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired code survived collection: %v", err)
	}
	for _, h := range []string{"now", "new"} {
		if _, err := s.ConsumeAuthCode(ctx, h); err != nil {
			t.Errorf("unexpired code %s: %v", h, err)
		}
	}
}

// testAuthCodeRace redeems one code from many goroutines at once: exactly
// one gets it, every other learns it is gone.
func testAuthCodeRace(t *testing.T, s store.Store) {
	const n = 20
	for round := 0; round < 3; round++ {
		hash := fmt.Sprintf("race-%d", round)
		check(t, s.CreateAuthCode(ctx, store.AuthCode{Hash: hash, PoolID: "p", UserKey: "u", ExpiresAt: t0}))
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				c, err := s.ConsumeAuthCode(ctx, hash)
				if err == nil && c.UserKey != "u" {
					err = fmt.Errorf("won with %+v", c)
				}
				errs <- err
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		wins := 0
		for err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, store.ErrNotFound):
				t.Errorf("round %d: a losing redemption failed with %v, want ErrNotFound", round, err)
			}
		}
		if wins != 1 {
			t.Errorf("round %d: %d of %d concurrent redemptions got the code, want exactly 1", round, wins, n)
		}
	}
}

func testRefreshTokenScopes(t *testing.T, s store.Store) {
	const scopes = "openid email https://api.example.com/read.all"
	check(t, s.CreateRefreshToken(ctx, store.RefreshToken{Hash: "scoped", PoolID: "p", UserKey: "u", IssuedAt: t0, ExpiresAt: t0.Add(time.Hour), Scopes: scopes}))
	check(t, s.CreateRefreshToken(ctx, store.RefreshToken{Hash: "plain", PoolID: "p", UserKey: "u", ExpiresAt: t0.Add(time.Hour)}))
	rt, err := s.GetRefreshToken(ctx, "scoped")
	check(t, err)
	if rt.Scopes != scopes || rt.UserKey != "u" || !rt.IssuedAt.Equal(t0) {
		t.Errorf("round trip %+v", rt)
	}
	rt, err = s.GetRefreshToken(ctx, "plain")
	check(t, err)
	if rt.Scopes != "" {
		t.Errorf("a token without scopes read back with %q", rt.Scopes)
	}
}

// testCascadeOAuth: deleting a pool deletes its resource servers and
// authorization codes, and nothing of another pool.
func testCascadeOAuth(t *testing.T, s store.Store) {
	for _, p := range []string{"p1", "p2"} {
		check(t, s.CreateUserPool(ctx, store.UserPool{ID: p}))
		check(t, s.CreateResourceServer(ctx, store.ResourceServer{PoolID: p, Identifier: "api"}))
		check(t, s.CreateAuthCode(ctx, store.AuthCode{Hash: "code-" + p, PoolID: p, ExpiresAt: t0.Add(time.Hour)}))
	}
	check(t, s.DeleteUserPool(ctx, "p1"))
	if _, err := s.GetResourceServer(ctx, "p1", "api"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("resource server survived its pool: %v", err)
	}
	if list, err := s.ListResourceServers(ctx, "p1", "", 0); err != nil || len(list) != 0 {
		t.Errorf("pool's resource servers after deletion: %v %v", list, err)
	}
	if _, err := s.ConsumeAuthCode(ctx, "code-p1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("authorization code survived its pool: %v", err)
	}
	if _, err := s.GetResourceServer(ctx, "p2", "api"); err != nil {
		t.Errorf("another pool's resource server: %v", err)
	}
	if _, err := s.ConsumeAuthCode(ctx, "code-p2"); err != nil {
		t.Errorf("another pool's authorization code: %v", err)
	}
}
