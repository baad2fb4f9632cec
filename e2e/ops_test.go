package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/federa/federa/internal/app"
	"github.com/federa/federa/internal/app/apptest"
)

// httpGet fetches a path of srv without signing, and returns the status
// and body.
func httpGet(t *testing.T, srv *apptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestOpsHealthAndReady: /healthz and /readyz answer probes at the root and
// under /_federa/, while a bucket named healthz still works for every
// signed request, which is what SDKs send.
func TestOpsHealthAndReady(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	for _, tc := range []struct{ path, want string }{
		{"/healthz", "ok\n"}, {"/readyz", "ready\n"}, {"/_federa/healthz", "ok\n"}, {"/_federa/readyz", "ready\n"},
	} {
		if code, body := httpGet(t, srv, tc.path); code != 200 || body != tc.want {
			t.Errorf("GET %s = %d %q, want 200 %q", tc.path, code, body, tc.want)
		}
	}
	if code, _ := httpGet(t, srv, "/_federa/metrics"); code != http.StatusNotFound {
		t.Errorf("/_federa/metrics without --metrics-public: %d, want 404", code)
	}

	s3c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("healthz")})
	must(t, err)
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("healthz"), Key: aws.String("k"), Body: strings.NewReader("v")})
	must(t, err)
	list, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("healthz")})
	must(t, err)
	if len(list.Contents) != 1 || aws.ToString(list.Contents[0].Key) != "k" {
		t.Errorf("a bucket named healthz lists %v", list.Contents)
	}
	if _, err := s3c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("healthz")}); err != nil {
		t.Errorf("HeadBucket healthz: %v", err)
	}
	// An unsigned request with a query is S3's too: the bucket is private.
	if code, body := httpGet(t, srv, "/healthz?list-type=2"); code != http.StatusForbidden || !strings.Contains(body, "AccessDenied") {
		t.Errorf("anonymous ListObjectsV2 of bucket healthz: %d %s", code, body)
	}
}

// TestOpsReadyFailsWhenBlobUnwritable: /readyz fails, naming the part, when
// object bytes cannot be written; /healthz still answers.
func TestOpsReadyFailsWhenBlobUnwritable(t *testing.T) {
	srv := apptest.NewServer(t)
	// fsblob writes through objects/.tmp; a file in its place fails every
	// write, even for root, whom permissions would not stop.
	tmp := filepath.Join(srv.DataDir, "objects", ".tmp")
	must(t, os.RemoveAll(tmp))
	must(t, os.WriteFile(tmp, []byte("not a directory"), 0o600))
	if code, body := httpGet(t, srv, "/readyz"); code != http.StatusServiceUnavailable || body != "not ready: blob\n" {
		t.Errorf("/readyz with an unwritable blob store = %d %q", code, body)
	}
	if code, _ := httpGet(t, srv, "/healthz"); code != 200 {
		t.Errorf("/healthz = %d, want 200: the process is alive", code)
	}
	must(t, os.Remove(tmp))
	must(t, os.Mkdir(tmp, 0o700))
}

// scrape reads the metrics served at /_federa/metrics into a map from
// series (name{labels}) to value.
func scrape(t *testing.T, srv *apptest.Server) map[string]float64 {
	t.Helper()
	resp, err := http.Get(srv.URL + "/_federa/metrics")
	must(t, err)
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/_federa/metrics: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample line %q", line)
		}
		out[line[:i]] = v
	}
	must(t, sc.Err())
	return out
}

