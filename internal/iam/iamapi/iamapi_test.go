package iamapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/iam/iamapi"
	"github.com/federa/federa/internal/store/sqlstore"
)

// TestRefusals checks the codes and messages of requests the wire layer
// refuses before the service acts.
func TestRefusals(t *testing.T) {
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := iam.New(st, iam.Options{Region: "us-east-1", AccountID: "123456789012"})
	h := iamapi.New(svc, svc)
	root := &access.Principal{Kind: access.Root, Account: "123456789012", ARN: "arn:aws:iam::123456789012:root"}
	tests := []struct {
		name   string
		caller *access.Principal
		form   string
		status int
		want   []string
	}{
		{"missing parameter", root, "Action=PutRolePolicy&Version=2010-05-08&RoleName=r&PolicyName=p", 400,
			[]string{"<Code>ValidationError</Code>", "Value null at &#39;policyDocument&#39;"}},
		{"bad MaxItems", root, "Action=ListRoles&Version=2010-05-08&MaxItems=0", 400, []string{"<Code>ValidationError</Code>", "maxItems"}},
		{"unsigned", nil, "Action=ListRoles&Version=2010-05-08", 403, []string{"<Code>MissingAuthenticationToken</Code>"}},
		{"unknown action", root, "Action=CreateUser&Version=2010-05-08", 400, []string{"<Code>InvalidAction</Code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.caller != nil {
				r = r.WithContext(access.WithPrincipal(r.Context(), tt.caller))
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body.String())
			}
			for _, s := range tt.want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("body lacks %q: %s", s, w.Body.String())
				}
			}
		})
	}
}
