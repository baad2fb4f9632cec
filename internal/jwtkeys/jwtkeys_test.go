package jwtkeys_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/federa/federa/internal/jwtkeys"
	"github.com/federa/federa/internal/store/sqlstore"
)

func TestSignVerifyPeek(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	k := jwtkeys.New(st, nil)
	for _, p := range []string{"jwt/a", "jwt/b"} {
		if err := k.Ensure(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	tok, err := k.Sign(ctx, "jwt/a", map[string]string{"iss": "http://x/a"})
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Iss string }
	if err := k.Verify(ctx, "jwt/a", tok, &got); err != nil || got.Iss != "http://x/a" {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	// Another purpose's keys, and a fresh manager reading the same store.
	if err := k.Verify(ctx, "jwt/b", tok, &got); !errors.Is(err, jwtkeys.ErrInvalid) {
		t.Fatalf("verified with another purpose's keys: %v", err)
	}
	if err := jwtkeys.New(st, nil).Verify(ctx, "jwt/a", tok, &got); err != nil {
		t.Fatalf("after reload: %v", err)
	}
	set, err := k.JWKS(ctx, "jwt/a")
	if err != nil || len(set.Keys) != 1 || !set.Keys[0].IsPublic() {
		t.Fatalf("JWKS = %+v, %v", set, err)
	}
	var peeked struct{ Iss string }
	if err := jwtkeys.Peek(tok, &peeked); err != nil || peeked.Iss != "http://x/a" {
		t.Fatalf("Peek = %+v, %v", peeked, err)
	}
	if err := jwtkeys.Peek("eyJhbGciOiJub25lIn0.e30.", &peeked); !errors.Is(err, jwtkeys.ErrInvalid) {
		t.Fatalf("Peek accepted alg none: %v", err)
	}
	if err := k.Delete(ctx, "jwt/a"); err != nil {
		t.Fatal(err)
	}
	if err := k.Verify(ctx, "jwt/a", tok, &got); !errors.Is(err, jwtkeys.ErrInvalid) {
		t.Fatalf("verified after the keys were deleted: %v", err)
	}
}

// TestRotate rotates a purpose's key as one node while another node still
// has the old keys cached: new tokens verify everywhere, tokens of the
// previous key keep verifying, tokens two keys old stop.
func TestRotate(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	node1, node2 := jwtkeys.New(st, nil), jwtkeys.New(st, nil)
	if err := node1.Ensure(ctx, "jwt/p"); err != nil {
		t.Fatal(err)
	}
	sign := func() string {
		t.Helper()
		tok, err := node1.Sign(ctx, "jwt/p", map[string]string{"sub": "x"})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	var claims map[string]any
	first := sign()
	if err := node2.Verify(ctx, "jwt/p", first, &claims); err != nil { // node2 caches one key
		t.Fatal(err)
	}
	if err := node1.Rotate(ctx, "jwt/p"); err != nil {
		t.Fatal(err)
	}
	second := sign()
	for name, tok := range map[string]string{"new": second, "previous": first} {
		if err := node2.Verify(ctx, "jwt/p", tok, &claims); err != nil {
			t.Errorf("%s key's token on the other node: %v", name, err)
		}
	}
	if set, err := node1.JWKS(ctx, "jwt/p"); err != nil || len(set.Keys) != 2 {
		t.Errorf("JWKS after a rotation: %d keys, %v", len(set.Keys), err)
	}
	if err := node1.Rotate(ctx, "jwt/p"); err != nil {
		t.Fatal(err)
	}
	if err := node1.Verify(ctx, "jwt/p", first, &claims); !errors.Is(err, jwtkeys.ErrInvalid) {
		t.Errorf("a token two keys old: %v", err)
	}
	if err := node1.Verify(ctx, "jwt/p", second, &claims); err != nil {
		t.Errorf("the previous key's token: %v", err)
	}
	if set, _ := node1.JWKS(ctx, "jwt/p"); len(set.Keys) != 2 {
		t.Errorf("JWKS keeps %d keys, want the current and the previous", len(set.Keys))
	}
}

// TestAnotherNodesRotationIsSeenWithinCacheTTL: two managers over one store
// are two federa nodes. After node A rotates twice, node B — once its copy
// is CacheTTL old — lists the same keys and signs with A's new key, so no
// node keeps signing with a key the others have deleted.
func TestAnotherNodesRotationIsSeenWithinCacheTTL(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	a, b := jwtkeys.New(st, clock), jwtkeys.New(st, clock)
	if err := a.Ensure(ctx, "jwt/p"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.JWKS(ctx, "jwt/p"); err != nil { // b caches the first key
		t.Fatal(err)
	}
	for range 2 {
		now = now.Add(time.Second) // rotations at distinct instants
		if err := a.Rotate(ctx, "jwt/p"); err != nil {
			t.Fatal(err)
		}
	}
	kids := func(k *jwtkeys.Keys) []string {
		set, err := k.JWKS(ctx, "jwt/p")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, key := range set.Keys {
			out = append(out, key.KeyID)
		}
		return out
	}
	now = now.Add(jwtkeys.CacheTTL)
	if ka, kb := kids(a), kids(b); !slices.Equal(ka, kb) || len(ka) != 2 {
		t.Fatalf("JWKS of node A %v, of node B %v: want the same two keys", ka, kb)
	}
	tok, err := b.Sign(ctx, "jwt/p", map[string]string{"iss": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if jwtkeys.KeyID(tok) != kids(a)[0] {
		t.Fatalf("node B signed with %s; node A's signing key is %s", jwtkeys.KeyID(tok), kids(a)[0])
	}
	var got struct{ Iss string }
	if err := a.Verify(ctx, "jwt/p", tok, &got); err != nil {
		t.Fatalf("node A cannot verify node B's token: %v", err)
	}
}
