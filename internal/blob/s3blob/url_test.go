package s3blob

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// urlCases are the table for TestS3BlobParseURL and the seeds of FuzzS3BlobParseURL.
// An error case lists words its message must contain: what is wrong and
// what to write instead.
var urlCases = []struct {
	in      string
	want    Config
	errWant []string
}{
	{in: "s3://blobs", want: Config{Bucket: "blobs"}},
	{in: "s3://blobs/", want: Config{Bucket: "blobs"}},
	{in: "s3://blobs/federa", want: Config{Bucket: "blobs", Prefix: "federa/"}},
	{in: "s3://blobs/a/b-c/d_e.f/", want: Config{Bucket: "blobs", Prefix: "a/b-c/d_e.f/"}},
	{in: "s3://blobs/p?endpoint=http://127.0.0.1:9000",
		want: Config{Bucket: "blobs", Prefix: "p/", Endpoint: "http://127.0.0.1:9000", PathStyle: true}},
	{in: "s3://blobs?endpoint=https://minio.example.com/",
		want: Config{Bucket: "blobs", Endpoint: "https://minio.example.com", PathStyle: true}},
	{in: "s3://blobs?endpoint=https://gw.example.com/s3",
		want: Config{Bucket: "blobs", Endpoint: "https://gw.example.com/s3", PathStyle: true}},
	{in: "s3://blobs?endpoint=http://[::1]:9000",
		want: Config{Bucket: "blobs", Endpoint: "http://[::1]:9000", PathStyle: true}},
	{in: "s3://blobs?endpoint=http%3A%2F%2Fhost%3A9000&path_style=false",
		want: Config{Bucket: "blobs", Endpoint: "http://host:9000"}},
	{in: "s3://my.bucket-1?region=eu-west-3&path_style=true",
		want: Config{Bucket: "my.bucket-1", Region: "eu-west-3", PathStyle: true}},
	{in: "s3://blobs?part_size=16MiB&checksum=when_required",
		want: Config{Bucket: "blobs", PartSize: 16 << 20, Checksum: ChecksumWhenRequired}},
	{in: "s3://blobs?part_size=5242880&checksum=when_supported",
		want: Config{Bucket: "blobs", PartSize: 5 << 20, Checksum: ChecksumWhenSupported}},
	{in: "s3://blobs?part_size=5GiB", want: Config{Bucket: "blobs", PartSize: 5 << 30}},
	{in: "s3://blobs?part_size=6144KiB", want: Config{Bucket: "blobs", PartSize: 6 << 20}},

	{in: "http://localhost:9000/blobs", errWant: []string{"s3://bucket", "?endpoint=http://localhost:9000"}},
	{in: "blobs/prefix", errWant: []string{"must start with s3://"}},
	{in: "", errWant: []string{"must start with s3://"}},
	{in: "s3:blobs", errWant: []string{"two slashes"}},
	{in: "s3://", errWant: []string{"no bucket"}},
	{in: "s3:///prefix", errWant: []string{"no bucket"}},
	{in: "s3://blobs:9000/p", errWant: []string{"port", "?endpoint=http://host:port"}},
	{in: "s3://Blobs", errWant: []string{"a-z"}},
	{in: "s3://bl_obs", errWant: []string{"a-z"}},
	{in: "s3://ab", errWant: []string{"3 to 63"}},
	{in: "s3://" + strings.Repeat("a", 64), errWant: []string{"3 to 63"}},
	{in: "s3://-blobs", errWant: []string{"start and end"}},
	{in: "s3://a..b", errWant: []string{`".."`}},
	{in: "s3://key:secret@blobs", errWant: []string{"credentials do not belong", "AWS_ACCESS_KEY_ID"}},
	{in: "s3://blobs#x", errWant: []string{"fragment"}},
	{in: "s3://blobs/a//b", errWant: []string{"prefix", "single slashes"}},
	{in: "s3://blobs/a/../b", errWant: []string{"prefix", `none of them "." or ".."`}},
	{in: "s3://blobs/sp%20ace", errWant: []string{"prefix", "A-Z a-z 0-9 . _ -"}},
	{in: "s3://blobs/" + strings.Repeat("p", 600), errWant: []string{"under 512"}},
	{in: "s3://blobs?endpont=http://h", errWant: []string{`unknown parameter "endpont"`, "checksum, endpoint, part_size, path_style, region"}},
	{in: "s3://blobs?region=a&region=b", errWant: []string{"region is given 2 times"}},
	{in: "s3://blobs?endpoint=", errWant: []string{"not a URL", "endpoint=http://host:port"}},
	{in: "s3://blobs?endpoint=localhost:9000", errWant: []string{"http:// or https://"}},
	{in: "s3://blobs?endpoint=ftp://h", errWant: []string{"http:// or https://"}},
	{in: "s3://blobs?endpoint=http://", errWant: []string{"no host"}},
	{in: "s3://blobs?endpoint=http://h:0", errWant: []string{"1 to 65535"}},
	{in: "s3://blobs?endpoint=http://h:", errWant: []string{"empty port"}},
	{in: "s3://blobs?endpoint=http://u:SECRETPW@h", errWant: []string{"credentials", "AWS_ACCESS_KEY_ID"}},
	{in: "s3://blobs?endpoint=http://h?region=x", errWant: []string{"no ?query"}},
	{in: "s3://blobs?region=US_EAST", errWant: []string{"not a region name", "us-east-1"}},
	{in: "s3://blobs?region=", errWant: []string{"not a region name"}},
	{in: "s3://blobs?path_style=yes", errWant: []string{"true or false"}},
	{in: "s3://blobs?part_size=1MiB", errWant: []string{"5MiB to 5GiB"}},
	{in: "s3://blobs?part_size=6GiB", errWant: []string{"5MiB to 5GiB"}},
	{in: "s3://blobs?part_size=8MB", errWant: []string{"KiB, MiB or GiB", "16MiB"}},
	{in: "s3://blobs?part_size=-8", errWant: []string{"not a size"}},
	{in: "s3://blobs?part_size=99999999999999999999", errWant: []string{"not a size"}},
	{in: "s3://blobs?checksum=crc32", errWant: []string{"when_supported or when_required"}},
	{in: "s3://blobs?a=%zz", errWant: []string{"malformed"}},
	{in: "s3://blobs/%zz", errWant: []string{"does not parse"}},
}

