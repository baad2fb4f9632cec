package userpool_test

import (
	"context"
	"testing"
	"time"

	"github.com/federa/federa/internal/userpool"
)

// TestRememberedIDTokenRechecked: a verified ID token is remembered, but
// each later use still fails once what made it valid is gone: its expiry,
// its signing key (dropped after two rotations), its pool.
func TestRememberedIDTokenRechecked(t *testing.T) {
	ctx := context.Background()
	signIn := func(t *testing.T, s *userpool.Service, c userpool.Client) string {
		t.Helper()
		res, err := s.InitiateAuth(ctx, c.ID, "USER_PASSWORD_AUTH", map[string]string{"USERNAME": "alice", "PASSWORD": "Corr3ct-horse!"})
		if err != nil {
			t.Fatal(err)
		}
		return res.Tokens.IDToken
	}
	tests := []struct {
		name string
		end  func(t *testing.T, s *userpool.Service, clk *clock, poolID string)
	}{
		{"expired", func(t *testing.T, s *userpool.Service, clk *clock, poolID string) {
			clk.now = clk.now.Add(time.Hour)
		}},
		{"key dropped", func(t *testing.T, s *userpool.Service, clk *clock, poolID string) {
			for range 2 {
				clk.now = clk.now.Add(time.Second) // keys are ordered by creation time
				if err := s.RotateSigningKey(ctx, poolID); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"pool deleted", func(t *testing.T, s *userpool.Service, clk *clock, poolID string) {
			if err := s.DeleteUserPool(ctx, poolID); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, clk := newService(t)
			p, c := setup(t, s, userpool.ClientSettings{})
			tok := signIn(t, s, c)
			for i := range 2 { // the second is answered from memory
				if v, err := s.VerifyIDToken(ctx, p.ID, tok); err != nil || v.Username != "alice" && v.Username != "Alice" {
					t.Fatalf("use %d: %+v, %v", i, v, err)
				}
			}
			tc.end(t, s, clk, p.ID)
			if _, err := s.VerifyIDToken(ctx, p.ID, tok); code(err) != "NotAuthorizedException" {
				t.Fatalf("remembered token still accepted: %v", err)
			}
		})
	}
}
