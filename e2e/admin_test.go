package e2e

import (
	"context"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/federa/federa/internal/app/apptest"
)

// TestIAMThroughSDK drives the IAM operations of issue 2 as a user's
// tooling would, checking what it reads back.
func TestIAMThroughSDK(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := iam.NewFromConfig(srv.RootConfig())
	trust := trustPolicy("us-east-1:00000000-0000-0000-0000-000000000000")

	_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: &trust,
		Description: aws.String("seed role"), Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("notes")}}})
	must(t, err)
	got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")})
	must(t, err)
	doc, err := url.QueryUnescape(aws.ToString(got.Role.AssumeRolePolicyDocument))
	if err != nil || doc != trust {
		t.Errorf("trust policy read back = %q, want %q", doc, trust)
	}
	if aws.ToString(got.Role.Arn) != "arn:aws:iam::"+apptest.Account+":role/app" || len(got.Role.Tags) != 1 {
		t.Errorf("role = %+v", got.Role)
	}

	inline := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a b+c"}]}`
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("inline"), PolicyDocument: &inline})
	must(t, err)
	rp, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("inline")})
	must(t, err)
	if doc, _ := url.QueryUnescape(aws.ToString(rp.PolicyDocument)); doc != inline {
		t.Errorf("inline policy read back = %q", doc)
	}
	names, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("app")})
	must(t, err)
	if len(names.PolicyNames) != 1 || names.PolicyNames[0] != "inline" {
		t.Errorf("ListRolePolicies = %v", names.PolicyNames)
	}

	pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("mine"), PolicyDocument: &inline})
	must(t, err)
	for _, arn := range []string{aws.ToString(pol.Policy.Arn), "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"} {
		_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)})
		must(t, err)
	}
	att, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("app")})
	must(t, err)
	if len(att.AttachedPolicies) != 2 || aws.ToString(att.AttachedPolicies[1].PolicyName) != "AmazonS3ReadOnlyAccess" {
		t.Errorf("attached = %+v", att.AttachedPolicies)
	}
	ver, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"), VersionId: aws.String("v3")})
	must(t, err)
	if doc, _ := url.QueryUnescape(aws.ToString(ver.PolicyVersion.Document)); doc == "" || !ver.PolicyVersion.IsDefaultVersion {
		t.Errorf("AWS managed policy version = %+v", ver.PolicyVersion)
	}
	gp, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: pol.Policy.Arn})
	must(t, err)
	if aws.ToInt32(gp.Policy.AttachmentCount) != 1 {
		t.Errorf("AttachmentCount = %d, want 1", aws.ToInt32(gp.Policy.AttachmentCount))
	}
	local, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal})
	must(t, err)
	if len(local.Policies) != 1 {
		t.Errorf("local policies = %d, want 1", len(local.Policies))
	}

	// Refusals, with IAM's codes.
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: pol.Policy.Arn})
	wantCode(t, err, "DeleteConflict")
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantCode(t, err, "DeleteConflict")
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Statement":[]}`)})
	wantCode(t, err, "MalformedPolicyDocument")
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("nobody")})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: &trust})
	wantCode(t, err, "EntityAlreadyExists")

	// Tear down in the order IAM requires.
	for _, arn := range []string{aws.ToString(pol.Policy.Arn), "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"} {
		_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arn)})
		must(t, err)
	}
	_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("inline")})
	must(t, err)
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	must(t, err)
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: pol.Policy.Arn})
	must(t, err)
}

