package s3api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/federa/federa/internal/access"
)

type tagSet struct {
	Tags []struct{ Key, Value string } `xml:"TagSet>Tag"`
}

func (s tagSet) String() string {
	var b strings.Builder
	for _, t := range s.Tags {
		b.WriteString(t.Key + "=" + t.Value + ";")
	}
	return b.String()
}

func taggingDoc(pairs ...string) string {
	var b strings.Builder
	b.WriteString(`<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>`)
	for i := 0; i+1 < len(pairs); i += 2 {
		b.WriteString("<Tag><Key>" + pairs[i] + "</Key><Value>" + pairs[i+1] + "</Value></Tag>")
	}
	b.WriteString("</TagSet></Tagging>")
	return b.String()
}

func TestObjectTagging(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/tgo", "")
	// x-amz-tagging: URL-query encoded, '+' a space, a key without '=' empty.
	e.must(200, "PUT", "/tgo/k", "v", "x-amz-tagging", "b=2&a=x%2Fy+z&c")
	var got tagSet
	w := e.must(200, "GET", "/tgo/k?tagging", "")
	decode(t, w, &got)
	if got.String() != "a=x/y z;b=2;c=;" || !strings.Contains(w.Body.String(), `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`) {
		t.Errorf("tags = %s (%s)", got, w.Body.String())
	}
	for _, m := range []string{"GET", "HEAD"} {
		if n := e.must(200, m, "/tgo/k", "").Header().Get("x-amz-tagging-count"); n != "3" {
			t.Errorf("%s x-amz-tagging-count = %q", m, n)
		}
	}

	doc := taggingDoc("env", "prod", "team", "ops")
	e.must(200, "PUT", "/tgo/k?tagging", doc, "Content-MD5", contentMD5(doc))
	got = tagSet{}
	decode(t, e.must(200, "GET", "/tgo/k?tagging", ""), &got)
	if got.String() != "env=prod;team=ops;" {
		t.Errorf("after put = %s", got)
	}
	if b := e.must(200, "GET", "/tgo/k", "").Body.String(); b != "v" {
		t.Errorf("tagging changed the bytes: %q", b)
	}
	e.must(204, "DELETE", "/tgo/k?tagging", "")
	w = e.must(200, "GET", "/tgo/k?tagging", "")
	got = tagSet{}
	decode(t, w, &got)
	if len(got.Tags) != 0 || !strings.Contains(w.Body.String(), "<TagSet></TagSet>") {
		t.Errorf("after delete: %s", w.Body.String())
	}
	if n := e.must(200, "HEAD", "/tgo/k", "").Header().Get("x-amz-tagging-count"); n != "" {
		t.Errorf("untagged object has x-amz-tagging-count %q", n)
	}
	e.wantError(404, "NoSuchKey", "GET", "/tgo/missing?tagging", "")
	e.wantError(404, "NoSuchKey", "PUT", "/tgo/missing?tagging", doc, "Content-MD5", contentMD5(doc))
	e.wantError(404, "NoSuchBucket", "DELETE", "/nobucket/k?tagging", "")
	e.wantError(http.StatusMethodNotAllowed, "MethodNotAllowed", "POST", "/tgo/k?tagging", "")
}

