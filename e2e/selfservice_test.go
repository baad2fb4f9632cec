package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/federa/federa/internal/app"
	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/mail/mailtest"
)

// selfServicePool is a pool that auto-verifies email, with a client that
// signs in with passwords.
func selfServicePool(t *testing.T) (*apptest.Server, *cip.Client, string, string) {
	t.Helper()
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := cip.NewFromConfig(srv.RootConfig())
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("self"), AutoVerifiedAttributes: []ciptypes.VerifiedAttributeType{"email"}})
	must(t, err)
	poolID := aws.ToString(pool.UserPool.Id)
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("app"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	must(t, err)
	return srv, c, poolID, aws.ToString(cl.UserPoolClient.ClientId)
}

// TestSignUpAndRecovery walks a user through self-service as an app would:
// sign up, confirm with the emailed code, sign in, change the password,
// forget it and reset it with a code, change and verify the email, sign
// out everywhere, and delete the account; each step's refusals too.
func TestSignUpAndRecovery(t *testing.T) {
	ctx := context.Background()
	srv, c, poolID, client := selfServicePool(t)
	signIn := func(user, pw string) (*cip.InitiateAuthOutput, error) {
		return c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: "USER_PASSWORD_AUTH",
			AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": pw}})
	}

	up, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("dana"), Password: aws.String("Dana-pass-1!"),
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String("dana@example.com")}}})
	must(t, err)
	if up.UserConfirmed || aws.ToString(up.UserSub) == "" || up.CodeDeliveryDetails == nil ||
		aws.ToString(up.CodeDeliveryDetails.Destination) != "d***@e***" || up.CodeDeliveryDetails.DeliveryMedium != "EMAIL" {
		t.Fatalf("SignUp = %+v %+v", up, up.CodeDeliveryDetails)
	}
	if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("dana"), Password: aws.String("Dana-pass-1!")}); !isCode(err, "UsernameExistsException") {
		t.Errorf("second sign-up: %v", err)
	}
	if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("weak"), Password: aws.String("short")}); !isCode(err, "InvalidPasswordException") {
		t.Errorf("weak password: %v", err)
	}
	if _, err := signIn("dana", "Dana-pass-1!"); !isCode(err, "UserNotConfirmedException") {
		t.Errorf("sign-in before confirming: %v", err)
	}
	if _, err := c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &client, Username: aws.String("dana"), ConfirmationCode: aws.String("000000")}); !isCode(err, "CodeMismatchException") {
		t.Errorf("wrong code: %v", err)
	}
	_, err = c.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: &client, Username: aws.String("dana")})
	must(t, err)
	code := lastCode(t, srv, poolID, "dana")
	_, err = c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &client, Username: aws.String("dana"), ConfirmationCode: &code})
	must(t, err)
	if _, err := c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &client, Username: aws.String("dana"), ConfirmationCode: &code}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("confirming twice: %v", err)
	}
	user, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("dana")})
	must(t, err)
	if user.UserStatus != "CONFIRMED" || attr(user.UserAttributes, "email_verified") != "true" {
		t.Errorf("after confirming: %s email_verified=%s", user.UserStatus, attr(user.UserAttributes, "email_verified"))
	}

	auth, err := signIn("dana", "Dana-pass-1!")
	must(t, err)
	access := auth.AuthenticationResult.AccessToken
	if _, err := c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: access, PreviousPassword: aws.String("nope"), ProposedPassword: aws.String("Dana-pass-2!")}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("change with a wrong password: %v", err)
	}
	_, err = c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: access, PreviousPassword: aws.String("Dana-pass-1!"), ProposedPassword: aws.String("Dana-pass-2!")})
	must(t, err)
	if _, err := signIn("dana", "Dana-pass-1!"); !isCode(err, "NotAuthorizedException") {
		t.Errorf("old password after change: %v", err)
	}

	// Forgotten password: a code to the verified email.
	fp, err := c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &client, Username: aws.String("dana")})
	must(t, err)
	if aws.ToString(fp.CodeDeliveryDetails.AttributeName) != "email" {
		t.Errorf("reset code went to %+v", fp.CodeDeliveryDetails)
	}
	reset := lastCode(t, srv, poolID, "dana")
	for i := 0; i < 5; i++ {
		_, err := c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("dana"),
			ConfirmationCode: aws.String("999999"), Password: aws.String("Dana-pass-3!")})
		if !isCode(err, "CodeMismatchException") {
			t.Fatalf("wrong reset code %d: %v", i, err)
		}
	}
	if _, err := c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("dana"),
		ConfirmationCode: &reset, Password: aws.String("Dana-pass-3!")}); !isCode(err, "LimitExceededException") {
		t.Errorf("right code after five wrong ones: %v", err)
	}
	_, err = c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &client, Username: aws.String("dana")})
	must(t, err)
	reset = lastCode(t, srv, poolID, "dana")
	_, err = c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("dana"), ConfirmationCode: &reset, Password: aws.String("Dana-pass-3!")})
	must(t, err)
	auth, err = signIn("dana", "Dana-pass-3!")
	must(t, err)
	access = auth.AuthenticationResult.AccessToken

	// A new email is unverified until its code comes back.
	upd, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: access,
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String("dana@example.org")}}})
	must(t, err)
	if len(upd.CodeDeliveryDetailsList) != 1 {
		t.Errorf("UpdateUserAttributes sent %d codes", len(upd.CodeDeliveryDetailsList))
	}
	got, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: access})
	must(t, err)
	if attr(got.UserAttributes, "email") != "dana@example.org" || attr(got.UserAttributes, "email_verified") != "false" {
		t.Errorf("after the email change: %+v", got.UserAttributes)
	}
	verify := lastCode(t, srv, poolID, "dana")
	_, err = c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"), Code: &verify})
	must(t, err)
	got, err = c.GetUser(ctx, &cip.GetUserInput{AccessToken: access})
	must(t, err)
	if attr(got.UserAttributes, "email_verified") != "true" {
		t.Errorf("email not verified after VerifyUserAttribute")
	}
	if _, err := c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: access,
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email_verified"), Value: aws.String("true")}}}); !isCode(err, "InvalidParameterException") {
		t.Errorf("user setting email_verified: %v", err)
	}

	// Global sign-out ends the access token and the refresh token.
	_, err = c.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: access})
	must(t, err)
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: access}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("access token after GlobalSignOut: %v", err)
	}
	if _, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(auth.AuthenticationResult.RefreshToken)}}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("refresh token after GlobalSignOut: %v", err)
	}
	auth, err = signIn("dana", "Dana-pass-3!") // at once: new tokens outlive the sign-out
	must(t, err)
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: auth.AuthenticationResult.AccessToken}); err != nil {
		t.Errorf("a new sign-in right after GlobalSignOut: %v", err)
	}

	// RevokeToken ends one refresh token.
	_, err = c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: &client, Token: auth.AuthenticationResult.RefreshToken})
	must(t, err)
	if _, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(auth.AuthenticationResult.RefreshToken)}}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("revoked refresh token: %v", err)
	}
	// ... and the access tokens issued with it, as Cognito's RevokeToken does.
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: auth.AuthenticationResult.AccessToken}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("access token of a revoked refresh token: %v", err)
	}

	auth, err = signIn("dana", "Dana-pass-3!")
	must(t, err)
	_, err = c.DeleteUser(ctx, &cip.DeleteUserInput{AccessToken: auth.AuthenticationResult.AccessToken})
	must(t, err)
	if _, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("dana")}); !isCode(err, "UserNotFoundException") {
		t.Errorf("user after DeleteUser: %v", err)
	}

	// Unknown users get plausible answers, not UserNotFoundException.
	if _, err := c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &client, Username: aws.String("nobody")}); err != nil {
		t.Errorf("ForgotPassword for an unknown user: %v", err)
	}
	if _, err := c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &client, Username: aws.String("nobody"), ConfirmationCode: aws.String("123456")}); !isCode(err, "CodeMismatchException") {
		t.Errorf("ConfirmSignUp for an unknown user: %v", err)
	}

	// Codes expire: a day for sign-up.
	_, err = c.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("erin"), Password: aws.String("Erin-pass-1!"),
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String("erin@example.com")}}})
	must(t, err)
	old := lastCode(t, srv, poolID, "erin")
	srv.Clock.Advance(25 * time.Hour)
	if _, err := c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &client, Username: aws.String("erin"), ConfirmationCode: &old}); !isCode(err, "ExpiredCodeException") {
		t.Errorf("day-old code: %v", err)
	}
}

