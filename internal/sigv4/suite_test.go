package sigv4

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	suiteTime   = "20150830T123600Z"
)

// readSuiteRequest parses a .req file of AWS's test suite. The files are not
// valid HTTP (no space after the colon, folded headers, raw UTF-8), so they
// are read by hand: a folded line is a further value of the header above.
func readSuiteRequest(t testing.TB, path string) *http.Request {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, body, _ := strings.Cut(string(raw), "\n\n")
	lines := strings.Split(head, "\n")
	method, rest, _ := strings.Cut(lines[0], " ")
	target := strings.TrimSuffix(rest, " HTTP/1.1")
	p, q, _ := strings.Cut(target, "?")
	u := &url.URL{Path: p}
	if q != "" {
		var parts []string
		for _, kv := range strings.Split(q, "&") {
			k, v, _ := strings.Cut(kv, "=")
			parts = append(parts, url.PathEscape(k)+"="+url.PathEscape(v))
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	r := &http.Request{Method: method, URL: u, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
	var last string
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			r.Header[last] = append(r.Header[last], strings.TrimSpace(l))
			continue
		}
		k, v, _ := strings.Cut(l, ":")
		last = http.CanonicalHeaderKey(k)
		if last == "Host" {
			r.Host = v
			continue
		}
		r.Header[last] = append(r.Header[last], v)
	}
	return r
}

func suiteCases(t *testing.T) []string {
	var dirs []string
	err := filepath.WalkDir("testdata/aws-sig-v4-test-suite", func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".req") {
			dirs = append(dirs, strings.TrimSuffix(p, ".req"))
		}
		return err
	})
	if err != nil || len(dirs) != 31 {
		t.Fatalf("found %d suite cases (%v), want 31", len(dirs), err)
	}
	return dirs
}

func TestAWSSuite(t *testing.T) {
	now, _ := time.Parse(amzDateFormat, suiteTime)
	for _, base := range suiteCases(t) {
		t.Run(filepath.Base(base), func(t *testing.T) {
			if preEscape[filepath.Base(base)] {
				// These .req paths hold a space and raw UTF-8, i.e. the path
				// before the client escapes it for the wire. A server only
				// ever sees the escaped form, which SDK signers escape once
				// more for non-S3 services; TestAgainstSDKSigner covers that.
				t.Skip("path given before wire escaping; see TestAgainstSDKSigner")
			}
			r := readSuiteRequest(t, base+".req")
			authz, _ := os.ReadFile(base + ".authz")
			wantCreq, _ := os.ReadFile(base + ".creq")
			r.Header.Set("Authorization", string(authz))
			a, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			hash := sha256Hex(body)
			creq, err := canonicalRequest(r, a.SignedHeaders, hash, false, false)
			if err != nil {
				t.Fatal(err)
			}
			if creq != string(wantCreq) {
				t.Errorf("canonical request\n%s\nwant\n%s", creq, wantCreq)
			}
			opt := Options{Now: now, Region: "us-east-1", Service: "service"}
			if err := a.Verify(r, suiteSecret, hash, opt); err != nil {
				t.Fatalf("valid signature refused: %v", err)
			}
			if err := a.Verify(r, suiteSecret+"x", hash, opt); !errors.Is(err, ErrSignatureMismatch) {
				t.Errorf("wrong secret: %v", err)
			}
			flipped := *a
			flipped.Signature = flipHex(a.Signature)
			if err := flipped.Verify(r, suiteSecret, hash, opt); !errors.Is(err, ErrSignatureMismatch) {
				t.Errorf("flipped signature: %v", err)
			}
			late := opt
			late.Now = now.Add(16 * time.Minute)
			if err := a.Verify(r, suiteSecret, hash, late); !errors.Is(err, ErrRequestTimeTooSkewed) || !strings.Contains(err.Error(), "Signature expired") {
				t.Errorf("16 minutes late: %v", err)
			}
			wrongRegion := opt
			wrongRegion.Region = "eu-west-1"
			if err := a.Verify(r, suiteSecret, hash, wrongRegion); !errors.Is(err, ErrInvalidScope) {
				t.Errorf("wrong region: %v", err)
			}
		})
	}
}

// preEscape names the suite cases whose path is not a wire path.
var preEscape = map[string]bool{"get-utf8": true, "get-space": true}

func flipHex(s string) string {
	b := []byte(s)
	if b[0] == '0' {
		b[0] = '1'
	} else {
		b[0] = '0'
	}
	return string(b)
}
