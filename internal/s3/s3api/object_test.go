package s3api_test

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"
)

func etagOf(s string) string {
	sum := md5.Sum([]byte(s))
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func TestObjectRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/objs", "")
	const body = "hello, world"
	w := e.must(200, "PUT", "/objs/dir/hello.txt", body,
		"Content-Type", "text/plain",
		"X-Amz-Meta-Color", "blue",
		"x-amz-meta-Owner-Name", "Ada",
		"Cache-Control", "max-age=60",
		"Content-Disposition", `attachment; filename="h.txt"`,
		"Content-MD5", base64.StdEncoding.EncodeToString(func() []byte { s := md5.Sum([]byte(body)); return s[:] }()))
	if got := w.Header().Get("ETag"); got != etagOf(body) {
		t.Fatalf("ETag = %q, want %q", got, etagOf(body))
	}

	for _, method := range []string{"GET", "HEAD"} {
		t.Run(method, func(t *testing.T) {
			w := e.must(200, method, "/objs/dir/hello.txt", "")
			h := w.Header()
			want := map[string]string{
				"ETag":                etagOf(body),
				"Content-Type":        "text/plain",
				"Content-Length":      "12",
				"Accept-Ranges":       "bytes",
				"Last-Modified":       "Sat, 01 Mar 2025 12:00:00 GMT",
				"Cache-Control":       "max-age=60",
				"Content-Disposition": `attachment; filename="h.txt"`,
			}
			for k, v := range want {
				if got := h.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if got := raw(h, "x-amz-meta-color"); len(got) != 1 || got[0] != "blue" {
				t.Errorf("x-amz-meta-color = %v", got)
			}
			if got := raw(h, "x-amz-meta-owner-name"); len(got) != 1 || got[0] != "Ada" {
				t.Errorf("x-amz-meta-owner-name = %v", got)
			}
			wantBody := body
			if method == "HEAD" {
				wantBody = ""
			}
			if w.Body.String() != wantBody {
				t.Errorf("body = %q", w.Body.String())
			}
		})
	}

	// Overwrite replaces bytes and metadata; default content type applies.
	e.must(200, "PUT", "/objs/dir/hello.txt", "v2")
	w = e.must(200, "GET", "/objs/dir/hello.txt", "")
	if w.Body.String() != "v2" || w.Header().Get("Content-Type") != "binary/octet-stream" || raw(w.Header(), "x-amz-meta-color") != nil {
		t.Errorf("after overwrite: %q %v", w.Body.String(), w.Header())
	}

	e.must(204, "DELETE", "/objs/dir/hello.txt", "")
	e.must(204, "DELETE", "/objs/dir/hello.txt", "") // deleting again is fine
	e.wantError(404, "NoSuchKey", "HEAD", "/objs/dir/hello.txt", "")
	e.wantError(404, "NoSuchKey", "GET", "/objs/dir/hello.txt", "")
	e.wantError(404, "NoSuchBucket", "DELETE", "/nobucket/k", "")
	e.wantError(404, "NoSuchBucket", "PUT", "/nobucket/k", "x")
}

func TestPutObjectErrors(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/errs", "")
	wrong := md5.Sum([]byte("other"))
	tests := []struct {
		name, target, body string
		hdr                []string
		status             int
		code               string
	}{
		{"key too long", "/errs/" + strings.Repeat("k", 1025), "x", nil, 400, "KeyTooLongError"},
		{"bad digest", "/errs/a", "data", []string{"Content-MD5", base64.StdEncoding.EncodeToString(wrong[:])}, 400, "BadDigest"},
		{"invalid digest", "/errs/a", "data", []string{"Content-MD5", "not-base64!"}, 400, "InvalidDigest"},
		{"metadata too large", "/errs/a", "data", []string{"X-Amz-Meta-Big", strings.Repeat("m", 2100)}, 400, "MetadataTooLarge"},
		{"unknown directive", "/errs/b", "", []string{"X-Amz-Copy-Source", "/errs/a", "X-Amz-Metadata-Directive", "MOVE"}, 400, "InvalidArgument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.wantError(tt.status, tt.code, "PUT", tt.target, tt.body, tt.hdr...)
		})
	}
	// A refused upload leaves nothing behind.
	e.wantError(404, "NoSuchKey", "HEAD", "/errs/a", "")
	e.must(200, "PUT", "/errs/"+strings.Repeat("k", 1024), "x")
}

func TestRange(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/ranges", "")
	e.must(200, "PUT", "/ranges/k", "0123456789")
	tests := []struct {
		rng, body, contentRange string
		status                  int
	}{
		{"bytes=0-3", "0123", "bytes 0-3/10", 206},
		{"bytes=5-", "56789", "bytes 5-9/10", 206},
		{"bytes=-3", "789", "bytes 7-9/10", 206},
		{"bytes=8-100", "89", "bytes 8-9/10", 206},
		{"bytes=-50", "0123456789", "bytes 0-9/10", 206},
		{"bytes=0-1,3-4", "0123456789", "", 200}, // multi-range: whole object
		{"items=0-1", "0123456789", "", 200},
		{"bytes=10-", "", "", 416},
		{"bytes=-0", "", "", 416},
	}
	for _, tt := range tests {
		t.Run(tt.rng, func(t *testing.T) {
			w := e.must(tt.status, "GET", "/ranges/k", "", "Range", tt.rng)
			if tt.status == 416 {
				if errorCode(t, w) != "InvalidRange" {
					t.Errorf("code = %s", errorCode(t, w))
				}
				return
			}
			if w.Body.String() != tt.body || w.Header().Get("Content-Range") != tt.contentRange {
				t.Errorf("body %q range %q", w.Body.String(), w.Header().Get("Content-Range"))
			}
		})
	}
}

