package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/federa/federa/internal/app/apptest"
)

// TestSignatureRefusals checks that every protocol refuses bad signatures and
// unknown keys with the code its real service uses.
func TestSignatureRefusals(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	wrongSecret := srv.Config(credentials.NewStaticCredentialsProvider(apptest.Root.AccessKeyID, "not-the-secret", ""))
	unknownKey := srv.Config(credentials.NewStaticCredentialsProvider("AKIAUNKNOWNKEY000000", "whatever", ""))
	pathStyle := func(o *s3.Options) { o.UsePathStyle = true }

	cases := []struct {
		name string
		call func(aws.Config) error
		bad  string // code for a wrong secret
		unk  string // code for an unknown key
	}{
		{"s3", func(c aws.Config) error {
			_, err := s3.NewFromConfig(c, pathStyle).ListBuckets(ctx, &s3.ListBucketsInput{})
			return err
		}, "SignatureDoesNotMatch", "InvalidAccessKeyId"},
		{"iam", func(c aws.Config) error {
			_, err := iam.NewFromConfig(c).ListRoles(ctx, &iam.ListRolesInput{})
			return err
		}, "SignatureDoesNotMatch", "InvalidClientTokenId"},
		{"sts", func(c aws.Config) error {
			_, err := sts.NewFromConfig(c).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		}, "SignatureDoesNotMatch", "InvalidClientTokenId"},
		{"cognito-idp", func(c aws.Config) error {
			_, err := cip.NewFromConfig(c).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
			return err
		}, "InvalidSignatureException", "UnrecognizedClientException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			must(t, tc.call(srv.RootConfig()))
			wantCode(t, tc.call(wrongSecret), tc.bad)
			wantCode(t, tc.call(unknownKey), tc.unk)
		})
	}
}

// TestSessionTokenRefusals checks tampered tokens and clock skew.
func TestSessionTokenRefusals(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	_, creds := w.credentialsFor(t, w.identityPoolID, w.signIn(t, "alice"))

	tampered := creds
	b := []byte(tampered.SessionToken)
	b[len(b)/2] ^= 1
	tampered.SessionToken = string(b)
	_, err := w.s3(w.sessionConfig(tampered)).ListBuckets(ctx, &s3.ListBucketsInput{})
	wantCode(t, err, "InvalidToken")
	_, err = sts.NewFromConfig(w.sessionConfig(tampered)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, err, "InvalidClientTokenId")

	noToken := creds
	noToken.SessionToken = ""
	_, err = w.s3(w.sessionConfig(noToken)).ListBuckets(ctx, &s3.ListBucketsInput{})
	if err == nil {
		t.Fatal("a temporary key without its session token was accepted")
	}

	// A signature made 20 minutes from the server's clock is refused.
	w.srv.Clock.Advance(20 * time.Minute)
	_, err = w.s3(w.srv.RootConfig()).ListBuckets(ctx, &s3.ListBucketsInput{})
	wantCode(t, err, "RequestTimeTooSkewed")
	_, err = iam.NewFromConfig(w.srv.RootConfig()).ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, err, "SignatureDoesNotMatch")
}
