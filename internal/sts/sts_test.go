package sts_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/sigv4"
	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/sqlstore"
	"github.com/federa/federa/internal/sts"
)

const account = "123456789012"

const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:pool"},
"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}`

type fixture struct {
	st  *sqlstore.Store
	now time.Time
}

func (f *fixture) clock() time.Time { return f.now }

func newFixture(t *testing.T) (*fixture, *sts.Service) {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.CreateRole(context.Background(), store.Role{Name: "auth", ID: "AROAEXAMPLE", Path: "/", TrustPolicy: trust, MaxSessionDuration: 3600}); err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	return f, sts.New(st, sts.Options{Region: "us-east-1", AccountID: account, Now: f.clock})
}

func request(aud string, amr ...string) sts.WebIdentityRequest {
	return sts.WebIdentityRequest{RoleARN: "arn:aws:iam::" + account + ":role/auth", SessionName: "CognitoIdentityCredentials",
		Provider: "cognito-identity.amazonaws.com", Context: map[string][]string{
			"cognito-identity.amazonaws.com:aud": {aud}, "cognito-identity.amazonaws.com:sub": {"us-east-1:id"},
			"cognito-identity.amazonaws.com:amr": amr,
		}}
}

func TestIssueAndLookup(t *testing.T) {
	ctx := context.Background()
	f, s := newFixture(t)
	creds, user, err := s.IssueWebIdentity(ctx, request("us-east-1:pool", "authenticated"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(creds.AccessKeyID, "ASIA") || len(creds.AccessKeyID) != 20 || len(creds.SecretAccessKey) != 40 {
		t.Fatalf("credentials have the wrong shape: %+v", creds)
	}
	if user.ARN != "arn:aws:sts::"+account+":assumed-role/auth/CognitoIdentityCredentials" || user.AssumedRoleID != "AROAEXAMPLE:CognitoIdentityCredentials" {
		t.Fatalf("assumed role user = %+v", user)
	}
	if !creds.Expiration.Equal(f.now.Add(time.Hour)) {
		t.Fatalf("expiration = %v, want one hour", creds.Expiration)
	}
	// A second service over the same store (a restart, another node) opens it.
	s2 := sts.New(f.st, sts.Options{Region: "us-east-1", AccountID: account, Now: f.clock})
	p, secret, err := s2.Lookup(ctx, creds.AccessKeyID, creds.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	if secret != creds.SecretAccessKey || p.ARN != user.ARN || p.Context["cognito-identity.amazonaws.com:sub"][0] != "us-east-1:id" {
		t.Fatalf("lookup = %+v, secret match %v", p, secret == creds.SecretAccessKey)
	}

	other, _, _ := s.IssueWebIdentity(ctx, request("us-east-1:pool", "authenticated"))
	tampered := []byte(creds.SessionToken)
	tampered[len(tampered)-5] ^= 1
	tests := []struct {
		name, akid, token string
		want              error
	}{
		{"tampered token", creds.AccessKeyID, string(tampered), sigv4.ErrInvalidToken},
		{"another session's token", creds.AccessKeyID, other.SessionToken, sigv4.ErrInvalidToken},
		{"no token", creds.AccessKeyID, "", sigv4.ErrInvalidToken},
		{"garbage", creds.AccessKeyID, "FED1.zzzz.abc", sigv4.ErrInvalidToken},
		{"unknown key id", creds.AccessKeyID, "FED1.00000000.abc", sigv4.ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := s.Lookup(ctx, tt.akid, tt.token); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}

	f.now = f.now.Add(time.Hour)
	if _, _, err := s.Lookup(ctx, creds.AccessKeyID, creds.SessionToken); !errors.Is(err, sigv4.ErrExpiredToken) {
		t.Fatalf("after expiry: %v", err)
	}
}

func TestTrustPolicyRefusals(t *testing.T) {
	ctx := context.Background()
	_, s := newFixture(t)
	tests := []struct {
		name string
		req  sts.WebIdentityRequest
		want string
	}{
		{"another pool's identity", request("us-east-1:other", "authenticated"), "AccessDenied"},
		{"unauthenticated identity", request("us-east-1:pool", "unauthenticated"), "AccessDenied"},
		{"missing role", func() sts.WebIdentityRequest {
			r := request("us-east-1:pool", "authenticated")
			r.RoleARN = "arn:aws:iam::" + account + ":role/none"
			return r
		}(), "AccessDenied"},
		{"foreign account", func() sts.WebIdentityRequest {
			r := request("us-east-1:pool", "authenticated")
			r.RoleARN = "arn:aws:iam::999999999999:role/auth"
			return r
		}(), "ValidationError"},
		{"too long", func() sts.WebIdentityRequest {
			r := request("us-east-1:pool", "authenticated")
			r.Duration = 2 * time.Hour
			return r
		}(), "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.IssueWebIdentity(ctx, tt.req)
			if e, ok := awserr.As(err); !ok || e.Code != tt.want {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
		})
	}
}

// FuzzLookup feeds arbitrary session tokens, which arrive from the network
// in X-Amz-Security-Token: they must be refused, never panic or be accepted.
func FuzzLookup(f *testing.F) {
	fx := &fixture{now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	st, err := sqlstore.Open(context.Background(), filepath.Join(f.TempDir(), "db"))
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	_ = st.CreateRole(context.Background(), store.Role{Name: "auth", ID: "AROAEXAMPLE", Path: "/", TrustPolicy: trust})
	s := sts.New(st, sts.Options{Region: "us-east-1", AccountID: account, Now: fx.clock})
	creds, _, err := s.IssueWebIdentity(context.Background(), request("us-east-1:pool", "authenticated"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(creds.SessionToken)
	f.Add("FED1..")
	f.Add("FED1.00000000.")
	f.Fuzz(func(t *testing.T, token string) {
		_, _, err := s.Lookup(context.Background(), creds.AccessKeyID, token)
		if token != creds.SessionToken && err == nil {
			t.Fatalf("accepted a token that was not issued: %q", token)
		}
	})
}

// BenchmarkLookup measures opening a session token, done on every request
// signed with temporary credentials.
func BenchmarkLookup(b *testing.B) {
	st, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	_ = st.CreateRole(context.Background(), store.Role{Name: "auth", ID: "AROAEXAMPLE", Path: "/", TrustPolicy: trust})
	s := sts.New(st, sts.Options{Region: "us-east-1", AccountID: account, Now: func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }})
	creds, _, err := s.IssueWebIdentity(context.Background(), request("us-east-1:pool", "authenticated"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.Lookup(context.Background(), creds.AccessKeyID, creds.SessionToken); err != nil {
			b.Fatal(err)
		}
	}
}
