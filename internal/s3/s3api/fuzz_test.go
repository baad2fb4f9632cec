package s3api

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/awserr"
)

func FuzzRoute(f *testing.F) {
	for _, s := range [][2]string{
		{"localhost", "/b/k"}, {"b.localhost:9000", "/k/x"}, {"[::1]:80", "/"}, {"", ""},
		{".localhost", "//"}, {"B.LOCALHOST.", "/a//b"}, {"x.s3.example.com", "/b"},
	} {
		f.Add(s[0], s[1])
	}
	bases := []string{"localhost", "s3.example.com"}
	f.Fuzz(func(t *testing.T, host, path string) {
		bucket, key := route(host, path, bases)
		// Path style must lose nothing of the path but the separators.
		if hostBucket(host, bases) == "" {
			p := strings.TrimPrefix(path, "/")
			if p != bucket && p != bucket+"/"+key {
				t.Errorf("route(%q, %q) = %q, %q", host, path, bucket, key)
			}
		}
		if strings.Contains(bucket, "/") {
			t.Errorf("route(%q, %q) bucket %q contains '/'", host, path, bucket)
		}
	})
}

func FuzzParseCORS(f *testing.F) {
	f.Add([]byte(`<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>5</MaxAgeSeconds></CORSRule></CORSConfiguration>`))
	f.Add([]byte(`<CORSConfiguration><CORSRule>`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseCORS(data)
		if err != nil {
			return
		}
		if c.Validate() == nil {
			// A valid configuration must be evaluable.
			c.Match("http://a.example", "GET", []string{"x-amz-date"})
			for _, r := range c.Rules {
				r.AllowOrigin("http://a.example")
			}
		}
	})
}

// FuzzParsePostPolicy feeds arbitrary documents to the POST policy parser:
// it must never panic, refuse only with InvalidPolicyDocument, and yield
// conditions the checks can evaluate.
func FuzzParsePostPolicy(f *testing.F) {
	for _, s := range []string{
		policyDoc(`{"bucket": "b"}, ["starts-with", "$key", "user/"], ["content-length-range", 1, 10]`),
		policyDoc(`["eq", "$Content-Type", "image/png"], ["content-length-range", "5", "x"]`),
		`{"expiration": "2030-01-01T00:00:00Z", "conditions": [{}]}`,
		`{"Version": "2012-10-17"}`, `[]`, `{"expiration": 1}`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := parsePostPolicy(base64.StdEncoding.EncodeToString(doc))
		if err != nil {
			if e, ok := awserr.As(err); !ok || e.Code != "InvalidPolicyDocument" {
				t.Fatalf("parse error %v", err)
			}
			return
		}
		for _, c := range p.Conditions {
			if c.Field != strings.ToLower(c.Field) || c.text == "" {
				t.Fatalf("condition %+v", c)
			}
		}
		form := &postForm{fields: []formField{{"key", "k"}, {"Content-Type", "a,b"}, {"bucket", "b"}}}
		if err := p.check(form, "b", time.Unix(0, 0)); err != nil {
			if e, ok := awserr.As(err); !ok || e.Code != "AccessDenied" {
				t.Fatalf("check error %v", err)
			}
		}
		p.sizeRange()
	})
}

// FuzzPostForm feeds arbitrary multipart bodies to the form reader and the
// file stream: whatever the bytes, every refusal is an S3 client error (never
// a 500), and the fields kept before the file stay within S3's 20 KB.
func FuzzPostForm(f *testing.F) {
	seed := func(parts ...string) []byte {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.SetBoundary("xyz")
		for i := 0; i+1 < len(parts); i += 2 {
			if parts[i] == "file" {
				w, _ := mw.CreateFormFile("file", "a/b\\c.txt")
				_, _ = w.Write([]byte(parts[i+1]))
				continue
			}
			_ = mw.WriteField(parts[i], parts[i+1])
		}
		_ = mw.Close()
		return buf.Bytes()
	}
	f.Add(seed("key", "u/${filename}", "x-amz-checksum-crc32", "AAAAAA==", "file", "data", "file", "again"))
	f.Add(seed("key", "k", "file", "data", "submit", "go"))
	f.Add(seed("key", "k"))
	f.Add([]byte("--xyz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk"))
	f.Add([]byte("--xyz--\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/b", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
		clientError := func(err error) {
			t.Helper()
			if e, ok := awserr.As(err); !ok || e.Status >= 500 {
				t.Fatalf("error %v is not an S3 client error", err)
			}
		}
		form, err := readPostForm(r)
		if err != nil {
			clientError(err)
			return
		}
		n := 0
		for _, fl := range form.fields {
			n += len(fl.Name) + len(fl.Value)
		}
		if n > maxPostPreData {
			t.Fatalf("kept %d bytes of fields", n)
		}
		form.expandFilename()
		if form.file == nil {
			return
		}
		file := &postFile{part: form.file, mr: form.mr, gate: form.gate, lo: 1, hi: 64}
		if _, err = postChecksumOf(form); err != nil {
			clientError(err)
			return
		}
		if _, err := io.Copy(io.Discard, file); err != nil {
			clientError(err)
		}
		if file.n > 65 {
			t.Fatalf("read %d bytes past a 64-byte limit", file.n)
		}
	})
}
