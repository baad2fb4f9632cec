package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/federa/federa/internal/app/apptest"
)

// accessEnv is a server with helpers to make role sessions and clients for
// the S3 access tests.
type accessEnv struct {
	t    *testing.T
	srv  *apptest.Server
	root *s3.Client
}

func newAccessEnv(t *testing.T) *accessEnv {
	srv := apptest.NewServer(t)
	e := &accessEnv{t: t, srv: srv}
	e.root = e.client(srv.RootConfig())
	return e
}

// client is a path-style S3 client; opts adjust it (extra headers, …).
func (e *accessEnv) client(cfg aws.Config, opts ...func(*s3.Options)) *s3.Client {
	return s3.NewFromConfig(cfg, append([]func(*s3.Options){func(o *s3.Options) { o.UsePathStyle = true }}, opts...)...)
}

// anonymous is a client that signs nothing.
func (e *accessEnv) anonymous() *s3.Client { return e.client(e.srv.Config(aws.AnonymousCredentials{})) }

// role creates a role the account root may assume, with policy (if any) as
// its inline policy, and returns its ARN and a session of it.
func (e *accessEnv) role(name, policy string) (string, aws.Config) {
	e.t.Helper()
	ctx := context.Background()
	iamc := iam.NewFromConfig(e.srv.RootConfig())
	out, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + apptest.Account + `:root"},"Action":"sts:AssumeRole"}}`)})
	must(e.t, err)
	if policy != "" {
		_, err := iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)})
		must(e.t, err)
	}
	s, err := sts.NewFromConfig(e.srv.RootConfig()).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: out.Role.Arn, RoleSessionName: aws.String("tests")})
	must(e.t, err)
	c := s.Credentials
	return aws.ToString(out.Role.Arn), e.srv.Config(credentialsProvider(aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken}))
}

// bucket creates a bucket as root, with an object "k" holding "hello".
func (e *accessEnv) bucket(name string) {
	e.t.Helper()
	ctx := context.Background()
	_, err := e.root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
	must(e.t, err)
	_, err = e.root.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String("k"), Body: strings.NewReader("hello")})
	must(e.t, err)
}

func (e *accessEnv) putPolicy(bucket, doc string) error {
	_, err := e.root.PutBucketPolicy(context.Background(), &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(doc)})
	return err
}

func (e *accessEnv) setPAB(bucket string, c s3types.PublicAccessBlockConfiguration) {
	e.t.Helper()
	_, err := e.root.PutPublicAccessBlock(context.Background(), &s3.PutPublicAccessBlockInput{Bucket: aws.String(bucket), PublicAccessBlockConfiguration: &c})
	must(e.t, err)
}

func getObject(c *s3.Client, bucket, key string) error {
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err == nil {
		_, err = io.Copy(io.Discard, out.Body)
		out.Body.Close()
	}
	return err
}

func putObject(c *s3.Client, in *s3.PutObjectInput) error {
	if in.Body == nil {
		in.Body = bytes.NewReader([]byte("data"))
	}
	_, err := c.PutObject(context.Background(), in)
	return err
}

// wantErr fails unless err is the AWS error code ("" for success).
func wantErr(t *testing.T, what string, err error, code string) {
	t.Helper()
	switch {
	case code == "" && err != nil:
		t.Errorf("%s: %v", what, err)
	case code != "" && !isCode(err, code):
		t.Errorf("%s: got %v, want %s", what, err, code)
	}
}

func pabConfig(acls, ignore, policy, restrict bool) s3types.PublicAccessBlockConfiguration {
	return s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(acls), IgnorePublicAcls: aws.Bool(ignore),
		BlockPublicPolicy: aws.Bool(policy), RestrictPublicBuckets: aws.Bool(restrict)}
}

