package userpool_test

import (
	"context"
	"encoding/base64"
	"math/big"
	"testing"

	"github.com/federa/federa/internal/srp"
	"github.com/federa/federa/internal/userpool"
)

// BenchmarkInitiateAuth measures one sign-in on the server, store included:
// USER_PASSWORD_AUTH (one argon2id check, m=19 MiB t=2 p=1, plus tokens), and
// USER_SRP_AUTH (InitiateAuth and the PASSWORD_VERIFIER answer; the
// client's own SRP work is excluded from the timing).
func BenchmarkInitiateAuth(b *testing.B) {
	ctx := context.Background()
	s, c := newService(b)
	p, cl := setup(b, s, userpool.ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	b.Run("password", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r, err := s.InitiateAuth(ctx, cl.ID, "USER_PASSWORD_AUTH", map[string]string{"USERNAME": "alice", "PASSWORD": "Corr3ct-horse!"})
			if err != nil || r.Tokens == nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("srp", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			client := srp.NewClient()
			b.StartTimer()
			r, err := s.InitiateAuth(ctx, cl.ID, "USER_SRP_AUTH", map[string]string{"USERNAME": "alice", "SRP_A": client.Public.Text(16)})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			cp := r.ChallengeParameters
			salt, _ := new(big.Int).SetString(cp["SALT"], 16)
			B, _ := new(big.Int).SetString(cp["SRP_B"], 16)
			block, _ := base64.StdEncoding.DecodeString(cp["SECRET_BLOCK"])
			ts := srp.Timestamp(c.Now())
			sig := srp.Signature(client.Key(p.ID, "Alice", "Corr3ct-horse!", salt, B), p.ID, "Alice", block, ts)
			b.StartTimer()
			r, err = s.RespondToAuthChallenge(ctx, cl.ID, "PASSWORD_VERIFIER", "", map[string]string{"USERNAME": "Alice",
				"PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"], "TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": base64.StdEncoding.EncodeToString(sig)})
			if err != nil || r.Tokens == nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyIDToken measures verifying a Cognito login token as
// identity pools do for each entry of Logins in GetId and
// GetCredentialsForIdentity: the pool lookup in the store, the RS256
// signature, the issuer, token_use and expiry checks, and decoding every
// claim for role mappings and principal tags.
func BenchmarkVerifyIDToken(b *testing.B) {
	ctx := context.Background()
	s, _ := newService(b)
	p, cl := setup(b, s, userpool.ClientSettings{})
	r, err := s.InitiateAuth(ctx, cl.ID, "USER_PASSWORD_AUTH", map[string]string{"USERNAME": "alice", "PASSWORD": "Corr3ct-horse!"})
	if err != nil || r.Tokens == nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.VerifyIDToken(ctx, p.ID, r.Tokens.IDToken); err != nil {
			b.Fatal(err)
		}
	}
}
