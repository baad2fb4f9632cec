package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/go-jose/go-jose/v4"
)

// keyedServer is a built `federa serve` on a fixed address and data
// directory, started and stopped with different master keys.
type keyedServer struct {
	t             *testing.T
	bin, addr     string
	dataDir, logs string
	cmd           *exec.Cmd
	exited        chan struct{}
}

func (s *keyedServer) url() string { return "http://" + s.addr }

// start runs the server with extra flags and environment and waits until
// it serves; it returns the log instead when the server exits first.
func (s *keyedServer) start(env []string, flags ...string) (exitLog string, ok bool) {
	s.t.Helper()
	logPath := filepath.Join(s.logs, time.Now().Format("150405.000000")+".log")
	logf, err := os.Create(logPath)
	must(s.t, err)
	args := append([]string{"serve", "--listen", s.addr, "--data-dir", s.dataDir, "--account-id", "123456789012",
		"--root-access-key-id", cliRootKey, "--root-secret-access-key", cliRootSecret}, flags...)
	cmd := exec.Command(s.bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	must(s.t, cmd.Start())
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); logf.Close(); close(exited) }()
	read := func() string { b, _ := os.ReadFile(logPath); return string(b) }
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case <-exited:
			return read(), false
		default:
		}
		// serve listens before it opens the data directory, so a port
		// that answers is not yet a server that started: its line is.
		if strings.Contains(read(), "federa listening on") {
			s.cmd, s.exited = cmd, exited
			return "", true
		}
	}
	s.t.Fatalf("federa did not listen:\n%s", read())
	return "", false
}

func (s *keyedServer) stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd = nil
}

func (s *keyedServer) config(c aws.Credentials) aws.Config {
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(s.url()), Retryer: func() aws.Retryer { return aws.NopRetryer{} },
		Credentials: credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)}
}

func (s *keyedServer) root() aws.Config {
	return s.config(aws.Credentials{AccessKeyID: cliRootKey, SecretAccessKey: cliRootSecret})
}

// writeKey writes a new random master key file with the given mode.
func writeKey(t *testing.T, path string, mode os.FileMode) string {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	must(t, os.WriteFile(path, []byte(hex.EncodeToString(raw)+"\n"), mode))
	must(t, os.Chmod(path, mode))
	return hex.EncodeToString(raw)
}

// keyedWorld is what TestMasterKeyRotation stores under the first key.
type keyedWorld struct {
	poolID, clientID, clientSecret string
	idToken                        string
	session                        aws.Credentials
	// challenge is a sign-in left at NEW_PASSWORD_REQUIRED: its session
	// is sealed with the sign-in challenge key.
	challenge string
}

func secretHashOf(secret, user, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(user + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func (w *keyedWorld) signIn(t *testing.T, s *keyedServer) string {
	t.Helper()
	out, err := cip.NewFromConfig(s.config(aws.Credentials{})).InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth, ClientId: &w.clientID,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password, "SECRET_HASH": secretHashOf(w.clientSecret, "alice", w.clientID)},
	})
	must(t, err)
	return *out.AuthenticationResult.IdToken
}

func setupKeyedWorld(t *testing.T, s *keyedServer) *keyedWorld {
	ctx := context.Background()
	idp := cip.NewFromConfig(s.root())
	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("vault")})
	must(t, err)
	w := &keyedWorld{poolID: *pool.UserPool.Id}
	client, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &w.poolID, ClientName: aws.String("server-app"),
		GenerateSecret: true, ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{ciptypes.ExplicitAuthFlowsTypeAllowUserPasswordAuth}})
	must(t, err)
	w.clientID, w.clientSecret = *client.UserPoolClient.ClientId, *client.UserPoolClient.ClientSecret
	_, err = idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &w.poolID, Username: aws.String("alice"), MessageAction: ciptypes.MessageActionTypeSuppress})
	must(t, err)
	_, err = idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &w.poolID, Username: aws.String("alice"), Password: aws.String(password), Permanent: true})
	must(t, err)
	w.idToken = w.signIn(t, s)
	_, err = idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &w.poolID, Username: aws.String("carol"),
		TemporaryPassword: aws.String("Temp-0rary!pass"), MessageAction: ciptypes.MessageActionTypeSuppress})
	must(t, err)
	ch, err := cip.NewFromConfig(s.config(aws.Credentials{})).InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth, ClientId: &w.clientID,
		AuthParameters: map[string]string{"USERNAME": "carol", "PASSWORD": "Temp-0rary!pass", "SECRET_HASH": secretHashOf(w.clientSecret, "carol", w.clientID)},
	})
	must(t, err)
	if ch.ChallengeName != ciptypes.ChallengeNameTypeNewPasswordRequired || ch.Session == nil {
		t.Fatalf("carol's sign-in: challenge %q", ch.ChallengeName)
	}
	w.challenge = *ch.Session

	role, err := iam.NewFromConfig(s.root()).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ops"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}}`)})
	must(t, err)
	out, err := sts.NewFromConfig(s.root()).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("before")})
	must(t, err)
	c := out.Credentials
	w.session = aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken}

	s3c := s3.NewFromConfig(s.root(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("vault")})
	must(t, err)
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vault"), Key: aws.String("k"), Body: strings.NewReader("kept")})
	must(t, err)
	return w
}

