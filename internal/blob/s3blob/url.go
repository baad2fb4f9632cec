package s3blob

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Config says where blobs go. ParseURL fills it from a URL; tests and
// programs may also build one directly.
type Config struct {
	// Bucket holds the blobs; it must exist.
	Bucket string
	// Prefix is put before every blob id. It is empty or ends in "/".
	Prefix string
	// Endpoint is the server's base URL (http or https); empty means AWS,
	// whose endpoint follows from the region.
	Endpoint string
	// Region signs the requests; empty means the SDK's (AWS_REGION, the
	// shared config), or us-east-1 when an Endpoint is given.
	Region string
	// PathStyle addresses the bucket as host/bucket/key rather than
	// bucket.host/key.
	PathStyle bool
	// PartSize is the upload buffer: bodies up to it go in one PutObject,
	// longer ones in parts of this size. Zero means DefaultPartSize.
	PartSize int64
	// Checksum is "when_supported" (the SDK's default: a CRC32 with each
	// upload, checked on whole-object reads), "when_required" (only where
	// the API demands one), or empty for the SDK's setting, which
	// AWS_REQUEST_CHECKSUM_CALCULATION may change.
	Checksum string
}

// Part sizes: S3 takes parts of 5 MiB to 5 GiB, except the last, and at
// most 10,000 of them, so the largest blob is 10,000 × PartSize.
const (
	MinPartSize     = 5 << 20
	MaxPartSize     = 5 << 30
	DefaultPartSize = 8 << 20
	maxParts        = 10000
)

// Values of Config.Checksum.
const (
	ChecksumWhenSupported = "when_supported"
	ChecksumWhenRequired  = "when_required"
)

// params documents each query parameter; ParseURL names them when it meets
// one it does not know.
var params = map[string]string{
	"endpoint":   "the server's base URL, e.g. http://minio:9000 (omit for AWS)",
	"region":     "the signing region (default: AWS_REGION, else us-east-1 with an endpoint)",
	"path_style": "true or false (default: true with an endpoint, false without)",
	"part_size":  "upload buffer and part size, e.g. 16MiB (default 8MiB, 5MiB to 5GiB)",
	"checksum":   "when_supported or when_required (default: the SDK's, AWS_REQUEST_CHECKSUM_CALCULATION)",
}

