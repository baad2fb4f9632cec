package iam_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/sqlstore"
)

const account = "123456789012"

const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`

func newService(t *testing.T) *iam.Service {
	t.Helper()
	s, _ := newServiceAndStore(t)
	return s
}

func newServiceAndStore(t *testing.T) (*iam.Service, *sqlstore.Store) {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	return iam.New(st, iam.Options{Region: "us-east-1", AccountID: account, Now: func() time.Time { return now }}), st
}

func code(err error) string {
	if e, ok := awserr.As(err); ok {
		return e.Code
	}
	if err != nil {
		return "untyped: " + err.Error()
	}
	return ""
}

func TestRoleLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	r, err := s.CreateRole(ctx, iam.CreateRoleInput{Name: "app", TrustPolicy: trust})
	if err != nil {
		t.Fatal(err)
	}
	if r.ARN != "arn:aws:iam::"+account+":role/app" || !strings.HasPrefix(r.ID, "AROA") || r.MaxSessionDuration != 3600 {
		t.Fatalf("created role = %+v", r)
	}
	if _, err := s.CreateRole(ctx, iam.CreateRoleInput{Name: "APP", TrustPolicy: trust}); code(err) != "EntityAlreadyExists" {
		t.Fatalf("role names are unique case-insensitively; got %v", err)
	}
	if err := s.PutRolePolicy(ctx, "app", "inline", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`); err != nil {
		t.Fatal(err)
	}
	if err := s.AttachRolePolicy(ctx, "app", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRole(ctx, "app"); code(err) != "DeleteConflict" {
		t.Fatalf("deleting a role with policies: %v", err)
	}
	p, err := s.GetPolicy(ctx, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
	if err != nil || p.AttachmentCount != 1 {
		t.Fatalf("managed policy = %+v, %v", p, err)
	}
	if err := s.DeleteRolePolicy(ctx, "app", "inline"); err != nil {
		t.Fatal(err)
	}
	if err := s.DetachRolePolicy(ctx, "app", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRole(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetRole(ctx, "app"); code(err) != "NoSuchEntity" {
		t.Fatalf("deleted role: %v", err)
	}
}

func TestValidationErrors(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if _, err := s.CreateRole(ctx, iam.CreateRoleInput{Name: "ok", TrustPolicy: trust}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"bad role name", func() error {
			_, err := s.CreateRole(ctx, iam.CreateRoleInput{Name: "no spaces", TrustPolicy: trust})
			return err
		}, "ValidationError"},
		{"trust policy without principal", func() error {
			_, err := s.CreateRole(ctx, iam.CreateRoleInput{Name: "r2", TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`})
			return err
		}, "MalformedPolicyDocument"},
		{"not JSON", func() error { return s.PutRolePolicy(ctx, "ok", "p", "{") }, "MalformedPolicyDocument"},
		{"identity policy with principal", func() error {
			return s.PutRolePolicy(ctx, "ok", "p", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`)
		}, "MalformedPolicyDocument"},
		{"missing role", func() error { return s.PutRolePolicy(ctx, "nope", "p", trust) }, "NoSuchEntity"},
		{"unknown managed policy", func() error {
			return s.AttachRolePolicy(ctx, "ok", "arn:aws:iam::"+account+":policy/none")
		}, "NoSuchEntity"},
		{"bad session duration", func() error {
			_, err := s.CreateRole(ctx, iam.CreateRoleInput{Name: "r3", TrustPolicy: trust, MaxSessionDuration: 60})
			return err
		}, "ValidationError"},
		{"oversized policy", func() error {
			_, err := s.CreatePolicy(ctx, iam.CreatePolicyInput{Name: "big", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("a", 7000) + `"}]}`})
			return err
		}, "LimitExceeded"},
		{"delete AWS managed policy", func() error { return s.DeletePolicy(ctx, "arn:aws:iam::aws:policy/AdministratorAccess") }, "InvalidInput"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := code(tt.call()); got != tt.want {
				t.Fatalf("code = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestListPolicies(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if _, err := s.CreatePolicy(ctx, iam.CreatePolicyInput{Name: "mine", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`}); err != nil {
		t.Fatal(err)
	}
	local, _, err := s.ListPolicies(ctx, iam.ListPoliciesInput{Scope: "Local"})
	if err != nil || len(local) != 1 || local[0].Name != "mine" {
		t.Fatalf("Local = %+v, %v", local, err)
	}
	all, _, _ := s.ListPolicies(ctx, iam.ListPoliciesInput{})
	if len(all) != 5 {
		t.Fatalf("All lists %d policies, want the 4 AWS ones and ours", len(all))
	}
	page, next, _ := s.ListPolicies(ctx, iam.ListPoliciesInput{MaxItems: 2})
	rest, _, _ := s.ListPolicies(ctx, iam.ListPoliciesInput{Marker: next})
	if len(page) != 2 || next == "" || len(rest) != 3 {
		t.Fatalf("paging: %d then %d (marker %q)", len(page), len(rest), next)
	}
	attached, _, _ := s.ListPolicies(ctx, iam.ListPoliciesInput{OnlyAttached: true})
	if len(attached) != 0 {
		t.Fatalf("OnlyAttached = %d, want 0", len(attached))
	}
}

func session(r iam.Role, ctxKeys map[string][]string) *access.Principal {
	return &access.Principal{Kind: access.AssumedRole, Account: account, RoleName: r.Name, RoleARN: r.ARN,
		ARN: "arn:aws:sts::" + account + ":assumed-role/" + r.Name + "/s", UserID: r.ID + ":s", Context: ctxKeys}
}

func TestAuthorize(t *testing.T) {
	ctx := context.Background()
	s, st := newServiceAndStore(t)
	if err := st.CreateIdentity(ctx, store.Identity{ID: "us-east-1:alice", PoolID: "us-east-1:pool"}); err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateRole(ctx, iam.CreateRoleInput{Name: "notes", TrustPolicy: trust})
	if err != nil {
		t.Fatal(err)
	}
	perIdentity := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::notes/${cognito-identity.amazonaws.com:sub}/*"}]}`
	if err := s.PutRolePolicy(ctx, "notes", "own", perIdentity); err != nil {
		t.Fatal(err)
	}
	alice := session(r, map[string][]string{"cognito-identity.amazonaws.com:sub": {"us-east-1:alice"}})
	bucketPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::notes/public/*"}]}`
	tests := []struct {
		name     string
		check    access.Check
		allowed  bool
		explicit bool
	}{
		{"own prefix", access.Check{Principal: alice, Action: "s3:PutObject", Resource: "arn:aws:s3:::notes/us-east-1:alice/a.txt"}, true, false},
		{"other prefix", access.Check{Principal: alice, Action: "s3:PutObject", Resource: "arn:aws:s3:::notes/us-east-1:bob/a.txt"}, false, false},
		{"other action", access.Check{Principal: alice, Action: "s3:DeleteObject", Resource: "arn:aws:s3:::notes/us-east-1:alice/a.txt"}, false, false},
		{"root", access.Check{Principal: &access.Principal{Kind: access.Root, Account: account}, Action: "iam:DeleteRole", Resource: "*"}, true, false},
		{"anonymous without resource policy", access.Check{Principal: &access.Principal{}, Action: "s3:GetObject", Resource: "arn:aws:s3:::notes/public/x"}, false, false},
		{"anonymous allowed by bucket policy", access.Check{Principal: &access.Principal{}, Action: "s3:GetObject", Resource: "arn:aws:s3:::notes/public/x", ResourcePolicy: bucketPolicy}, true, false},
		{"explicit deny in bucket policy", access.Check{Principal: alice, Action: "s3:PutObject", Resource: "arn:aws:s3:::notes/us-east-1:alice/a.txt",
			ResourcePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := s.Authorize(ctx, tt.check)
			if err != nil {
				t.Fatal(err)
			}
			if d.Allowed != tt.allowed || d.Explicit != tt.explicit {
				t.Fatalf("decision = %+v, want allowed=%v explicit=%v", d, tt.allowed, tt.explicit)
			}
		})
	}

	// A role deleted and re-created under the same name does not honour
	// the old role's sessions.
	if err := s.DeleteRolePolicy(ctx, "notes", "own"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRole(ctx, "notes"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateRole(ctx, iam.CreateRoleInput{Name: "notes", TrustPolicy: trust}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutRolePolicy(ctx, "notes", "own", perIdentity); err != nil {
		t.Fatal(err)
	}
	d, _ := s.Authorize(ctx, access.Check{Principal: alice, Action: "s3:PutObject", Resource: "arn:aws:s3:::notes/us-east-1:alice/a.txt"})
	if d.Allowed {
		t.Fatal("a session of the deleted role is still allowed after the name was reused")
	}
}

// TestDeletedIdentityLosesAccess: a Cognito identity's session stops
// working when the identity is deleted, as on AWS.
func TestDeletedIdentityLosesAccess(t *testing.T) {
	ctx := context.Background()
	s, st := newServiceAndStore(t)
	r, err := s.CreateRole(ctx, iam.CreateRoleInput{Name: "notes", TrustPolicy: trust})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutRolePolicy(ctx, "notes", "all", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateIdentity(ctx, store.Identity{ID: "us-east-1:gone", PoolID: "us-east-1:pool"}); err != nil {
		t.Fatal(err)
	}
	who := session(r, map[string][]string{"cognito-identity.amazonaws.com:sub": {"us-east-1:gone"}})
	check := access.Check{Principal: who, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	if d, _ := s.Authorize(ctx, check); !d.Allowed {
		t.Fatalf("before deletion: %+v", d)
	}
	if err := st.DeleteIdentity(ctx, "us-east-1:gone"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Authorize(ctx, check); d.Allowed || !strings.Contains(d.Reason, "deleted") {
		t.Fatalf("after deletion: %+v", d)
	}
}
