package s3api_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/blob/fsblob"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/s3/s3api"
	"github.com/federa/federa/internal/store/sqlstore"
)

// BenchmarkGetObjectAccess measures a 4 KiB GetObject through the handler
// (SQLite store, filesystem blobs, an authorizer that allows) for the
// callers the access rules treat differently: the root key, a role session
// reading a tagged object (its tags become s3:ExistingObjectTag keys), and
// an anonymous caller refused by RestrictPublicBuckets (the public-policy
// decision comes from the cache).
func BenchmarkGetObjectAccess(b *testing.B) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	bl, err := fsblob.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	authz := &fakeAuthz{allow: func(access.Check) bool { return true }}
	svc := s3.New(st, bl, authz, s3.Options{AccountID: "123456789012", Now: time.Now})
	h := s3api.New(svc, s3api.Options{})
	do := func(p *access.Principal, method, target, body string, hdr ...string) int {
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		if p != nil {
			r = r.WithContext(access.WithPrincipal(r.Context(), p))
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	body := strings.Repeat("x", 4<<10)
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bench/*"}]}`
	for _, step := range []struct {
		method, target, body string
		hdr                  []string
	}{
		{"PUT", "/bench", "", nil},
		{"PUT", "/bench/plain", body, nil},
		{"PUT", "/bench/tagged", body, []string{"x-amz-tagging", "env=prod&team=ops&class=internal"}},
		{"DELETE", "/bench?publicAccessBlock", "", nil},
		{"PUT", "/bench?policy", pol, nil},
		{"PUT", "/bench?publicAccessBlock", "<PublicAccessBlockConfiguration><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>", []string{"x-amz-sdk-checksum-algorithm", "CRC32"}},
	} {
		if code := do(rootPrincipal, step.method, step.target, step.body, step.hdr...); code >= 300 {
			b.Fatalf("%s %s: %d", step.method, step.target, code)
		}
	}
	authz.checks = nil
	for _, bc := range []struct {
		name   string
		p      *access.Principal
		target string
		want   int
	}{
		{"root", rootPrincipal, "/bench/plain", 200},
		{"role/tagged", rolePrincipal, "/bench/tagged", 200},
		{"anonymous/restricted", nil, "/bench/plain", 403},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if code := do(bc.p, "GET", bc.target, ""); code != bc.want {
					b.Fatalf("status %d", code)
				}
				authz.mu.Lock()
				authz.checks = authz.checks[:0]
				authz.mu.Unlock()
			}
		})
	}
}
