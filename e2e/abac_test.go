package e2e

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestPrincipalTags gives sessions tags from token claims (attributes for
// access control) and lets an S3 policy use them as aws:PrincipalTag: each
// user writes under their department's prefix. A trust policy without
// sts:TagSession makes the pool's configuration invalid, as on AWS.
func TestPrincipalTags(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	root := w.srv.RootConfig()
	iamc, idp, idc := iam.NewFromConfig(root), cip.NewFromConfig(root), ci.NewFromConfig(root)
	_, err := idp.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: &w.userPoolID,
		CustomAttributes: []ciptypes.SchemaAttributeType{{Name: aws.String("dept"), AttributeDataType: "String"}}})
	must(t, err)
	_, err = idp.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &w.userPoolID, Username: aws.String("alice"),
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("custom:dept"), Value: aws.String("sales")}}})
	must(t, err)

	const abacPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject",
"Resource":"arn:aws:s3:::notes-uploads/dept/${aws:PrincipalTag/department}/*"}]}`
	withTagSession := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
"Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],"Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"` + w.identityPoolID + `"}}}]}`
	_, err = iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("abac"), AssumeRolePolicyDocument: aws.String(trustPolicy(w.identityPoolID))})
	must(t, err)
	_, err = iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("abac"), PolicyName: aws.String("dept"), PolicyDocument: aws.String(abacPolicy)})
	must(t, err)
	_, err = idc.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: &w.identityPoolID,
		Roles: map[string]string{"authenticated": "arn:aws:iam::123456789012:role/abac"}})
	must(t, err)
	_, err = idc.SetPrincipalTagAttributeMap(ctx, &ci.SetPrincipalTagAttributeMapInput{IdentityPoolId: &w.identityPoolID,
		IdentityProviderName: aws.String(w.provider()), UseDefaults: aws.Bool(false), PrincipalTags: map[string]string{"department": "custom:dept"}})
	must(t, err)
	got, err := idc.GetPrincipalTagAttributeMap(ctx, &ci.GetPrincipalTagAttributeMapInput{IdentityPoolId: &w.identityPoolID, IdentityProviderName: aws.String(w.provider())})
	must(t, err)
	if got.PrincipalTags["department"] != "custom:dept" || aws.ToBool(got.UseDefaults) {
		t.Errorf("GetPrincipalTagAttributeMap = %+v", got)
	}

	// The trust policy does not allow sts:TagSession yet.
	anon := ci.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	logins := map[string]string{w.provider(): w.signIn(t, "alice")}
	id, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID, Logins: logins})
	must(t, err)
	if _, err := anon.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins}); !isCode(err, "InvalidIdentityPoolConfigurationException") {
		t.Fatalf("tags without sts:TagSession: %v", err)
	}
	_, err = iamc.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("abac"), PolicyDocument: aws.String(withTagSession)})
	must(t, err)
	_, creds := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "alice"))
	user := w.s3(w.sessionConfig(creds))
	put := func(key string) error {
		_, err := user.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(w.bucket), Key: aws.String(key), Body: bytes.NewReader([]byte("x"))})
		return err
	}
	if err := put("dept/sales/q3.txt"); err != nil {
		t.Errorf("own department: %v", err)
	}
	if err := put("dept/legal/q3.txt"); !isCode(err, "AccessDenied") {
		t.Errorf("another department: %v", err)
	}
	// bob has no dept: no tag, so the variable is null and nothing matches.
	_, bobCreds := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "bob"))
	if _, err := w.s3(w.sessionConfig(bobCreds)).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(w.bucket), Key: aws.String("dept//x"), Body: bytes.NewReader(nil)}); !isCode(err, "AccessDenied") {
		t.Errorf("no tag: %v", err)
	}
}
