package sealbox_test

import (
	"context"
	"testing"
)

// sessionClaims is about the size of the claims sts seals into a session
// token (key id, role, identity, tags, expiry): 292 bytes.
var sessionClaims = []byte(`{"v":1,"akid":"ASIAQ3EGUSHZ7EXAMPLE","arn":"arn:aws:sts::123456789012:assumed-role/Cognito_NotesAuth_Role/CognitoIdentityCredentials","role":"AROAEXAMPLEROLEID","exp":1795435200,"idp":"cognito-identity.amazonaws.com","sub":"us-east-1:0f3c1d2e-4b5a-6978-8a9b-0c1d2e3f4a5b","tags":{"team":"x"}}`)

// BenchmarkSeal measures sealing a session token's claims, done once per
// AssumeRole* and GetCredentialsForIdentity call, and per sign-in challenge.
// The key is loaded before the timer starts, as it is on a running server.
func BenchmarkSeal(b *testing.B) {
	ctx := context.Background()
	box, _ := newBox(b)
	if _, _, err := box.Seal(ctx, sessionClaims, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(sessionClaims)))
	for b.Loop() {
		if _, _, err := box.Seal(ctx, sessionClaims, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen measures opening a sealed session token, which every request
// signed with temporary credentials pays before its signature is checked.
func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	box, _ := newBox(b)
	id, sealed, err := box.Seal(ctx, sessionClaims, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(sessionClaims)))
	for b.Loop() {
		if _, err := box.Open(ctx, id, sealed, nil); err != nil {
			b.Fatal(err)
		}
	}
}