// TestAdminUserOperations covers the administrator's side of user
// management.
func TestAdminUserOperations(t *testing.T) {
	ctx := context.Background()
	srv, c, poolID, client := selfServicePool(t)
	signIn := func(user, pw string) error {
		_, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: "USER_PASSWORD_AUTH",
			AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": pw}})
		return err
	}
	_, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("finn"), Password: aws.String("Finn-pass-1!"),
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String("finn@example.com")}, {Name: aws.String("given_name"), Value: aws.String("Finn")}}})
	must(t, err)
	_, err = c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &poolID, Username: aws.String("finn")})
	must(t, err)
	must(t, signIn("finn", "Finn-pass-1!"))

	_, err = c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: aws.String("finn")})
	must(t, err)
	if err := signIn("finn", "Finn-pass-1!"); !isCode(err, "NotAuthorizedException") {
		t.Errorf("disabled user signs in: %v", err)
	}
	_, err = c.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: &poolID, Username: aws.String("finn")})
	must(t, err)
	must(t, signIn("finn", "Finn-pass-1!"))

	// The admin marks the email verified, then resets the password: the
	// user must use the emailed code.
	_, err = c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &poolID, Username: aws.String("finn"),
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email_verified"), Value: aws.String("true")}}})
	must(t, err)
	_, err = c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("finn")})
	must(t, err)
	if err := signIn("finn", "Finn-pass-1!"); !isCode(err, "PasswordResetRequiredException") {
		t.Errorf("sign-in after AdminResetUserPassword: %v", err)
	}
	code := lastCode(t, srv, poolID, "finn")
	_, err = c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("finn"), ConfirmationCode: &code, Password: aws.String("Finn-pass-2!")})
	must(t, err)
	must(t, signIn("finn", "Finn-pass-2!"))

	_, err = c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: &poolID, Username: aws.String("finn"), UserAttributeNames: []string{"given_name"}})
	must(t, err)
	if _, err := c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: &poolID, Username: aws.String("finn"), UserAttributeNames: []string{"sub"}}); !isCode(err, "InvalidParameterException") {
		t.Errorf("deleting sub: %v", err)
	}
	user, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("finn")})
	must(t, err)
	if attr(user.UserAttributes, "given_name") != "" {
		t.Error("given_name survived AdminDeleteUserAttributes")
	}

	out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "finn", "PASSWORD": "Finn-pass-2!"}})
	must(t, err)
	_, err = c.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: &poolID, Username: aws.String("finn")})
	must(t, err)
	if _, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("access token after AdminUserGlobalSignOut: %v", err)
	}

	// An invited user's temporary password is in the outbox.
	_, err = c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("gail"),
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String("gail@example.com")}}})
	must(t, err)
	ms := outbox(t, srv, poolID)
	if last := ms[len(ms)-1]; last.Username != "gail" || last.Purpose != "AdminCreateUser" || last.Destination != "gail@example.com" {
		t.Errorf("invitation = %+v", last)
	}
}

