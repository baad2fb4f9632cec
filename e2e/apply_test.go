package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/setup"
)

// TestApplyExamples applies each example file (one per seed tutorial) to a
// fresh server twice: the second apply finds everything as the file says
// and sends no write. Then the tutorial's own flow runs against what the
// file set up, and the setup survives export → apply on a fresh server →
// export unchanged.
func TestApplyExamples(t *testing.T) {
	for _, c := range []struct {
		seed string
		flow func(*testing.T, *apptest.Server, *setup.Result)
	}{
		{"000", func(t *testing.T, srv *apptest.Server, res *setup.Result) { notesFlow(t, srv, res, false) }},
		{"001", vendingFunctionFlow},
		{"002", func(t *testing.T, srv *apptest.Server, res *setup.Result) { notesFlow(t, srv, res, true) }},
		{"003", readOnlyCLIFlow},
		{"004", perIdentityFlow},
	} {
		t.Run("seed"+c.seed, func(t *testing.T) {
			t.Parallel()
			srv := apptest.NewServer(t)
			f, err := setup.LoadFile("../examples/seed"+c.seed+".yaml", nil)
			if err != nil {
				t.Fatal(err)
			}
			counter := &applyWriteCounter{}
			cfg := srv.RootConfig()
			cfg.HTTPClient = counter
			first, err := setup.Apply(context.Background(), cfg, f, setup.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if first.Count(setup.Created) != len(first.Changes) || len(counter.take()) == 0 {
				t.Errorf("first apply on a fresh server: %v", first.Changes)
			}
			second, err := setup.Apply(context.Background(), cfg, f, setup.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if w := counter.take(); len(w) != 0 || second.Writes != 0 || second.Count(setup.Unchanged) != len(second.Changes) {
				t.Errorf("second apply wrote %v (%d counted); changes %v", w, second.Writes, second.Changes)
			}
			c.flow(t, srv, second)
			exportRoundTrip(t, srv)
		})
	}
}

// exportRoundTrip checks export → apply on a fresh server → export.
func exportRoundTrip(t *testing.T, srv *apptest.Server) {
	t.Helper()
	exported := exportText(t, srv.RootConfig())
	f, err := setup.Load("export.yaml", exported, nil)
	if err != nil {
		t.Fatalf("the export does not load: %v\n%s", err, exported)
	}
	fresh := apptest.NewServer(t)
	if _, err := setup.Apply(context.Background(), fresh.RootConfig(), f, setup.Options{}); err != nil {
		t.Fatalf("applying the export: %v\n%s", err, exported)
	}
	if again := exportText(t, fresh.RootConfig()); !bytes.Equal(again, exported) {
		t.Errorf("export → apply → export differs:\n--- first\n%s\n--- second\n%s", exported, again)
	}
}

func exportText(t *testing.T, cfg aws.Config) []byte {
	t.Helper()
	f, notes, err := setup.Export(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	out, err := setup.WriteExport(f, notes)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// applyWriteCounter is an HTTP client that records every request that may
// write: all but Describe*, Get*, List* (and Admin forms) and S3's GET and
// HEAD. It counts on the wire, whatever Apply reports.
type applyWriteCounter struct {
	mu     sync.Mutex
	writes []string
}

var applyReadOp = regexp.MustCompile(`^(Admin)?(Describe|Get|List)`)

func (c *applyWriteCounter) Do(req *http.Request) (*http.Response, error) {
	op := req.Method + " " + req.URL.Path // S3
	switch {
	case req.Header.Get("X-Amz-Target") != "":
		_, op, _ = strings.Cut(req.Header.Get("X-Amz-Target"), ".")
	case strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		op = form.Get("Action")
	case req.Method == http.MethodGet || req.Method == http.MethodHead:
		op = "Get"
	}
	if !applyReadOp.MatchString(op) {
		c.mu.Lock()
		c.writes = append(c.writes, op)
		c.mu.Unlock()
	}
	return http.DefaultClient.Do(req)
}

func (c *applyWriteCounter) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.writes
	c.writes = nil
	return w
}

// seedUser is what a tutorial's user holds after signing in.
type seedUser struct {
	srv        *apptest.Server
	provider   string // cognito-idp.<region>.amazonaws.com/<pool id>
	idToken    string
	identityID string
	s3         *s3.Client
	creds      aws.Credentials
}

// getCredentials exchanges an ID token for an identity and credentials,
// as `aws cognito-identity get-id` and `get-credentials-for-identity` do.
func getCredentials(t *testing.T, srv *apptest.Server, res *setup.Result, pool, identityPool, idToken string) *seedUser {
	t.Helper()
	ctx := context.Background()
	u := &seedUser{srv: srv, provider: "cognito-idp." + apptest.Region + ".amazonaws.com/" + res.UserPools[pool], idToken: idToken}
	anon := ci.NewFromConfig(srv.Config(aws.AnonymousCredentials{}))
	logins := map[string]string{u.provider: idToken}
	id, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: aws.String(res.IdentityPools[identityPool]), Logins: logins})
	must(t, err)
	out, err := anon.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
	must(t, err)
	c := out.Credentials
	u.identityID = aws.ToString(id.IdentityId)
	u.creds = aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretKey), SessionToken: aws.ToString(c.SessionToken)}
	cfg := srv.Config(credentials.NewStaticCredentialsProvider(u.creds.AccessKeyID, u.creds.SecretAccessKey, u.creds.SessionToken))
	u.s3 = s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	return u
}

