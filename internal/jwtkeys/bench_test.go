package jwtkeys_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/federa/federa/internal/jwtkeys"
	"github.com/federa/federa/internal/store/sqlstore"
)

// idClaims is the claim set of a user pool ID token for a user with an
// email address and one group, as userpool's issueTokens builds it.
var idClaims = map[string]any{
	"sub": "0f3c1d2e-4b5a-4978-8a9b-0c1d2e3f4a5b", "iss": "http://127.0.0.1:4566/us-east-1_AbCdEf123",
	"aud": "3n4b5urk1ft4fl3mg5e62d9ado", "cognito:username": "alice", "token_use": "id",
	"auth_time": 1795431600, "iat": 1795431600, "exp": 1795435200,
	"jti": "6c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5", "origin_jti": "7d2e3f4a-5b6c-4d7e-8f90-91a2b3c4d5e6",
	"event_id": "8e3f4a5b-6c7d-4e8f-9001-a2b3c4d5e6f7", "email": "alice@example.com", "email_verified": true,
	"cognito:groups": []string{"editors"},
}

// newKeys returns a key manager with one RS256 key for purpose "jwt/p",
// loaded before any timer starts, as it is on a running server.
func newKeys(b *testing.B) *jwtkeys.Keys {
	b.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	k := jwtkeys.New(st, nil)
	if err := k.Ensure(ctx, "jwt/p"); err != nil {
		b.Fatal(err)
	}
	return k
}

// BenchmarkSign measures signing an ID token (RS256, 2048-bit key), done
// twice per sign-in and refresh (ID and access token): the RSA private-key
// operation bounds how many sign-ins a core can serve.
func BenchmarkSign(b *testing.B) {
	ctx := context.Background()
	k := newKeys(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Sign(ctx, "jwt/p", idClaims); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures verifying an ID token and decoding its claims,
// done on every access-token call (GetUser, …) and for every Cognito login
// that GetId and GetCredentialsForIdentity receive.
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	k := newKeys(b)
	tok, err := k.Sign(ctx, "jwt/p", idClaims)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var got map[string]any
		if err := k.Verify(ctx, "jwt/p", tok, &got); err != nil {
			b.Fatal(err)
		}
	}
}
