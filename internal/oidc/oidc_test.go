package oidc_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/oidc"
	"github.com/federa/federa/internal/oidc/oidctest"
)

func TestVerify(t *testing.T) {
	ctx := context.Background()
	p := oidctest.New(t)
	now := time.Now()
	v := oidc.New(p.Client, func() time.Time { return now })
	claims := func(mod func(map[string]any)) map[string]any {
		c := map[string]any{"iss": p.Issuer, "aud": "app", "sub": "u1", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()}
		if mod != nil {
			mod(c)
		}
		return c
	}
	good := p.Token(t, claims(nil))
	got, err := v.Verify(ctx, p.Issuer, good, []string{"app"})
	if err != nil || got.String("sub") != "u1" {
		t.Fatalf("Verify = %v, %v", got, err)
	}
	parts := strings.Split(good, ".")
	hs := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256"}`))
	m := hmac.New(sha256.New, []byte("k"))
	m.Write([]byte(hs + "." + parts[1]))
	for _, tt := range []struct {
		name, token string
		aud         []string
		want        error
	}{
		{"wrong audience", good, []string{"other"}, oidc.ErrInvalid},
		{"expired", p.Token(t, claims(func(c map[string]any) { c["exp"] = now.Add(-time.Second).Unix() })), []string{"app"}, oidc.ErrExpired},
		{"no exp", p.Token(t, claims(func(c map[string]any) { delete(c, "exp") })), []string{"app"}, oidc.ErrInvalid},
		{"other issuer", p.Token(t, claims(func(c map[string]any) { c["iss"] = "https://evil.example" })), []string{"app"}, oidc.ErrInvalid},
		{"issued in the future", p.Token(t, claims(func(c map[string]any) { c["iat"] = now.Add(time.Hour).Unix() })), []string{"app"}, oidc.ErrInvalid},
		{"audience in a list", p.Token(t, claims(func(c map[string]any) { c["aud"] = []string{"x", "app"} })), []string{"app"}, nil},
		{"alg none", base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".", []string{"app"}, oidc.ErrInvalid},
		{"HS256", hs + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)), []string{"app"}, oidc.ErrInvalid},
		{"tampered", parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"`+p.Issuer+`","aud":"app","sub":"admin","exp":9999999999}`)) + "." + parts[2], []string{"app"}, oidc.ErrInvalid},
	} {
		_, err := v.Verify(ctx, p.Issuer, tt.token, tt.aud)
		if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}

	// A rotated key is fetched once the token names it, not before.
	fetches := p.Fetches
	if _, err := v.Verify(ctx, p.Issuer, good, []string{"app"}); err != nil || p.Fetches != fetches {
		t.Fatalf("a cached key refetched: %v, %d fetches", err, p.Fetches-fetches)
	}
	p.Rotate(t)
	now = now.Add(time.Minute) // past the refresh rate limit
	if _, err := v.Verify(ctx, p.Issuer, p.Token(t, claims(func(c map[string]any) { c["exp"] = now.Add(time.Hour).Unix() })), []string{"app"}); err != nil {
		t.Fatalf("a rotated key: %v", err)
	}
	if p.Fetches != fetches+1 {
		t.Errorf("rotation needed %d fetches", p.Fetches-fetches)
	}

	// Only https issuers, unless loopback http is allowed.
	if _, err := v.Verify(ctx, "http://example.com", good, []string{"app"}); err == nil {
		t.Error("an http issuer was fetched")
	}
}
