package cli

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/federa/federa/internal/app/apptest"
)

// TestOutboxCommand reads a sign-up code with `federa outbox`, as an
// administrator of a server that sends no mail would.
func TestOutboxCommand(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	c := cip.NewFromConfig(srv.RootConfig())
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p"), AutoVerifiedAttributes: []ciptypes.VerifiedAttributeType{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("app")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: cl.UserPoolClient.ClientId, Username: aws.String("hana"), Password: aws.String("Hana-pass-1!"),
		UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String("hana@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", apptest.Root.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", apptest.Root.SecretAccessKey)
	var out, errb bytes.Buffer
	code := Main(ctx, []string{"outbox", "--endpoint", srv.URL, "--pool", aws.ToString(pool.UserPool.Id)}, &out, &errb)
	if code != 0 || !regexp.MustCompile(`EMAIL\s+SignUp\s+hana <hana@example.com>: Your verification code is \d{6}\.`).MatchString(out.String()) {
		t.Fatalf("exit %d, output %q %q", code, out.String(), errb.String())
	}

	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
	out.Reset()
	errb.Reset()
	if code := Main(ctx, []string{"outbox", "--endpoint", srv.URL, "--pool", aws.ToString(pool.UserPool.Id)}, &out, &errb); code != 1 ||
		!strings.Contains(errb.String(), "InvalidSignatureException") {
		t.Errorf("wrong key: exit %d, %q", code, errb.String())
	}
	if code := Main(ctx, []string{"outbox"}, &out, &errb); code != 2 {
		t.Errorf("no --pool: exit %d", code)
	}
}