// ParseURL reads a blob store URL:
//
//	s3://BUCKET[/PREFIX][?endpoint=URL&region=R&path_style=BOOL&part_size=N&checksum=MODE]
//
// Its parts:
//
//   - BUCKET: the bucket, which must exist (3–63 characters: a-z 0-9 . -).
//   - PREFIX: put before every blob id, so one bucket can hold other data or
//     several federa deployments; segments of A-Z a-z 0-9 . _ - separated by
//     single slashes. A trailing slash is implied.
//   - endpoint: the server, as http[s]://host[:port][/path]; omitted for AWS.
//   - region: the signing region; default AWS_REGION or the shared config,
//     else us-east-1 when an endpoint is given (MinIO and federa accept any).
//   - path_style: address buckets as endpoint/bucket rather than as
//     bucket.endpoint; default true when an endpoint is given (MinIO, Ceph
//     and federa usually have no wildcard DNS), false for AWS.
//   - part_size: bytes buffered per upload part, as a number or with KiB,
//     MiB or GiB; default 8MiB. An upload holds up to five such buffers.
//   - checksum: when_supported or when_required; default the SDK's. Set
//     when_required for servers that reject the SDK's aws-chunked CRC32
//     trailers (older Ceph RGW and other pre-2025 S3 implementations).
//
// Credentials never go in the URL; they come from the SDK's default chain.
// Every error says what to change.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// raw is not echoed: it may hold a secret that redact cannot find.
		return Config{}, fmt.Errorf("s3blob: the blob URL does not parse (%v); write s3://bucket/prefix?endpoint=http://host:port", unwrapURLError(err))
	}
	shown := redact(u)
	if u.Scheme != "s3" {
		if u.Scheme == "http" || u.Scheme == "https" {
			return Config{}, fmt.Errorf("s3blob: %q: the blob URL starts with s3://bucket; put the server in ?endpoint=%s://%s", shown, u.Scheme, u.Host)
		}
		return Config{}, fmt.Errorf("s3blob: %q: the blob URL must start with s3:// (e.g. s3://bucket/prefix)", shown)
	}
	if u.Opaque != "" {
		return Config{}, fmt.Errorf("s3blob: %q: write s3://bucket, with two slashes", shown)
	}
	if u.User != nil {
		return Config{}, fmt.Errorf("s3blob: %q: credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE", shown)
	}
	if u.Fragment != "" || strings.HasSuffix(raw, "#") {
		return Config{}, fmt.Errorf("s3blob: %q: remove the #fragment", shown)
	}
	c := Config{Bucket: u.Host}
	if err := checkBucket(c.Bucket); err != nil {
		return Config{}, fmt.Errorf("s3blob: %q: %w", shown, err)
	}
	if c.Prefix, err = cleanPrefix(u.Path); err != nil {
		return Config{}, fmt.Errorf("s3blob: %q: %w", shown, err)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("s3blob: %q: the query is malformed (%v); escape & = %% in values", shown, err)
	}
	for k, vs := range q {
		if _, ok := params[k]; !ok {
			return Config{}, fmt.Errorf("s3blob: %q: unknown parameter %q; known: %s", shown, k, knownParams())
		}
		if len(vs) > 1 {
			return Config{}, fmt.Errorf("s3blob: %q: %s is given %d times; give it once", shown, k, len(vs))
		}
	}
	if v := q.Get("endpoint"); q.Has("endpoint") {
		if c.Endpoint, err = checkEndpoint(v); err != nil {
			return Config{}, fmt.Errorf("s3blob: %q: %w", shown, err)
		}
	}
	if q.Has("region") {
		if c.Region = q.Get("region"); !validRegion(c.Region) {
			return Config{}, fmt.Errorf("s3blob: %q: region %q is not a region name; use lower-case letters, digits and dashes, e.g. us-east-1", shown, c.Region)
		}
	}
	c.PathStyle = c.Endpoint != ""
	if q.Has("path_style") {
		if c.PathStyle, err = strconv.ParseBool(q.Get("path_style")); err != nil {
			return Config{}, fmt.Errorf("s3blob: %q: path_style is %q; use true or false", shown, q.Get("path_style"))
		}
	}
	if q.Has("part_size") {
		if c.PartSize, err = parseSize(q.Get("part_size")); err != nil {
			return Config{}, fmt.Errorf("s3blob: %q: %w", shown, err)
		}
	}
	if q.Has("checksum") {
		switch c.Checksum = q.Get("checksum"); c.Checksum {
		case ChecksumWhenSupported, ChecksumWhenRequired:
		default:
			return Config{}, fmt.Errorf("s3blob: %q: checksum is %q; use %s or %s", shown, c.Checksum, ChecksumWhenSupported, ChecksumWhenRequired)
		}
	}
	return c, nil
}

