// Package oidc verifies ID tokens of external OpenID Connect providers: it
// fetches each issuer's discovery document and JWKS over HTTPS, caches the
// keys, and refreshes them when a token names a key it does not know (the
// provider rotated). Algorithms are pinned to what the key is (RS256 for RSA
// keys, ES256 for P-256), so "none" and HMAC tokens never verify.
package oidc

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// ErrInvalid is a token that is malformed, unsigned, signed by no key of
// its issuer, or whose claims do not hold (issuer, audience, time).
var ErrInvalid = errors.New("oidc: invalid token")

// ErrExpired is a token whose exp has passed.
var ErrExpired = errors.New("oidc: token expired")

// limits on what a provider may send us.
const (
	maxDocument   = 1 << 20
	maxToken      = 16 << 10
	keysTTL       = time.Hour
	refreshPeriod = 10 * time.Second // unknown-kid refreshes at most this often
)

// Verifier verifies tokens of any issuer it is asked about.
type Verifier struct {
	client *http.Client
	now    func() time.Time
	// AllowHTTPLoopback accepts http:// issuers on 127.0.0.1 and localhost,
	// for development; every other issuer must be https.
	AllowHTTPLoopback bool

	mu     sync.Mutex
	issuer map[string]*keySet
}

type keySet struct {
	keys    jose.JSONWebKeySet
	fetched time.Time
}

// New returns a verifier that fetches with client (http.DefaultClient when
// nil; timeouts should be set on it) and reads time from now.
func New(client *http.Client, now func() time.Time) *Verifier {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	if now == nil {
		now = time.Now
	}
	return &Verifier{client: client, now: now, issuer: map[string]*keySet{}}
}

// Claims are a verified token's claims.
type Claims map[string]any

// String returns a string claim.
func (c Claims) String(name string) string { s, _ := c[name].(string); return s }

// Audiences returns aud as a list (it may be a string or an array).
func (c Claims) Audiences() []string {
	switch a := c["aud"].(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, v := range a {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Verify checks a token of issuer (the provider's URL): signature by a key
// of the issuer's JWKS, iss equal to issuer, exp in the future, nbf and iat
// not in the future (a minute's skew allowed), and an aud that is one of
// audiences.
func (v *Verifier) Verify(ctx context.Context, issuer, token string, audiences []string) (Claims, error) {
	if len(token) > maxToken {
		return nil, ErrInvalid
	}
	algs := []jose.SignatureAlgorithm{jose.RS256, jose.ES256}
	obj, err := jose.ParseSignedCompact(token, algs)
	if err != nil || len(obj.Signatures) != 1 {
		return nil, ErrInvalid
	}
	kid := obj.Signatures[0].Header.KeyID
	key, err := v.key(ctx, issuer, kid)
	if err != nil {
		return nil, err
	}
	if !algFits(obj.Signatures[0].Header.Algorithm, key) {
		return nil, ErrInvalid
	}
	payload, err := obj.Verify(key.Key)
	if err != nil {
		return nil, ErrInvalid
	}
	var c Claims
	dec := json.NewDecoder(strings.NewReader(string(payload)))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		return nil, ErrInvalid
	}
	if c.String("iss") != issuer {
		return nil, fmt.Errorf("%w: issuer %q, want %q", ErrInvalid, c.String("iss"), issuer)
	}
	now := v.now()
	exp, ok := numeric(c["exp"])
	if !ok {
		return nil, fmt.Errorf("%w: no exp", ErrInvalid)
	}
	if !now.Before(time.Unix(exp, 0)) {
		return nil, ErrExpired
	}
	for _, name := range []string{"nbf", "iat"} {
		if t, ok := numeric(c[name]); ok && time.Unix(t, 0).After(now.Add(time.Minute)) {
			return nil, fmt.Errorf("%w: %s is in the future", ErrInvalid, name)
		}
	}
	if !slices.ContainsFunc(c.Audiences(), func(a string) bool { return slices.Contains(audiences, a) }) {
		return nil, fmt.Errorf("%w: audience not allowed", ErrInvalid)
	}
	return c, nil
}

func numeric(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return int64(f), err == nil
	case float64:
		return int64(n), true
	}
	return 0, false
}

// algFits pins the algorithm to the key: RSA keys verify RS256, EC keys
// ES256, and a JWK that names its alg must name this one.
func algFits(alg string, k jose.JSONWebKey) bool {
	if k.Algorithm != "" && k.Algorithm != alg {
		return false
	}
	switch k.Key.(type) {
	case *rsa.PublicKey:
		return alg == string(jose.RS256)
	case *ecdsa.PublicKey:
		return alg == string(jose.ES256)
	}
	return false
}

// key finds the issuer's key with kid, fetching the JWKS when it has none
// or none fresh, and again (rate-limited) when the kid is unknown.
func (v *Verifier) key(ctx context.Context, issuer, kid string) (jose.JSONWebKey, error) {
	v.mu.Lock()
	ks := v.issuer[issuer]
	v.mu.Unlock()
	now := v.now()
	if ks == nil || now.Sub(ks.fetched) > keysTTL || (len(ks.keys.Key(kid)) == 0 && now.Sub(ks.fetched) > refreshPeriod) {
		fresh, err := v.fetch(ctx, issuer)
		if err != nil {
			if ks == nil {
				return jose.JSONWebKey{}, err
			}
		} else {
			ks = &keySet{keys: fresh, fetched: now}
			v.mu.Lock()
			v.issuer[issuer] = ks
			v.mu.Unlock()
		}
	}
	var matches []jose.JSONWebKey
	if kid == "" {
		matches = ks.keys.Keys
	} else {
		matches = ks.keys.Key(kid)
	}
	for _, k := range matches {
		if k.Use == "" || k.Use == "sig" {
			if k.IsPublic() {
				return k, nil
			}
		}
	}
	return jose.JSONWebKey{}, fmt.Errorf("%w: no key %q in the issuer's JWKS", ErrInvalid, kid)
}

// fetch reads the issuer's discovery document and then its JWKS.
func (v *Verifier) fetch(ctx context.Context, issuer string) (jose.JSONWebKeySet, error) {
	if err := v.checkURL(issuer); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := v.getJSON(ctx, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", &disc); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	if disc.Issuer != issuer {
		return jose.JSONWebKeySet{}, fmt.Errorf("oidc: %s's discovery document names issuer %q", issuer, disc.Issuer)
	}
	if err := v.checkURL(disc.JWKSURI); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	var set jose.JSONWebKeySet
	if err := v.getJSON(ctx, disc.JWKSURI, &set); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	return set, nil
}

func (v *Verifier) checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("oidc: %q is not a URL", raw)
	}
	if u.Scheme == "https" {
		return nil
	}
	host := u.Hostname()
	if u.Scheme == "http" && v.AllowHTTPLoopback && (host == "127.0.0.1" || host == "localhost" || host == "::1") {
		return nil
	}
	return fmt.Errorf("oidc: %s must be https", raw)
}

func (v *Verifier) getJSON(ctx context.Context, u string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := v.client.Do(req)
	if err != nil {
		return fmt.Errorf("oidc: fetching %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("oidc: fetching %s: %s", u, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocument+1))
	if err != nil {
		return err
	}
	if len(body) > maxDocument {
		return fmt.Errorf("oidc: %s is larger than %d bytes", u, maxDocument)
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("oidc: %s: %w", u, err)
	}
	return nil
}
