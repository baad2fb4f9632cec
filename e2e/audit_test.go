package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/federa/federa/internal/app"
	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/cli"
)

// auditLine is one entry as `federa audit --json` prints it.
type auditLine struct {
	ID, Kind, Principal, Service, Action, Resource, Code, Detail, RequestID, SourceIP string
	Status                                                                            int
	Time                                                                              float64
}

// federaAudit runs `federa audit` in process against srv, signed with the
// root key from the environment as a user's shell would have it.
func federaAudit(t *testing.T, srv *apptest.Server, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", apptest.Root.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", apptest.Root.SecretAccessKey)
	t.Setenv("AWS_SESSION_TOKEN", "")
	var out, errb bytes.Buffer
	code = cli.Main(context.Background(), append([]string{"audit", "--endpoint", srv.URL, "--region", apptest.Region}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// auditEntries runs `federa audit --json` and decodes its lines.
func auditEntries(t *testing.T, srv *apptest.Server, args ...string) []auditLine {
	t.Helper()
	code, out, errs := federaAudit(t, srv, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("federa audit %v: exit %d: %s", args, code, errs)
	}
	var es []auditLine
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var e auditLine
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		es = append(es, e)
	}
	return es
}

func findAudit(es []auditLine, action string) (auditLine, bool) {
	for _, e := range es {
		if e.Action == action {
			return e, true
		}
	}
	return auditLine{}, false
}

// auditWorld is a bucket whose policy denies a prefix by a named statement,
// and a role session that may only read the bucket.
type auditWorld struct {
	srv     *apptest.Server
	root    *s3.Client
	session *s3.Client
	roleARN string // the session's assumed-role ARN
}

func newAuditWorld(t *testing.T, srv *apptest.Server) *auditWorld {
	t.Helper()
	ctx := context.Background()
	w := &auditWorld{srv: srv, root: s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })}
	iamc := iam.NewFromConfig(srv.RootConfig())
	_, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("auditee"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + apptest.Account + `:root"},"Action":"sts:AssumeRole"}}`)})
	must(t, err)
	_, err = iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("auditee"), PolicyName: aws.String("read-reports"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Sid":"ReadReports","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}}`)})
	must(t, err)
	_, err = w.root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("reports")})
	must(t, err)
	_, err = w.root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("reports"), Policy: aws.String(
		`{"Version":"2012-10-17","Statement":{"Sid":"DenySecret","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/secret/*"}}`)})
	must(t, err)
	for _, k := range []string{"q1.csv", "secret/salaries.csv"} {
		_, err = w.root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("reports"), Key: aws.String(k), Body: strings.NewReader("x")})
		must(t, err)
	}
	out, err := sts.NewFromConfig(srv.RootConfig()).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + apptest.Account + ":role/auditee"), RoleSessionName: aws.String("dana")})
	must(t, err)
	c := out.Credentials
	w.roleARN = aws.ToString(out.AssumedRoleUser.Arn)
	w.session = s3.NewFromConfig(srv.Config(credentialsProvider(aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken})),
		func(o *s3.Options) { o.UsePathStyle = true })
	return w
}

// TestAuditChangesAndDenials: an IAM PutRolePolicy is an entry of kind
// change, naming root, the role and the policy; an S3 AccessDenied is an
// entry of kind denied naming the session, the object and the rule that
// decided — a bucket policy's Deny statement, or no statement at all.
// Reads and object writes are not audited.
func TestAuditChangesAndDenials(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	w := newAuditWorld(t, srv)
	if _, err := w.session.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("reports"), Key: aws.String("q1.csv")}); err != nil {
		t.Fatalf("allowed read: %v", err)
	}
	if _, err := w.session.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("reports"), Key: aws.String("secret/salaries.csv")}); !isCode(err, "AccessDenied") {
		t.Fatalf("read under the bucket policy's Deny: %v", err)
	}
	if _, err := w.session.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("reports"), Key: aws.String("new.csv"), Body: strings.NewReader("y")}); !isCode(err, "AccessDenied") {
		t.Fatalf("write without an Allow: %v", err)
	}
	rootARN := "arn:aws:iam::" + apptest.Account + ":root"

	es := auditEntries(t, srv, "--since", "1h")
	put, ok := findAudit(es, "iam:PutRolePolicy")
	if !ok {
		t.Fatalf("no entry for PutRolePolicy in %+v", es)
	}
	if put.Kind != "change" || put.Principal != rootARN || put.Service != "iam" || put.Status != 200 ||
		put.Resource != "arn:aws:iam::"+apptest.Account+":role/auditee" || !strings.Contains(put.Detail, "PolicyName=read-reports") ||
		put.RequestID == "" || put.SourceIP != "127.0.0.1" || time.Since(time.Unix(int64(put.Time), 0)) > time.Minute {
		t.Errorf("PutRolePolicy entry: %+v", put)
	}
	if strings.Contains(put.Detail, "ReadReports") {
		t.Errorf("the policy document leaked into the entry: %+v", put)
	}
	for _, action := range []string{"iam:CreateRole", "s3:CreateBucket", "s3:PutBucketPolicy"} {
		if e, ok := findAudit(es, action); !ok || e.Kind != "change" {
			t.Errorf("%s: %+v, %v", action, e, ok)
		}
	}
	if e, ok := findAudit(es, "s3:PutBucketPolicy"); ok && e.Resource != "arn:aws:s3:::reports" {
		t.Errorf("PutBucketPolicy resource %q", e.Resource)
	}
	var denied []auditLine
	for _, e := range es {
		switch {
		case e.Kind == "denied":
			denied = append(denied, e)
		case e.Action == "s3:PutObject" || e.Action == "s3:GetObject" || e.Action == "sts:AssumeRole":
			t.Errorf("data operations and credential vends are not administrative changes: %+v", e)
		}
	}
	if len(denied) != 2 {
		t.Fatalf("denied entries: %+v", denied)
	}
	secret, write := denied[0], denied[1]
	if secret.Principal != w.roleARN || secret.Action != "s3:GetObject" || secret.Resource != "arn:aws:s3:::reports/secret/salaries.csv" ||
		secret.Code != "AccessDenied" || secret.Status != 403 || secret.Detail != `statement "DenySecret" (Deny) of the resource policy` {
		t.Errorf("denied read: %+v", secret)
	}
	if write.Action != "s3:PutObject" || write.Resource != "arn:aws:s3:::reports/new.csv" ||
		write.Detail != "no statement allows s3:PutObject on arn:aws:s3:::reports/new.csv" {
		t.Errorf("denied write: %+v", write)
	}

	// Filters, applied by the server.
	if got := auditEntries(t, srv, "--kind", "denied"); len(got) != 2 {
		t.Errorf("--kind denied: %d entries", len(got))
	}
	for _, e := range auditEntries(t, srv, "--kind", "change") {
		if e.Kind != "change" {
			t.Errorf("--kind change listed %+v", e)
		}
	}
	byRole := auditEntries(t, srv, "--principal", w.roleARN)
	if len(byRole) != 2 || byRole[0].Principal != w.roleARN {
		t.Errorf("--principal %s: %+v", w.roleARN, byRole)
	}
	if got := auditEntries(t, srv, "--principal", rootARN, "--kind", "denied"); len(got) != 0 {
		t.Errorf("root was denied nothing: %+v", got)
	}
	if got := auditEntries(t, srv, "--limit", "2"); len(got) != 2 {
		t.Errorf("--limit 2: %d entries", len(got))
	}
}

// TestAuditAdminDenials: a session calling an admin API it may not is
// denied with the rule (no statement allows the action), and the resource
// comes from the request's parameters; an unknown key is an authentication
// refusal naming the key.
func TestAuditAdminDenials(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	w := newAuditWorld(t, srv)
	_ = w
	out, err := sts.NewFromConfig(srv.RootConfig()).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + apptest.Account + ":role/auditee"), RoleSessionName: aws.String("eve")})
	must(t, err)
	c := out.Credentials
	sess := srv.Config(credentialsProvider(aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken}))
	if _, err := iam.NewFromConfig(sess).DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("auditee"), PolicyName: aws.String("read-reports")}); !isCode(err, "AccessDenied") {
		t.Fatalf("session deleting its own policy: %v", err)
	}
	if _, err := cip.NewFromConfig(sess).DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String("us-east-1_Nope")}); !isCode(err, "AccessDeniedException") {
		t.Fatalf("session deleting a pool: %v", err)
	}
	bogus := srv.Config(credentialsProvider(aws.Credentials{AccessKeyID: "AKIABOGUSBOGUSBOGUS1", SecretAccessKey: "x"}))
	if _, err := iam.NewFromConfig(bogus).ListRoles(ctx, &iam.ListRolesInput{}); !isCode(err, "InvalidClientTokenId") {
		t.Fatalf("unknown key: %v", err)
	}

	es := auditEntries(t, srv, "--kind", "denied")
	del, ok := findAudit(es, "iam:DeleteRolePolicy")
	if !ok || !strings.HasSuffix(del.Principal, ":assumed-role/auditee/eve") || del.Resource != "arn:aws:iam::"+apptest.Account+":role/auditee" ||
		!strings.HasPrefix(del.Detail, "no statement allows iam:DeleteRolePolicy on *") || !strings.Contains(del.Detail, "PolicyName=read-reports") {
		t.Errorf("denied DeleteRolePolicy: %+v", del)
	}
	pool, ok := findAudit(es, "cognito-idp:DeleteUserPool")
	if !ok || pool.Code != "AccessDeniedException" || pool.Resource != "arn:aws:cognito-idp:"+apptest.Region+":"+apptest.Account+":userpool/us-east-1_Nope" {
		t.Errorf("denied DeleteUserPool: %+v", pool)
	}
	key, ok := findAudit(es, "iam:ListRoles")
	if !ok || key.Principal != "anonymous" || key.Code != "InvalidClientTokenId" || !strings.Contains(key.Detail, "access key AKIABOGUSBOGUSBOGUS1") {
		t.Errorf("unknown key: %+v", key)
	}
}

// TestAuditCLIOutput: the text form is a header and one aligned line per
// entry; --since takes RFC 3339 times as well as durations; bad flags are
// usage errors.
func TestAuditCLIOutput(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	iamc := iam.NewFromConfig(srv.RootConfig())
	_, err := iamc.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("early"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}}`)})
	must(t, err)
	// Twelve minutes: signatures still pass (15 minutes of skew are allowed).
	srv.Clock.Advance(12 * time.Minute)
	_, err = iamc.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("late"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}}`)})
	must(t, err)

	code, out, errs := federaAudit(t, srv)
	if code != 0 {
		t.Fatalf("federa audit: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "TIME ") || !strings.Contains(lines[0], "PRINCIPAL") {
		t.Fatalf("federa audit printed:\n%s", out)
	}
	fields := strings.Fields(lines[1])
	if fields[1] != "change" || fields[2] != "arn:aws:iam::"+apptest.Account+":root" || fields[3] != "iam:CreatePolicy" ||
		fields[4] != "arn:aws:iam::"+apptest.Account+":policy/early" || fields[5] != "200" || fields[6] != "127.0.0.1" {
		t.Errorf("entry line %q", lines[1])
	}
	// The server's clock is twelve minutes ahead now; six minutes before
	// it selects only the second policy.
	cut := srv.Clock.Now().Add(-6 * time.Minute).UTC().Format(time.RFC3339)
	if es := auditEntries(t, srv, "--since", cut, "--until", "0s"); len(es) != 0 {
		t.Errorf("--since %s --until now (real time, before the clock): %+v", cut, es)
	}
	es := auditEntries(t, srv, "--since", cut, "--until", srv.Clock.Now().Add(time.Minute).UTC().Format(time.RFC3339))
	if len(es) != 1 || es[0].Resource != "arn:aws:iam::"+apptest.Account+":policy/late" {
		t.Errorf("--since %s: %+v", cut, es)
	}
	for _, bad := range [][]string{{"--kind", "nope"}, {"--since", "yesterday"}, {"extra"}} {
		if code, _, _ := federaAudit(t, srv, bad...); code == 0 {
			t.Errorf("federa audit %v succeeded", bad)
		}
	}
}

// TestAuditRetention: entries older than --audit-retention are pruned (at
// start, then hourly); newer ones stay.
func TestAuditRetention(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServerWith(t, func(o *app.Options) { o.AuditRetention = 10 * time.Minute })
	s3c := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("old-bucket")})
	must(t, err)
	srv.Clock.Advance(12 * time.Minute) // within the signatures' 15 minutes of skew
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("new-bucket")})
	must(t, err)
	if es := auditEntries(t, srv, "--since", "1000h"); len(es) != 2 {
		t.Fatalf("before pruning: %+v", es)
	}
	srv.Restart() // prunes at start, in the background
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		es := auditEntries(t, srv, "--since", "1000h")
		if len(es) == 1 && es[0].Resource == "arn:aws:s3:::new-bucket" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after pruning: %+v", es)
		}
	}
}

// TestAuditNeedsAnAdministrator: a session without federa:ListAuditEvents
// may not read the log; unsigned callers are told to sign.
func TestAuditNeedsAnAdministrator(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	w := newAuditWorld(t, srv)
	_ = w
	out, err := sts.NewFromConfig(srv.RootConfig()).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + apptest.Account + ":role/auditee"), RoleSessionName: aws.String("mallory")})
	must(t, err)
	c := out.Credentials
	t.Setenv("AWS_ACCESS_KEY_ID", *c.AccessKeyId)
	t.Setenv("AWS_SECRET_ACCESS_KEY", *c.SecretAccessKey)
	t.Setenv("AWS_SESSION_TOKEN", *c.SessionToken)
	var stdout, stderr bytes.Buffer
	if code := cli.Main(ctx, []string{"audit", "--endpoint", srv.URL}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "AccessDeniedException") {
		t.Errorf("a session without federa:ListAuditEvents: exit %d, %s", code, stderr.String())
	}
	// The refusal is itself audited.
	es := auditEntries(t, srv, "--kind", "denied")
	if e, ok := findAudit(es, "federa:ListAuditEvents"); !ok || !strings.HasSuffix(e.Principal, "/mallory") {
		t.Errorf("denied ListAuditEvents: %+v", es)
	}
}
