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

// TestIdentityLifecycle links logins to identities and manages them: a
// guest identity becomes authenticated with a login, another identity's
// login is refused, identities are described, listed, unlinked and
// deleted, and a deleted identity's credentials stop working.
func TestIdentityLifecycle(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	root := ci.NewFromConfig(w.srv.RootConfig())
	anon := ci.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	_, err := root.UpdateIdentityPool(ctx, &ci.UpdateIdentityPoolInput{IdentityPoolId: &w.identityPoolID, IdentityPoolName: aws.String("notes"),
		AllowUnauthenticatedIdentities: true,
		CognitoIdentityProviders:       []citypes.CognitoIdentityProvider{{ProviderName: aws.String(w.provider()), ClientId: &w.clientID}}})
	must(t, err)

	// A guest identity, then the same identity with alice's login.
	guest, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID})
	must(t, err)
	alice := map[string]string{w.provider(): w.signIn(t, "alice")}
	out, err := anon.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: guest.IdentityId, Logins: alice})
	must(t, err)
	if aws.ToString(out.IdentityId) != aws.ToString(guest.IdentityId) {
		t.Errorf("upgraded identity %s, want %s", aws.ToString(out.IdentityId), aws.ToString(guest.IdentityId))
	}
	again, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID, Logins: alice})
	must(t, err)
	if aws.ToString(again.IdentityId) != aws.ToString(guest.IdentityId) {
		t.Errorf("alice's login finds %s, want the upgraded guest %s", aws.ToString(again.IdentityId), aws.ToString(guest.IdentityId))
	}
	if _, err := anon.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: guest.IdentityId}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("the now-authenticated identity without logins: %v", err)
	}

	// bob's identity cannot take alice's login.
	bobID, bobCreds := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "bob"))
	if _, err := anon.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: &bobID, Logins: alice}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("bob's identity with alice's login: %v", err)
	}

	d, err := root.DescribeIdentity(ctx, &ci.DescribeIdentityInput{IdentityId: guest.IdentityId})
	must(t, err)
	if len(d.Logins) != 1 || d.Logins[0] != w.provider() {
		t.Errorf("DescribeIdentity logins = %v", d.Logins)
	}
	page, err := root.ListIdentities(ctx, &ci.ListIdentitiesInput{IdentityPoolId: &w.identityPoolID, MaxResults: aws.Int32(1)})
	must(t, err)
	rest, err := root.ListIdentities(ctx, &ci.ListIdentitiesInput{IdentityPoolId: &w.identityPoolID, MaxResults: aws.Int32(60), NextToken: page.NextToken})
	must(t, err)
	if len(page.Identities) != 1 || len(rest.Identities) != 1 {
		t.Errorf("ListIdentities pages: %d then %d", len(page.Identities), len(rest.Identities))
	}
	if _, err := root.ListIdentities(ctx, &ci.ListIdentitiesInput{IdentityPoolId: &w.identityPoolID, MaxResults: aws.Int32(0)}); !isCode(err, "InvalidParameterException") {
		t.Errorf("MaxResults 0: %v", err)
	}

	// Unlinking needs the identity's own login.
	if _, err := anon.UnlinkIdentity(ctx, &ci.UnlinkIdentityInput{IdentityId: guest.IdentityId, Logins: map[string]string{w.provider(): w.signIn(t, "bob")},
		LoginsToRemove: []string{w.provider()}}); !isCode(err, "NotAuthorizedException") {
		t.Errorf("unlinking with someone else's login: %v", err)
	}
	_, err = anon.UnlinkIdentity(ctx, &ci.UnlinkIdentityInput{IdentityId: guest.IdentityId, Logins: alice, LoginsToRemove: []string{w.provider()}})
	must(t, err)
	fresh, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID, Logins: alice})
	must(t, err)
	if aws.ToString(fresh.IdentityId) == aws.ToString(guest.IdentityId) {
		t.Error("alice's login still finds the identity it was unlinked from")
	}

	// Deleting bob's identity ends the credentials it was given.
	bucket := w.s3(w.sessionConfig(bobCreds))
	put := func() error {
		_, err := bucket.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(w.bucket), Key: aws.String(bobID + "/x"), Body: bytes.NewReader(nil)})
		return err
	}
	must(t, put())
	del, err := root.DeleteIdentities(ctx, &ci.DeleteIdentitiesInput{IdentityIdsToDelete: []string{bobID}})
	must(t, err)
	if len(del.UnprocessedIdentityIds) != 0 {
		t.Errorf("unprocessed: %+v", del.UnprocessedIdentityIds)
	}
	if err := put(); !isCode(err, "AccessDenied") {
		t.Errorf("a deleted identity's credentials: %v", err)
	}
	if _, err := root.DescribeIdentity(ctx, &ci.DescribeIdentityInput{IdentityId: &bobID}); !isCode(err, "ResourceNotFoundException") {
		t.Errorf("DescribeIdentity after deletion: %v", err)
	}
}
