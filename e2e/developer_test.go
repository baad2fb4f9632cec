package e2e

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestDeveloperAuthenticatedIdentities runs the developer flow: the app's
// back end, holding developer credentials, gets an OpenID token for its
// own user; the app exchanges it for credentials. Lookup, merge and unlink
// manage developer users; without developer credentials nothing happens.
func TestDeveloperAuthenticatedIdentities(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	root := ci.NewFromConfig(w.srv.RootConfig())
	anon := ci.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	const dev = "login.notes.app"
	_, err := root.UpdateIdentityPool(ctx, &ci.UpdateIdentityPoolInput{IdentityPoolId: &w.identityPoolID, IdentityPoolName: aws.String("notes"),
		DeveloperProviderName:    aws.String(dev),
		CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{ProviderName: aws.String(w.provider()), ClientId: &w.clientID}}})
	must(t, err)
	if _, err := root.UpdateIdentityPool(ctx, &ci.UpdateIdentityPoolInput{IdentityPoolId: &w.identityPoolID, IdentityPoolName: aws.String("notes"),
		DeveloperProviderName: aws.String("other.name")}); !isCode(err, "InvalidParameterException") {
		t.Errorf("changing the developer provider name: %v", err)
	}

	// Without developer credentials: refused.
	if _, err := anon.GetOpenIdTokenForDeveloperIdentity(ctx, &ci.GetOpenIdTokenForDeveloperIdentityInput{IdentityPoolId: &w.identityPoolID,
		Logins: map[string]string{dev: "user-1"}}); !isCode(err, "MissingAuthenticationTokenException") && !isCode(err, "MissingAuthenticationToken") {
		t.Errorf("developer token without credentials: %v", err)
	}
	_, guestCreds := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "bob"))
	asBob := ci.NewFromConfig(w.sessionConfig(guestCreds))
	if _, err := asBob.GetOpenIdTokenForDeveloperIdentity(ctx, &ci.GetOpenIdTokenForDeveloperIdentityInput{IdentityPoolId: &w.identityPoolID,
		Logins: map[string]string{dev: "user-1"}}); !isCode(err, "AccessDeniedException") && !isCode(err, "NotAuthorizedException") {
		t.Errorf("developer token from a user's session: %v", err)
	}

	tok, err := root.GetOpenIdTokenForDeveloperIdentity(ctx, &ci.GetOpenIdTokenForDeveloperIdentityInput{IdentityPoolId: &w.identityPoolID,
		Logins: map[string]string{dev: "user-1"}, TokenDuration: aws.Int64(600)})
	must(t, err)
	id := aws.ToString(tok.IdentityId)
	again, err := root.GetOpenIdTokenForDeveloperIdentity(ctx, &ci.GetOpenIdTokenForDeveloperIdentityInput{IdentityPoolId: &w.identityPoolID, Logins: map[string]string{dev: "user-1"}})
	must(t, err)
	if aws.ToString(again.IdentityId) != id {
		t.Errorf("the same developer user got %s, then %s", id, aws.ToString(again.IdentityId))
	}

	// The app exchanges the token for credentials of the authenticated role.
	logins := map[string]string{"cognito-identity.amazonaws.com": aws.ToString(tok.Token)}
	out, err := anon.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: &id, Logins: logins})
	must(t, err)
	c := out.Credentials
	bucket := w.s3(w.sessionConfig(aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretKey, SessionToken: *c.SessionToken}))
	if _, err := bucket.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(w.bucket), Key: aws.String(id + "/dev.txt"), Body: bytes.NewReader([]byte("x"))}); err != nil {
		t.Errorf("developer identity's own prefix: %v", err)
	}
	other, err := root.GetOpenIdTokenForDeveloperIdentity(ctx, &ci.GetOpenIdTokenForDeveloperIdentityInput{IdentityPoolId: &w.identityPoolID, Logins: map[string]string{dev: "user-2"}})
	must(t, err)
	if _, err := anon.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: other.IdentityId, Logins: logins}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("user-1's token for user-2's identity: %v", err)
	}

	look, err := root.LookupDeveloperIdentity(ctx, &ci.LookupDeveloperIdentityInput{IdentityPoolId: &w.identityPoolID, DeveloperUserIdentifier: aws.String("user-1"), MaxResults: aws.Int32(10)})
	must(t, err)
	if aws.ToString(look.IdentityId) != id || len(look.DeveloperUserIdentifierList) != 1 {
		t.Errorf("LookupDeveloperIdentity = %s %v", aws.ToString(look.IdentityId), look.DeveloperUserIdentifierList)
	}
	merged, err := root.MergeDeveloperIdentities(ctx, &ci.MergeDeveloperIdentitiesInput{IdentityPoolId: &w.identityPoolID, DeveloperProviderName: aws.String(dev),
		SourceUserIdentifier: aws.String("user-2"), DestinationUserIdentifier: aws.String("user-1")})
	must(t, err)
	if aws.ToString(merged.IdentityId) != id {
		t.Errorf("merged into %s, want %s", aws.ToString(merged.IdentityId), id)
	}
	look, err = root.LookupDeveloperIdentity(ctx, &ci.LookupDeveloperIdentityInput{IdentityPoolId: &w.identityPoolID, IdentityId: &id, MaxResults: aws.Int32(10)})
	must(t, err)
	if len(look.DeveloperUserIdentifierList) != 2 {
		t.Errorf("after the merge the identity has developer users %v", look.DeveloperUserIdentifierList)
	}
	if _, err := root.DescribeIdentity(ctx, &ci.DescribeIdentityInput{IdentityId: other.IdentityId}); !isCode(err, "ResourceNotFoundException") {
		t.Errorf("the merged-away identity: %v", err)
	}
	_, err = root.UnlinkDeveloperIdentity(ctx, &ci.UnlinkDeveloperIdentityInput{IdentityPoolId: &w.identityPoolID, IdentityId: &id,
		DeveloperProviderName: aws.String(dev), DeveloperUserIdentifier: aws.String("user-2")})
	must(t, err)
	if _, err := root.LookupDeveloperIdentity(ctx, &ci.LookupDeveloperIdentityInput{IdentityPoolId: &w.identityPoolID, DeveloperUserIdentifier: aws.String("user-2"),
		MaxResults: aws.Int32(10)}); !isCode(err, "ResourceNotFoundException") {
		t.Errorf("an unlinked developer user: %v", err)
	}
}
