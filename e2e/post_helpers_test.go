package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/federa/federa/internal/app/apptest"
)

// The helpers here build browser-upload forms the way the AWS documentation
// describes ("Example: Browser-Based Upload using HTTP POST (Using AWS
// Signature Version 4)"), independently of the server's code: the policy is
// JSON, base64-encoded, and signed with the SigV4 signing key.

// field is one form field, in the order the form sends it.
type field struct{ name, value string }

// upload is a POST Object form.
type upload struct {
	fields []field
	// file is the file's content; filename its filename parameter, sent
	// unless noFilename.
	file       []byte
	filename   string
	noFilename bool
	// files is how many file parts to send (1 when 0 and !noFile).
	files  int
	noFile bool
	// after are fields placed after the file, which S3 ignores.
	after []field
}

// body encodes the form as multipart/form-data.
func (u upload) body(t testing.TB) (contentType string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range u.fields {
		mustTB(t, mw.WriteField(f.name, f.value))
	}
	files := u.files
	if files == 0 && !u.noFile {
		files = 1
	}
	for range files {
		h := textproto.MIMEHeader{}
		disp := `form-data; name="file"`
		if !u.noFilename {
			disp += fmt.Sprintf(`; filename="%s"`, u.filename)
		}
		h.Set("Content-Disposition", disp)
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		mustTB(t, err)
		_, err = w.Write(u.file)
		mustTB(t, err)
	}
	for _, f := range u.after {
		mustTB(t, mw.WriteField(f.name, f.value))
	}
	mustTB(t, mw.Close())
	return mw.FormDataContentType(), buf.Bytes()
}

// postSigner signs POST policies with one set of credentials.
type postSigner struct {
	creds  aws.Credentials
	region string
	now    time.Time
}

func newPostSigner(creds aws.Credentials, now time.Time) postSigner {
	return postSigner{creds: creds, region: apptest.Region, now: now.UTC()}
}

// credential is the x-amz-credential value.
func (s postSigner) credential() string {
	return s.creds.AccessKeyID + "/" + s.now.Format("20060102") + "/" + s.region + "/s3/aws4_request"
}

// authFields are the signing fields every signed form sends, which its
// policy must cover too.
func (s postSigner) authFields() []field {
	fs := []field{
		{"x-amz-algorithm", "AWS4-HMAC-SHA256"},
		{"x-amz-credential", s.credential()},
		{"x-amz-date", s.now.Format("20060102T150405Z")},
	}
	if s.creds.SessionToken != "" {
		fs = append(fs, field{"x-amz-security-token", s.creds.SessionToken})
	}
	return fs
}

// policy returns the base64 policy with the given conditions plus one exact
// condition per signing field, expiring after ttl.
func (s postSigner) policy(t testing.TB, ttl time.Duration, conditions ...any) string {
	t.Helper()
	for _, f := range s.authFields() {
		conditions = append(conditions, map[string]string{f.name: f.value})
	}
	doc, err := json.Marshal(map[string]any{
		"expiration": s.now.Add(ttl).Format("2006-01-02T15:04:05.000Z"),
		"conditions": conditions,
	})
	mustTB(t, err)
	return base64.StdEncoding.EncodeToString(doc)
}

// signature is the hex HMAC-SHA256 of the base64 policy under the SigV4
// signing key of the credential's date, region and "s3".
func (s postSigner) signature(policy string) string {
	mac := func(key []byte, data string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(data))
		return m.Sum(nil)
	}
	k := mac([]byte("AWS4"+s.creds.SecretAccessKey), s.now.Format("20060102"))
	k = mac(k, s.region)
	k = mac(k, "s3")
	k = mac(k, "aws4_request")
	return hex.EncodeToString(mac(k, policy))
}

// form returns fields plus the signing fields, the policy and its signature.
func (s postSigner) form(policy string, fields ...field) []field {
	out := append([]field{}, fields...)
	out = append(out, s.authFields()...)
	return append(out, field{"policy", policy}, field{"x-amz-signature", s.signature(policy)})
}

// postResult is what the server answered.
type postResult struct {
	status int
	header http.Header
	body   []byte
}

// errorCode returns the <Code> and <Message> of an S3 error body.
func (r postResult) errorCode(t *testing.T) (code, message string) {
	t.Helper()
	var e struct{ Code, Message string }
	if err := xml.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("status %d, body %q is not an S3 error: %v", r.status, r.body, err)
	}
	return e.Code, e.Message
}

// post sends the form to url. host, when set, replaces the Host header
// (virtual-host addressing without DNS); hdr adds request headers.
func post(t *testing.T, url, host string, u upload, hdr ...string) postResult {
	t.Helper()
	ct, body := u.body(t)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", ct)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if host != "" {
		req.Host = host
	}
	return do(t, req)
}

// noRedirect is a client that shows the 303 instead of following it.
var noRedirect = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       2 * time.Minute,
}

func do(t *testing.T, req *http.Request) postResult {
	t.Helper()
	resp, err := noRedirect.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return postResult{status: resp.StatusCode, header: resp.Header, body: b}
}

func mustTB(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