// TestBlockPublicAccess walks a bucket through Block Public Access as the S3
// console does: on by default, a public policy refused, then allowed and
// disarmed for the public by RestrictPublicBuckets, then open, then closed
// again without touching the policy.
func TestBlockPublicAccess(t *testing.T) {
	ctx := context.Background()
	e := newAccessEnv(t)
	const b = "bpa-site"
	e.bucket(b)

	got, err := e.root.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(b)})
	must(t, err)
	if c := got.PublicAccessBlockConfiguration; !aws.ToBool(c.BlockPublicAcls) || !aws.ToBool(c.IgnorePublicAcls) || !aws.ToBool(c.BlockPublicPolicy) || !aws.ToBool(c.RestrictPublicBuckets) {
		t.Errorf("new bucket's configuration = %+v", c)
	}
	_, err = e.root.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String(b)})
	wantErr(t, "policy status without a policy", err, "NoSuchBucketPolicy")

	publicRead := `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + b + `/*"}]}`
	err = e.putPolicy(b, publicRead)
	var re *awshttp.ResponseError
	if !isCode(err, "AccessDenied") || !errors.As(err, &re) || re.HTTPStatusCode() != 403 ||
		!strings.Contains(err.Error(), `is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::bpa-site" because public policies are blocked by the BlockPublicPolicy block public access setting.`) {
		t.Fatalf("public policy with BlockPublicPolicy: %v", err)
	}
	// A policy pinned to fixed source addresses is not public.
	loopbackOnly := strings.Replace(publicRead, `"Resource"`, `"Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}},"Resource"`, 1)
	must(t, e.putPolicy(b, loopbackOnly))
	st, err := e.root.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String(b)})
	must(t, err)
	if aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Error("source-address policy reported public")
	}
	// It grants the anonymous caller from loopback even with
	// RestrictPublicBuckets on, which restricts public policies only.
	wantErr(t, "anonymous read under a non-public policy", getObject(e.anonymous(), b, "k"), "")

	e.setPAB(b, pabConfig(true, true, false, true))
	must(t, e.putPolicy(b, publicRead))
	st, err = e.root.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String(b)})
	must(t, err)
	if !aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Error("public policy reported private")
	}
	// RestrictPublicBuckets: the public grant gives the public nothing, but
	// principals of the account are still evaluated against the policy.
	wantErr(t, "anonymous read with RestrictPublicBuckets", getObject(e.anonymous(), b, "k"), "AccessDenied")
	_, reader := e.role("bpa-reader", "")
	wantErr(t, "account role read with RestrictPublicBuckets", getObject(e.client(reader), b, "k"), "")

	e.setPAB(b, pabConfig(true, true, false, false))
	anon := e.anonymous()
	wantErr(t, "anonymous read of a public bucket", getObject(anon, b, "k"), "")
	wantErr(t, "anonymous write", putObject(anon, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("x")}), "AccessDenied")
	_, err = anon.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(b)})
	wantErr(t, "anonymous listing", err, "AccessDenied")

	_, err = e.root.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String(b)})
	must(t, err)
	_, err = e.root.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(b)})
	wantErr(t, "configuration after delete", err, "NoSuchPublicAccessBlockConfiguration")
	wantErr(t, "anonymous read without a configuration", getObject(anon, b, "k"), "")

	// Blocking again leaves the policy in place but shuts the public out.
	e.setPAB(b, pabConfig(true, true, true, true))
	pol, err := e.root.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(b)})
	must(t, err)
	if aws.ToString(pol.Policy) != publicRead {
		t.Errorf("policy after re-blocking = %s", aws.ToString(pol.Policy))
	}
	wantErr(t, "anonymous read after re-blocking", getObject(anon, b, "k"), "AccessDenied")
}

// TestBlockPublicAcls refuses public canned ACLs and public grants on
// uploads; federa keeps no ACLs, so what is not public is accepted and has
// no effect, and a public one is refused even with the setting off.
func TestBlockPublicAcls(t *testing.T) {
	ctx := context.Background()
	e := newAccessEnv(t)
	const b = "bpa-acls"
	e.bucket(b)
	put := func(acl s3types.ObjectCannedACL, grant string) error {
		in := &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("o"), ACL: acl}
		if grant != "" {
			in.GrantRead = aws.String(grant)
		}
		return putObject(e.root, in)
	}
	tests := []struct {
		acl          s3types.ObjectCannedACL
		grant        string
		blocked, off string // the error with BlockPublicAcls on, and off
	}{
		{"", "", "", ""},
		{s3types.ObjectCannedACLPrivate, "", "", ""},
		{s3types.ObjectCannedACLBucketOwnerFullControl, "", "", ""},
		{s3types.ObjectCannedACLPublicRead, "", "AccessDenied", "AccessControlListNotSupported"},
		{s3types.ObjectCannedACLPublicReadWrite, "", "AccessDenied", "AccessControlListNotSupported"},
		{s3types.ObjectCannedACLAuthenticatedRead, "", "AccessDenied", "AccessControlListNotSupported"},
		{"", `uri="http://acs.amazonaws.com/groups/global/AllUsers"`, "AccessDenied", "AccessControlListNotSupported"},
		{"", `id="79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"`, "", ""},
		{s3types.ObjectCannedACLPrivate, `id="79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"`, "InvalidRequest", "InvalidRequest"},
		{"public-ready", "", "InvalidArgument", "InvalidArgument"},
	}
	for _, tt := range tests {
		wantErr(t, "BlockPublicAcls on, acl "+string(tt.acl)+" grant "+tt.grant, put(tt.acl, tt.grant), tt.blocked)
	}
	_, err := e.root.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(b), Key: aws.String("c"), CopySource: aws.String(b + "/k"), ACL: s3types.ObjectCannedACLPublicRead})
	wantErr(t, "CopyObject public-read", err, "AccessDenied")
	e.setPAB(b, pabConfig(false, true, true, true))
	for _, tt := range tests {
		wantErr(t, "BlockPublicAcls off, acl "+string(tt.acl)+" grant "+tt.grant, put(tt.acl, tt.grant), tt.off)
	}
	_, err = e.root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bpa-public-bucket"), ACL: s3types.BucketCannedACLPublicRead})
	wantErr(t, "CreateBucket public-read", err, "InvalidBucketAclWithObjectOwnership")
	_, err = e.root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bpa-private-bucket"), ACL: s3types.BucketCannedACLPrivate})
	wantErr(t, "CreateBucket private", err, "")
}

// TestAnonymousAccess: an unsigned request is allowed only by a bucket
// policy, never by default, and never to account-level operations.
func TestAnonymousAccess(t *testing.T) {
	ctx := context.Background()
	e := newAccessEnv(t)
	const b = "anon-bucket"
	e.bucket(b)
	anon := e.anonymous()
	_, err := anon.ListBuckets(ctx, &s3.ListBucketsInput{})
	wantErr(t, "ListBuckets", err, "AccessDenied")
	_, err = anon.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("anon-new")})
	wantErr(t, "CreateBucket", err, "AccessDenied")
	wantErr(t, "GetObject", getObject(anon, b, "k"), "AccessDenied")
	wantErr(t, "GetObject of a missing key", getObject(anon, b, "nothing"), "AccessDenied")
	wantErr(t, "PutObject", putObject(anon, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("x")}), "AccessDenied")
	_, err = anon.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(b)})
	if err == nil {
		t.Error("anonymous HeadBucket allowed")
	}
	_, err = anon.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(b)})
	wantErr(t, "GetBucketPolicy", err, "AccessDenied")

	// An upload drop box: anonymous writes under incoming/, nothing else.
	e.setPAB(b, pabConfig(true, true, false, false))
	must(t, e.putPolicy(b, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::`+b+`/incoming/*"}]}`))
	wantErr(t, "PutObject into incoming/", putObject(anon, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("incoming/f")}), "")
	wantErr(t, "PutObject elsewhere", putObject(anon, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("f")}), "AccessDenied")
	wantErr(t, "GetObject of its own upload", getObject(anon, b, "incoming/f"), "AccessDenied")
	// With RestrictPublicBuckets the same policy grants the public nothing.
	e.setPAB(b, pabConfig(true, true, false, true))
	wantErr(t, "PutObject into incoming/ when restricted", putObject(anon, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("incoming/g")}), "AccessDenied")
}

// withOrigin makes a client send a browser's Origin header.
func withOrigin(origin string) func(*s3.Options) {
	return s3.WithAPIOptions(smithyhttp.AddHeaderValue("Origin", origin))
}

// responseHeader returns the headers of a response or of an error's.
func responseHeader(t *testing.T, md middleware.Metadata, err error) http.Header {
	t.Helper()
	if err != nil {
		var re *awshttp.ResponseError
		if !errors.As(err, &re) {
			t.Fatalf("no HTTP response in %v", err)
		}
		return re.HTTPResponse().Header
	}
	raw, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response)
	if !ok {
		t.Fatal("no raw response")
	}
	return raw.Header
}

// TestCORSOnEveryResponse checks that a browser's request gets the bucket's
// CORS headers on successes, on errors (those of the edge, before any
// operation runs, included), on 304 Not Modified, on HEAD and on
// DeleteObjects; without them a script cannot read the answer at all.
func TestCORSOnEveryResponse(t *testing.T) {
	ctx := context.Background()
	e := newAccessEnv(t)
	const b = "cors-everywhere"
	const origin = "https://app.example.com"
	e.bucket(b)
	_, err := e.root.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(b), CORSConfiguration: &s3types.CORSConfiguration{
		CORSRules: []s3types.CORSRule{{AllowedOrigins: []string{origin}, AllowedMethods: []string{"GET", "PUT", "POST", "DELETE", "HEAD"},
			AllowedHeaders: []string{"*"}, ExposeHeaders: []string{"ETag"}}}}})
	must(t, err)
	root := e.client(e.srv.RootConfig(), withOrigin(origin))
	_, denied := e.role("cors-nobody", "")
	nobody := e.client(denied, withOrigin(origin))
	forged := e.client(e.srv.Config(credentialsProvider(aws.Credentials{AccessKeyID: apptest.Root.AccessKeyID, SecretAccessKey: "wrong"})), withOrigin(origin))
	other := e.client(e.srv.RootConfig(), withOrigin("https://evil.example"))

	head, err := root.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String("k")})
	must(t, err)
	etag := aws.ToString(head.ETag)
	call := func(c *s3.Client, what string) (middleware.Metadata, error) {
		switch what {
		case "GetObject":
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String("k")})
			if err != nil {
				return middleware.Metadata{}, err
			}
			out.Body.Close()
			return out.ResultMetadata, nil
		case "GetObject 304":
			_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String("k"), IfNoneMatch: aws.String(etag)})
			return middleware.Metadata{}, err
		case "GetObject missing":
			_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String("missing")})
			return middleware.Metadata{}, err
		case "HeadObject":
			out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String("k")})
			if err != nil {
				return middleware.Metadata{}, err
			}
			return out.ResultMetadata, nil
		case "PutObject":
			out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("p"), Body: strings.NewReader("x")})
			if err != nil {
				return middleware.Metadata{}, err
			}
			return out.ResultMetadata, nil
		case "DeleteObjects":
			out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(b), Delete: &s3types.Delete{Objects: []s3types.ObjectIdentifier{{Key: aws.String("p")}}}})
			if err != nil {
				return middleware.Metadata{}, err
			}
			return out.ResultMetadata, nil
		}
		t.Fatalf("unknown call %s", what)
		return middleware.Metadata{}, nil
	}
	tests := []struct {
		who    string
		c      *s3.Client
		call   string
		status int // of an error; 0 for success
		cors   bool
	}{
		{"root", root, "GetObject", 0, true},
		{"root", root, "GetObject 304", 304, true},
		{"root", root, "GetObject missing", 404, true},
		{"root", root, "HeadObject", 0, true},
		{"root", root, "PutObject", 0, true},
		{"root", root, "DeleteObjects", 0, true},
		{"denied role", nobody, "GetObject", 403, true},
		{"denied role", nobody, "HeadObject", 403, true},
		{"denied role", nobody, "DeleteObjects", 0, true}, // per-key errors, 200
		{"bad signature", forged, "GetObject", 403, true},
		{"bad signature", forged, "PutObject", 403, true},
		{"other origin", other, "GetObject", 0, false},
		{"other origin", other, "GetObject missing", 404, false},
	}
	for _, tt := range tests {
		t.Run(tt.who+" "+tt.call, func(t *testing.T) {
			md, err := call(tt.c, tt.call)
			var re *awshttp.ResponseError
			switch {
			case tt.status == 0 && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.status != 0 && (!errors.As(err, &re) || re.HTTPStatusCode() != tt.status):
				t.Fatalf("got %v, want status %d", err, tt.status)
			}
			h := responseHeader(t, md, err)
			allow := h.Get("Access-Control-Allow-Origin")
			if tt.cors && (allow != origin || h.Get("Access-Control-Expose-Headers") != "ETag" || !strings.Contains(h.Get("Vary"), "Origin")) {
				t.Errorf("CORS headers missing: %v", h)
			}
			if !tt.cors && allow != "" {
				t.Errorf("CORS headers for a foreign origin: %v", h)
			}
		})
	}
}
