package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/federa/federa/internal/app/apptest"
)

// world is what the seed 003 + 004 setup creates.
type world struct {
	srv            *apptest.Server
	userPoolID     string
	clientID       string
	identityPoolID string // role: per-identity policy + AmazonS3ReadOnlyAccess
	readOnlyPoolID string // role: AmazonS3ReadOnlyAccess only (seed 003)
	bucket         string
}

const password = "Corr3ct-horse!"

func (w *world) provider() string {
	return "cognito-idp." + apptest.Region + ".amazonaws.com/" + w.userPoolID
}

func trustPolicy(poolID string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"` + poolID + `"},` +
		`"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}`
}

func perIdentityPolicy(bucket string) string {
	return strings.ReplaceAll(`{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],"Resource":"*"},
 {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::B","Condition":{"StringLike":{"s3:prefix":["","/","${cognito-identity.amazonaws.com:sub}/*"]}}},
 {"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::B/${cognito-identity.amazonaws.com:sub}","arn:aws:s3:::B/${cognito-identity.amazonaws.com:sub}/*"]}]}`, "B", bucket)
}

// setupWorld performs, as root through the SDK, what seeds 003 and 004 set up
// in the console.
func setupWorld(t *testing.T) *world {
	t.Helper()
	return setupWorldOn(t, apptest.NewServer(t))
}

// setupWorldOn is setupWorld on a given server.
func setupWorldOn(t *testing.T, srv *apptest.Server) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{srv: srv, bucket: "notes-uploads"}
	cfg := w.srv.RootConfig()
	idp := cip.NewFromConfig(cfg)

	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("notes")})
	must(t, err)
	w.userPoolID = *pool.UserPool.Id
	client, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: &w.userPoolID, ClientName: aws.String("notes-app"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{ciptypes.ExplicitAuthFlowsTypeAllowUserPasswordAuth, ciptypes.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	must(t, err)
	w.clientID = *client.UserPoolClient.ClientId
	for _, u := range []string{"alice", "bob"} {
		w.createUser(t, u)
	}

	idc := ci.NewFromConfig(cfg)
	iamc := iam.NewFromConfig(cfg)
	newPool := func(name string) string {
		out, err := idc.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{
			IdentityPoolName: aws.String(name), AllowUnauthenticatedIdentities: false,
			CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{ProviderName: aws.String(w.provider()), ClientId: &w.clientID}},
		})
		must(t, err)
		return *out.IdentityPoolId
	}
	newRole := func(name, poolID string, policyARNs ...string) string {
		out, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustPolicy(poolID))})
		must(t, err)
		for _, arn := range policyARNs {
			_, err := iamc.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)})
			must(t, err)
		}
		_, err = idc.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: &poolID, Roles: map[string]string{"authenticated": *out.Role.Arn}})
		must(t, err)
		return *out.Role.Arn
	}
	pol, err := iamc.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("per-identity"), PolicyDocument: aws.String(perIdentityPolicy(w.bucket))})
	must(t, err)
	const readOnly = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
	w.identityPoolID = newPool("notes")
	newRole("Cognito_notesAuth_Role", w.identityPoolID, *pol.Policy.Arn, readOnly)
	w.readOnlyPoolID = newPool("readers")
	newRole("identitypools3access", w.readOnlyPoolID, readOnly)

	s3c := w.s3(cfg)
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &w.bucket})
	must(t, err)
	return w
}

func (w *world) createUser(t *testing.T, name string) {
	t.Helper()
	ctx := context.Background()
	idp := cip.NewFromConfig(w.srv.RootConfig())
	_, err := idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &w.userPoolID, Username: aws.String(name),
		MessageAction: ciptypes.MessageActionTypeSuppress})
	must(t, err)
	_, err = idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &w.userPoolID, Username: aws.String(name),
		Password: aws.String(password), Permanent: true})
	must(t, err)
}

// signIn returns a user's ID token, as `aws cognito-idp initiate-auth` does.
func (w *world) signIn(t *testing.T, user string) string {
	t.Helper()
	idp := cip.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	out, err := idp.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth, ClientId: &w.clientID,
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": password},
	})
	must(t, err)
	if out.AuthenticationResult == nil || out.AuthenticationResult.IdToken == nil {
		t.Fatalf("InitiateAuth for %s returned no ID token (challenge %q)", user, out.ChallengeName)
	}
	return *out.AuthenticationResult.IdToken
}

// credentialsFor runs get-id and get-credentials-for-identity for a token.
func (w *world) credentialsFor(t *testing.T, poolID, token string) (identityID string, creds aws.Credentials) {
	t.Helper()
	ctx := context.Background()
	idc := ci.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	logins := map[string]string{w.provider(): token}
	id, err := idc.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &poolID, Logins: logins})
	must(t, err)
	out, err := idc.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
	must(t, err)
	c := out.Credentials
	return *id.IdentityId, aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretKey, SessionToken: *c.SessionToken}
}

func (w *world) s3(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

func (w *world) sessionConfig(c aws.Credentials) aws.Config {
	return w.srv.Config(credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
