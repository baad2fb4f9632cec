package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/federa/federa/internal/app"
	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/store/sqlstore/pgtest"
)

// TestTwoNodes runs two federa nodes that share nothing but one PostgreSQL
// database and one object cluster (a third federa, reached through the S3
// blob backend), as nodes behind a load balancer do: a user signed up on
// node A signs in on node B; credentials A vends work on B; the bytes B
// stores A serves; a role policy changed on B takes effect on A within
// seconds; both publish the same JWKS.
func TestTwoNodes(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()

	objects := apptest.NewServer(t)
	_, err := s3.NewFromConfig(objects.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true }).
		CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("federa-objects")})
	must(t, err)
	// The blob backend takes its credentials from the SDK's default chain.
	t.Setenv("AWS_ACCESS_KEY_ID", apptest.Root.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", apptest.Root.SecretAccessKey)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_REGION", apptest.Region)

	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	masterKey := hex.EncodeToString(raw)
	node := func() *apptest.Server {
		return apptest.NewServerWith(t, func(o *app.Options) {
			o.Store = dsn
			o.Blob = "s3://federa-objects/cluster?endpoint=" + objects.URL
			o.MasterKey = app.MasterKeySource{Value: masterKey}
			// Behind a load balancer every node has the same public URL,
			// so tokens name the same issuer whichever node signed them.
			o.PublicURL = "http://federa.cluster.test"
		})
	}
	a, b := node(), node()
	onA := setupWorldOn(t, a)
	onB := *onA
	onB.srv = b

	// Signed up on A, confirmed on A, signed in on B.
	_, err = cip.NewFromConfig(a.Config(aws.AnonymousCredentials{})).SignUp(ctx, &cip.SignUpInput{ClientId: &onA.clientID,
		Username: aws.String("carol"), Password: aws.String(password)})
	must(t, err)
	_, err = cip.NewFromConfig(a.RootConfig()).AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &onA.userPoolID, Username: aws.String("carol")})
	must(t, err)
	token := onB.signIn(t, "carol")

	// Credentials vended by A work on B; the object B stores, A serves.
	identity, creds := onA.credentialsFor(t, onA.identityPoolID, token)
	s3B, s3A := onB.s3(onB.sessionConfig(creds)), onA.s3(onA.sessionConfig(creds))
	key := identity + "/hello.txt"
	body := []byte("written through node B, read through node A")
	_, err = s3B.PutObject(ctx, &s3.PutObjectInput{Bucket: &onA.bucket, Key: &key, Body: bytes.NewReader(body)})
	must(t, err)
	got, err := s3A.GetObject(ctx, &s3.GetObjectInput{Bucket: &onA.bucket, Key: &key})
	must(t, err)
	read, err := io.ReadAll(got.Body)
	got.Body.Close()
	must(t, err)
	if !bytes.Equal(read, body) {
		t.Fatalf("node A served %q for what node B stored", read)
	}
	if _, err := s3B.PutObject(ctx, &s3.PutObjectInput{Bucket: &onA.bucket, Key: aws.String("someone-else/x"), Body: strings.NewReader("x")}); !isCode(err, "AccessDenied") {
		t.Fatalf("write outside the identity's folder through node B: %v, want AccessDenied", err)
	}

	// A policy change made on B holds on A within seconds.
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::` + onA.bucket + `/*"}]}`
	_, err = iam.NewFromConfig(b.RootConfig()).PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("Cognito_notesAuth_Role"),
		PolicyName: aws.String("freeze-uploads"), PolicyDocument: aws.String(deny)})
	must(t, err)
	start := time.Now()
	for {
		_, err := s3A.PutObject(ctx, &s3.PutObjectInput{Bucket: &onA.bucket, Key: aws.String(identity + "/after.txt"), Body: strings.NewReader("x")})
		if isCode(err, "AccessDenied") {
			t.Logf("node A enforced node B's policy change after %v", time.Since(start).Round(time.Millisecond))
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("node A still allows a PutObject 5 s after node B denied it: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// One JWKS, whichever node is asked.
	jwks := func(srv *apptest.Server) string {
		resp, err := http.Get(srv.URL + "/" + onA.userPoolID + "/.well-known/jwks.json")
		must(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		must(t, err)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("JWKS: %d %s", resp.StatusCode, b)
		}
		return string(b)
	}
	if ja, jb := jwks(a), jwks(b); ja != jb || !strings.Contains(ja, `"kid"`) {
		t.Fatalf("JWKS differ:\nnode A %s\nnode B %s", ja, jb)
	}
}
