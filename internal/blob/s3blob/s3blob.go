package s3blob

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/federa/federa/internal/blob"
)

// Store is a blob.Store over one bucket and prefix of an S3-compatible
// server. It is safe for concurrent use.
type Store struct {
	client   *s3.Client
	cfg      Config
	checksum types.ChecksumAlgorithm // declared on multipart uploads, or none
	// small and parts recycle upload buffers: small ones so that the
	// common small body never holds a whole part buffer, and part-sized ones
	// for the rest.
	small, parts sync.Pool
	// partsInUse and partsPeak count part buffers taken from parts.
	partsInUse, partsPeak atomic.Int64
}

var _ blob.Store = (*Store)(nil)

// uploadConcurrency is how many parts of one upload are in flight. With the
// part being read, an upload holds at most uploadConcurrency+1 buffers.
const uploadConcurrency = 4

// smallSize is the first buffer every Put fills: bodies that fit go out
// without taking a part buffer.
const smallSize = 64 << 10

// Open connects to the store that rawURL names (see ParseURL), with
// credentials, retries and timeouts from the AWS SDK's default chain
// (config.LoadDefaultConfig), and checks that the bucket is reachable. It is
// what `federa serve --blob s3://…` calls.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	c, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("s3blob: load AWS configuration: %w", err)
	}
	s, err := New(c, awsCfg)
	if err != nil {
		return nil, err
	}
	if err := s.Check(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// New returns a store for c that sends its requests with awsCfg, without
// contacting the server. awsCfg supplies the credentials, HTTP client and
// retryer (a nil Retryer means the SDK's standard one); tests pass static
// credentials here. c's Region, when set, overrides awsCfg's.
func New(c Config, awsCfg aws.Config) (*Store, error) {
	if err := checkBucket(c.Bucket); err != nil {
		return nil, fmt.Errorf("s3blob: %w", err)
	}
	prefix, err := cleanPrefix(c.Prefix)
	if err != nil {
		return nil, fmt.Errorf("s3blob: %w", err)
	}
	c.Prefix = prefix
	if c.PartSize == 0 {
		c.PartSize = DefaultPartSize
	}
	if c.PartSize < MinPartSize || c.PartSize > MaxPartSize {
		return nil, fmt.Errorf("s3blob: part size %d is outside S3's 5MiB to 5GiB", c.PartSize)
	}
	if c.Checksum != "" && c.Checksum != ChecksumWhenSupported && c.Checksum != ChecksumWhenRequired {
		return nil, fmt.Errorf("s3blob: checksum %q: use %s or %s", c.Checksum, ChecksumWhenSupported, ChecksumWhenRequired)
	}
	if c.Region == "" {
		c.Region = awsCfg.Region
	}
	if c.Region == "" && c.Endpoint != "" {
		// MinIO, Ceph and federa sign with whatever region they are given.
		c.Region = "us-east-1"
	}
	if c.Region == "" {
		return nil, errors.New("s3blob: no region for AWS; add ?region=… to the blob URL or set AWS_REGION")
	}
	switch hc := awsCfg.HTTPClient.(type) {
	case nil:
		awsCfg.HTTPClient = awshttp.NewBuildableClient().WithTransportOptions(tuneTransport)
	case *awshttp.BuildableClient: // what LoadDefaultConfig gives
		awsCfg.HTTPClient = hc.WithTransportOptions(tuneTransport)
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		o.Region = c.Region
		o.UsePathStyle = c.PathStyle
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
		switch c.Checksum {
		case ChecksumWhenSupported:
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenSupported
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenSupported
		case ChecksumWhenRequired:
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}
	})
	s := &Store{client: client, cfg: c}
	// A multipart upload declares up front the checksum its parts carry,
	// as the SDK's upload manager does; parts then send CRC32 trailers.
	if client.Options().RequestChecksumCalculation != aws.RequestChecksumCalculationWhenRequired {
		s.checksum = types.ChecksumAlgorithmCrc32
	}
	s.small.New = func() any { b := make([]byte, smallSize); return &b }
	s.parts.New = func() any { b := make([]byte, c.PartSize); return &b }
	return s, nil
}

