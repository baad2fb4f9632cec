package jwtkeys_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

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