func (u *seedUser) put(bucket, key string) error {
	_, err := u.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: strings.NewReader("hello")})
	return err
}

// wantAllowed and wantDenied check an S3 call's outcome under the role.
func wantAllowed(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v, want it allowed", what, err)
	}
}

func wantDenied(t *testing.T, what string, err error) {
	t.Helper()
	if !isCode(err, "AccessDenied") {
		t.Errorf("%s: %v, want AccessDenied", what, err)
	}
}

// signInPassword signs a user in with USER_PASSWORD_AUTH, as the
// tutorials' apps and `aws cognito-idp initiate-auth` do.
func signInPassword(t *testing.T, srv *apptest.Server, clientID, username, password string) string {
	t.Helper()
	out, err := cip.NewFromConfig(srv.Config(aws.AnonymousCredentials{})).InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: "USER_PASSWORD_AUTH", ClientId: &clientID, AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password}})
	must(t, err)
	if out.AuthenticationResult == nil {
		t.Fatalf("sign-in of %s ended in challenge %s", username, out.ChallengeName)
	}
	return aws.ToString(out.AuthenticationResult.IdToken)
}

// notesFlow is seeds 000 and 002: the notes app's test user signs in with
// their email, gets credentials, and may write files prefixed with their
// identity id, and no others. With the API (002), the role also allows
// calling the notes API.
func notesFlow(t *testing.T, srv *apptest.Server, res *setup.Result, withAPI bool) {
	token := signInPassword(t, srv, res.Clients["notes-user-pool/notes-app"], "admin@example.com", "Passw0rd!")
	u := getCredentials(t, srv, res, "notes-user-pool", "notes identity pool", token)
	wantAllowed(t, "upload with the identity id as prefix", u.put("notes-app-uploads", u.identityID+"-attachment.txt"))
	wantAllowed(t, "upload into the identity's folder", u.put("notes-app-uploads", u.identityID+"/attachment.txt"))
	wantDenied(t, "upload under another prefix", u.put("notes-app-uploads", "someone-else/attachment.txt"))

	ctx := context.Background()
	apiID := "notes-api" // seed 000 has no API; seed 002 names it by ${restApi:notes-api}
	if id := res.RestAPIs["notes-api"]; id != "" {
		apiID = id
	}
	sim, err := iam.NewFromConfig(srv.RootConfig()).SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(res.Roles["Cognito_notesidentitypoolAuth_Role"]), ActionNames: []string{"execute-api:Invoke"},
		ResourceArns: []string{"arn:aws:execute-api:us-east-1:" + apptest.Account + ":" + apiID + "/prod/GET/notes"}})
	must(t, err)
	if got, want := string(sim.EvaluationResults[0].EvalDecision), map[bool]string{true: "allowed", false: "implicitDeny"}[withAPI]; got != want {
		t.Errorf("the role's execute-api:Invoke on the notes API: %s, want %s", got, want)
	}
}

