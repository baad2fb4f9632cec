package e2e

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// TestRolePermissionsBoundary bounds the seed role with a read-only
// boundary: a signed-in user keeps reading their folder, loses writing to it
// at once, and gets writing back when the boundary is removed. The boundary
// shows in GetRole and blocks deleting its policy.
func TestRolePermissionsBoundary(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	root := iam.NewFromConfig(w.srv.RootConfig())
	id, creds := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "alice"))
	user := w.s3(w.sessionConfig(creds))
	key := id + "/note.txt"
	put := func() error {
		_, err := user.PutObject(ctx, &s3.PutObjectInput{Bucket: &w.bucket, Key: &key, Body: bytes.NewReader([]byte("hi"))})
		return err
	}
	must(t, put())

	readOnly, err := root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read-only-boundary"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}}`)})
	must(t, err)
	_, err = root.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("Cognito_notesAuth_Role"), PermissionsBoundary: readOnly.Policy.Arn})
	must(t, err)
	role, err := root.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("Cognito_notesAuth_Role")})
	must(t, err)
	if b := role.Role.PermissionsBoundary; b == nil || aws.ToString(b.PermissionsBoundaryArn) != aws.ToString(readOnly.Policy.Arn) || b.PermissionsBoundaryType != "PermissionsBoundaryPolicy" {
		t.Fatalf("GetRole boundary = %+v", b)
	}

	if err := put(); !isCode(err, "AccessDenied") {
		t.Fatalf("put under a read-only boundary: %v", err)
	}
	if _, err := user.GetObject(ctx, &s3.GetObjectInput{Bucket: &w.bucket, Key: &key}); err != nil {
		t.Fatalf("get under a read-only boundary: %v", err)
	}
	if _, err := root.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: readOnly.Policy.Arn}); !isCode(err, "DeleteConflict") {
		t.Fatalf("deleting a policy in use as a boundary: %v", err)
	}
	got, err := root.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: readOnly.Policy.Arn})
	must(t, err)
	if aws.ToInt32(got.Policy.PermissionsBoundaryUsageCount) != 1 {
		t.Errorf("PermissionsBoundaryUsageCount = %d", aws.ToInt32(got.Policy.PermissionsBoundaryUsageCount))
	}
	sim, err := root.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: role.Role.Arn,
		ActionNames: []string{"s3:PutObject"}, ResourceArns: []string{"arn:aws:s3:::" + w.bucket + "/" + key}})
	must(t, err)
	if r := sim.EvaluationResults[0]; string(r.EvalDecision) != "implicitDeny" || r.PermissionsBoundaryDecisionDetail == nil || r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary {
		t.Errorf("simulated put under the boundary: %s %+v", r.EvalDecision, r.PermissionsBoundaryDecisionDetail)
	}

	_, err = root.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("Cognito_notesAuth_Role")})
	must(t, err)
	must(t, put())
	_, err = root.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("Cognito_notesAuth_Role")})
	if !isCode(err, "NoSuchEntity") {
		t.Errorf("deleting a missing boundary: %v", err)
	}
	_, err = root.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("Cognito_notesAuth_Role"),
		PermissionsBoundary: aws.String("arn:aws:iam::123456789012:policy/nope")})
	if !isCode(err, "NoSuchEntity") {
		t.Errorf("boundary that does not exist: %v", err)
	}
}

func isCode(err error, code string) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == code
}
