package cryptstore_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"path/filepath"
	"testing"
	"time"

	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/cachestore"
	"github.com/federa/federa/internal/store/cryptstore"
)

// benchStores is the server's stack with and without encryption.
func benchStores(b *testing.B) map[string]store.Store {
	b.Helper()
	plain := cachestore.New(openSQL(b, filepath.Join(b.TempDir(), "federa.db")))
	cs, err := cryptstore.Open(ctx, openSQL(b, filepath.Join(b.TempDir(), "federa.db")), newKey(b))
	check(b, err)
	stores := map[string]store.Store{"cache+sql": plain, "cache+crypt+sql": cachestore.New(cs)}
	for _, s := range stores {
		for i := range 2 {
			priv, err := rsa.GenerateKey(rand.Reader, 2048)
			check(b, err)
			der, _ := x509.MarshalPKCS8PrivateKey(priv)
			check(b, s.CreateKey(ctx, store.Key{Purpose: "jwt/p", ID: string(rune('a' + i)), Material: der, CreatedAt: time.Now()}))
		}
		check(b, s.CreateAppClient(ctx, store.AppClient{ClientID: "c", PoolID: "p", Spec: []byte(`{"ClientSecret":"0123456789abcdefghijklmnopqrstuvwxyz0123456789abcde","CallbackURLs":["https://app.example.com/cb"]}`)}))
		check(b, s.CreateUser(ctx, store.User{PoolID: "p", Key: "u", Sub: "s", PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA",
			Spec: []byte(`{"srp":{"salt":"00ff","verifier":"5eedf00d5eedf00d"},"totp":{"secret":"JBSWY3DPEHPK3PXP"}}`)}))
	}
	return stores
}

// BenchmarkRead measures what decryption adds to the reads servers make:
// ListKeys (jwtkeys re-reads a purpose's keys every 5 s; sealbox once),
// GetAppClient (every sign-in; answered by the cache above, so opened once
// per cache TTL) and GetUser (every sign-in, not cached).
func BenchmarkRead(b *testing.B) {
	stores := benchStores(b)
	for _, name := range []string{"cache+sql", "cache+crypt+sql"} {
		s := stores[name]
		b.Run("ListKeys/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ListKeys(ctx, "jwt/p"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("GetAppClient/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.GetAppClient(ctx, "c"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("GetUser/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.GetUser(ctx, "p", "u"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