func TestTaggingErrors(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/tge", "")
	e.must(200, "PUT", "/tge/k", "v")
	many := make([]string, 0, 22)
	for i := range 11 {
		many = append(many, "k"+string(rune('a'+i)), "v")
	}
	docs := []struct {
		name, doc, code string
	}{
		{"eleven tags", taggingDoc(many...), "BadRequest"},
		{"duplicate key", taggingDoc("a", "1", "a", "2"), "InvalidTag"},
		{"empty key", taggingDoc("", "1"), "InvalidTag"},
		{"aws prefix", taggingDoc("AWS:x", "1"), "InvalidTag"},
		{"key too long", taggingDoc(strings.Repeat("k", 129), "1"), "InvalidTag"},
		{"value too long", taggingDoc("k", strings.Repeat("v", 257)), "InvalidTag"},
		{"bad character", taggingDoc("k", "a&amp;b"), "InvalidTag"},
		{"no TagSet", `<Tagging></Tagging>`, "MalformedXML"},
		{"tag without value", `<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>`, "MalformedXML"},
		{"other root", `<Tags><TagSet/></Tags>`, "MalformedXML"},
		{"truncated", `<Tagging><TagSet>`, "MalformedXML"},
	}
	for _, tt := range docs {
		t.Run(tt.name, func(t *testing.T) {
			e.wantError(400, tt.code, "PUT", "/tge/k?tagging", tt.doc, "Content-MD5", contentMD5(tt.doc))
		})
	}
	// Limits count UTF-16 code units: 64 characters outside the BMP are 128.
	e.must(200, "PUT", "/tge/k?tagging", taggingDoc(strings.Repeat("𝔸", 64), strings.Repeat("é", 256)), "Content-MD5",
		contentMD5(taggingDoc(strings.Repeat("𝔸", 64), strings.Repeat("é", 256))))
	long := taggingDoc(strings.Repeat("𝔸", 65), "v")
	e.wantError(400, "InvalidTag", "PUT", "/tge/k?tagging", long, "Content-MD5", contentMD5(long))

	headers := []struct {
		name, value, code string
	}{
		{"duplicate key", "a=1&a=2", "InvalidArgument"},
		{"bad escape", "a=%zz", "InvalidArgument"},
		{"two equals", "TagSet=[{Key=a,Value=b}]", "InvalidArgument"},
		{"eleven tags", "a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1&j=1&k=1", "BadRequest"},
		{"invalid key character", "a%2Cb=1", "InvalidTag"},
		{"aws prefix", "aws%3Acreated=1", "InvalidTag"},
	}
	for _, tt := range headers {
		t.Run("header "+tt.name, func(t *testing.T) {
			e.wantError(400, tt.code, "PUT", "/tge/h", "v", "x-amz-tagging", tt.value)
		})
	}
	e.wantError(404, "NoSuchKey", "GET", "/tge/h", "")
}

func TestTaggingAuthorization(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/tga", "")
	e.must(200, "PUT", "/tga/k", "v", "x-amz-tagging", "env=prod")
	e.principal = rolePrincipal
	e.authz.allow = func(access.Check) bool { return true }
	e.authz.checks = nil
	e.must(200, "GET", "/tga/k", "")
	e.must(200, "GET", "/tga/k?tagging", "")
	doc := taggingDoc("env", "dev")
	e.must(200, "PUT", "/tga/k?tagging", doc, "Content-MD5", contentMD5(doc))
	e.must(204, "DELETE", "/tga/k?tagging", "")
	e.must(200, "PUT", "/tga/n", "v", "x-amz-tagging", "team=ops&env=dev")
	e.must(204, "DELETE", "/tga/n", "")
	var got []string
	for _, c := range e.authz.checks {
		s := c.Action
		for _, k := range []string{"s3:ExistingObjectTag/env", "s3:RequestObjectTag/env", "s3:RequestObjectTagKeys"} {
			if v, ok := c.Context[k]; ok {
				vs := slices.Clone(v)
				slices.Sort(vs)
				s += " " + k + "=" + strings.Join(vs, ",")
			}
		}
		got = append(got, s)
	}
	want := []string{
		"s3:GetObject s3:ExistingObjectTag/env=prod",
		"s3:GetObjectTagging s3:ExistingObjectTag/env=prod",
		"s3:PutObjectTagging s3:ExistingObjectTag/env=prod s3:RequestObjectTag/env=dev s3:RequestObjectTagKeys=env",
		"s3:DeleteObjectTagging s3:ExistingObjectTag/env=dev",
		"s3:PutObject s3:RequestObjectTag/env=dev s3:RequestObjectTagKeys=env,team",
		"s3:PutObjectTagging s3:RequestObjectTag/env=dev s3:RequestObjectTagKeys=env,team",
		// DeleteObject never sees existing tags (S3 does not set them there).
		"s3:DeleteObject",
	}
	if !slices.Equal(got, want) {
		t.Errorf("checks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A caller allowed PutObject but not PutObjectTagging cannot tag on upload.
	e.authz.allow = func(c access.Check) bool { return c.Action == "s3:PutObject" }
	e.wantError(403, "AccessDenied", "PUT", "/tga/t", "v", "x-amz-tagging", "a=b")
	e.must(200, "PUT", "/tga/t", "v")
}
