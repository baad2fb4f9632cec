// Package userpoolapi serves the cognito-idp JSON 1.1 API
// (X-Amz-Target: AWSCognitoIdentityProviderService.*) over the userpool
// service, and the pools' OpenID discovery documents and JWKS.
package userpoolapi

import (
	"context"
	"net/http"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/protocol/awsjson"
	"github.com/federa/federa/internal/userpool"
)

var (
	errMissingAuth  = awserr.Code("MissingAuthenticationTokenException", http.StatusBadRequest)
	errAccessDenied = awserr.Code("AccessDeniedException", http.StatusBadRequest)
)

// New returns the cognito-idp endpoint. Administrative operations need a
// signed caller whose policies allow cognito-idp:<Operation>; the sign-in
// operations are called unsigned, as by apps.
func New(svc *userpool.Service, authz access.Authorizer) *awsjson.Service {
	a := api{svc}
	return &awsjson.Service{
		TargetPrefix: "AWSCognitoIdentityProviderService",
		Ops: awsjson.Table(
			awsjson.Op("CreateUserPool", awsjson.SigV4, a.createUserPool),
			awsjson.Op("DescribeUserPool", awsjson.SigV4, a.describeUserPool),
			awsjson.Op("ListUserPools", awsjson.SigV4, a.listUserPools),
			awsjson.Op("DeleteUserPool", awsjson.SigV4, a.deleteUserPool),
			awsjson.Op("UpdateUserPool", awsjson.SigV4, a.updateUserPool),
			awsjson.Op("AddCustomAttributes", awsjson.SigV4, a.addCustomAttributes),
			awsjson.Op("UpdateUserPoolClient", awsjson.SigV4, a.updateUserPoolClient),
			awsjson.Op("DeleteUserPoolClient", awsjson.SigV4, a.deleteUserPoolClient),
			awsjson.Op("CreateUserPoolClient", awsjson.SigV4, a.createUserPoolClient),
			awsjson.Op("DescribeUserPoolClient", awsjson.SigV4, a.describeUserPoolClient),
			awsjson.Op("ListUserPoolClients", awsjson.SigV4, a.listUserPoolClients),
			awsjson.Op("CreateUserPoolDomain", awsjson.SigV4, a.createUserPoolDomain),
			awsjson.Op("DescribeUserPoolDomain", awsjson.SigV4, a.describeUserPoolDomain),
			awsjson.Op("UpdateUserPoolDomain", awsjson.SigV4, a.updateUserPoolDomain),
			awsjson.Op("DeleteUserPoolDomain", awsjson.SigV4, a.deleteUserPoolDomain),
			awsjson.Op("CreateResourceServer", awsjson.SigV4, a.createResourceServer),
			awsjson.Op("DescribeResourceServer", awsjson.SigV4, a.describeResourceServer),
			awsjson.Op("ListResourceServers", awsjson.SigV4, a.listResourceServers),
			awsjson.Op("UpdateResourceServer", awsjson.SigV4, a.updateResourceServer),
			awsjson.Op("DeleteResourceServer", awsjson.SigV4, a.deleteResourceServer),
			awsjson.Op("AdminCreateUser", awsjson.SigV4, a.adminCreateUser),
			awsjson.Op("AdminSetUserPassword", awsjson.SigV4, a.adminSetUserPassword),
			awsjson.Op("AdminGetUser", awsjson.SigV4, a.adminGetUser),
			awsjson.Op("AdminDeleteUser", awsjson.SigV4, a.adminDeleteUser),
			awsjson.Op("ListUsers", awsjson.SigV4, a.listUsers),
			awsjson.Op("AdminInitiateAuth", awsjson.SigV4, a.adminInitiateAuth),
			awsjson.Op("AdminRespondToAuthChallenge", awsjson.SigV4, a.adminRespondToAuthChallenge),
			awsjson.Op("AdminConfirmSignUp", awsjson.SigV4, a.adminConfirmSignUp),
			awsjson.Op("AdminDisableUser", awsjson.SigV4, a.adminDisableUser),
			awsjson.Op("AdminEnableUser", awsjson.SigV4, a.adminEnableUser),
			awsjson.Op("AdminResetUserPassword", awsjson.SigV4, a.adminResetUserPassword),
			awsjson.Op("AdminUpdateUserAttributes", awsjson.SigV4, a.adminUpdateUserAttributes),
			awsjson.Op("AdminDeleteUserAttributes", awsjson.SigV4, a.adminDeleteUserAttributes),
			awsjson.Op("AdminUserGlobalSignOut", awsjson.SigV4, a.adminUserGlobalSignOut),
			awsjson.Op("ListOutboxMessages", awsjson.SigV4, a.listOutboxMessages),
			awsjson.Op("RotateSigningKey", awsjson.SigV4, a.rotateSigningKey),
			awsjson.Op("CreateGroup", awsjson.SigV4, a.createGroup),
			awsjson.Op("GetGroup", awsjson.SigV4, a.getGroup),
			awsjson.Op("UpdateGroup", awsjson.SigV4, a.updateGroup),
			awsjson.Op("DeleteGroup", awsjson.SigV4, a.deleteGroup),
			awsjson.Op("ListGroups", awsjson.SigV4, a.listGroups),
			awsjson.Op("AdminAddUserToGroup", awsjson.SigV4, a.adminAddUserToGroup),
			awsjson.Op("AdminRemoveUserFromGroup", awsjson.SigV4, a.adminRemoveUserFromGroup),
			awsjson.Op("AdminListGroupsForUser", awsjson.SigV4, a.adminListGroupsForUser),
			awsjson.Op("ListUsersInGroup", awsjson.SigV4, a.listUsersInGroup),
			awsjson.Op("SetUserPoolMfaConfig", awsjson.SigV4, a.setUserPoolMfaConfig),
			awsjson.Op("GetUserPoolMfaConfig", awsjson.SigV4, a.getUserPoolMfaConfig),
			awsjson.Op("AdminSetUserMFAPreference", awsjson.SigV4, a.adminSetUserMFAPreference),
			awsjson.Op("AssociateSoftwareToken", awsjson.None, a.associateSoftwareToken),
			awsjson.Op("VerifySoftwareToken", awsjson.None, a.verifySoftwareToken),
			awsjson.Op("SetUserMFAPreference", awsjson.None, a.setUserMFAPreference),
			awsjson.Op("SignUp", awsjson.None, a.signUp),
			awsjson.Op("ConfirmSignUp", awsjson.None, a.confirmSignUp),
			awsjson.Op("ResendConfirmationCode", awsjson.None, a.resendConfirmationCode),
			awsjson.Op("ForgotPassword", awsjson.None, a.forgotPassword),
			awsjson.Op("ConfirmForgotPassword", awsjson.None, a.confirmForgotPassword),
			awsjson.Op("ChangePassword", awsjson.None, a.changePassword),
			awsjson.Op("UpdateUserAttributes", awsjson.None, a.updateUserAttributes),
			awsjson.Op("GetUserAttributeVerificationCode", awsjson.None, a.getUserAttributeVerificationCode),
			awsjson.Op("VerifyUserAttribute", awsjson.None, a.verifyUserAttribute),
			awsjson.Op("DeleteUser", awsjson.None, a.deleteUser),
			awsjson.Op("GlobalSignOut", awsjson.None, a.globalSignOut),
			awsjson.Op("RevokeToken", awsjson.None, a.revokeToken),
			awsjson.Op("InitiateAuth", awsjson.None, a.initiateAuth),
			awsjson.Op("RespondToAuthChallenge", awsjson.None, a.respondToAuthChallenge),
			awsjson.Op("GetUser", awsjson.None, a.getUser),
		),
		Before: func(ctx context.Context, op awsjson.Operation) error {
			if op.Auth == awsjson.None {
				return nil
			}
			return access.Require(ctx, authz, "cognito-idp:"+op.Name, "*",
				errMissingAuth.New("Missing Authentication Token"),
				func(msg string) error { return errAccessDenied.New("%s", msg) })
		},
	}
}

type api struct{ svc *userpool.Service }

// epoch is how Cognito's JSON encodes dates: seconds since 1970, fractional.
func epoch(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
