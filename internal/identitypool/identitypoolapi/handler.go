// Package identitypoolapi serves the cognito-identity JSON 1.1 API
// (X-Amz-Target: AWSCognitoIdentityService.*) over the identitypool service.
package identitypoolapi

import (
	"context"
	"net/http"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/identitypool"
	"github.com/federa/federa/internal/protocol/awsjson"
)

var (
	errMissingAuth  = awserr.Code("MissingAuthenticationTokenException", http.StatusBadRequest)
	errAccessDenied = awserr.Code("AccessDeniedException", http.StatusBadRequest)
	errInvalidParam = awserr.Code("InvalidParameterException", http.StatusBadRequest)
)

// New returns the cognito-identity endpoint. Pool administration needs a
// signed caller allowed cognito-identity:<Operation>; GetId and
// GetCredentialsForIdentity are called unsigned by apps.
func New(svc *identitypool.Service, authz access.Authorizer) *awsjson.Service {
	a := api{svc}
	return &awsjson.Service{
		TargetPrefix: "AWSCognitoIdentityService",
		Ops: awsjson.Table(
			awsjson.Op("CreateIdentityPool", awsjson.SigV4, a.createIdentityPool),
			awsjson.Op("DescribeIdentityPool", awsjson.SigV4, a.describeIdentityPool),
			awsjson.Op("ListIdentityPools", awsjson.SigV4, a.listIdentityPools),
			awsjson.Op("UpdateIdentityPool", awsjson.SigV4, a.updateIdentityPool),
			awsjson.Op("DeleteIdentityPool", awsjson.SigV4, a.deleteIdentityPool),
			awsjson.Op("SetIdentityPoolRoles", awsjson.SigV4, a.setIdentityPoolRoles),
			awsjson.Op("GetIdentityPoolRoles", awsjson.SigV4, a.getIdentityPoolRoles),
			awsjson.Op("TagResource", awsjson.SigV4, a.tagResource),
			awsjson.Op("UntagResource", awsjson.SigV4, a.untagResource),
			awsjson.Op("ListTagsForResource", awsjson.SigV4, a.listTagsForResource),
			awsjson.Op("SetPrincipalTagAttributeMap", awsjson.SigV4, a.setPrincipalTagAttributeMap),
			awsjson.Op("GetPrincipalTagAttributeMap", awsjson.SigV4, a.getPrincipalTagAttributeMap),
			awsjson.Op("DescribeIdentity", awsjson.SigV4, a.describeIdentity),
			awsjson.Op("ListIdentities", awsjson.SigV4, a.listIdentities),
			awsjson.Op("DeleteIdentities", awsjson.SigV4, a.deleteIdentities),
			awsjson.Op("GetOpenIdTokenForDeveloperIdentity", awsjson.SigV4, a.getOpenIDTokenForDeveloperIdentity),
			awsjson.Op("LookupDeveloperIdentity", awsjson.SigV4, a.lookupDeveloperIdentity),
			awsjson.Op("MergeDeveloperIdentities", awsjson.SigV4, a.mergeDeveloperIdentities),
			awsjson.Op("UnlinkDeveloperIdentity", awsjson.SigV4, a.unlinkDeveloperIdentity),
			awsjson.Op("UnlinkIdentity", awsjson.None, a.unlinkIdentity),
			awsjson.Op("GetId", awsjson.None, a.getID),
			awsjson.Op("GetOpenIdToken", awsjson.None, a.getOpenIDToken),
			awsjson.Op("GetCredentialsForIdentity", awsjson.None, a.getCredentialsForIdentity),
		),
		Before: func(ctx context.Context, op awsjson.Operation) error {
			if op.Auth == awsjson.None {
				return nil
			}
			return access.Require(ctx, authz, "cognito-identity:"+op.Name, "*",
				errMissingAuth.New("Missing Authentication Token"),
				func(msg string) error { return errAccessDenied.New("%s", msg) })
		},
	}
}

type api struct{ svc *identitypool.Service }
