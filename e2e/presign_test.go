package e2e

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/federa/federa/internal/app/apptest"
)

// send performs a presigned request as a browser or curl would: the URL, the
// headers the presigner signed, and body for a PUT. extra overrides headers.
func send(t *testing.T, p *v4.PresignedHTTPRequest, body string, extra ...string) postResult {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(p.Method, p.URL, rd)
	must(t, err)
	for k, vs := range p.SignedHeader {
		if !strings.EqualFold(k, "Host") {
			req.Header[k] = vs
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		req.Header.Set(extra[i], extra[i+1])
	}
	return do(t, req)
}

func wantError(t *testing.T, r postResult, status int, code, message string) {
	t.Helper()
	got, msg := r.errorCode(t)
	if r.status != status || got != code || (message != "" && msg != message) {
		t.Errorf("got %d %s %q, want %d %s %q", r.status, got, msg, status, code, message)
	}
}

// TestPresignedURLs uses the SDK's presigner as apps do for downloads and
// direct uploads: GET and PUT URLs, a signed Content-Type, response header
// overrides, expiry and its 7-day ceiling.
func TestPresignedURLs(t *testing.T) {
	srv := apptest.NewServer(t)
	ctx := context.Background()
	s3c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	pre := s3.NewPresignClient(s3c)
	bucket := aws.String("shared")
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket})
	must(t, err)

	put, err := pre.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String("docs/report.txt"), ContentType: aws.String("text/plain")},
		s3.WithPresignExpires(15*time.Minute))
	must(t, err)
	if !strings.Contains(put.URL, "X-Amz-SignedHeaders=content-type%3Bhost") {
		t.Fatalf("the presigner did not sign Content-Type: %s", put.URL)
	}
	t.Run("PUT with another Content-Type than signed", func(t *testing.T) {
		wantError(t, send(t, put, "evil", "Content-Type", "text/html"), 403, "SignatureDoesNotMatch", "")
		if _, err := s3c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: aws.String("docs/report.txt")}); err == nil {
			t.Error("the refused PUT stored an object")
		}
	})
	t.Run("PUT as signed", func(t *testing.T) {
		if r := send(t, put, "quarterly numbers"); r.status != 200 || r.header.Get("ETag") != md5ETag("quarterly numbers") {
			t.Fatalf("PUT: %d %v %s", r.status, r.header, r.body)
		}
		head, err := s3c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: aws.String("docs/report.txt")})
		must(t, err)
		if aws.ToString(head.ContentType) != "text/plain" {
			t.Errorf("content type %q", aws.ToString(head.ContentType))
		}
	})
	t.Run("GET", func(t *testing.T) {
		get, err := pre.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("docs/report.txt")})
		must(t, err)
		if r := send(t, get, ""); r.status != 200 || string(r.body) != "quarterly numbers" {
			t.Fatalf("GET: %d %s", r.status, r.body)
		}
		// The signature covers the path: another key is refused.
		other := *get
		other.URL = strings.Replace(get.URL, "report.txt", "secret.txt", 1)
		wantError(t, send(t, &other, ""), 403, "SignatureDoesNotMatch", "")
	})
	t.Run("response header overrides", func(t *testing.T) {
		get, err := pre.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("docs/report.txt"),
			ResponseContentDisposition: aws.String(`attachment; filename="Q3 report.txt"`),
			ResponseContentType:        aws.String("application/octet-stream"),
			ResponseCacheControl:       aws.String("no-store")})
		must(t, err)
		r := send(t, get, "")
		if r.status != 200 || r.header.Get("Content-Disposition") != `attachment; filename="Q3 report.txt"` ||
			r.header.Get("Content-Type") != "application/octet-stream" || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET: %d %v", r.status, r.header)
		}
		// The overrides are signed: dropping one breaks the signature.
		u, _ := url.Parse(get.URL)
		q := u.Query()
		q.Del("response-cache-control")
		u.RawQuery = q.Encode()
		unsigned := *get
		unsigned.URL = u.String()
		wantError(t, send(t, &unsigned, ""), 403, "SignatureDoesNotMatch", "")
	})
	t.Run("X-Amz-Expires over 7 days", func(t *testing.T) {
		get, err := pre.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("docs/report.txt")},
			s3.WithPresignExpires(7*24*time.Hour+time.Second))
		must(t, err)
		wantError(t, send(t, get, ""), 400, "AuthorizationQueryParametersError",
			"X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds")
		week, err := pre.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("docs/report.txt")},
			s3.WithPresignExpires(7*24*time.Hour))
		must(t, err)
		if r := send(t, week, ""); r.status != 200 {
			t.Errorf("a 7-day URL: %d %s", r.status, r.body)
		}
	})
	t.Run("expired", func(t *testing.T) {
		get, err := pre.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("docs/report.txt")},
			s3.WithPresignExpires(time.Minute))
		must(t, err)
		if r := send(t, get, ""); r.status != 200 {
			t.Fatalf("before expiry: %d %s", r.status, r.body)
		}
		srv.Clock.Advance(2 * time.Minute)
		wantError(t, send(t, get, ""), 403, "AccessDenied", "Request has expired")
		// The PUT URL was signed for 15 minutes.
		srv.Clock.Advance(14 * time.Minute)
		wantError(t, send(t, put, "late"), 403, "AccessDenied", "Request has expired")
	})
}

// TestPresignedURLsSession presigns with a signed-in user's identity-pool
// credentials: the session token travels in the URL and the role's
// per-identity policy decides, as for a direct request.
func TestPresignedURLsSession(t *testing.T) {
	w := setupWorld(t)
	ctx := context.Background()
	aliceID, alice := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "alice"))
	bobID, _ := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "bob"))
	pre := s3.NewPresignClient(w.s3(w.sessionConfig(alice)))
	mine := aws.String(aliceID + "/photo.jpg")

	put, err := pre.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: mine, ContentType: aws.String("image/jpeg")})
	must(t, err)
	if !strings.Contains(put.URL, "X-Amz-Security-Token=") {
		t.Fatalf("no session token in %s", put.URL)
	}
	if r := send(t, put, "jpeg bytes"); r.status != 200 {
		t.Fatalf("PUT into her folder: %d %s", r.status, r.body)
	}
	get, err := pre.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &w.bucket, Key: mine})
	must(t, err)
	if r := send(t, get, ""); r.status != 200 || string(r.body) != "jpeg bytes" {
		t.Fatalf("GET from her folder: %d %s", r.status, r.body)
	}

	// A URL for bob's folder is well signed but her role does not allow it.
	theirs, err := pre.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: aws.String(bobID + "/x.jpg")})
	must(t, err)
	wantError(t, send(t, theirs, "x"), 403, "AccessDenied", "Access Denied")

	// Dropping the token leaves a session key that proves nothing.
	u, _ := url.Parse(get.URL)
	q := u.Query()
	q.Del("X-Amz-Security-Token")
	u.RawQuery = q.Encode()
	stripped := *get
	stripped.URL = u.String()
	if r := send(t, &stripped, ""); r.status < 400 {
		t.Errorf("without the token: %d", r.status)
	}

	// The URL lives no longer than the session that signed it.
	w.srv.Clock.Advance(2 * time.Hour)
	wantError(t, send(t, get, ""), 400, "ExpiredToken", "")
}