// vendingFunctionFlow is seed 001: the backend signs a registered user in
// with the client's secret, and a function (the tutorial's Lambda) turns
// the ID token into temporary credentials for the user's own folder.
func vendingFunctionFlow(t *testing.T, srv *apptest.Server, res *setup.Result) {
	ctx := context.Background()
	pool, client := res.UserPools["serverless-users"], res.Clients["serverless-users/serverless-backend"]
	root := cip.NewFromConfig(srv.RootConfig())
	d, err := root.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &pool, ClientId: &client})
	must(t, err)
	secret := aws.ToString(d.UserPoolClient.ClientSecret)
	if secret == "" {
		t.Fatal("generateSecret made no secret")
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("registered-user" + client))
	auth, err := root.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: &pool, ClientId: &client, AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "registered-user", "PASSWORD": "Registered-passw0rd!",
			"SECRET_HASH": base64.StdEncoding.EncodeToString(mac.Sum(nil))}})
	must(t, err)

	// The function: "takes in a valid id_token as an argument and returns
	// the temporary aws credentials for the user".
	vend := func(idToken string) *seedUser {
		return getCredentials(t, srv, res, "serverless-users", "serverless_identities", idToken)
	}
	u := vend(aws.ToString(auth.AuthenticationResult.IdToken))
	key := u.identityID + "/report.pdf"
	wantAllowed(t, "put in the identity's folder", u.put("serverless-private-uploads", key))
	_, err = u.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("serverless-private-uploads"), Key: &key})
	wantAllowed(t, "get from the identity's folder", err)
	_, err = u.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("serverless-private-uploads"), Key: &key})
	wantAllowed(t, "delete from the identity's folder", err)
	// "Try changing the identity_id and it will show you authentication error".
	wantDenied(t, "put in another identity's folder", u.put("serverless-private-uploads", "us-east-1:00000000-0000-0000-0000-000000000000/report.pdf"))
	// Unauthenticated identities are off.
	_, err = ci.NewFromConfig(srv.Config(aws.AnonymousCredentials{})).GetId(ctx, &ci.GetIdInput{IdentityPoolId: aws.String(res.IdentityPools["serverless_identities"])})
	if err == nil {
		t.Error("GetId without a login succeeded; the pool allows no unauthenticated identities")
	}
}

// readOnlyCLIFlow is seed 003: the user signs in as Postman does (the
// hosted UI, the code flow with PKCE), choosing a password in place of the
// temporary one; the CLI's get-id and get-credentials-for-identity then give
// credentials that read S3 and write nothing.
func readOnlyCLIFlow(t *testing.T, srv *apptest.Server, res *setup.Result) {
	ctx := context.Background()
	client, callback := res.Clients["s3access-users/postman"], "https://oauth.pstmn.io/v1/callback"
	base := srv.URL + "/_auth/s3access-demo"
	verifier := "postman-verifier-0123456789-0123456789-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {callback}, "scope": {"openid email"},
		"state": {"postman"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	b := newBrowser(t, &oauthEnv{srv: srv}, base)
	change := b.signIn(q, "testuser", "Temp-passw0rd!")
	wantPage(t, change, http.StatusOK, "Change your password")
	code := redirectTo(t, b.submit(change, "password", "Chosen-passw0rd!"), callback).Get("code")
	req, err := http.NewRequest(http.MethodPost, base+"/oauth2/token", strings.NewReader(url.Values{"grant_type": {"authorization_code"},
		"client_id": {client}, "code": {code}, "redirect_uri": {callback}, "code_verifier": {verifier}}.Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	tok := clientDo(t, req)
	if tok.status != http.StatusOK || tok.str("id_token") == "" {
		t.Fatalf("token exchange: %d %s", tok.status, tok.raw)
	}

	u := getCredentials(t, srv, res, "s3access-users", "s3access_identities", tok.str("id_token"))
	rootS3 := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err = rootS3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("s3access-demo-bucket"), Key: aws.String("report.csv"), Body: strings.NewReader("a,b")})
	must(t, err)
	list, err := u.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("s3access-demo-bucket")})
	wantAllowed(t, "list the bucket (AmazonS3ReadOnlyAccess)", err)
	if err == nil && len(list.Contents) != 1 {
		t.Errorf("listed %d objects, want report.csv", len(list.Contents))
	}
	_, err = u.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("s3access-demo-bucket"), Key: aws.String("report.csv")})
	wantAllowed(t, "read an object", err)
	wantDenied(t, "write with read-only credentials", u.put("s3access-demo-bucket", u.identityID+"/mine.csv"))
}

