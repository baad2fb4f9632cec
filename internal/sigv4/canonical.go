package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
)

var fmtSprintf = fmt.Sprintf

// canonicalRequest builds the canonical request of "Create a canonical request"
// (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
func canonicalRequest(r *http.Request, signed []string, payloadHash string, s3, presigned bool) (string, error) {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL, s3))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery, presigned))
	b.WriteByte('\n')
	for _, name := range signed {
		v, ok := headerValue(r, name)
		if !ok {
			return "", Fail(ErrSignatureMismatch, fmtSprintf("The request signs header %q, but the request does not carry it.", name))
		}
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(v)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String(), nil
}

func headerValue(r *http.Request, name string) (string, bool) {
	switch name {
	case "host":
		return r.Host, r.Host != ""
	case "content-length":
		if vs, ok := r.Header["Content-Length"]; ok && len(vs) > 0 {
			return strings.TrimSpace(vs[0]), true
		}
		if r.ContentLength >= 0 && (r.ContentLength > 0 || r.Body != nil && r.Body != http.NoBody) {
			return strconv.FormatInt(r.ContentLength, 10), true
		}
		return "", false
	}
	vs, ok := r.Header[http.CanonicalHeaderKey(name)]
	if !ok {
		return "", false
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = collapseSpaces(v)
	}
	return strings.Join(out, ","), true
}

// collapseSpaces trims and collapses runs of spaces (and folded line breaks).
func collapseSpaces(v string) string {
	return strings.Join(strings.Fields(v), " ")
}

// canonicalURI: S3 encodes the path once as received; other services
// normalize dot segments and encode twice.
func canonicalURI(u *url.URL, s3 bool) string {
	raw := u.EscapedPath()
	if raw == "" {
		return "/"
	}
	if s3 {
		return encodePath(raw, true)
	}
	p := raw
	decoded, err := url.PathUnescape(p)
	if err == nil {
		p = decoded
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if !strings.HasPrefix(clean, "/") {
		clean = "/" + clean
	}
	return encodePath(encodePath(clean, false), false)
}

// encodePath URI-encodes each segment; when decodeFirst, segments are
// percent-decoded before encoding so the result is encoded exactly once.
func encodePath(p string, decodeFirst bool) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if decodeFirst {
			if d, err := url.PathUnescape(s); err == nil {
				s = d
			}
		}
		segs[i] = URIEncode(s)
	}
	return strings.Join(segs, "/")
}

// URIEncode keeps A-Z a-z 0-9 - _ . ~ and percent-encodes every other byte
// with upper-case hex: RFC 3986 encoding as SigV4 requires, and as IAM
// returns policy documents.
func URIEncode(s string) string {
	const hexdig = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdig[c>>4])
		b.WriteByte(hexdig[c&15])
	}
	return b.String()
}

func canonicalQuery(raw string, presigned bool) string {
	if raw == "" {
		return ""
	}
	type kv struct{ k, v string }
	var pairs []kv
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k = unescapeQuery(k)
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		pairs = append(pairs, kv{URIEncode(k), URIEncode(unescapeQuery(v))})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.k + "=" + p.v
	}
	return strings.Join(out, "&")
}

// unescapeQuery decodes %XX; '+' is kept literally, as AWS signers encode a
// space as %20 and a literal plus as %2B.
func unescapeQuery(s string) string {
	d, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return d
}

func stringToSign(t, scope, creq string) string {
	h := sha256.Sum256([]byte(creq))
	return Algorithm + "\n" + t + "\n" + scope + "\n" + hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// SigningKey derives kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
func SigningKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}
