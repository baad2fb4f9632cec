package userpool_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/userpool"
)

func scopes(names ...string) []userpool.ResourceServerScope {
	out := make([]userpool.ResourceServerScope, 0, len(names))
	for _, n := range names {
		out = append(out, userpool.ResourceServerScope{ScopeName: n, ScopeDescription: "may " + n})
	}
	return out
}

func TestResourceServerValidation(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p, err := s.CreateUserPool(ctx, "rs", userpool.PoolSettings{})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("a", 257)
	tooMany := make([]string, 101)
	for i := range tooMany {
		tooMany[i] = fmt.Sprint("s", i)
	}
	cases := []struct {
		name string
		rs   userpool.ResourceServer
		code string
		// in is what the message must contain to say what to fix.
		in string
	}{
		{"ok url identifier", userpool.ResourceServer{Identifier: "https://api.example.com/v1", Name: "API", Scopes: scopes("read", "write:all")}, "", ""},
		{"ok no scopes, every name character", userpool.ResourceServer{Identifier: "bare", Name: "Bare_name, v2 a+b=c @x.y-z"}, "", ""},
		{"ok 100 scopes", userpool.ResourceServer{Identifier: "many", Name: "many", Scopes: scopes(tooMany[:100]...)}, "", ""},
		{"empty identifier", userpool.ResourceServer{Name: "n"}, "InvalidParameterException", "at 'identifier' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"space in identifier", userpool.ResourceServer{Identifier: "my api", Name: "n"}, "InvalidParameterException", `Value 'my api' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: [\x21\x23-\x5B\x5D-\x7E]+`},
		{"quote in identifier", userpool.ResourceServer{Identifier: `a"b`, Name: "n"}, "InvalidParameterException", "'identifier'"},
		{"backslash in identifier", userpool.ResourceServer{Identifier: `a\b`, Name: "n"}, "InvalidParameterException", "'identifier'"},
		{"long identifier", userpool.ResourceServer{Identifier: long, Name: "n"}, "InvalidParameterException", "Member must have length less than or equal to 256"},
		{"bad name", userpool.ResourceServer{Identifier: "x", Name: "n!"}, "InvalidParameterException", "at 'name' failed to satisfy constraint"},
		{"slash in scope name", userpool.ResourceServer{Identifier: "x", Name: "n", Scopes: scopes("read/all")}, "InvalidParameterException", `at 'scopes.1.member.scopeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+`},
		{"empty description", userpool.ResourceServer{Identifier: "x", Name: "n", Scopes: []userpool.ResourceServerScope{{ScopeName: "a"}}}, "InvalidParameterException", "'scopes.1.member.scopeDescription'"},
		{"duplicate scope", userpool.ResourceServer{Identifier: "x", Name: "n", Scopes: scopes("a", "b", "a")}, "InvalidParameterException", "'scopes.3.member.scopeName' failed to satisfy constraint: Member must be unique"},
		{"101 scopes", userpool.ResourceServer{Identifier: "x", Name: "n", Scopes: scopes(tooMany...)}, "InvalidParameterException", "at 'scopes' failed to satisfy constraint: Member must have length less than or equal to 100"},
		{"every problem at once", userpool.ResourceServer{Identifier: "a b", Name: "", Scopes: scopes("x y")}, "InvalidParameterException", "3 validation errors detected: "},
		{"unknown pool", userpool.ResourceServer{PoolID: "us-east-1_nope", Identifier: "x", Name: "n"}, "ResourceNotFoundException", "us-east-1_nope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.rs.PoolID == "" {
				c.rs.PoolID = p.ID
			}
			_, err := s.CreateResourceServer(ctx, c.rs)
			if code(err) != c.code {
				t.Fatalf("code %q (%v), want %q", code(err), err, c.code)
			}
			if e, ok := awserr.As(err); ok && !strings.Contains(e.Message, c.in) {
				t.Errorf("message %q does not contain %q", e.Message, c.in)
			}
			// Update validates the same way.
			if c.code == "InvalidParameterException" {
				if _, err := s.UpdateResourceServer(ctx, c.rs); code(err) != c.code {
					t.Errorf("update: %v, want %s", err, c.code)
				}
			}
		})
	}
}