// TestMetricsCountRequests: after requests of each kind, the counters carry
// the right service, operation, status and AWS code, and sign-ins, vends
// and authorization decisions are counted by result.
func TestMetricsCountRequests(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServerWith(t, func(o *app.Options) { o.MetricsPublic = true })
	root := srv.RootConfig()
	iamc := iam.NewFromConfig(root)
	_, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("reader"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + apptest.Account + `:root"},"Action":"sts:AssumeRole"}}`)})
	must(t, err)
	_, err = iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("reader"), PolicyName: aws.String("get"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::metrics-b/*"}}`)})
	must(t, err)
	s3c := s3.NewFromConfig(root, func(o *s3.Options) { o.UsePathStyle = true })
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("metrics-b")})
	must(t, err)
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("metrics-b"), Key: aws.String("k"), Body: strings.NewReader("v")})
	must(t, err)

	out, err := sts.NewFromConfig(root).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + apptest.Account + ":role/reader"), RoleSessionName: aws.String("metrics")})
	must(t, err)
	c := out.Credentials
	sess := s3.NewFromConfig(srv.Config(credentialsProvider(aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken})),
		func(o *s3.Options) { o.UsePathStyle = true })
	_, err = sess.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("metrics-b"), Key: aws.String("k")})
	must(t, err)
	if _, err := sess.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("metrics-b"), Key: aws.String("k"), Body: strings.NewReader("w")}); !isCode(err, "AccessDenied") {
		t.Fatalf("PutObject without permission: %v", err)
	}
	if _, err := sts.NewFromConfig(root).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + apptest.Account + ":role/none"), RoleSessionName: aws.String("metrics")}); err == nil {
		t.Fatal("AssumeRole of a missing role succeeded")
	}

	// Denied so far: the session's PutObject and the missing role. Then
	// sign-ins: one that succeeds, one with a wrong password (denied too).
	idp := cip.NewFromConfig(root)
	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("metrics")})
	must(t, err)
	client, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("app"),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{ciptypes.ExplicitAuthFlowsTypeAllowUserPasswordAuth, ciptypes.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	must(t, err)
	w := &world{srv: srv, userPoolID: *pool.UserPool.Id, clientID: *client.UserPoolClient.ClientId}
	w.createUser(t, "carol")
	w.signIn(t, "carol")
	anon := cip.NewFromConfig(srv.Config(aws.AnonymousCredentials{}))
	_, err = anon.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth, ClientId: &w.clientID,
		AuthParameters: map[string]string{"USERNAME": "carol", "PASSWORD": "wrong-Passw0rd!"}})
	if !isCode(err, "NotAuthorizedException") {
		t.Fatalf("wrong password: %v", err)
	}

	m := scrape(t, srv)
	for series, want := range map[string]float64{
		`federa_requests_total{code="",operation="CreateRole",service="iam",status="200"}`:                                 1,
		`federa_requests_total{code="",operation="PutRolePolicy",service="iam",status="200"}`:                              1,
		`federa_requests_total{code="",operation="CreateBucket",service="s3",status="200"}`:                                1,
		`federa_requests_total{code="",operation="GetObject",service="s3",status="200"}`:                                   1,
		`federa_requests_total{code="AccessDenied",operation="PutObject",service="s3",status="403"}`:                       1,
		`federa_requests_total{code="NotAuthorizedException",operation="InitiateAuth",service="cognito-idp",status="400"}`: 1,
		`federa_request_duration_seconds_count{operation="PutObject",service="s3"}`:                                        2,
		`federa_sign_ins_total{flow="USER_PASSWORD_AUTH",result="success"}`:                                                1,
		`federa_sign_ins_total{flow="USER_PASSWORD_AUTH",result="failure"}`:                                                1,
		`federa_credential_vends_total{operation="AssumeRole",result="success"}`:                                           1,
		`federa_authorization_decisions_total{result="implicit_deny"}`:                                                     1,
		`federa_audit_events_total{kind="denied"}`:                                                                         3,
		`federa_audit_events_dropped_total`:                                                                                0,
	} {
		if got, ok := m[series]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", series, got, ok, want)
		}
	}
	// The session's GetObject was evaluated and allowed; root's requests
	// need no evaluation.
	if got := m[`federa_authorization_decisions_total{result="allow"}`]; got < 1 {
		t.Errorf("allow decisions = %v, want at least 1", got)
	}
	// AWS answers AccessDenied for a role that does not exist, as for one
	// whose trust policy refuses.
	if got := m[`federa_credential_vends_total{operation="AssumeRole",result="AccessDenied"}`]; got != 1 {
		t.Errorf("failed vends = %v, want 1; metrics: %v", got, vendSeries(m))
	}
	if m[`federa_request_duration_seconds_bucket{operation="PutObject",service="s3",le="+Inf"}`] != 2 {
		t.Error("the latency histogram's +Inf bucket does not hold every observation")
	}
	if m["go_goroutines"] <= 0 || m["process_start_time_seconds"] <= 0 {
		t.Error("process metrics missing")
	}
}

func vendSeries(m map[string]float64) []string {
	var out []string
	for k := range m {
		if strings.HasPrefix(k, "federa_credential_vends_total") {
			out = append(out, k)
		}
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for a logger and a test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestOpsJSONLogs: with a JSON handler (serve --log-format json) every
// line parses, and the access log carries the request's service,
// operation, status and AWS code.
func TestOpsJSONLogs(t *testing.T) {
	var logs syncBuffer
	srv := apptest.NewServerWith(t, func(o *app.Options) { o.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	ctx := context.Background()
	s3c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("nope"), Key: aws.String("k")}); !isCode(err, "NoSuchBucket") {
		t.Fatalf("GetObject: %v", err)
	}
	srv.Stop() // the access-log line is written as the request ends; stopping waits for it
	found := false
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		if rec["msg"] == "request" && rec["operation"] == "GetObject" {
			found = true
			if rec["service"] != "s3" || rec["status"] != float64(404) || rec["code"] != "NoSuchBucket" || rec["request_id"] == "" {
				t.Errorf("access log line %v", rec)
			}
		}
	}
	if !found {
		t.Errorf("no access log line for the GetObject in:\n%s", logs.String())
	}
}

// slowBody yields n chunks of size bytes, pausing between them, and
// reports on started once the first is read.
type slowBody struct {
	n, size int
	pause   time.Duration
	started chan struct{}
	sent    int
}

func (b *slowBody) Read(p []byte) (int, error) {
	if b.sent == b.n*b.size {
		return 0, io.EOF
	}
	if b.sent > 0 {
		time.Sleep(b.pause)
	} else {
		close(b.started)
	}
	n := min(len(p), b.size, b.n*b.size-b.sent)
	for i := range p[:n] {
		p[i] = byte('a' + (b.sent+i)%26)
	}
	b.sent += n
	return n, nil
}

// TestOpsShutdownDrainsSlowUpload stops the server in the middle of a slow
// upload: /readyz fails at once (while the drain delay keeps the listener
// open), the upload completes and is stored, and the server exits only
// after it.
func TestOpsShutdownDrainsSlowUpload(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServerWith(t, func(o *app.Options) { o.DrainDelay = 400 * time.Millisecond })
	s3c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("drain")})
	must(t, err)
	put, err := s3.NewPresignClient(s3c).PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("drain"), Key: aws.String("slow")})
	must(t, err)

	body := &slowBody{n: 8, size: 32 << 10, pause: 100 * time.Millisecond, started: make(chan struct{})}
	req, err := http.NewRequest(http.MethodPut, put.URL, body)
	must(t, err)
	req.ContentLength = int64(body.n * body.size)
	type result struct {
		status int
		at     time.Time
		err    error
	}
	uploaded := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			uploaded <- result{err: err, at: time.Now()}
			return
		}
		resp.Body.Close()
		uploaded <- result{status: resp.StatusCode, at: time.Now()}
	}()
	<-body.started
	time.Sleep(100 * time.Millisecond) // the server is reading the body

	stopped := make(chan time.Time, 1)
	go func() { srv.Stop(); stopped <- time.Now() }()
	deadline := time.Now().Add(300 * time.Millisecond)
	for {
		code, text := httpGet(t, srv, "/readyz")
		if code == http.StatusServiceUnavailable {
			if text != "not ready: draining\n" {
				t.Errorf("/readyz while draining: %q", text)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still %d %q after shutdown began", code, text)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code, _ := httpGet(t, srv, "/healthz"); code != 200 {
		t.Errorf("/healthz while draining = %d, want 200", code)
	}

	up := <-uploaded
	if up.err != nil || up.status != 200 {
		t.Fatalf("upload in flight at shutdown: status %d, %v", up.status, up.err)
	}
	if at := <-stopped; at.Before(up.at) {
		t.Errorf("the server stopped (%v) before the upload in flight finished (%v)", at, up.at)
	}
	srv.Restart()
	got, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("drain"), Key: aws.String("slow")})
	must(t, err)
	data, err := io.ReadAll(got.Body)
	must(t, err)
	if len(data) != body.n*body.size {
		t.Errorf("stored %d bytes, want %d", len(data), body.n*body.size)
	}
}

// TestOpsBinary runs `federa serve --log-format json --metrics-listen`:
// every stderr line is JSON, the metrics and probes answer on their own
// listener and not on the main one, and `federa audit` reads the server.
func TestOpsBinary(t *testing.T) {
	bin := buildFedera(t)
	metricsAddr := freeAddr(t)
	srv := startBinary(t, bin, "serve", "--log-format", "json", "--metrics-listen", metricsAddr)
	ctx := context.Background()
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.url),
		Credentials: credentialsProvider(aws.Credentials{AccessKeyID: cliRootKey, SecretAccessKey: cliRootSecret})}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("binary-audit")})
	must(t, err)

	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		must(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("http://" + metricsAddr + "/metrics"); code != 200 ||
		!strings.Contains(body, `federa_requests_total{code="",operation="CreateBucket",service="s3",status="200"} 1`) {
		t.Errorf("--metrics-listen /metrics: %d\n%s", code, body)
	}
	if code, body := get("http://" + metricsAddr + "/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("--metrics-listen /readyz: %d %q", code, body)
	}
	if code, _ := get(srv.url + "/_federa/metrics"); code != http.StatusNotFound {
		t.Errorf("main listener /_federa/metrics without --metrics-public: %d", code)
	}

	cmd := exec.Command(bin, "audit", "--endpoint", srv.url, "--kind", "change")
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+cliRootKey, "AWS_SECRET_ACCESS_KEY="+cliRootSecret, "AWS_SESSION_TOKEN=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "s3:CreateBucket") || !strings.Contains(string(out), "arn:aws:s3:::binary-audit") {
		t.Errorf("federa audit: %v\n%s", err, out)
	}

	waitForLine(t, srv, `"operation":"CreateBucket"`, 10*time.Second)
	for _, line := range strings.Split(strings.TrimSpace(srv.log()), "\n") {
		if strings.HasPrefix(line, "federa listening on ") {
			continue // stdout shares the file
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("not a JSON log line: %q", line)
		}
	}
}