// perIdentityFlow is seed 004 (the upload app): the user signs in, gets
// credentials, lists and writes within the folder named by their identity
// id, and is denied another identity's folder.
func perIdentityFlow(t *testing.T, srv *apptest.Server, res *setup.Result) {
	ctx := context.Background()
	token := signInPassword(t, srv, res.Clients["notes-users/notes-app"], "demo", "Demo-passw0rd!")
	u := getCredentials(t, srv, res, "notes-users", "notes_identities", token)
	wantAllowed(t, "upload into the identity's folder", u.put("notes-uploads", u.identityID+"/photo.jpg"))
	list, err := u.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("notes-uploads"), Prefix: aws.String(u.identityID + "/")})
	wantAllowed(t, "list the identity's folder", err)
	if err == nil && len(list.Contents) != 1 {
		t.Errorf("listed %d objects in the folder, want 1", len(list.Contents))
	}
	wantDenied(t, "upload into another identity's folder", u.put("notes-uploads", "someone-else/photo.jpg"))
	_, err = u.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("notes-uploads"), Prefix: aws.String("someone-else/")})
	wantDenied(t, "list another identity's folder", err)
	who, err := sts.NewFromConfig(srv.Config(credentials.NewStaticCredentialsProvider(u.creds.AccessKeyID, u.creds.SecretAccessKey, u.creds.SessionToken))).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(t, err)
	if !strings.Contains(aws.ToString(who.Arn), "assumed-role/Cognito_notesAuth_Role/") {
		t.Errorf("caller %s, want the seed's role", aws.ToString(who.Arn))
	}
	cors, err := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true }).GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("notes-uploads")})
	must(t, err)
	if len(cors.CORSRules) != 1 || cors.CORSRules[0].AllowedOrigins[0] != "http://localhost:3000" {
		t.Errorf("bucket CORS %+v, want the app's origin http://localhost:3000", cors.CORSRules)
	}
}

// TestApplyCLI runs `federa apply` and `federa export` as a user does,
// against `federa serve`: the seed applied, applied again without a
// change, a dry run, the export applied back, and a file with mistakes
// refused whole before any call.
func TestApplyCLI(t *testing.T) {
	bin := buildFedera(t)
	srv := startBinary(t, bin, "serve")
	dir := t.TempDir()
	run := func(args ...string) (string, error) {
		cmd := exec.Command(bin, append(args, "--endpoint", srv.url)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+cliRootKey, "AWS_SECRET_ACCESS_KEY="+cliRootSecret, "AWS_SESSION_TOKEN=")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	mustRun := func(args ...string) string {
		t.Helper()
		out, err := run(args...)
		if err != nil {
			t.Fatalf("federa %s: %v\n%s\n--- server ---\n%s", strings.Join(args, " "), err, out, srv.log())
		}
		return out
	}
	if out := mustRun("apply", "-f", "../examples/seed004.yaml"); !strings.Contains(out, "9 created, 0 updated, 0 unchanged") ||
		!strings.Contains(out, "create     app client          notes-users/notes-app") {
		t.Errorf("first apply:\n%s", out)
	}
	if out := mustRun("apply", "-f", "../examples/seed004.yaml"); !strings.Contains(out, "0 created, 0 updated, 9 unchanged") {
		t.Errorf("second apply:\n%s", out)
	}
	if out := mustRun("apply", "--dry-run", "-f", "../examples/seed003.yaml"); !strings.Contains(out, "dry run: would create 8, update 0; 0 unchanged") {
		t.Errorf("dry run:\n%s", out)
	}
	if out := mustRun("apply", "-f", "../examples/seed004.yaml"); !strings.Contains(out, "9 unchanged") {
		t.Errorf("the dry run changed something:\n%s", out)
	}

	exported := filepath.Join(dir, "setup.yaml")
	mustRun("export", "-o", exported)
	if info, err := os.Stat(exported); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("export file: %v %v, want mode 0600", info, err)
	}
	if out := mustRun("apply", "-f", exported); !strings.Contains(out, "0 created, 0 updated, 9 unchanged") {
		t.Errorf("applying the export:\n%s", out)
	}
	if out := mustRun("export"); !strings.Contains(out, "name: notes-users") || !strings.Contains(out, "Not exported: client secrets") {
		t.Errorf("export to stdout:\n%s", out)
	}

	bad := filepath.Join(dir, "bad.yaml")
	must(t, os.WriteFile(bad, []byte("userPools:\n  - name: extra\n    colour: blue\nidentityPools:\n  - name: ids\n    userPoolClients:\n      - {userPool: extra, client: web}\n"), 0o600))
	out, err := run("apply", "-f", bad)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("apply of a bad file: %v, want exit status 1", err)
	}
	for _, want := range []string{bad + `:3: unknown field "colour"`, bad + `:7: user pool extra has no client "web"`, "2 problems; nothing was changed"} {
		if !strings.Contains(out, want) {
			t.Errorf("apply of a bad file does not say %q:\n%s", want, out)
		}
	}
	if out := mustRun("export"); strings.Contains(out, "name: extra") {
		t.Errorf("the bad file changed the server:\n%s", out)
	}
}
