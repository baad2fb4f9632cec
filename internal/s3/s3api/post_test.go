package s3api_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/s3/s3api"
	"github.com/federa/federa/internal/sigv4"
)

// fakeCreds resolves access keys from a table.
type fakeCreds map[string]struct {
	p      *access.Principal
	secret string
}

func (f fakeCreds) Lookup(_ context.Context, id, _ string) (*access.Principal, string, error) {
	c, ok := f[id]
	if !ok {
		return nil, "", sigv4.Fail(sigv4.ErrUnknownAccessKey, "The AWS Access Key Id you provided does not exist in our records.")
	}
	return c.p, c.secret, nil
}

// postEnv is a handler that resolves form credentials and runs on a fixed
// clock.
type postEnv struct {
	h     *s3api.Handler
	svc   *s3.Service
	authz *fakeAuthz
	now   time.Time
}

func newPostEnv(t *testing.T, now time.Time, creds fakeCreds, buckets ...string) *postEnv {
	t.Helper()
	ctx := context.Background()
	st, bl := newBackends(t)
	e := &postEnv{authz: &fakeAuthz{}, now: now}
	clock := func() time.Time { return e.now }
	e.svc = s3.New(st, bl, e.authz, s3.Options{Region: "us-east-1", AccountID: "123456789012", Now: clock})
	e.h = s3api.New(e.svc, s3api.Options{BaseDomains: []string{"s3.amazonaws.com"}, Credentials: creds, Now: clock})
	for _, b := range buckets {
		rctx := access.WithPrincipal(ctx, rootPrincipal)
		if err := e.svc.CreateBucket(rctx, s3.Request{Bucket: b}, ""); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// post sends fields then a file part named "file".
func (e *postEnv) post(t *testing.T, host string, fields [][2]string, filename, content string) *httptest.ResponseRecorder {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(content))
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/", &buf)
	r.Host = host
	r.Header.Set("Content-Type", mw.FormDataContentType())
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// The form of AWS's example "Browser-Based Upload using HTTP POST (Using AWS
// Signature Version 4)", with its credentials, policy and signature.
var (
	awsExampleCreds = fakeCreds{"AKIAIOSFODNN7EXAMPLE": {p: rolePrincipal, secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}
	awsExampleForm  = [][2]string{
		{"key", "user/user1/${filename}"},
		{"acl", "public-read"},
		{"success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
		{"Content-Type", "image/jpeg"},
		{"x-amz-meta-uuid", "14365123651274"},
		{"x-amz-server-side-encryption", "AES256"},
		{"X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"},
		{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
		{"X-Amz-Date", "20151229T000000Z"},
		{"x-amz-meta-tag", ""},
		{"Policy", "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9"},
		{"X-Amz-Signature", "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"},
	}
)

func withField(form [][2]string, name, value string) [][2]string {
	out := append([][2]string{}, form...)
	for i := range out {
		if out[i][0] == name {
			out[i][1] = value
		}
	}
	return out
}

// TestPostAWSExample replays AWS's published example. Its signature and
// every condition hold, so what stops it is the last check: the example asks
// for public-read, which buckets with ACLs disabled refuse.
func TestPostAWSExample(t *testing.T) {
	day := time.Date(2015, 12, 29, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		now       time.Time
		form      [][2]string
		status    int
		code, msg string
	}{
		{"as published", day, awsExampleForm, 400, "AccessControlListNotSupported", "The bucket does not allow ACLs"},
		{"one signature digit changed", day, withField(awsExampleForm, "X-Amz-Signature", "9afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"),
			403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."},
		{"after the expiration", time.Date(2015, 12, 30, 12, 0, 1, 0, time.UTC), awsExampleForm, 403, "AccessDenied", "Invalid according to Policy: Policy expired."},
		{"a field changed", day, withField(awsExampleForm, "x-amz-meta-uuid", "1"), 403, "AccessDenied",
			`Invalid according to Policy: Policy Condition failed: ["eq", "$x-amz-meta-uuid", "14365123651274"]`},
		{"an unknown key", day, withField(awsExampleForm, "X-Amz-Credential", "AKIAIOSFODNN7EXAMPLF/20151229/us-east-1/s3/aws4_request"),
			403, "InvalidAccessKeyId", ""},
		{"another algorithm", day, withField(awsExampleForm, "X-Amz-Algorithm", "AWS4-HMAC-SHA512"), 400, "InvalidArgument", `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"`},
		{"a malformed date", day, withField(awsExampleForm, "X-Amz-Date", "2015-12-29"), 400, "InvalidArgument", "X-Amz-Date must be formated via ISO8601 Long format"},
		{"a malformed credential", day, withField(awsExampleForm, "X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3"), 400, "InvalidArgument",
			`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`},
		{"another service", day, withField(awsExampleForm, "X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/sts/aws4_request"), 400, "InvalidArgument",
			`incorrect service "sts". This endpoint belongs to "s3".`},
		{"SigV2 fields", day, append(awsExampleForm[:1:1], [2]string{"AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"}), 400, "InvalidRequest",
			"The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newPostEnv(t, tt.now, awsExampleCreds, "sigv4examplebucket")
			e.authz.allow = func(access.Check) bool { return true }
			w := e.post(t, "sigv4examplebucket.s3.amazonaws.com", tt.form, "photo.jpg", "jpeg")
			var d errorDoc
			decode(t, w, &d)
			if w.Code != tt.status || d.Code != tt.code || (tt.msg != "" && d.Message != tt.msg) {
				t.Errorf("%d %s %q\nwant %d %s %q", w.Code, d.Code, d.Message, tt.status, tt.code, tt.msg)
			}
		})
	}
}

// TestPostAuthorization: a signed form is authorized as PutObject of its
// signer, with s3:authType POST; tags need s3:PutObjectTagging too, and are
// stored.
func TestPostAuthorization(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	creds := fakeCreds{"ASIAEXAMPLE": {p: rolePrincipal, secret: "secret"}}
	policy := `{"expiration": "2025-03-01T13:00:00Z", "conditions": [{"bucket": "bkt"}, ["starts-with", "$key", ""], ["starts-with", "$tagging", ""],
		{"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-credential": "ASIAEXAMPLE/20250301/us-east-1/s3/aws4_request"}, {"x-amz-date": "20250301T120000Z"}]}`
	p64 := base64.StdEncoding.EncodeToString([]byte(policy))
	form := [][2]string{
		{"key", "k"}, {"tagging", "<Tagging><TagSet><Tag><Key>project</Key><Value>blue</Value></Tag></TagSet></Tagging>"},
		{"x-amz-algorithm", "AWS4-HMAC-SHA256"}, {"x-amz-credential", "ASIAEXAMPLE/20250301/us-east-1/s3/aws4_request"},
		{"x-amz-date", "20250301T120000Z"}, {"policy", p64}, {"x-amz-signature", postSignature("secret", "20250301", p64)},
	}
	tests := []struct {
		name    string
		allowed map[string]bool
		status  int
	}{
		{"PutObject and PutObjectTagging allowed", map[string]bool{"s3:PutObject": true, "s3:PutObjectTagging": true}, 204},
		{"PutObject alone", map[string]bool{"s3:PutObject": true}, 403},
		{"nothing", nil, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newPostEnv(t, now, creds, "bkt")
			e.authz.allow = func(c access.Check) bool { return tt.allowed[c.Action] }
			w := e.post(t, "bkt.s3.amazonaws.com", form, "f", "data")
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			for _, c := range e.authz.checks {
				if c.Principal != rolePrincipal || c.Context["s3:authType"][0] != "POST" || c.Resource != "arn:aws:s3:::bkt/k" {
					t.Errorf("check %+v", c)
				}
			}
			o, err := e.svc.HeadObject(access.WithPrincipal(context.Background(), rootPrincipal), s3.Request{Bucket: "bkt", Key: "k"})
			if tt.status != 204 {
				if err == nil {
					t.Error("a refused upload was stored")
				}
				return
			}
			if err != nil || o.Tags["project"] != "blue" || len(o.Tags) != 1 {
				t.Errorf("stored %+v, %v", o, err)
			}
		})
	}
}

// postSignature signs a base64 policy as the AWS documentation describes.
func postSignature(secret, date, policy string) string {
	return sigv4Hex(sigv4.SigningKey(secret, date, "us-east-1", "s3"), policy)
}

func sigv4Hex(key []byte, data string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return hex.EncodeToString(m.Sum(nil))
}

// TestPostUnsignedFormIsAnonymous: an unsigned form is anonymous even on a
// request the edge authenticated (a presigned URL's signer, here root), so a
// URL signed for something else cannot carry an upload.
func TestPostUnsignedFormIsAnonymous(t *testing.T) {
	e := newPostEnv(t, time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), nil, "bkt")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("key", "k")
	fw, _ := mw.CreateFormFile("file", "f")
	fw.Write([]byte("data"))
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/bkt", &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r = r.WithContext(access.WithPrincipal(r.Context(), rootPrincipal))
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	if w.Code != 403 || len(e.authz.checks) != 1 || e.authz.checks[0].Principal.Kind != access.Anonymous {
		t.Fatalf("status %d, checks %+v", w.Code, e.authz.checks)
	}
}

// TestAuthTypeCondition: s3:authType tells bucket policies how a request was
// signed.
func TestAuthTypeCondition(t *testing.T) {
	tests := []struct {
		name, target string
		hdr          []string
		want         string
	}{
		{"header", "/atb/k", []string{"Authorization", "AWS4-HMAC-SHA256 Credential=x"}, "REST-HEADER"},
		{"presigned URL", "/atb/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00", nil, "REST-QUERY-STRING"},
		{"unsigned", "/atb/k", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.must(200, "PUT", "/atb", "")
			e.principal = rolePrincipal
			e.authz.allow = func(access.Check) bool { return true }
			e.authz.checks = nil
			e.must(404, "GET", tt.target, "", tt.hdr...)
			// GetObject, then s3:ListBucket, which a NoSuchKey answer needs.
			if len(e.authz.checks) != 2 || e.authz.checks[1].Action != "s3:ListBucket" {
				t.Fatalf("checks %+v", e.authz.checks)
			}
			got := e.authz.checks[0].Context["s3:authType"]
			if (tt.want == "" && got != nil) || (tt.want != "" && (len(got) != 1 || got[0] != tt.want)) {
				t.Errorf("s3:authType %v, want %q", got, tt.want)
			}
		})
	}
}