func TestConditionalGet(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/conds", "")
	e.must(200, "PUT", "/conds/k", "data")
	etag := etagOf("data")
	lm := e.now.Format(http.TimeFormat)
	before := e.now.Add(-time.Hour).Format(http.TimeFormat)
	after := e.now.Add(time.Hour).Format(http.TimeFormat)
	tests := []struct {
		name   string
		hdr    []string
		status int
	}{
		{"if-none-match hit", []string{"If-None-Match", etag}, 304},
		{"if-none-match star", []string{"If-None-Match", "*"}, 304},
		{"if-none-match miss", []string{"If-None-Match", `"abc"`}, 200},
		{"if-match hit", []string{"If-Match", etag}, 200},
		{"if-match miss", []string{"If-Match", `"abc"`}, 412},
		{"if-modified-since same", []string{"If-Modified-Since", lm}, 304},
		{"if-modified-since before", []string{"If-Modified-Since", before}, 200},
		{"if-unmodified-since before", []string{"If-Unmodified-Since", before}, 412},
		{"if-unmodified-since after", []string{"If-Unmodified-Since", after}, 200},
		{"if-match overrides unmodified", []string{"If-Match", etag, "If-Unmodified-Since", before}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.must(tt.status, "GET", "/conds/k", "", tt.hdr...)
			switch tt.status {
			case 304:
				if w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
					t.Errorf("304: body %q etag %q", w.Body.String(), w.Header().Get("ETag"))
				}
			case 412:
				if errorCode(t, w) != "PreconditionFailed" {
					t.Errorf("code = %s", errorCode(t, w))
				}
			}
		})
	}
}

func TestCopyObject(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/copies", "")
	e.must(200, "PUT", "/copies/src%20key.txt", "payload", "Content-Type", "text/plain", "X-Amz-Meta-A", "1")
	w := e.must(200, "PUT", "/copies/dst", "", "X-Amz-Copy-Source", "/copies/src%20key.txt")
	var res struct{ ETag, LastModified string }
	decode(t, w, &res)
	if res.ETag != etagOf("payload") {
		t.Errorf("copy ETag = %q", res.ETag)
	}
	g := e.must(200, "GET", "/copies/dst", "")
	if g.Body.String() != "payload" || g.Header().Get("Content-Type") != "text/plain" || raw(g.Header(), "x-amz-meta-a")[0] != "1" {
		t.Errorf("copy = %q %v", g.Body.String(), g.Header())
	}
	e.must(200, "PUT", "/copies/dst2", "", "X-Amz-Copy-Source", "copies/dst", "X-Amz-Metadata-Directive", "REPLACE", "Content-Type", "image/png")
	g = e.must(200, "HEAD", "/copies/dst2", "")
	if g.Header().Get("Content-Type") != "image/png" || raw(g.Header(), "x-amz-meta-a") != nil {
		t.Errorf("replace = %v", g.Header())
	}
	e.wantError(400, "InvalidRequest", "PUT", "/copies/dst", "", "X-Amz-Copy-Source", "/copies/dst")
	e.wantError(404, "NoSuchKey", "PUT", "/copies/x", "", "X-Amz-Copy-Source", "/copies/missing")
}

func TestDeleteObjects(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/multi", "")
	for _, k := range []string{"a", "b", "c"} {
		e.must(200, "PUT", "/multi/"+k, k)
	}
	body := `<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object><Object><Key>zz</Key></Object></Delete>`
	var res struct {
		Deleted []struct{ Key string }
		Error   []struct{ Key, Code string }
	}
	decode(t, e.must(200, "POST", "/multi?delete", body), &res)
	if len(res.Deleted) != 3 || len(res.Error) != 0 {
		t.Fatalf("result = %+v", res)
	}
	e.wantError(404, "NoSuchKey", "HEAD", "/multi/a", "")
	e.must(200, "HEAD", "/multi/c", "")

	quiet := `<Delete><Quiet>true</Quiet><Object><Key>c</Key></Object></Delete>`
	w := e.must(200, "POST", "/multi?delete", quiet)
	if strings.Contains(w.Body.String(), "<Deleted>") {
		t.Errorf("quiet result lists deletions: %s", w.Body.String())
	}
	e.wantError(400, "MalformedXML", "POST", "/multi?delete", "<Delete><Object>")
	e.wantError(400, "MalformedXML", "POST", "/multi?delete", "<Delete></Delete>")
	e.wantError(404, "NoSuchBucket", "POST", "/nomulti?delete", body)
}
