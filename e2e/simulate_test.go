package e2e

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"github.com/federa/federa/internal/app/apptest"
)

const simulatedPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Own", "Effect": "Allow", "Action": "s3:*",
     "Resource": "arn:aws:s3:::notes/${cognito-identity.amazonaws.com:sub}/*"},
    {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
  ]
}`

// TestSimulateCustomPolicy asks IAM's policy simulator, through the SDK, what
// the seed's per-identity policy allows, and reads the answer as the aws CLI
// would print it.
func TestSimulateCustomPolicy(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := iam.NewFromConfig(srv.RootConfig())
	sub := "us-east-1:11111111-2222-3333-4444-555555555555"
	out, err := c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{simulatedPolicy},
		ActionNames:     []string{"s3:GetObject", "s3:DeleteObject", "s3:PutObject"},
		ResourceArns:    []string{"arn:aws:s3:::notes/" + sub + "/a.txt", "arn:aws:s3:::notes/someone-else/a.txt"},
		ContextEntries: []iamtypes.ContextEntry{{ContextKeyName: aws.String("cognito-identity.amazonaws.com:sub"),
			ContextKeyType: iamtypes.ContextKeyTypeEnumString, ContextKeyValues: []string{sub}}},
	})
	must(t, err)
	want := []struct {
		action, decision string
		mine             bool
		sid              int32 // start line of the matched statement, 0: none
	}{
		{"s3:GetObject", "allowed", true, 4}, {"s3:GetObject", "implicitDeny", false, 0},
		{"s3:DeleteObject", "explicitDeny", true, 6}, {"s3:DeleteObject", "explicitDeny", false, 6},
		{"s3:PutObject", "allowed", true, 4}, {"s3:PutObject", "implicitDeny", false, 0},
	}
	if len(out.EvaluationResults) != len(want) {
		t.Fatalf("%d results, want %d", len(out.EvaluationResults), len(want))
	}
	for i, r := range out.EvaluationResults {
		w := want[i]
		if aws.ToString(r.EvalActionName) != w.action || string(r.EvalDecision) != w.decision {
			t.Errorf("result %d: %s %s, want %s %s", i, aws.ToString(r.EvalActionName), r.EvalDecision, w.action, w.decision)
		}
		if (w.sid == 0) != (len(r.MatchedStatements) == 0) {
			t.Errorf("result %d: matched statements %d", i, len(r.MatchedStatements))
			continue
		}
		if w.sid != 0 {
			m := r.MatchedStatements[0]
			if aws.ToString(m.SourcePolicyId) != "PolicyInputList.1" || m.SourcePolicyType != iamtypes.PolicySourceTypeNone || m.StartPosition.Line != w.sid {
				t.Errorf("result %d: matched %s %s at line %d, want line %d", i, aws.ToString(m.SourcePolicyId), m.SourcePolicyType, m.StartPosition.Line, w.sid)
			}
		}
	}

	// Without the context key the simulator says which key it lacked.
	out, err = c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{simulatedPolicy}, ActionNames: []string{"s3:GetObject"},
		ResourceArns: []string{"arn:aws:s3:::notes/x/a.txt"},
	})
	must(t, err)
	if r := out.EvaluationResults[0]; string(r.EvalDecision) != "implicitDeny" || len(r.MissingContextValues) != 1 ||
		r.MissingContextValues[0] != "cognito-identity.amazonaws.com:sub" {
		t.Errorf("without context: %s, missing %v", r.EvalDecision, r.MissingContextValues)
	}

	// A permissions boundary narrows the allow, and says so.
	out, err = c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList:                    []string{simulatedPolicy},
		PermissionsBoundaryPolicyInputList: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}`},
		ActionNames:                        []string{"s3:GetObject", "s3:PutObject"},
		ResourceArns:                       []string{"arn:aws:s3:::notes/" + sub + "/a.txt"},
		ContextEntries: []iamtypes.ContextEntry{{ContextKeyName: aws.String("cognito-identity.amazonaws.com:sub"),
			ContextKeyType: iamtypes.ContextKeyTypeEnumString, ContextKeyValues: []string{sub}}},
	})
	must(t, err)
	for i, want := range []string{"allowed", "implicitDeny"} {
		r := out.EvaluationResults[i]
		if string(r.EvalDecision) != want || r.PermissionsBoundaryDecisionDetail == nil ||
			r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary != (want == "allowed") {
			t.Errorf("with boundary, %s: %s", aws.ToString(r.EvalActionName), r.EvalDecision)
		}
	}

	// A malformed policy is refused with what to fix.
	_, err = c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Statement":[]}`}, ActionNames: []string{"s3:GetObject"}})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "InvalidInput" {
		t.Errorf("malformed policy: %v", err)
	}
}

// TestSimulatePrincipalPolicy simulates a role's own inline and attached
// policies, as a user checks a role before handing it out.
func TestSimulatePrincipalPolicy(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := iam.NewFromConfig(srv.RootConfig())
	trust := trustPolicy("us-east-1:00000000-0000-0000-0000-000000000000")
	role, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("reader"), AssumeRolePolicyDocument: &trust})
	must(t, err)
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("reader"), PolicyName: aws.String("own-files"), PolicyDocument: aws.String(simulatedPolicy)})
	must(t, err)
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("reader"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")})
	must(t, err)
	out, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: role.Role.Arn, ActionNames: []string{"s3:ListBucket", "s3:DeleteObject", "iam:ListRoles"},
	})
	must(t, err)
	want := []struct{ decision, source, kind string }{
		{"allowed", "AmazonS3ReadOnlyAccess", "aws-managed"},
		{"explicitDeny", "own-files", "role"},
		{"implicitDeny", "", ""},
	}
	for i, r := range out.EvaluationResults {
		w := want[i]
		if string(r.EvalDecision) != w.decision {
			t.Errorf("%s: %s, want %s", aws.ToString(r.EvalActionName), r.EvalDecision, w.decision)
			continue
		}
		if w.source != "" && (len(r.MatchedStatements) == 0 || aws.ToString(r.MatchedStatements[0].SourcePolicyId) != w.source ||
			string(r.MatchedStatements[0].SourcePolicyType) != w.kind) {
			t.Errorf("%s: matched %+v, want %s (%s)", aws.ToString(r.EvalActionName), r.MatchedStatements, w.source, w.kind)
		}
	}

	_, err = c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::" + apptest.Account + ":role/nobody"), ActionNames: []string{"s3:GetObject"}})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "NoSuchEntity" {
		t.Errorf("unknown role: %v", err)
	}
}
