package e2e

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/federa/federa/internal/app/apptest"
)

// rsScopes builds a Scopes list, each scope described after its name.
func rsScopes(names ...string) []ciptypes.ResourceServerScopeType {
	out := make([]ciptypes.ResourceServerScopeType, 0, len(names))
	for _, n := range names {
		out = append(out, ciptypes.ResourceServerScopeType{ScopeName: aws.String(n), ScopeDescription: aws.String("may " + n)})
	}
	return out
}

// scopeNames lists a server's scope names in order.
func scopeNames(rs *ciptypes.ResourceServerType) string {
	var names []string
	for _, sc := range rs.Scopes {
		names = append(names, aws.ToString(sc.ScopeName))
	}
	return strings.Join(names, ",")
}

// wantAPIError checks an error's code (none when code is "") and that its
// message names what to fix.
func wantAPIError(t *testing.T, what string, err error, code, says string) {
	t.Helper()
	var api smithy.APIError
	switch {
	case code == "":
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	case !errors.As(err, &api) || api.ErrorCode() != code:
		t.Errorf("%s: %v, want %s", what, err, code)
	case !strings.Contains(api.ErrorMessage(), says):
		t.Errorf("%s: message %q does not say %q", what, api.ErrorMessage(), says)
	}
}

// TestResourceServers drives every resource server operation through the
// SDK: create, describe, paging with the SDK's own paginator, update,
// delete, the validation errors, and a pool's deletion taking its servers.
func TestResourceServers(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := cip.NewFromConfig(srv.RootConfig())
	newPool := func(name string) string {
		out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
		must(t, err)
		return aws.ToString(out.UserPool.Id)
	}
	pool, other := newPool("api"), newPool("other")

	created, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &pool,
		Identifier: aws.String("https://api.example.com"), Name: aws.String("Example API"), Scopes: rsScopes("read", "write")})
	must(t, err)
	rs := created.ResourceServer
	if aws.ToString(rs.UserPoolId) != pool || aws.ToString(rs.Identifier) != "https://api.example.com" || aws.ToString(rs.Name) != "Example API" ||
		scopeNames(rs) != "read,write" || aws.ToString(rs.Scopes[0].ScopeDescription) != "may read" {
		t.Errorf("created %+v", rs)
	}

	t.Run("Errors", func(t *testing.T) {
		long := strings.Repeat("x", 257)
		for _, tc := range []struct {
			name       string
			in         cip.CreateResourceServerInput
			code, says string
		}{
			{"bad identifier", cip.CreateResourceServerInput{UserPoolId: &pool, Identifier: aws.String("my api"), Name: aws.String("n")},
				"InvalidParameterException", "at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern"},
			{"long identifier", cip.CreateResourceServerInput{UserPoolId: &pool, Identifier: &long, Name: aws.String("n")},
				"InvalidParameterException", "Member must have length less than or equal to 256"},
			{"bad name", cip.CreateResourceServerInput{UserPoolId: &pool, Identifier: aws.String("x"), Name: aws.String("semi;colon")},
				"InvalidParameterException", "at 'name'"},
			{"bad scope name", cip.CreateResourceServerInput{UserPoolId: &pool, Identifier: aws.String("x"), Name: aws.String("n"), Scopes: rsScopes("ok", "read/all")},
				"InvalidParameterException", "at 'scopes.2.member.scopeName'"},
			{"duplicate scope name", cip.CreateResourceServerInput{UserPoolId: &pool, Identifier: aws.String("x"), Name: aws.String("n"), Scopes: rsScopes("a", "a")},
				"InvalidParameterException", "unique"},
			{"duplicate identifier", cip.CreateResourceServerInput{UserPoolId: &pool, Identifier: aws.String("https://api.example.com"), Name: aws.String("again")},
				"InvalidParameterException", "already exists"},
			{"unknown pool", cip.CreateResourceServerInput{UserPoolId: aws.String(apptest.Region + "_nope"), Identifier: aws.String("x"), Name: aws.String("n")},
				"ResourceNotFoundException", apptest.Region + "_nope"},
			{"same identifier, another pool", cip.CreateResourceServerInput{UserPoolId: &other, Identifier: aws.String("https://api.example.com"), Name: aws.String("theirs")},
				"", ""},
		} {
			_, err := c.CreateResourceServer(ctx, &tc.in)
			wantAPIError(t, tc.name, err, tc.code, tc.says)
		}
		for _, tc := range []struct {
			name, pool, id, code string
		}{
			{"unknown resource server", pool, "https://nope.example.com", "ResourceNotFoundException"},
			{"unknown pool", apptest.Region + "_nope", "https://api.example.com", "ResourceNotFoundException"},
			{"bad identifier", pool, `a"b`, "InvalidParameterException"},
		} {
			_, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &tc.pool, Identifier: &tc.id})
			wantAPIError(t, "describe "+tc.name, err, tc.code, "")
			_, err = c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: &tc.pool, Identifier: &tc.id, Name: aws.String("n")})
			wantAPIError(t, "update "+tc.name, err, tc.code, "")
			_, err = c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: &tc.pool, Identifier: &tc.id})
			wantAPIError(t, "delete "+tc.name, err, tc.code, "")
		}
		for _, n := range []int32{0, 51} {
			_, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &pool, MaxResults: aws.Int32(n)})
			wantAPIError(t, fmt.Sprint("MaxResults ", n), err, "InvalidParameterException", "between 1 and 50")
		}
		anon := cip.NewFromConfig(srv.Config(aws.AnonymousCredentials{}))
		if _, err := anon.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &pool}); err == nil {
			t.Error("an unsigned ListResourceServers was answered")
		}
	})

	t.Run("DescribeAndUpdate", func(t *testing.T) {
		got, err := c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &pool, Identifier: aws.String("https://api.example.com")})
		must(t, err)
		if aws.ToString(got.ResourceServer.Name) != "Example API" || scopeNames(got.ResourceServer) != "read,write" {
			t.Errorf("described %+v", got.ResourceServer)
		}
		up, err := c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: &pool, Identifier: aws.String("https://api.example.com"),
			Name: aws.String("Example API v2"), Scopes: rsScopes("admin", "read")})
		must(t, err)
		if aws.ToString(up.ResourceServer.Name) != "Example API v2" || scopeNames(up.ResourceServer) != "admin,read" {
			t.Errorf("updated %+v", up.ResourceServer)
		}
		got, err = c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &pool, Identifier: aws.String("https://api.example.com")})
		must(t, err)
		if scopeNames(got.ResourceServer) != "admin,read" {
			t.Errorf("after update, described scopes %s", scopeNames(got.ResourceServer))
		}
		// Cognito resets what an update leaves out: no Scopes, no scopes.
		up, err = c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: &pool, Identifier: aws.String("https://api.example.com"), Name: aws.String("Bare")})
		must(t, err)
		if len(up.ResourceServer.Scopes) != 0 {
			t.Errorf("update without Scopes kept %s", scopeNames(up.ResourceServer))
		}
		_, err = c.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: &pool, Identifier: aws.String("https://api.example.com"),
			Name: aws.String("n"), Scopes: rsScopes("has space")})
		wantAPIError(t, "update with a bad scope", err, "InvalidParameterException", "scopes.1.member.scopeName")
	})

	t.Run("Paging", func(t *testing.T) {
		want := []string{"https://api.example.com"}
		for i := 0; i < 11; i++ {
			id := fmt.Sprintf("svc-%02d", i)
			want = append(want, id)
			_, err := c.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &pool, Identifier: &id, Name: &id, Scopes: rsScopes("s")})
			must(t, err)
		}
		for _, size := range []int32{1, 4, 12, 50} {
			var got []string
			pages := 0
			p := cip.NewListResourceServersPaginator(c, &cip.ListResourceServersInput{UserPoolId: &pool, MaxResults: aws.Int32(size)})
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				must(t, err)
				pages++
				if len(out.ResourceServers) > int(size) {
					t.Fatalf("MaxResults %d: a page of %d", size, len(out.ResourceServers))
				}
				for _, rs := range out.ResourceServers {
					got = append(got, aws.ToString(rs.Identifier))
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("MaxResults %d: listed %v, want %v", size, got, want)
			}
			if wantPages := (len(want) + int(size) - 1) / int(size); pages != wantPages {
				t.Errorf("MaxResults %d: %d pages, want %d", size, pages, wantPages)
			}
		}
		out, err := c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &other})
		must(t, err)
		if len(out.ResourceServers) != 1 || out.NextToken != nil {
			t.Errorf("other pool lists %d servers, token %v", len(out.ResourceServers), out.NextToken)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		_, err := c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: &pool, Identifier: aws.String("svc-00")})
		must(t, err)
		_, err = c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &pool, Identifier: aws.String("svc-00")})
		wantAPIError(t, "describe after delete", err, "ResourceNotFoundException", "svc-00")
		_, err = c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: &pool, Identifier: aws.String("svc-00")})
		wantAPIError(t, "second delete", err, "ResourceNotFoundException", "svc-00")
		// The other pool's server of the same identifier is its own.
		_, err = c.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: &pool, Identifier: aws.String("https://api.example.com")})
		must(t, err)
		_, err = c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &other, Identifier: aws.String("https://api.example.com")})
		must(t, err)
	})

	t.Run("PoolDeletion", func(t *testing.T) {
		_, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: &other})
		must(t, err)
		_, err = c.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: &other, Identifier: aws.String("https://api.example.com")})
		wantAPIError(t, "describe in a deleted pool", err, "ResourceNotFoundException", other)
		_, err = c.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: &other})
		wantAPIError(t, "list in a deleted pool", err, "ResourceNotFoundException", other)
	})
}

