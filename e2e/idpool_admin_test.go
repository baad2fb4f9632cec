package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"

	"github.com/federa/federa/internal/app/apptest"
)

// TestIdentityPoolTagsAndIssuerNames tags an identity pool and names a
// user pool by its federa issuer instead of Cognito's provider name: both
// names reach the same identity.
func TestIdentityPoolTagsAndIssuerNames(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	root := ci.NewFromConfig(w.srv.RootConfig())
	arn := "arn:aws:cognito-identity:" + apptest.Region + ":" + apptest.Account + ":identitypool/" + w.identityPoolID
	_, err := root.TagResource(ctx, &ci.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"team": "notes", "env": "dev"}})
	must(t, err)
	_, err = root.UntagResource(ctx, &ci.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"env"}})
	must(t, err)
	tags, err := root.ListTagsForResource(ctx, &ci.ListTagsForResourceInput{ResourceArn: &arn})
	must(t, err)
	if len(tags.Tags) != 1 || tags.Tags["team"] != "notes" {
		t.Errorf("tags %v", tags.Tags)
	}
	if _, err := root.TagResource(ctx, &ci.TagResourceInput{ResourceArn: aws.String("arn:aws:cognito-identity:us-east-1:999999999999:identitypool/us-east-1:x"),
		Tags: map[string]string{"a": "b"}}); !isCode(err, "InvalidParameterException") {
		t.Errorf("another account's pool: %v", err)
	}

	issuer := strings.TrimPrefix(w.srv.URL, "http://") + "/" + w.userPoolID
	pool, err := root.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{IdentityPoolName: aws.String("by-issuer"),
		CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{ProviderName: aws.String(issuer), ClientId: &w.clientID}}})
	must(t, err)
	if got := aws.ToString(pool.CognitoIdentityProviders[0].ProviderName); got != w.provider() {
		t.Errorf("provider stored as %s, want %s", got, w.provider())
	}
	anon := ci.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
	token := w.signIn(t, "alice")
	a, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: pool.IdentityPoolId, Logins: map[string]string{issuer: token}})
	must(t, err)
	b, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: pool.IdentityPoolId, Logins: map[string]string{w.provider(): token}})
	must(t, err)
	if aws.ToString(a.IdentityId) != aws.ToString(b.IdentityId) {
		t.Errorf("the issuer form found %s, Cognito's form %s", aws.ToString(a.IdentityId), aws.ToString(b.IdentityId))
	}
}