// String writes c back as a URL that ParseURL reads as c.
func (c Config) String() string {
	u := url.URL{Scheme: "s3", Host: c.Bucket, Path: "/" + c.Prefix}
	q := url.Values{}
	if c.Endpoint != "" {
		q.Set("endpoint", c.Endpoint)
	}
	if c.Region != "" {
		q.Set("region", c.Region)
	}
	if c.PathStyle != (c.Endpoint != "") {
		q.Set("path_style", strconv.FormatBool(c.PathStyle))
	}
	if c.PartSize != 0 {
		q.Set("part_size", strconv.FormatInt(c.PartSize, 10))
	}
	if c.Checksum != "" {
		q.Set("checksum", c.Checksum)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// checkBucket applies the S3 bucket naming rules that matter for
// addressing: a name that is not a DNS label sequence breaks virtual-hosted
// requests, and AWS refuses it anyway.
func checkBucket(b string) error {
	if b == "" {
		return errors.New("no bucket; write s3://bucket/prefix")
	}
	if strings.Contains(b, ":") {
		return fmt.Errorf("bucket %q has a port; the server goes in ?endpoint=http://host:port", b)
	}
	if len(b) < 3 || len(b) > 63 {
		return fmt.Errorf("bucket %q must have 3 to 63 characters", b)
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return fmt.Errorf("bucket %q may hold only a-z, 0-9, '.' and '-'", b)
		}
	}
	if !alnum(b[0]) || !alnum(b[len(b)-1]) || strings.Contains(b, "..") {
		return fmt.Errorf("bucket %q must start and end with a letter or digit and have no \"..\"", b)
	}
	return nil
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// cleanPrefix turns the URL path into a key prefix: no leading slash, a
// trailing one unless empty. Segments follow the blob id rules, so every
// key s3blob writes is plain ASCII with no "." or ".." segment that a
// server or proxy might normalise away.
func cleanPrefix(p string) (string, error) {
	p = strings.TrimPrefix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return "", nil
	}
	if len(p) > 512 {
		return "", fmt.Errorf("prefix %q is %d bytes; keep it under 512 so ids fit S3's 1024-byte keys", p[:32]+"…", len(p))
	}
	if !validID(p) {
		return "", fmt.Errorf("prefix %q: use segments of A-Z a-z 0-9 . _ - separated by single slashes, none of them \".\" or \"..\"", p)
	}
	return p + "/", nil
}

func checkEndpoint(v string) (string, error) {
	e, err := url.Parse(v)
	if err != nil || v == "" {
		return "", fmt.Errorf("endpoint %q is not a URL; write endpoint=http://host:port", v)
	}
	if e.Scheme != "http" && e.Scheme != "https" {
		return "", fmt.Errorf("endpoint %q must start with http:// or https://", v)
	}
	if e.Host == "" {
		return "", fmt.Errorf("endpoint %q has no host; write endpoint=%s://host:port", v, e.Scheme)
	}
	if e.User != nil {
		return "", errors.New("endpoint has credentials in it; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead")
	}
	if e.RawQuery != "" || e.Fragment != "" || strings.ContainsAny(v, "?#") {
		return "", fmt.Errorf("endpoint %q must have no ?query or #fragment (escape it as %s if the other parameters landed in it)", v, url.QueryEscape("?"))
	}
	if port := e.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("endpoint %q has port %q; use 1 to 65535", v, port)
		}
	} else if strings.HasSuffix(e.Host, ":") {
		return "", fmt.Errorf("endpoint %q has an empty port", v)
	}
	return strings.TrimSuffix(e.String(), "/"), nil
}

func validRegion(r string) bool {
	if r == "" || len(r) > 64 {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// parseSize reads a byte count written as digits with an optional KiB, MiB
// or GiB.
func parseSize(v string) (int64, error) {
	num, mult := v, int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if s, ok := strings.CutSuffix(v, u.suffix); ok {
			num, mult = s, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || strings.HasPrefix(num, "+") {
		return 0, fmt.Errorf("part_size %q is not a size; write bytes or a whole number of KiB, MiB or GiB, e.g. 16MiB", v)
	}
	if n > MaxPartSize/mult || n*mult < MinPartSize {
		return 0, fmt.Errorf("part_size %q is outside S3's 5MiB to 5GiB", v)
	}
	return n * mult, nil
}

func knownParams() string {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// redact hides credentials, in the URL or in its endpoint parameter, before
// the URL goes into an error message.
func redact(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User("REDACTED")
	}
	q, err := url.ParseQuery(c.RawQuery)
	if err != nil {
		c.RawQuery = "…" // it cannot be searched for secrets
	} else {
		if e, err := url.Parse(q.Get("endpoint")); err == nil && e.User != nil {
			e.User = url.User("REDACTED")
			q.Set("endpoint", e.String())
			c.RawQuery = q.Encode()
		}
	}
	return c.String()
}

// unwrapURLError drops url.Error's repetition of the whole input.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
