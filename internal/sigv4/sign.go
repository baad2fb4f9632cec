package sigv4

import (
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Credentials are what a request is signed with.
type Credentials struct{ AccessKeyID, SecretAccessKey, SessionToken string }

// Sign adds header authorization to r: X-Amz-Date, X-Amz-Security-Token (when
// set), x-amz-content-sha256 (S3) and Authorization, signing every header r has.
func Sign(r *http.Request, c Credentials, region, service string, t time.Time, payloadHash string, s3 bool) error {
	ts := t.UTC().Format(amzDateFormat)
	r.Header.Set("X-Amz-Date", ts)
	if c.SessionToken != "" {
		r.Header.Set("X-Amz-Security-Token", c.SessionToken)
	}
	if s3 {
		r.Header.Set("X-Amz-Content-Sha256", payloadHash)
	}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	signed := []string{"host"}
	for k := range r.Header {
		if lk := strings.ToLower(k); lk != "authorization" && lk != "user-agent" {
			signed = append(signed, lk)
		}
	}
	sort.Strings(signed)
	a := &Auth{AccessKeyID: c.AccessKeyID, Date: ts[:8], Region: region, Service: service, SignedHeaders: signed, Time: t.UTC()}
	creq, err := canonicalRequest(r, signed, payloadHash, s3, false)
	if err != nil {
		return err
	}
	r.Header.Set("Authorization", Algorithm+" Credential="+c.AccessKeyID+"/"+a.scope()+", SignedHeaders="+
		strings.Join(signed, ";")+", Signature="+hex.EncodeToString(a.signatureOf(creq, c.SecretAccessKey)))
	return nil
}

// Presign adds query authorization to r (S3 style, UNSIGNED-PAYLOAD), valid for expires.
func Presign(r *http.Request, c Credentials, region, service string, t time.Time, expires time.Duration) error {
	ts := t.UTC().Format(amzDateFormat)
	a := &Auth{AccessKeyID: c.AccessKeyID, Date: ts[:8], Region: region, Service: service, SignedHeaders: []string{"host"}, Time: t.UTC(), Presigned: true}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	q := r.URL.Query()
	q.Set("X-Amz-Algorithm", Algorithm)
	q.Set("X-Amz-Credential", c.AccessKeyID+"/"+a.scope())
	q.Set("X-Amz-Date", ts)
	q.Set("X-Amz-Expires", strconv.Itoa(int(expires.Seconds())))
	q.Set("X-Amz-SignedHeaders", "host")
	if c.SessionToken != "" {
		q.Set("X-Amz-Security-Token", c.SessionToken)
	}
	r.URL.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	creq, err := canonicalRequest(r, a.SignedHeaders, "UNSIGNED-PAYLOAD", service == "s3", true)
	if err != nil {
		return err
	}
	r.URL.RawQuery += "&X-Amz-Signature=" + hex.EncodeToString(a.signatureOf(creq, c.SecretAccessKey))
	return nil
}
