package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/federa/federa/internal/app/apptest"
)

// TestAliasSignIn signs in with a verified email and a preferred_username
// of a pool with aliases, and refuses an alias another user has.
func TestAliasSignIn(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := cip.NewFromConfig(srv.RootConfig())
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("aliases"),
		AliasAttributes: []ciptypes.AliasAttributeType{"email", "preferred_username"}})
	must(t, err)
	poolID := pool.UserPool.Id
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("app"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	must(t, err)
	create := func(name string, attrs ...string) {
		var list []ciptypes.AttributeType
		for i := 0; i < len(attrs); i += 2 {
			list = append(list, ciptypes.AttributeType{Name: aws.String(attrs[i]), Value: aws.String(attrs[i+1])})
		}
		_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: poolID, Username: aws.String(name), MessageAction: "SUPPRESS", UserAttributes: list})
		must(t, err)
		_, err = c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: poolID, Username: aws.String(name), Password: aws.String(password), Permanent: true})
		must(t, err)
	}
	create("lee", "email", "lee@example.com", "email_verified", "true", "preferred_username", "leeroy")
	create("max", "email", "max@example.com")
	signIn := func(name string) (string, error) {
		out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: cl.UserPoolClient.ClientId, AuthFlow: "USER_PASSWORD_AUTH",
			AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password}})
		if err != nil {
			return "", err
		}
		return payload(t, aws.ToString(out.AuthenticationResult.IdToken))["cognito:username"].(string), nil
	}
	for _, name := range []string{"lee", "LEE@example.com", "leeroy"} {
		if got, err := signIn(name); err != nil || got != "lee" {
			t.Errorf("sign in as %s: %q %v", name, got, err)
		}
	}
	if _, err := signIn("max@example.com"); !isCode(err, "NotAuthorizedException") {
		t.Errorf("an unverified email is no alias: %v", err)
	}
	_, err = c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: poolID, Username: aws.String("max"),
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("preferred_username"), Value: aws.String("Leeroy")}}})
	if !isCode(err, "AliasExistsException") {
		t.Errorf("taking another user's alias: %v", err)
	}
}