func TestResourceServerLifecycle(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p, err := s.CreateUserPool(ctx, "rs", userpool.PoolSettings{})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateUserPool(ctx, "other", userpool.PoolSettings{})
	if err != nil {
		t.Fatal(err)
	}
	api := userpool.ResourceServer{PoolID: p.ID, Identifier: "https://api.example.com", Name: "API", Scopes: scopes("read", "write")}
	got, err := s.CreateResourceServer(ctx, api)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, api) {
		t.Errorf("created %+v, want %+v", got, api)
	}
	if _, err := s.CreateResourceServer(ctx, api); code(err) != "InvalidParameterException" {
		t.Errorf("duplicate identifier: %v", err)
	}
	// The same identifier in another pool is another server.
	if _, err := s.CreateResourceServer(ctx, userpool.ResourceServer{PoolID: other.ID, Identifier: api.Identifier, Name: "theirs"}); err != nil {
		t.Fatal(err)
	}
	bare, err := s.CreateResourceServer(ctx, userpool.ResourceServer{PoolID: p.ID, Identifier: "bare", Name: "Bare"})
	if err != nil {
		t.Fatal(err)
	}
	if bare.Scopes == nil || len(bare.Scopes) != 0 {
		t.Errorf("a server without scopes has %#v, want an empty list", bare.Scopes)
	}

	got, err = s.DescribeResourceServer(ctx, p.ID, api.Identifier)
	if err != nil || !reflect.DeepEqual(got, api) {
		t.Errorf("describe: %+v %v", got, err)
	}
	for _, c := range []struct{ pool, id, code string }{
		{p.ID, "missing", "ResourceNotFoundException"},
		{p.ID, "HTTPS://API.EXAMPLE.COM", "ResourceNotFoundException"}, // identifiers are case-sensitive
		{"us-east-1_nope", "bare", "ResourceNotFoundException"},
		{p.ID, "has space", "InvalidParameterException"},
	} {
		if _, err := s.DescribeResourceServer(ctx, c.pool, c.id); code(err) != c.code {
			t.Errorf("describe %s in %s: %v, want %s", c.id, c.pool, err, c.code)
		}
		if err := s.DeleteResourceServer(ctx, c.pool, c.id); code(err) != c.code {
			t.Errorf("delete %s in %s: %v, want %s", c.id, c.pool, err, c.code)
		}
	}

	scopesOf, err := s.CustomScopes(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]bool{"https://api.example.com/read": true, "https://api.example.com/write": true}; !reflect.DeepEqual(scopesOf, want) {
		t.Errorf("CustomScopes = %v, want %v", scopesOf, want)
	}

	// Update replaces name and scopes; no scopes means none left.
	got, err = s.UpdateResourceServer(ctx, userpool.ResourceServer{PoolID: p.ID, Identifier: api.Identifier, Name: "API v2", Scopes: scopes("admin")})
	if err != nil || got.Name != "API v2" || len(got.Scopes) != 1 || got.Scopes[0].ScopeName != "admin" {
		t.Errorf("update: %+v %v", got, err)
	}
	got, err = s.UpdateResourceServer(ctx, userpool.ResourceServer{PoolID: p.ID, Identifier: api.Identifier, Name: "API v3"})
	if err != nil || len(got.Scopes) != 0 {
		t.Errorf("update without scopes: %+v %v", got, err)
	}
	if _, err := s.UpdateResourceServer(ctx, userpool.ResourceServer{PoolID: p.ID, Identifier: "missing", Name: "n"}); code(err) != "ResourceNotFoundException" {
		t.Errorf("update missing: %v", err)
	}
	if scopesOf, _ := s.CustomScopes(ctx, p.ID); len(scopesOf) != 0 {
		t.Errorf("CustomScopes after removing every scope: %v", scopesOf)
	}

	if err := s.DeleteResourceServer(ctx, p.ID, api.Identifier); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DescribeResourceServer(ctx, other.ID, api.Identifier); err != nil {
		t.Errorf("deleting one pool's server removed the other pool's: %v", err)
	}
	if err := s.DeleteResourceServer(ctx, p.ID, api.Identifier); code(err) != "ResourceNotFoundException" {
		t.Errorf("second delete: %v", err)
	}

	// Deleting the pool deletes its servers.
	if err := s.DeleteUserPool(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	if scopesOf, err := s.CustomScopes(ctx, other.ID); err != nil || len(scopesOf) != 0 {
		t.Errorf("scopes of a deleted pool: %v %v", scopesOf, err)
	}
}