func TestS3BlobParseURL(t *testing.T) {
	for _, tc := range urlCases {
		got, err := ParseURL(tc.in)
		if tc.errWant != nil {
			if err == nil {
				t.Errorf("ParseURL(%q) = %+v, want an error", tc.in, got)
				continue
			}
			for _, w := range tc.errWant {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ParseURL(%q) error %q does not say %q", tc.in, err, w)
				}
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "SECRETPW") {
				t.Errorf("ParseURL(%q) error %q shows the secret", tc.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseURL(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		if back, err := ParseURL(got.String()); err != nil || back != got {
			t.Errorf("ParseURL(%q).String() = %q reads back as %+v, %v", tc.in, got.String(), back, err)
		}
	}
}

// FuzzS3BlobParseURL: no input panics; whatever parses is a usable configuration
// (New accepts it) and survives String and ParseURL again unchanged.
func FuzzS3BlobParseURL(f *testing.F) {
	for _, tc := range urlCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseURL(in)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if checkBucket(c.Bucket) != nil {
			t.Fatalf("%q: bucket %q accepted", in, c.Bucket)
		}
		if c.Prefix != "" && (!strings.HasSuffix(c.Prefix, "/") || !validID(strings.TrimSuffix(c.Prefix, "/"))) {
			t.Fatalf("%q: prefix %q accepted", in, c.Prefix)
		}
		back, err := ParseURL(c.String())
		if err != nil || back != c {
			t.Fatalf("%q parses as %+v, whose String %q reads back as %+v, %v", in, c, c.String(), back, err)
		}
		if _, err := New(c, aws.Config{Region: "us-east-1"}); err != nil {
			t.Fatalf("%q parses as %+v, which New refuses: %v", in, c, err)
		}
	})
}

func TestS3BlobValidID(t *testing.T) {
	for id, ok := range map[string]bool{
		"a": true, "ab/cd/0123-x_y.z": true, "...": true, ".x": true,
		"": false, "/a": false, "a/": false, "a//b": false, ".": false, "a/./b": false, "..": false,
		"a/../b": false, "sp ace": false, "é": false, "a?b": false, "a%2Fb": false, "a\\b": false,
		strings.Repeat("a", 512): true, strings.Repeat("a", 513): false,
	} {
		if validID(id) != ok {
			t.Errorf("validID(%q) = %v", id, !ok)
		}
	}
}
