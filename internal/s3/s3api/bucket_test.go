package s3api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestBucketLifecycle(t *testing.T) {
	e := newEnv(t)
	w := e.must(200, "PUT", "/alpha", "")
	if got := w.Header().Get("Location"); got != "/alpha" {
		t.Errorf("Location = %q", got)
	}
	e.must(200, "PUT", "/beta", `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>`)
	e.wantError(409, "BucketAlreadyOwnedByYou", "PUT", "/alpha", "")
	e.wantError(400, "MalformedXML", "PUT", "/gamma", "<CreateBucketConfiguration>")

	var list struct {
		Owner   struct{ ID, DisplayName string }
		Buckets []struct{ Name, CreationDate string } `xml:"Buckets>Bucket"`
	}
	w = e.must(200, "GET", "/", "")
	if !strings.Contains(w.Body.String(), `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`) {
		t.Errorf("ListBuckets lacks the namespace: %s", w.Body.String())
	}
	decode(t, w, &list)
	if len(list.Buckets) != 2 || list.Buckets[0].Name != "alpha" || list.Buckets[1].Name != "beta" {
		t.Fatalf("buckets = %+v", list.Buckets)
	}
	if list.Buckets[0].CreationDate != "2025-03-01T12:00:00.000Z" || list.Owner.ID == "" {
		t.Errorf("list = %+v", list)
	}

	e.must(200, "HEAD", "/alpha", "")
	e.wantError(404, "", "HEAD", "/nope", "")

	var loc struct {
		Value string `xml:",chardata"`
	}
	decode(t, e.must(200, "GET", "/alpha?location", ""), &loc)
	if loc.Value != "" {
		t.Errorf("location = %q, want empty for us-east-1", loc.Value)
	}

	e.must(200, "PUT", "/alpha/file.txt", "x")
	e.wantError(409, "BucketNotEmpty", "DELETE", "/alpha", "")
	e.must(204, "DELETE", "/alpha/file.txt", "")
	e.must(204, "DELETE", "/alpha", "")
	e.wantError(404, "NoSuchBucket", "DELETE", "/alpha", "")
	e.wantError(404, "NoSuchBucket", "GET", "/alpha?list-type=2", "")
}

func TestInvalidBucketNames(t *testing.T) {
	e := newEnv(t)
	for _, name := range []string{
		"ab", strings.Repeat("a", 64), "Upper", "under_score", "-start", "end-", ".dot", "dot.",
		"a..b", "192.168.1.1", "a.-b", "xn--punycode",
	} {
		t.Run(name, func(t *testing.T) {
			e.wantError(400, "InvalidBucketName", "PUT", "/"+name, "")
		})
	}
	for _, name := range []string{"abc", "my.bucket-1", strings.Repeat("a", 63), "1.2.3"} {
		t.Run("ok/"+name, func(t *testing.T) {
			e.must(200, "PUT", "/"+name, "")
		})
	}
}

func TestVirtualHostStyle(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/", "", "Host", "vhb.localhost:9000")
	e.must(200, "PUT", "/dir/a.txt", "hello", "Host", "vhb.localhost:9000")
	w := e.must(200, "GET", "/vhb/dir/a.txt", "")
	if w.Body.String() != "hello" {
		t.Errorf("body = %q", w.Body.String())
	}
	// A host that is not under a base domain falls back to path style.
	e.must(200, "GET", "/vhb/dir/a.txt", "", "Host", "example.com")
}

func TestNotImplemented(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/nib", "")
	e.must(200, "PUT", "/nib/k", "v")
	tests := []struct{ method, target string }{
		{"GET", "/nib?acl"},
		{"PUT", "/nib/k?tagging"},
		{"POST", "/nib/k?restore"},
		{"GET", "/nib?versioning"},
		{"GET", "/nib/k?cors"},
	}
	for _, tt := range tests {
		t.Run(tt.method+tt.target, func(t *testing.T) {
			e.wantError(http.StatusNotImplemented, "NotImplemented", tt.method, tt.target, "")
		})
	}
	// The object must be untouched by the refused PUT ?tagging.
	if got := e.must(200, "GET", "/nib/k", "").Body.String(); got != "v" {
		t.Errorf("object = %q", got)
	}
}