// Transport settings for a blob store's traffic, which all goes to one
// host; the SDK's defaults are otherwise kept (30 s to connect, 10 s for
// TLS, no limit on a whole request, since a body may be large).
const (
	// responseHeaderTimeout starts once a request and its body are sent:
	// a server that takes longer to begin its answer is treated as gone
	// (the retryer then tries again), rather than holding the call until
	// its context ends, which for a background delete is never.
	responseHeaderTimeout = 2 * time.Minute
	// maxIdleConnsPerHost: the SDK keeps 10, too few for a server whose
	// every GET and PUT is also a request here.
	maxIdleConnsPerHost = 64
)

func tuneTransport(tr *http.Transport) {
	tr.ResponseHeaderTimeout = responseHeaderTimeout
	tr.MaxIdleConnsPerHost = maxIdleConnsPerHost
}

// Config returns the store's configuration, with defaults filled in.
func (s *Store) Config() Config { return s.cfg }

// Check asks the server whether the bucket exists and the credentials may
// use it (HeadBucket), so a wrong URL or key fails at start rather than at
// the first upload.
func (s *Store) Check(ctx context.Context) error {
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &s.cfg.Bucket})
	if err == nil {
		return nil
	}
	where := s.cfg.Endpoint
	if where == "" {
		where = "AWS region " + s.cfg.Region
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		switch re.HTTPStatusCode() {
		case 404:
			return fmt.Errorf("s3blob: bucket %q does not exist at %s; create it first: %w", s.cfg.Bucket, where, err)
		case 301, 400:
			return fmt.Errorf("s3blob: bucket %q at %s answered %d; is the region (%s) right?: %w", s.cfg.Bucket, where, re.HTTPStatusCode(), s.cfg.Region, err)
		case 403:
			return fmt.Errorf("s3blob: access to bucket %q at %s is denied; check the credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE) and that they may s3:ListBucket: %w", s.cfg.Bucket, where, err)
		}
	}
	return fmt.Errorf("s3blob: bucket %q at %s: %w", s.cfg.Bucket, where, err)
}

// Close releases the HTTP client's idle connections when it can (an
// *http.Client can; the SDK's default client keeps its transport to itself
// and its connections time out instead). The store must not be used after.
func (s *Store) Close() error {
	if c, ok := s.client.Options().HTTPClient.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
	return nil
}

// key validates id and maps it to the object key.
func (s *Store) key(id string) (string, error) {
	if !validID(id) {
		return "", fmt.Errorf("s3blob: invalid blob id %q", id)
	}
	return s.cfg.Prefix + id, nil
}

// validID accepts the ids blob.Store promises: segments of [A-Za-z0-9._-]
// joined by single slashes, none "." or "..". Such keys need no escaping
// and mean the same to every S3 server and proxy on the way.
func validID(id string) bool {
	if id == "" || len(id) > 512 {
		return false
	}
	for _, seg := range strings.Split(id, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return false
			}
		}
	}
	return true
}

// Delete implements blob.Store. S3 answers a delete of a missing key with
// success already; a NoSuchKey from a stricter server is success too.
func (s *Store) Delete(ctx context.Context, id string) error {
	key, err := s.key(id)
	if err != nil {
		return err
	}
	_, err = s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.cfg.Bucket, Key: &key})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("s3blob: delete %s: %w", id, err)
	}
	return nil
}

// isNotFound reports that the key does not exist: NoSuchKey, or a 404 with
// no body as HEAD gets. NoSuchBucket is not "not found": it means the
// configuration is wrong, and must not be taken for a deleted blob.
func isNotFound(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "NoSuchKey", "NotFound":
			return true
		case "NoSuchBucket":
			return false
		}
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() == 404 {
		return ae == nil || ae.ErrorCode() == "" || ae.ErrorCode() == "NotFound"
	}
	return false
}