func attr(attrs []ciptypes.AttributeType, name string) string {
	for _, a := range attrs {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

// TestSignUpEmailBySMTP sends the sign-up code by SMTP as well as to the
// outbox when the server has an SMTP URL.
func TestSignUpEmailBySMTP(t *testing.T) {
	ctx := context.Background()
	mailSrv := mailtest.New(t)
	srv := apptest.NewServerWith(t, func(o *app.Options) { o.SMTPURL = "smtp://" + mailSrv.Addr + "?from=no-reply@federa.test" })
	c := cip.NewFromConfig(srv.RootConfig())
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("mail"), AutoVerifiedAttributes: []ciptypes.VerifiedAttributeType{"email"}})
	must(t, err)
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("app")})
	must(t, err)
	_, err = c.SignUp(ctx, &cip.SignUpInput{ClientId: cl.UserPoolClient.ClientId, Username: aws.String("nia"), Password: aws.String("Nia-pass-123!"),
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String("nia@example.com")}}})
	must(t, err)
	select {
	case msg := <-mailSrv.Messages:
		code := lastCode(t, srv, aws.ToString(pool.UserPool.Id), "nia")
		if !strings.Contains(msg, "RCPT TO:<nia@example.com>") || !strings.Contains(msg, "Your verification code is "+code) {
			t.Errorf("mail:\n%s", msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no mail arrived")
	}
}