// check: everything written under the old key works under the new one.
func (w *keyedWorld) check(t *testing.T, s *keyedServer) {
	t.Helper()
	ctx := context.Background()
	w.signIn(t, s) // the client secret and the password verifier open
	desc, err := cip.NewFromConfig(s.root()).DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &w.poolID, ClientId: &w.clientID})
	must(t, err)
	if aws.ToString(desc.UserPoolClient.ClientSecret) != w.clientSecret {
		t.Error("the client secret changed")
	}
	var set jose.JSONWebKeySet
	getJSON(t, s.url()+"/"+w.poolID+"/.well-known/jwks.json", &set)
	obj, err := jose.ParseSignedCompact(w.idToken, []jose.SignatureAlgorithm{jose.RS256})
	must(t, err)
	keys := set.Key(obj.Signatures[0].Header.KeyID)
	if len(keys) != 1 {
		t.Fatal("the JWKS lacks the key of a token signed before the rotation")
	}
	if _, err := obj.Verify(keys[0].Key); err != nil {
		t.Errorf("a token signed before the rotation does not verify: %v", err)
	}
	done, err := cip.NewFromConfig(s.config(aws.Credentials{})).RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ClientId: &w.clientID, ChallengeName: ciptypes.ChallengeNameTypeNewPasswordRequired, Session: &w.challenge,
		ChallengeResponses: map[string]string{"USERNAME": "carol", "NEW_PASSWORD": password, "SECRET_HASH": secretHashOf(w.clientSecret, "carol", w.clientID)},
	})
	must(t, err) // the challenge key opens a session sealed before
	if done.AuthenticationResult == nil {
		t.Error("carol's challenge answered without tokens")
	}
	who, err := sts.NewFromConfig(s.config(w.session)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(t, err) // the session-token key opens a token sealed before
	if !strings.HasSuffix(aws.ToString(who.Arn), ":assumed-role/ops/before") {
		t.Errorf("caller %s", aws.ToString(who.Arn))
	}
	out, err := s3.NewFromConfig(s.root(), func(o *s3.Options) { o.UsePathStyle = true }).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vault"), Key: aws.String("k")})
	must(t, err)
	body, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(body) != "kept" {
		t.Errorf("object reads %q", body)
	}
}

var rotatedRE = regexp.MustCompile(`master key (\S+) -> ([0-9a-f]{8})`)

