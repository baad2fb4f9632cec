package sigv4

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestAgainstSDKSigner verifies requests signed by aws-sdk-go-v2's signer,
// the one real clients use, including escaped paths, S3 mode, session tokens
// and presigned URLs.
func TestAgainstSDKSigner(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret/with+chars", SessionToken: "tok+en/=="}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name, method, url, service string
		s3                         bool
	}{
		{"json service", "POST", "http://127.0.0.1:4566/", "cognito-idp", false},
		{"escaped path, non-S3", "GET", "http://127.0.0.1:4566/example%20space/%E1%88%B4", "service", false},
		{"s3 key with specials", "PUT", "http://127.0.0.1:4566/bucket/a%20b/c%2Bd/%E2%82%AC%24x", "s3", true},
		{"s3 double slash kept", "GET", "http://127.0.0.1:4566/bucket//x//y?list-type=2&prefix=a%2Fb&delimiter=%2F", "s3", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := http.NewRequest(tc.method, tc.url, strings.NewReader("body"))
			hash := sha256Hex([]byte("body"))
			if tc.s3 {
				r.Header.Set("X-Amz-Content-Sha256", hash)
			}
			signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = tc.s3 })
			if err := signer.SignHTTP(context.Background(), creds, r, hash, tc.service, "us-east-1", now); err != nil {
				t.Fatal(err)
			}
			r.Host = r.URL.Host
			a, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			if a.SecurityToken != creds.SessionToken {
				t.Errorf("token %q", a.SecurityToken)
			}
			opt := Options{S3: tc.s3, Now: now, Region: "us-east-1", Service: tc.service}
			if err := a.Verify(r, creds.SecretAccessKey, hash, opt); err != nil {
				t.Fatalf("SDK signature refused: %v", err)
			}
			if err := a.Verify(r, "other", hash, opt); !errors.Is(err, ErrSignatureMismatch) {
				t.Errorf("wrong secret: %v", err)
			}
		})
	}

	t.Run("presigned", func(t *testing.T) {
		r, _ := http.NewRequest("GET", "http://127.0.0.1:4566/bucket/k%20ey?X-Amz-Expires=300", nil)
		u, _, err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).PresignHTTP(context.Background(), creds, r, "UNSIGNED-PAYLOAD", "s3", "us-east-1", now)
		if err != nil {
			t.Fatal(err)
		}
		pr, _ := http.NewRequest("GET", u, nil)
		pr.Host = pr.URL.Host
		a, err := Parse(pr)
		if err != nil {
			t.Fatal(err)
		}
		opt := Options{S3: true, Now: now.Add(4 * time.Minute), Region: "us-east-1", Service: "s3"}
		if err := a.Verify(pr, creds.SecretAccessKey, a.PayloadHash, opt); err != nil {
			t.Fatalf("presigned URL refused: %v", err)
		}
		opt.Now = now.Add(6 * time.Minute)
		if err := a.Verify(pr, creds.SecretAccessKey, a.PayloadHash, opt); !errors.Is(err, ErrPresignExpired) {
			t.Errorf("expired presigned URL: %v", err)
		}
	})
}

// TestSignRoundTrip checks our own signer against our verifier.
func TestSignRoundTrip(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := Credentials{AccessKeyID: "AKID", SecretAccessKey: "s", SessionToken: "t"}
	r, _ := http.NewRequest("PUT", "http://h:1/b/k%2F1", strings.NewReader("x"))
	if err := Sign(r, c, "us-east-1", "s3", now, sha256Hex([]byte("x")), true); err != nil {
		t.Fatal(err)
	}
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Verify(r, "s", a.PayloadHash, Options{S3: true, Now: now}); err != nil {
		t.Fatal(err)
	}
	p, _ := http.NewRequest("GET", "http://h:1/b/k", nil)
	if err := Presign(p, c, "us-east-1", "s3", now, time.Minute); err != nil {
		t.Fatal(err)
	}
	pr, _ := http.NewRequest("GET", p.URL.String(), nil)
	a, err = Parse(pr)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Verify(pr, "s", "UNSIGNED-PAYLOAD", Options{S3: true, Now: now}); err != nil {
		t.Fatal(err)
	}
}