// TestCognitoAdminThroughSDK drives the user pool and identity pool
// administration of issue 2 and checks what DescribeX returns.
func TestCognitoAdminThroughSDK(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	cfg := w.srv.RootConfig()
	idp := cip.NewFromConfig(cfg)

	pool, err := idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &w.userPoolID})
	must(t, err)
	if aws.ToString(pool.UserPool.Name) != "notes" || pool.UserPool.EstimatedNumberOfUsers < 1 ||
		aws.ToString(pool.UserPool.Arn) != "arn:aws:cognito-idp:us-east-1:"+apptest.Account+":userpool/"+w.userPoolID {
		t.Errorf("pool = %+v", pool.UserPool)
	}
	// Every client field given is returned, OAuth settings included.
	cl, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &w.userPoolID, ClientName: aws.String("web"),
		AllowedOAuthFlows: []ciptypes.OAuthFlowType{ciptypes.OAuthFlowTypeImplicit}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid", "email"}, CallbackURLs: []string{"http://localhost:3000"},
		SupportedIdentityProviders: []string{"COGNITO"}, IdTokenValidity: aws.Int32(30),
		TokenValidityUnits: &ciptypes.TokenValidityUnitsType{IdToken: ciptypes.TimeUnitsTypeMinutes}, GenerateSecret: true})
	must(t, err)
	d, err := idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &w.userPoolID, ClientId: cl.UserPoolClient.ClientId})
	must(t, err)
	c := d.UserPoolClient
	if len(c.CallbackURLs) != 1 || c.CallbackURLs[0] != "http://localhost:3000" || len(c.AllowedOAuthScopes) != 2 ||
		!aws.ToBool(c.AllowedOAuthFlowsUserPoolClient) || aws.ToInt32(c.IdTokenValidity) != 30 || c.TokenValidityUnits.IdToken != ciptypes.TimeUnitsTypeMinutes ||
		len(aws.ToString(c.ClientSecret)) == 0 {
		t.Errorf("client read back = %+v", c)
	}
	clients, err := idp.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: &w.userPoolID})
	must(t, err)
	if len(clients.UserPoolClients) != 2 {
		t.Errorf("clients = %d, want 2", len(clients.UserPoolClients))
	}
	_, err = idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: &w.userPoolID, Domain: aws.String("notes-auth")})
	must(t, err)
	dom, err := idp.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("notes-auth")})
	must(t, err)
	if aws.ToString(dom.DomainDescription.UserPoolId) != w.userPoolID {
		t.Errorf("domain = %+v", dom.DomainDescription)
	}
	users, err := idp.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &w.userPoolID, Filter: aws.String(`username = "alice"`)})
	must(t, err)
	if len(users.Users) != 1 {
		t.Errorf("ListUsers filter = %d users", len(users.Users))
	}
	_, err = idp.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: &w.userPoolID, Username: aws.String("alice")})
	must(t, err)
	_, err = idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &w.userPoolID, Username: aws.String("alice")})
	wantCode(t, err, "UserNotFoundException")
	_, err = idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_nope")})
	wantCode(t, err, "ResourceNotFoundException")

	ident := ci.NewFromConfig(cfg)
	ip, err := ident.DescribeIdentityPool(ctx, &ci.DescribeIdentityPoolInput{IdentityPoolId: &w.identityPoolID})
	must(t, err)
	if len(ip.CognitoIdentityProviders) != 1 || aws.ToString(ip.CognitoIdentityProviders[0].ClientId) != w.clientID {
		t.Errorf("identity pool = %+v", ip)
	}
	roles, err := ident.GetIdentityPoolRoles(ctx, &ci.GetIdentityPoolRolesInput{IdentityPoolId: &w.identityPoolID})
	must(t, err)
	if roles.Roles["authenticated"] == "" {
		t.Errorf("roles = %v", roles.Roles)
	}
	_, err = ident.UpdateIdentityPool(ctx, &ci.UpdateIdentityPoolInput{IdentityPoolId: &w.identityPoolID, IdentityPoolName: aws.String("renamed"),
		AllowUnauthenticatedIdentities: true, CognitoIdentityProviders: ip.CognitoIdentityProviders})
	must(t, err)
	list, err := ident.ListIdentityPools(ctx, &ci.ListIdentityPoolsInput{MaxResults: aws.Int32(60)})
	must(t, err)
	renamed := false
	for _, p := range list.IdentityPools {
		renamed = renamed || aws.ToString(p.IdentityPoolName) == "renamed"
	}
	if !renamed {
		t.Errorf("ListIdentityPools = %+v, want the renamed pool", list.IdentityPools)
	}
	// Guests are now allowed: an unauthenticated identity gets no
	// credentials, because the pool has no unauthenticated role.
	guest, err := ident.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID})
	must(t, err)
	_, err = ident.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: guest.IdentityId})
	wantCode(t, err, "InvalidIdentityPoolConfigurationException")
	_, err = ident.DeleteIdentityPool(ctx, &ci.DeleteIdentityPoolInput{IdentityPoolId: &w.identityPoolID})
	must(t, err)
	_, err = ident.DescribeIdentityPool(ctx, &ci.DescribeIdentityPoolInput{IdentityPoolId: &w.identityPoolID})
	wantCode(t, err, "ResourceNotFoundException")
}

// TestSessionCannotAdminister checks that identity-pool credentials, whose
// role allows only S3, are refused by IAM and the Cognito admin APIs.
func TestSessionCannotAdminister(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	_, creds := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "alice"))
	cfg := w.sessionConfig(creds)
	_, err := iam.NewFromConfig(cfg).ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, err, "AccessDenied")
	_, err = cip.NewFromConfig(cfg).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantCode(t, err, "AccessDeniedException")
	_, err = ci.NewFromConfig(cfg).ListIdentityPools(ctx, &ci.ListIdentityPoolsInput{MaxResults: aws.Int32(10)})
	wantCode(t, err, "AccessDeniedException")
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(t, err)
	if aws.ToString(who.Account) != apptest.Account {
		t.Errorf("Account = %q", aws.ToString(who.Account))
	}
}