// TestMasterKeyRotation, with the built binary as an operator runs it:
// secrets written under key A are absent from the database file; after
// rotate-master-key A→B a server with B signs the user in, verifies the
// old tokens through its JWKS and opens old session tokens; a server with
// A, or with no key, stops with a message naming the store's key.
func TestMasterKeyRotation(t *testing.T) {
	bin := buildFedera(t)
	if out, _ := exec.Command(bin, "serve", "-h").CombinedOutput(); !bytes.Contains(out, []byte("master-key-file")) {
		t.Skip("serve has no --master-key-file yet: the app wiring of cryptstore is not in")
	}
	dir := t.TempDir()
	s := &keyedServer{t: t, bin: bin, addr: freeAddr(t), dataDir: filepath.Join(dir, "data"), logs: t.TempDir()}
	t.Cleanup(s.stop)
	keyA, keyB, loose := filepath.Join(dir, "a.key"), filepath.Join(dir, "b.key"), filepath.Join(dir, "loose.key")
	writeKey(t, keyA, 0o600)
	hexB := writeKey(t, keyB, 0o600)
	writeKey(t, loose, 0o644)

	if log, ok := s.start(nil, "--master-key-file", loose); ok || !strings.Contains(log, "chmod 600") {
		t.Fatalf("a group/world-readable key file was accepted:\n%s", log)
	}
	if _, ok := s.start(nil, "--master-key-file", keyA); !ok {
		t.Fatal("no server with key A")
	}
	w := setupKeyedWorld(t, s)
	if code, _, stderr := runBin(t, bin, "rotate-master-key", "--data-dir", s.dataDir, "--old-key-file", keyA, "--new-key-file", keyB); code == 0 || !strings.Contains(stderr, "running federa") {
		t.Errorf("rotation under a running server: exit %d, %s", code, stderr)
	}
	s.stop()
	db, err := os.ReadFile(filepath.Join(s.dataDir, "federa.db"))
	must(t, err)
	if bytes.Contains(db, []byte(w.clientSecret)) || bytes.Contains(db, []byte(base64.StdEncoding.EncodeToString([]byte(w.clientSecret))[:20])) {
		t.Error("the client secret is in clear in the database file")
	}

	keyC := filepath.Join(dir, "c.key")
	writeKey(t, keyC, 0o600)
	if code, _, stderr := runBin(t, bin, "rotate-master-key", "--data-dir", s.dataDir, "--old-key-file", keyC, "--new-key-file", keyB); code == 0 || !strings.Contains(stderr, "but the old key given is") {
		t.Errorf("rotation with the wrong old key: exit %d, %s", code, stderr)
	}
	code, stdout, stderr := runBin(t, bin, "rotate-master-key", "--data-dir", s.dataDir, "--old-key-file", keyA, "--new-key-file", keyB)
	if code != 0 {
		t.Fatalf("rotate-master-key: exit %d\n%s%s", code, stdout, stderr)
	}
	t.Logf("rotate-master-key A->B:\n%s", stdout)
	ids := rotatedRE.FindStringSubmatch(stdout)
	// Three server keys: the pool's signing key, the session-token key
	// and the sign-in challenge key.
	if ids == nil || !strings.Contains(stdout, "server keys  3 resealed") || !strings.Contains(stdout, "users        2 resealed") {
		t.Fatalf("rotation summary:\n%s", stdout)
	}
	idA, idB := ids[1], ids[2]
	if _, stdout, _ := runBin(t, bin, "rotate-master-key", "--data-dir", s.dataDir, "--old-key-file", keyA, "--new-key-file", keyB); !strings.Contains(stdout, "users        0 resealed, 2 already") {
		t.Errorf("a second rotation was not a no-op:\n%s", stdout)
	}
	// A sealed value starts with its key's id: as text in string fields,
	// and as base64 (at the start of the field, so aligned) in []byte ones.
	underA := [][]byte{[]byte("$fed1$" + idA + "$"), []byte(base64.StdEncoding.EncodeToString([]byte("$fed1$" + idA + "$")))}
	if !bytes.Contains(db, underA[0]) || !bytes.Contains(db, underA[1]) {
		t.Fatal("control: no value under key A found before the rotation; the search is blind")
	}
	db, err = os.ReadFile(filepath.Join(s.dataDir, "federa.db"))
	must(t, err)
	for _, needle := range underA {
		if bytes.Contains(db, needle) {
			t.Errorf("values under the old key are still in the database file (%s)", needle)
		}
	}

	log, ok := s.start(nil, "--master-key-file", keyA)
	if ok || !strings.Contains(log, "encrypted under master key "+idB) || !strings.Contains(log, idA) {
		t.Fatalf("a server with the old key was not refused clearly:\n%s", log)
	}
	t.Logf("with the old key: %s", log)
	if log, ok = s.start(nil); ok || !strings.Contains(log, "--master-key-file") {
		t.Fatalf("a server without a key was not refused clearly:\n%s", log)
	}
	t.Logf("without a key: %s", log)
	// The new key through the environment, as containers pass it.
	if log, ok := s.start([]string{"FEDERA_MASTER_KEY=" + hexB}); !ok {
		t.Fatalf("a server with the new key did not start:\n%s", log)
	}
	w.check(t, s)
}

// runBin runs the built binary to its end.
func runBin(t *testing.T, bin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errb.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}