func TestListResourceServersPagingAndLimit(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p, err := s.CreateUserPool(ctx, "rs", userpool.PoolSettings{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 0; i < 25; i++ {
		id := fmt.Sprintf("api-%02d", i)
		want = append(want, id)
		if _, err := s.CreateResourceServer(ctx, userpool.ResourceServer{PoolID: p.ID, Identifier: id, Name: id}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.CreateResourceServer(ctx, userpool.ResourceServer{PoolID: p.ID, Identifier: "one-too-many", Name: "n"})
	if code(err) != "LimitExceededException" {
		t.Errorf("26th server: %v, want LimitExceededException", err)
	}

	for _, size := range []int{1, 7, 25, 50} {
		var got []string
		token, pages := "", 0
		for {
			n := size
			page, next, err := s.ListResourceServers(ctx, p.ID, token, &n)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if len(page) > size {
				t.Fatalf("page of %d with MaxResults %d", len(page), size)
			}
			for _, rs := range page {
				got = append(got, rs.Identifier)
			}
			if next == "" {
				break
			}
			token = next
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("MaxResults %d: listed %v", size, got)
		}
		if wantPages := (25 + size - 1) / size; pages != wantPages {
			t.Errorf("MaxResults %d: %d pages, want %d (the last page carries no token)", size, pages, wantPages)
		}
	}
	all, next, err := s.ListResourceServers(ctx, p.ID, "", nil)
	if err != nil || len(all) != 25 || next != "" {
		t.Errorf("without MaxResults: %d servers, token %q, %v", len(all), next, err)
	}
	for _, n := range []int{0, -1, 51} {
		if _, _, err := s.ListResourceServers(ctx, p.ID, "", &n); code(err) != "InvalidParameterException" ||
			!strings.Contains(err.Error(), "Member must have value between 1 and 50") {
			t.Errorf("MaxResults %d: %v", n, err)
		}
	}
	if _, _, err := s.ListResourceServers(ctx, "us-east-1_nope", "", nil); code(err) != "ResourceNotFoundException" {
		t.Errorf("unknown pool: %v", err)
	}
}

func TestUpdateAndDeleteUserPoolDomain(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p, err := s.CreateUserPool(ctx, "mine", userpool.PoolSettings{})
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.CreateUserPool(ctx, "theirs", userpool.PoolSettings{})
	if err != nil {
		t.Fatal(err)
	}
	for pool, d := range map[string]string{p.ID: "mine", q.ID: "theirs"} {
		if err := s.CreateUserPoolDomain(ctx, pool, d); err != nil {
			t.Fatal(err)
		}
	}
	one, two, three := 1, 2, 3
	cert := &userpool.CustomDomainConfig{CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc"}
	for _, c := range []struct {
		name, pool, domain string
		set                userpool.DomainSettings
		code               string
	}{
		{"classic", p.ID, "mine", userpool.DomainSettings{ManagedLoginVersion: &one}, ""},
		{"managed login", p.ID, "mine", userpool.DomainSettings{ManagedLoginVersion: &two}, "FeatureUnavailableInTierException"},
		{"no such version", p.ID, "mine", userpool.DomainSettings{ManagedLoginVersion: &three}, "InvalidParameterException"},
		{"nothing to change", p.ID, "mine", userpool.DomainSettings{}, "InvalidParameterException"},
		{"certificate on a prefix domain", p.ID, "mine", userpool.DomainSettings{CustomDomainConfig: cert}, "InvalidParameterException"},
		{"bad certificate ARN", p.ID, "mine", userpool.DomainSettings{CustomDomainConfig: &userpool.CustomDomainConfig{CertificateArn: "nope"}}, "InvalidParameterException"},
		{"another pool's domain", p.ID, "theirs", userpool.DomainSettings{ManagedLoginVersion: &one}, "ResourceNotFoundException"},
		{"unknown domain", p.ID, "nowhere", userpool.DomainSettings{ManagedLoginVersion: &one}, "ResourceNotFoundException"},
		{"bad domain", p.ID, "Not_A_Prefix", userpool.DomainSettings{ManagedLoginVersion: &one}, "InvalidParameterException"},
		{"unknown pool", "us-east-1_nope", "mine", userpool.DomainSettings{ManagedLoginVersion: &one}, "ResourceNotFoundException"},
	} {
		d, err := s.UpdateUserPoolDomain(ctx, c.pool, c.domain, c.set)
		if code(err) != c.code {
			t.Errorf("%s: %v, want %q", c.name, err, c.code)
		}
		if err == nil && (d.Domain != "mine" || d.ManagedLoginVersion != 1 || d.PoolID != p.ID) {
			t.Errorf("%s: updated %+v", c.name, d)
		}
	}

	for _, c := range []struct{ name, pool, domain, code string }{
		{"another pool's domain", p.ID, "theirs", "InvalidParameterException"},
		{"unknown domain", p.ID, "nowhere", "InvalidParameterException"},
		{"unknown pool", "us-east-1_nope", "mine", "ResourceNotFoundException"},
		{"bad domain", p.ID, "-x", "InvalidParameterException"},
		{"own domain", p.ID, "mine", ""},
		{"again", p.ID, "mine", "InvalidParameterException"},
	} {
		if err := s.DeleteUserPoolDomain(ctx, c.pool, c.domain); code(err) != c.code {
			t.Errorf("delete %s: %v, want %q", c.name, err, c.code)
		}
	}
	if _, ok, err := s.DescribeUserPoolDomain(ctx, "theirs"); !ok || err != nil {
		t.Errorf("a refused delete removed another pool's domain: %v %v", ok, err)
	}
	if _, ok, err := s.DescribeUserPoolDomain(ctx, "mine"); ok || err != nil {
		t.Errorf("deleted domain still described: %v %v", ok, err)
	}
	// The name is free again, and the pool may have a domain again.
	if err := s.CreateUserPoolDomain(ctx, p.ID, "mine"); err != nil {
		t.Errorf("recreating the deleted domain: %v", err)
	}
	d, ok, err := s.DescribeUserPoolDomain(ctx, "mine")
	if err != nil || !ok || d.PoolID != p.ID || d.Status != "ACTIVE" || d.ManagedLoginVersion != 1 {
		t.Errorf("describe %+v %v %v", d, ok, err)
	}
}
