package s3api_test

import (
	"crypto/md5"
	"encoding/base64"
	"hash/crc32"
	"net/http"
	"strings"
	"testing"

	"github.com/federa/federa/internal/access"
)

// contentMD5 is the Content-MD5 header of body.
func contentMD5(body string) string {
	sum := md5.Sum([]byte(body))
	return base64.StdEncoding.EncodeToString(sum[:])
}

type pabDoc struct {
	BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets bool
}

func TestPublicAccessBlock(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/pab", "")

	// New buckets start with every setting on.
	w := e.must(200, "GET", "/pab?publicAccessBlock", "")
	if !strings.Contains(w.Body.String(), `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`) {
		t.Errorf("answer lacks the namespace: %s", w.Body.String())
	}
	var got pabDoc
	decode(t, w, &got)
	if got != (pabDoc{true, true, true, true}) {
		t.Errorf("new bucket = %+v", got)
	}

	// A setting left out is false.
	doc := `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><RestrictPublicBuckets> 1 </RestrictPublicBuckets></PublicAccessBlockConfiguration>`
	e.must(200, "PUT", "/pab?publicAccessBlock", doc, "Content-MD5", contentMD5(doc))
	decode(t, e.must(200, "GET", "/pab?publicAccessBlock", ""), &got)
	if got != (pabDoc{BlockPublicAcls: true, RestrictPublicBuckets: true}) {
		t.Errorf("after put = %+v", got)
	}
	// An x-amz-checksum-* header does as well as Content-MD5.
	crc := make([]byte, 4)
	sum := crc32.ChecksumIEEE([]byte(doc))
	crc[0], crc[1], crc[2], crc[3] = byte(sum>>24), byte(sum>>16), byte(sum>>8), byte(sum)
	e.must(200, "PUT", "/pab?publicAccessBlock", doc, "x-amz-checksum-crc32", base64.StdEncoding.EncodeToString(crc))

	bad := []struct {
		name, body string
		hdr        []string
		status     int
		code       string
	}{
		{"no integrity header", doc, nil, 400, "InvalidRequest"},
		{"wrong MD5", doc, []string{"Content-MD5", contentMD5("other")}, 400, "BadDigest"},
		{"MD5 not base64", doc, []string{"Content-MD5", "!!"}, 400, "InvalidDigest"},
		{"wrong CRC32", doc, []string{"x-amz-checksum-crc32", "AAAAAA=="}, 400, "BadDigest"},
		{"not a boolean", `<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>`, nil, 400, "MalformedXML"},
		{"other root", `<Tagging><TagSet/></Tagging>`, nil, 400, "MalformedXML"},
		{"not XML", `{"BlockPublicAcls":true}`, nil, 400, "MalformedXML"},
		{"missing bucket", doc, nil, 404, "NoSuchBucket"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			hdr := tt.hdr
			if hdr == nil && tt.code != "InvalidRequest" {
				hdr = []string{"Content-MD5", contentMD5(tt.body)}
			}
			target := "/pab?publicAccessBlock"
			if tt.code == "NoSuchBucket" {
				target = "/nopab?publicAccessBlock"
			}
			e.wantError(tt.status, tt.code, "PUT", target, tt.body, hdr...)
		})
	}
	decode(t, e.must(200, "GET", "/pab?publicAccessBlock", ""), &got)
	if got != (pabDoc{BlockPublicAcls: true, RestrictPublicBuckets: true}) {
		t.Errorf("refused puts changed the configuration: %+v", got)
	}

	e.wantError(http.StatusNotImplemented, "NotImplemented", "GET", "/pab/key?publicAccessBlock", "")
	e.wantError(http.StatusMethodNotAllowed, "MethodNotAllowed", "POST", "/pab?publicAccessBlock", "")
	e.must(204, "DELETE", "/pab?publicAccessBlock", "")
	e.must(204, "DELETE", "/pab?publicAccessBlock", "")
	e.wantError(404, "NoSuchPublicAccessBlockConfiguration", "GET", "/pab?publicAccessBlock", "")

	// Deleting is authorized as s3:PutBucketPublicAccessBlock, as on S3.
	e.principal = rolePrincipal
	e.authz.allow = func(c access.Check) bool { return c.Action == "s3:PutBucketPublicAccessBlock" }
	e.must(204, "DELETE", "/pab?publicAccessBlock", "")
	e.wantError(403, "AccessDenied", "GET", "/pab?publicAccessBlock", "")
}

func TestPolicyStatus(t *testing.T) {
	e := newEnv(t)
	e.must(200, "PUT", "/pst", "")
	e.wantError(404, "NoSuchBucketPolicy", "GET", "/pst?policyStatus", "")
	private := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::pst/*"}]}`
	e.must(204, "PUT", "/pst?policy", private)
	var st struct{ IsPublic bool }
	w := e.must(200, "GET", "/pst?policyStatus", "")
	decode(t, w, &st)
	if st.IsPublic || !strings.Contains(w.Body.String(), "<PolicyStatus xmlns=") {
		t.Errorf("private policy: %s", w.Body.String())
	}
	// The public one needs BlockPublicPolicy off; the setting is read when
	// the policy is written, not after.
	e.wantError(403, "AccessDenied", "PUT", "/pst?policy", strings.ReplaceAll(publicRead, "polb", "pst"))
	e.must(204, "DELETE", "/pst?publicAccessBlock", "")
	e.must(204, "PUT", "/pst?policy", strings.ReplaceAll(publicRead, "polb", "pst"))
	decode(t, e.must(200, "GET", "/pst?policyStatus", ""), &st)
	if !st.IsPublic {
		t.Error("public policy reported private")
	}
	e.wantError(http.StatusMethodNotAllowed, "MethodNotAllowed", "PUT", "/pst?policyStatus", "")
}