// TestResourceServerDomains updates and deletes user pool domains through
// the SDK: what may change, another pool's domain refused, and a deleted
// domain free for reuse.
func TestResourceServerDomains(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := cip.NewFromConfig(srv.RootConfig())
	pools := map[string]string{}
	for _, name := range []string{"mine", "theirs"} {
		out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
		must(t, err)
		pools[name] = aws.ToString(out.UserPool.Id)
		_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pools[name]), Domain: aws.String(name + "-login")})
		must(t, err)
	}
	mine, theirs := pools["mine"], pools["theirs"]
	cert := &ciptypes.CustomDomainConfigType{CertificateArn: aws.String("arn:aws:acm:us-east-1:123456789012:certificate/0123")}

	for _, tc := range []struct {
		name       string
		in         cip.UpdateUserPoolDomainInput
		code, says string
	}{
		{"classic hosted UI", cip.UpdateUserPoolDomainInput{UserPoolId: &mine, Domain: aws.String("mine-login"), ManagedLoginVersion: aws.Int32(1)}, "", ""},
		{"managed login", cip.UpdateUserPoolDomainInput{UserPoolId: &mine, Domain: aws.String("mine-login"), ManagedLoginVersion: aws.Int32(2)},
			"FeatureUnavailableInTierException", "ManagedLoginVersion 1"},
		{"no such version", cip.UpdateUserPoolDomainInput{UserPoolId: &mine, Domain: aws.String("mine-login"), ManagedLoginVersion: aws.Int32(7)},
			"InvalidParameterException", "use 1"},
		{"certificate for a prefix domain", cip.UpdateUserPoolDomainInput{UserPoolId: &mine, Domain: aws.String("mine-login"), CustomDomainConfig: cert},
			"InvalidParameterException", "prefix domain"},
		{"nothing to change", cip.UpdateUserPoolDomainInput{UserPoolId: &mine, Domain: aws.String("mine-login")},
			"InvalidParameterException", "ManagedLoginVersion"},
		{"another pool's domain", cip.UpdateUserPoolDomainInput{UserPoolId: &mine, Domain: aws.String("theirs-login"), ManagedLoginVersion: aws.Int32(1)},
			"ResourceNotFoundException", "theirs-login"},
		{"unknown pool", cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(apptest.Region + "_nope"), Domain: aws.String("mine-login"), ManagedLoginVersion: aws.Int32(1)},
			"ResourceNotFoundException", apptest.Region + "_nope"},
	} {
		out, err := c.UpdateUserPoolDomain(ctx, &tc.in)
		wantAPIError(t, tc.name, err, tc.code, tc.says)
		if err == nil && (aws.ToInt32(out.ManagedLoginVersion) != 1 || out.CloudFrontDomain != nil) {
			t.Errorf("%s: answered version %d, CloudFront %v", tc.name, aws.ToInt32(out.ManagedLoginVersion), out.CloudFrontDomain)
		}
	}

	for _, tc := range []struct{ name, pool, domain, code string }{
		{"another pool's domain", mine, "theirs-login", "InvalidParameterException"},
		{"unknown domain", mine, "nowhere", "InvalidParameterException"},
		{"unknown pool", apptest.Region + "_nope", "mine-login", "ResourceNotFoundException"},
		{"own domain", mine, "mine-login", ""},
		{"own domain again", mine, "mine-login", "InvalidParameterException"},
	} {
		_, err := c.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: &tc.pool, Domain: &tc.domain})
		wantAPIError(t, "delete "+tc.name, err, tc.code, "")
	}
	d, err := c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("mine-login")})
	must(t, err)
	if d.DomainDescription != nil && d.DomainDescription.UserPoolId != nil {
		t.Errorf("deleted domain still described: %+v", d.DomainDescription)
	}
	d, err = c.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("theirs-login")})
	must(t, err)
	if aws.ToString(d.DomainDescription.UserPoolId) != theirs || d.DomainDescription.Status != ciptypes.DomainStatusTypeActive {
		t.Errorf("the other pool's domain after refused deletes: %+v", d.DomainDescription)
	}
	p, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &mine})
	must(t, err)
	if p.UserPool.Domain != nil {
		t.Errorf("pool still names its deleted domain %q", aws.ToString(p.UserPool.Domain))
	}
	// The name is free again.
	_, err = c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: &mine, Domain: aws.String("mine-login")})
	must(t, err)
}
