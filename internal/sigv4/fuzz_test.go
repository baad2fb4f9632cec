package sigv4

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", "")
	f.Add("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=00")
	f.Add("AWS4-HMAC-SHA256 ,,==", "X-Amz-Credential=////")
	f.Fuzz(func(t *testing.T, header, query string) {
		r := &http.Request{Method: "GET", URL: &url.URL{Path: "/b/k", RawQuery: query}, Header: http.Header{}, Host: "h"}
		if header != "" {
			r.Header.Set("Authorization", header)
			r.Header.Set("X-Amz-Date", "20150830T123600Z")
		}
		a, err := Parse(r)
		if err != nil || a == nil {
			return
		}
		_ = a.Verify(r, "secret", "UNSIGNED-PAYLOAD", Options{S3: true, Now: time.Now()})
	})
}

func FuzzChunkedBody(f *testing.F) {
	f.Add("5;chunk-signature=00\r\nhello\r\n0;chunk-signature=00\r\n\r\n", true)
	f.Add("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n", false)
	f.Add("ffffffffffff\r\n", false)
	f.Fuzz(func(t *testing.T, body string, signed bool) {
		a := &Auth{Date: "20130524", Region: "us-east-1", Service: "s3", PayloadHash: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", Signature: "00"}
		if signed {
			a.PayloadHash = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
		}
		rc, err := a.ChunkedBody(io.NopCloser(strings.NewReader(body)), "secret", Options{}, http.Header{})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(rc)
		if len(out) > len(body) {
			t.Fatalf("decoded %d bytes from a %d-byte body", len(out), len(body))
		}
	})
}

func BenchmarkVerifyHeader(b *testing.B) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r, _ := http.NewRequest("GET", "http://127.0.0.1:4566/bucket/us-east-1:abc/photo.jpg", nil)
	c := Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: strings.Repeat("t", 400)}
	if err := Sign(r, c, "us-east-1", "s3", now, emptySHA256, true); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		a, err := Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Verify(r, "secret", a.PayloadHash, Options{S3: true, Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}
