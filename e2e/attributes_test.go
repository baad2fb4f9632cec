package e2e

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/federa/federa/internal/app/apptest"
)

// TestCustomAttributesAndClientPermissions defines custom attributes in
// the schema and limits what one client may read and write: the schema is
// enforced at sign-up and update, and tokens and GetUser show a client only
// what it may read.
func TestCustomAttributesAndClientPermissions(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := cip.NewFromConfig(srv.RootConfig())
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("attrs"), Schema: []ciptypes.SchemaAttributeType{
		{Name: aws.String("plan"), AttributeDataType: "String", Mutable: aws.Bool(true)},
		{Name: aws.String("given_name"), AttributeDataType: "String", Required: aws.Bool(true)},
	}})
	must(t, err)
	poolID := pool.UserPool.Id
	_, err = c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: poolID, CustomAttributes: []ciptypes.SchemaAttributeType{
		{Name: aws.String("seats"), AttributeDataType: "Number"},
		{Name: aws.String("tenant"), AttributeDataType: "String", Mutable: aws.Bool(false)},
	}})
	must(t, err)
	if _, err := c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: poolID, CustomAttributes: []ciptypes.SchemaAttributeType{
		{Name: aws.String("plan"), AttributeDataType: "String"}}}); !isCode(err, "InvalidParameterException") {
		t.Errorf("adding an existing attribute: %v", err)
	}
	// The web client may read given_name and custom:plan and write given_name only.
	web, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("web"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		ReadAttributes:    []string{"given_name", "custom:plan", "email"}, WriteAttributes: []string{"given_name", "email"}})
	must(t, err)
	clientID := web.UserPoolClient.ClientId
	signUp := func(attrs ...string) error {
		var list []ciptypes.AttributeType
		for i := 0; i < len(attrs); i += 2 {
			list = append(list, ciptypes.AttributeType{Name: aws.String(attrs[i]), Value: aws.String(attrs[i+1])})
		}
		_, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: clientID, Username: aws.String("jo"), Password: aws.String("Jo-pass-123!"), UserAttributes: list})
		return err
	}
	for _, tt := range []struct {
		name  string
		attrs []string
		code  string
	}{
		{"required attribute missing", []string{"email", "jo@example.com"}, "InvalidParameterException"},
		{"attribute not in the schema", []string{"given_name", "Jo", "custom:nope", "x"}, "InvalidParameterException"},
		{"unprefixed unknown attribute", []string{"given_name", "Jo", "shoe_size", "9"}, "InvalidParameterException"},
		{"attribute the client may not write", []string{"given_name", "Jo", "custom:plan", "pro"}, "NotAuthorizedException"},
	} {
		if err := signUp(tt.attrs...); !isCode(err, tt.code) {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
	must(t, signUp("given_name", "Jo", "email", "jo@example.com"))

	// The administrator sets what the client may not, with type checks.
	set := func(name, value string) error {
		_, err := c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: poolID, Username: aws.String("jo"),
			UserAttributes: []ciptypes.AttributeType{{Name: aws.String(name), Value: aws.String(value)}}})
		return err
	}
	must(t, set("custom:plan", "pro"))
	must(t, set("custom:seats", "5"))
	if err := set("custom:seats", "five"); !isCode(err, "InvalidParameterException") {
		t.Errorf("a word in a Number attribute: %v", err)
	}
	// An immutable attribute is set when the user is created, never after.
	if err := set("custom:tenant", "acme"); !isCode(err, "InvalidParameterException") {
		t.Errorf("setting an immutable attribute after creation: %v", err)
	}
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: poolID, Username: aws.String("kim"), MessageAction: "SUPPRESS",
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("given_name"), Value: aws.String("Kim")}, {Name: aws.String("custom:tenant"), Value: aws.String("acme")}}})
	must(t, err)
	_, err = c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: poolID, Username: aws.String("jo")})
	must(t, err)

	out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: clientID, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "jo", "PASSWORD": "Jo-pass-123!"}})
	must(t, err)
	id := payload(t, aws.ToString(out.AuthenticationResult.IdToken))
	if id["custom:plan"] != "pro" || id["given_name"] != "Jo" || id["custom:seats"] != nil || id["custom:tenant"] != nil {
		t.Errorf("ID token shows %v", id)
	}
	me, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken})
	must(t, err)
	if attr(me.UserAttributes, "custom:seats") != "" || attr(me.UserAttributes, "custom:plan") != "pro" || attr(me.UserAttributes, "sub") == "" {
		t.Errorf("GetUser shows %+v", me.UserAttributes)
	}
	if _, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: out.AuthenticationResult.AccessToken,
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("custom:plan"), Value: aws.String("free")}}}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("client writing custom:plan: %v", err)
	}
	admin, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: poolID, Username: aws.String("jo")})
	must(t, err)
	if attr(admin.UserAttributes, "custom:seats") != "5" {
		t.Errorf("the administrator sees every attribute: %+v", admin.UserAttributes)
	}
}
