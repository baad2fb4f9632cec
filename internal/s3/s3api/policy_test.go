package s3api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/federa/federa/internal/access"
)

const publicRead = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::polb/*"}]}`

func TestBucketPolicy(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/polb", "")
	e.wantError(404, "NoSuchBucketPolicy", "GET", "/polb?policy", "")
	for name, doc := range map[string]string{
		"not json":     `{"Version":`,
		"no principal": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::polb/*"}]}`,
		"empty":        ``,
	} {
		t.Run(name, func(t *testing.T) {
			w := e.wantError(400, "MalformedPolicy", "PUT", "/polb?policy", doc)
			if errorCode(t, w) == "" {
				t.Error("no code")
			}
		})
	}
	// New buckets block public policies, the root key's too.
	e.wantError(403, "AccessDenied", "PUT", "/polb?policy", publicRead)
	e.must(204, "DELETE", "/polb?publicAccessBlock", "")
	e.must(204, "PUT", "/polb?policy", publicRead)
	w := e.must(200, "GET", "/polb?policy", "")
	if w.Body.String() != publicRead || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("policy = %q", w.Body.String())
	}
	e.must(204, "DELETE", "/polb?policy", "")
	e.wantError(404, "NoSuchBucketPolicy", "GET", "/polb?policy", "")
}

func TestAuthorization(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/authb", "")
	e.must(200, "PUT", "/authb/k", "v")
	e.must(204, "DELETE", "/authb?publicAccessBlock", "")
	e.must(204, "PUT", "/authb?policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::authb/*"}]}`)

	e.principal = rolePrincipal
	e.authz.allow = func(access.Check) bool { return false }
	denied := []struct{ method, target, body string }{
		{"GET", "/", ""},
		{"PUT", "/newbucket", ""},
		{"GET", "/authb?list-type=2", ""},
		{"GET", "/authb/k", ""},
		{"PUT", "/authb/k", "x"},
		{"DELETE", "/authb/k", ""},
		{"GET", "/authb?cors", ""},
		{"PUT", "/authb?policy", publicRead},
		{"DELETE", "/authb", ""},
		// A missing bucket is not revealed to a caller who may not list it.
		{"GET", "/nobucket?list-type=2", ""},
	}
	for _, tt := range denied {
		t.Run(tt.method+tt.target, func(t *testing.T) {
			e.wantError(http.StatusForbidden, "AccessDenied", tt.method, tt.target, tt.body)
		})
	}
	e.wantError(http.StatusForbidden, "", "HEAD", "/authb/k", "")

	// The check carries the action, ARN, bucket policy and condition keys.
	e.authz.checks = nil
	e.authz.allow = func(c access.Check) bool {
		return c.Action == "s3:ListBucket" && slices.Equal(c.Context["s3:prefix"], []string{"home/"})
	}
	e.must(200, "GET", "/authb?list-type=2&prefix=home/&max-keys=5", "", "User-Agent", "test-agent")
	c := e.authz.checks[len(e.authz.checks)-1]
	if c.Resource != "arn:aws:s3:::authb" || c.ResourcePolicy == "" || c.Principal != rolePrincipal ||
		c.Context["s3:max-keys"][0] != "5" || c.Context["aws:SourceIp"][0] != "192.0.2.1" ||
		c.Context["aws:SecureTransport"][0] != "false" || c.Context["aws:UserAgent"][0] != "test-agent" {
		t.Errorf("check = %+v", c)
	}
	if _, ok := c.Context["s3:delimiter"]; ok {
		t.Error("s3:delimiter present without a delimiter parameter")
	}
	e.wantError(http.StatusForbidden, "AccessDenied", "GET", "/authb?list-type=2", "")

	// DeleteObjects authorizes every key on its own.
	e.authz.allow = func(c access.Check) bool {
		return c.Action == "s3:DeleteObject" && c.Resource == "arn:aws:s3:::authb/k"
	}
	var res struct {
		Deleted []struct{ Key string }
		Error   []struct{ Key, Code string }
	}
	decode(t, e.must(200, "POST", "/authb?delete", `<Delete><Object><Key>k</Key></Object><Object><Key>other</Key></Object></Delete>`), &res)
	if len(res.Deleted) != 1 || res.Deleted[0].Key != "k" || len(res.Error) != 1 || res.Error[0].Code != "AccessDenied" {
		t.Errorf("result = %+v", res)
	}

	// A missing key is NoSuchKey only for a caller who may also list the
	// bucket; a caller who may only read gets AccessDenied, as on S3.
	e.authz.allow = func(c access.Check) bool { return c.Action == "s3:GetObject" }
	e.wantError(http.StatusForbidden, "AccessDenied", "GET", "/authb/nokey", "")
	e.wantError(http.StatusForbidden, "", "HEAD", "/authb/nokey", "")
	e.authz.allow = func(c access.Check) bool { return c.Action == "s3:GetObject" || c.Action == "s3:ListBucket" }
	e.wantError(http.StatusNotFound, "NoSuchKey", "GET", "/authb/nokey", "")
	e.wantError(http.StatusNotFound, "", "HEAD", "/authb/nokey", "")

	// A missing bucket is revealed only to a caller who could delete there.
	e.wantError(http.StatusForbidden, "AccessDenied", "POST", "/nosuchbucket?delete", `<Delete><Object><Key>x</Key></Object></Delete>`)
	e.authz.allow = func(c access.Check) bool { return c.Action == "s3:DeleteObject" }
	e.wantError(http.StatusNotFound, "NoSuchBucket", "POST", "/nosuchbucket?delete", `<Delete><Object><Key>x</Key></Object></Delete>`)

	// An anonymous caller goes to the authorizer, which may allow it through
	// the bucket policy.
	e.principal = nil
	e.authz.allow = func(c access.Check) bool {
		return c.Principal.Kind == access.Anonymous && c.Action == "s3:PutObject" && c.ResourcePolicy != ""
	}
	e.must(200, "PUT", "/authb/anon", "hi")
}
