package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/federa/federa/internal/app"
	"github.com/federa/federa/internal/app/apptest"
)

// condStep is one request of a condition-key case and the error it must get
// ("" for success).
type condStep struct {
	name string
	do   func(c *s3.Client, b string) error
	want string
}

// presignedGet fetches key with a presigned URL, turning an S3 error
// document into an API error.
func presignedGet(c *s3.Client, b, key string) error {
	req, err := s3.NewPresignClient(c).PresignGetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(b), Key: aws.String(key)})
	if err != nil {
		return err
	}
	resp, err := http.Get(req.URL)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var doc struct{ Code, Message string }
	if err := xml.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return err
	}
	return &smithy.GenericAPIError{Code: doc.Code, Message: doc.Message}
}

func copyObject(c *s3.Client, b, src, dst string, replace bool) error {
	in := &s3.CopyObjectInput{Bucket: aws.String(b), Key: aws.String(dst), CopySource: aws.String(b + "/" + src)}
	if replace {
		in.MetadataDirective = s3types.MetadataDirectiveReplace
	}
	_, err := c.CopyObject(context.Background(), in)
	return err
}

// listing is a ListObjectsV2 step with the given parameters (nil: not sent).
func listing(prefix, delimiter *string, maxKeys *int32) func(*s3.Client, string) error {
	return func(c *s3.Client, b string) error {
		_, err := c.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(b), Prefix: prefix, Delimiter: delimiter, MaxKeys: maxKeys})
		return err
	}
}

