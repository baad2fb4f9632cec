// Package oidctest is an OpenID Connect provider for tests: an HTTPS server
// with a discovery document and a JWKS, whose keys sign the tokens a test
// asks for, and can be rotated.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// Provider is a running test issuer.
type Provider struct {
	// Issuer is its URL, https://127.0.0.1:PORT.
	Issuer string
	// Client trusts the server's certificate.
	Client *http.Client

	mu   sync.Mutex
	keys []jose.JSONWebKey // private; the first signs
	// Fetches counts JWKS downloads.
	Fetches int
}

// New starts a provider that stops when the test ends.
func New(t testing.TB) *Provider {
	t.Helper()
	p := &Provider{}
	p.Rotate(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	p.Issuer, p.Client = srv.URL, srv.Client()
	return p
}

func (p *Provider) serve(w http.ResponseWriter, r *http.Request) {
	var body any
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		body = map[string]any{"issuer": p.Issuer, "jwks_uri": p.Issuer + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"}}
	case "/jwks":
		p.mu.Lock()
		p.Fetches++
		set := jose.JSONWebKeySet{}
		for _, k := range p.keys {
			set.Keys = append(set.Keys, k.Public())
		}
		p.mu.Unlock()
		body = set
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

// Rotate makes a new key sign; the old keys stay published.
func (p *Provider) Rotate(t testing.TB) {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	p.mu.Lock()
	p.keys = append([]jose.JSONWebKey{{Key: priv, KeyID: hex.EncodeToString(id), Algorithm: "RS256", Use: "sig"}}, p.keys...)
	p.mu.Unlock()
}

// Token signs claims with the current key. A claim left out is not added:
// tests set iss, aud, sub, exp as they need.
func (p *Provider) Token(t testing.TB, claims map[string]any) string {
	t.Helper()
	p.mu.Lock()
	k := p.keys[0]
	p.mu.Unlock()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: k}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	obj, err := signer.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	s, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
