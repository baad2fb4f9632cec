package edge

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	form := func(body string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		return r
	}
	target := func(t string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
		r.Header.Set("X-Amz-Target", t)
		return r
	}
	cases := []struct {
		name  string
		req   *http.Request
		scope string
		want  Service
	}{
		{"jwks", httptest.NewRequest(http.MethodGet, "/us-east-1_AbC123xyz/.well-known/jwks.json", nil), "", WellKnown},
		{"discovery", httptest.NewRequest(http.MethodGet, "/eu-central-1_Q/.well-known/openid-configuration", nil), "", WellKnown},
		{"bucket named like a path is S3", httptest.NewRequest(http.MethodGet, "/my-bucket/.well-known/jwks.json", nil), "s3", S3},
		{"PUT to a well-known-like path is S3", httptest.NewRequest(http.MethodPut, "/us-east-1_A/.well-known/x", nil), "s3", S3},
		{"cognito-idp target", target("AWSCognitoIdentityProviderService.InitiateAuth"), "", CognitoIDP},
		{"cognito-identity target", target("AWSCognitoIdentityService.GetId"), "", CognitoIdentity},
		{"federa target", target("FederaAdmin.ListAuditEvents"), "federa", Federa},
		{"federa target unsigned", target("FederaAdmin.ListAuditEvents"), "", Federa},
		{"signed sts", form("Action=GetCallerIdentity&Version=2011-06-15"), "sts", STS},
		{"signed iam", form("Action=ListRoles&Version=2010-05-08"), "iam", IAM},
		{"unsigned web identity", form("Action=AssumeRoleWithWebIdentity&Version=2011-06-15"), "", STS},
		{"unsigned iam", form("Action=ListRoles&Version=2010-05-08"), "", IAM},
		{"unsigned sts", form("Action=GetCallerIdentity&Version=2011-06-15"), "", STS},
		{"unsigned form without Action", form("key=a.txt"), "", S3},
		{"unsigned other action is S3", form("Action=ListRoles"), "", S3},
		{"signed s3", httptest.NewRequest(http.MethodGet, "/bucket/key", nil), "s3", S3},
		{"anonymous GET", httptest.NewRequest(http.MethodGet, "/bucket/key", nil), "", S3},
		{"browser POST upload", form("key=a&policy=x"), "", S3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect(tc.req, tc.scope); got != tc.want {
				t.Errorf("Detect = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestDetectKeepsBody checks that looking at an unsigned form leaves the body
// for S3 (a browser POST upload must keep its bytes).
func TestDetectKeepsBody(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("key=a&policy=x"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	Detect(r, "")
	var b strings.Builder
	buf := make([]byte, 64)
	n, _ := r.Body.Read(buf)
	b.Write(buf[:n])
	if b.String() != "key=a&policy=x" {
		t.Errorf("body after Detect = %q", b.String())
	}
}
