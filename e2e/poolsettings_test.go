package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/federa/federa/internal/app/apptest"
)

// TestUpdatePoolAndClient changes a pool's password policy and a client's
// flows through the SDK, and deletes the client: each change shows in
// what sign-in accepts.
func TestUpdatePoolAndClient(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := cip.NewFromConfig(srv.RootConfig())
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	must(t, err)
	poolID := pool.UserPool.Id
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("app"), GenerateSecret: true,
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH"}})
	must(t, err)
	clientID, secret := cl.UserPoolClient.ClientId, aws.ToString(cl.UserPoolClient.ClientSecret)

	_, err = c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: poolID, Policies: &ciptypes.UserPoolPolicyType{
		PasswordPolicy: &ciptypes.PasswordPolicyType{MinimumLength: aws.Int32(12)}}})
	must(t, err)
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: poolID, Username: aws.String("ivy"), TemporaryPassword: aws.String("Short-1!")}); !isCode(err, "InvalidPasswordException") {
		t.Errorf("an 8-character password under a 12-character policy: %v", err)
	}
	if _, err := c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: poolID, MfaConfiguration: "ON"}); !isCode(err, "InvalidParameterException") {
		t.Errorf("MFA ON without a software token config: %v", err)
	}

	up, err := c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: poolID, ClientId: clientID, ClientName: aws.String("app2"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH"}})
	must(t, err)
	if aws.ToString(up.UserPoolClient.ClientName) != "app2" || aws.ToString(up.UserPoolClient.ClientSecret) != secret || len(up.UserPoolClient.ExplicitAuthFlows) != 1 {
		t.Errorf("updated client = %+v", up.UserPoolClient)
	}
	if _, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: clientID, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "ivy", "PASSWORD": "x"}}); !isCode(err, "InvalidParameterException") {
		t.Errorf("password flow after it was removed: %v", err)
	}
	_, err = c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: poolID, ClientId: clientID})
	must(t, err)
	if _, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: poolID, ClientId: clientID}); !isCode(err, "ResourceNotFoundException") {
		t.Errorf("deleted client: %v", err)
	}
}