// TestS3ConditionKeys gives a role session permissions that depend on a
// condition key S3 sets, through its identity policy or the bucket policy,
// and checks that requests with and without the key's value are decided as
// on AWS. TLS keys are in TestS3TLSConditionKeys.
func TestS3ConditionKeys(t *testing.T) {
	e := newAccessEnv(t)
	const everything = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::B","arn:aws:s3:::B/*"]}]}`
	deny := func(action, cond string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"` + action + `","Resource":["arn:aws:s3:::B","arn:aws:s3:::B/*"],"Condition":` + cond + `}]}`
	}
	put := func(mod func(*s3.PutObjectInput), opts ...func(*s3.Options)) func(*s3.Client, string) error {
		return func(c *s3.Client, b string) error {
			in := &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("new"), Body: strings.NewReader("data")}
			if mod != nil {
				mod(in)
			}
			_, err := c.PutObject(context.Background(), in, opts...)
			return err
		}
	}
	get := func(c *s3.Client, b string) error { return getObject(c, b, "k") }
	tests := []struct {
		name, key    string
		role, bucket string // policies naming the bucket B
		steps        []condStep
	}{
		{
			name: "acl", key: "s3:x-amz-acl",
			role: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::B/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}`,
			steps: []condStep{
				{"without an ACL", put(nil), "AccessDenied"},
				{"private", put(func(in *s3.PutObjectInput) { in.ACL = s3types.ObjectCannedACLPrivate }), "AccessDenied"},
				{"bucket-owner-full-control", put(func(in *s3.PutObjectInput) { in.ACL = s3types.ObjectCannedACLBucketOwnerFullControl }), ""},
			},
		},
		{
			name: "sse", key: "s3:x-amz-server-side-encryption",
			role:   everything,
			bucket: deny("s3:PutObject", `{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}`),
			steps: []condStep{
				// StringNotEquals on an absent key matches: unencrypted uploads are denied.
				{"without encryption", put(nil), "AccessDenied"},
				{"aws:kms", put(func(in *s3.PutObjectInput) { in.ServerSideEncryption = s3types.ServerSideEncryptionAwsKms }), "AccessDenied"},
				{"AES256", put(func(in *s3.PutObjectInput) { in.ServerSideEncryption = s3types.ServerSideEncryptionAes256 }), ""},
				{"reads are not uploads", get, ""},
			},
		},
		{
			name: "storage class", key: "s3:x-amz-storage-class",
			role:   everything,
			bucket: deny("s3:PutObject", `{"StringEquals":{"s3:x-amz-storage-class":["GLACIER","DEEP_ARCHIVE"]}}`),
			steps: []condStep{
				{"default class", put(nil), ""},
				{"STANDARD_IA", put(func(in *s3.PutObjectInput) { in.StorageClass = s3types.StorageClassStandardIa }), ""},
				{"GLACIER", put(func(in *s3.PutObjectInput) { in.StorageClass = s3types.StorageClassGlacier }), "AccessDenied"},
			},
		},
		{
			name: "content sha256", key: "s3:x-amz-content-sha256",
			role:   everything,
			bucket: deny("s3:PutObject", `{"StringEquals":{"s3:x-amz-content-sha256":"UNSIGNED-PAYLOAD"}}`),
			steps: []condStep{
				{"signed payload", put(nil), ""},
				{"unsigned payload", put(nil, s3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)), "AccessDenied"},
			},
		},
		{
			name: "copy source", key: "s3:x-amz-copy-source",
			role: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/*"},` +
				`{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::B/copies/*","Condition":{"StringLike":{"s3:x-amz-copy-source":"B/public/*"}}}]}`,
			steps: []condStep{
				{"copy from public/", func(c *s3.Client, b string) error { return copyObject(c, b, "public/a", "copies/a", false) }, ""},
				{"copy from private/", func(c *s3.Client, b string) error { return copyObject(c, b, "private/b", "copies/b", false) }, "AccessDenied"},
				{"upload, no copy source", put(func(in *s3.PutObjectInput) { in.Key = aws.String("copies/c") }), "AccessDenied"},
			},
		},
		{
			name: "metadata directive", key: "s3:x-amz-metadata-directive",
			role:   everything,
			bucket: deny("s3:PutObject", `{"StringEquals":{"s3:x-amz-metadata-directive":"REPLACE"}}`),
			steps: []condStep{
				{"COPY", func(c *s3.Client, b string) error { return copyObject(c, b, "k", "k2", false) }, ""},
				{"REPLACE", func(c *s3.Client, b string) error { return copyObject(c, b, "k", "k3", true) }, "AccessDenied"},
			},
		},
		{
			name: "listing parameters", key: "s3:prefix, s3:delimiter, s3:max-keys",
			role: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::B","Condition":` +
				`{"StringEquals":{"s3:prefix":"home/","s3:delimiter":"/"},"NumericLessThanEquals":{"s3:max-keys":"10"}}}]}`,
			steps: []condStep{
				{"all three as allowed", listing(aws.String("home/"), aws.String("/"), aws.Int32(10)), ""},
				{"smaller page", listing(aws.String("home/"), aws.String("/"), aws.Int32(2)), ""},
				{"other prefix", listing(aws.String("work/"), aws.String("/"), aws.Int32(10)), "AccessDenied"},
				{"no delimiter", listing(aws.String("home/"), nil, aws.Int32(10)), "AccessDenied"},
				{"page too large", listing(aws.String("home/"), aws.String("/"), aws.Int32(100)), "AccessDenied"},
				{"no max-keys", listing(aws.String("home/"), aws.String("/"), nil), "AccessDenied"},
			},
		},
		{
			name: "source ip allowed", key: "aws:SourceIp",
			role:   everything,
			bucket: deny("s3:*", `{"NotIpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128"]}}`),
			steps:  []condStep{{"from loopback", get, ""}},
		},
		{
			name: "source ip denied", key: "aws:SourceIp",
			role:   everything,
			bucket: deny("s3:GetObject", `{"IpAddress":{"aws:SourceIp":["127.0.0.1/32","::1/128"]}}`),
			steps:  []condStep{{"from loopback", get, "AccessDenied"}, {"listing is not denied", listing(nil, nil, nil), ""}},
		},
		{
			name: "secure transport", key: "aws:SecureTransport",
			role:   everything,
			bucket: deny("s3:*", `{"Bool":{"aws:SecureTransport":"false"}}`),
			steps:  []condStep{{"over plain HTTP", get, "AccessDenied"}},
		},
		{
			name: "auth type", key: "s3:authType",
			role:   everything,
			bucket: deny("s3:GetObject", `{"StringEquals":{"s3:authType":"REST-QUERY-STRING"}}`),
			steps: []condStep{
				{"Authorization header", get, ""},
				{"presigned URL", func(c *s3.Client, b string) error { return presignedGet(c, b, "k") }, "AccessDenied"},
			},
		},
		{
			name: "signature version", key: "s3:signatureversion",
			role: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/*","Condition":{"StringEquals":{"s3:signatureversion":"AWS4-HMAC-SHA256"}}},` +
				`{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::B/*","Condition":{"StringEquals":{"s3:signatureversion":"AWS"}}}]}`,
			steps: []condStep{
				{"SigV4 header", get, ""},
				{"SigV4 presigned", func(c *s3.Client, b string) error { return presignedGet(c, b, "k") }, ""},
				{"upload needs SigV2", put(nil), "AccessDenied"},
			},
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			b := "cond-" + strings.ReplaceAll(tt.name, " ", "-")
			e.bucket(b)
			for _, k := range []string{"public/a", "private/b"} {
				must(t, putObject(e.root, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String(k)}))
			}
			if tt.bucket != "" {
				must(t, e.putPolicy(b, strings.ReplaceAll(tt.bucket, ":::B", ":::"+b)))
			}
			// arn:aws:s3:::B and the copy source "B/…" name the bucket.
			rolePolicy := strings.ReplaceAll(strings.ReplaceAll(tt.role, ":::B", ":::"+b), `"B/`, `"`+b+`/`)
			_, cfg := e.role(fmt.Sprintf("cond-%d", i), rolePolicy)
			c := e.client(cfg)
			for _, s := range tt.steps {
				wantErr(t, tt.key+": "+s.name, s.do(c, b), s.want)
			}
		})
	}
}

// TestS3TLSConditionKeys serves federa over TLS and checks aws:SecureTransport
// and s3:TlsVersion: a bucket policy that refuses plain HTTP lets a TLS
// request through, and one that wants TLS 1.3 for reads refuses a TLS 1.2
// client's read but not its upload.
func TestS3TLSConditionKeys(t *testing.T) {
	ctx := context.Background()
	a, err := app.New(ctx, app.Options{DataDir: t.TempDir(), Region: apptest.Region, AccountID: apptest.Account,
		PublicURL: "https://127.0.0.1", Root: apptest.Root, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	must(t, err)
	t.Cleanup(func() { _ = a.Close() })
	ts := httptest.NewUnstartedServer(a.Handler)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	config := func(creds aws.CredentialsProvider, maxTLS uint16) aws.Config {
		return aws.Config{Region: apptest.Region, Credentials: creds, BaseEndpoint: aws.String(ts.URL),
			Retryer:    func() aws.Retryer { return aws.NopRetryer{} },
			HTTPClient: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MaxVersion: maxTLS}}}}
	}
	rootCfg := config(credentials.NewStaticCredentialsProvider(apptest.Root.AccessKeyID, apptest.Root.SecretAccessKey, ""), tls.VersionTLS13)
	pathStyle := func(o *s3.Options) { o.UsePathStyle = true }
	root := s3.NewFromConfig(rootCfg, pathStyle)
	const b = "tls-bucket"
	_, err = root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})
	must(t, err)
	must(t, putObject(root, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("k")}))
	_, err = root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(b), Policy: aws.String(`{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::tls-bucket","arn:aws:s3:::tls-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},` +
		`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::tls-bucket/*","Condition":{"NumericLessThan":{"s3:TlsVersion":"1.3"}}}]}`)})
	must(t, err)

	iamc := iam.NewFromConfig(rootCfg)
	role, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("tls"), AssumeRolePolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + apptest.Account + `"},"Action":"sts:AssumeRole"}}`)})
	must(t, err)
	_, err = iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("tls"), PolicyName: aws.String("p"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::tls-bucket/*"}}`)})
	must(t, err)
	s, err := sts.NewFromConfig(rootCfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("tls")})
	must(t, err)
	creds := credentialsProvider(aws.Credentials{AccessKeyID: *s.Credentials.AccessKeyId, SecretAccessKey: *s.Credentials.SecretAccessKey, SessionToken: *s.Credentials.SessionToken})
	tls13 := s3.NewFromConfig(config(creds, tls.VersionTLS13), pathStyle)
	tls12 := s3.NewFromConfig(config(creds, tls.VersionTLS12), pathStyle)

	wantErr(t, "TLS 1.3 read", getObject(tls13, b, "k"), "")
	wantErr(t, "TLS 1.2 read", getObject(tls12, b, "k"), "AccessDenied")
	wantErr(t, "TLS 1.2 upload", putObject(tls12, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("up")}), "")
}
