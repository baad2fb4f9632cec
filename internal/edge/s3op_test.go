package edge

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestMetricsS3Operation(t *testing.T) {
	bases := []string{"s3.localhost", "localhost"}
	cases := []struct {
		method, target, copySource, want string
	}{
		{"GET", "/", "", "ListBuckets"},
		{"PUT", "/", "", "unknown"},
		{"PUT", "/b", "", "CreateBucket"},
		{"DELETE", "/b", "", "DeleteBucket"},
		{"HEAD", "/b", "", "HeadBucket"},
		{"GET", "/b", "", "ListObjects"},
		{"GET", "/b?list-type=2&prefix=a", "", "ListObjectsV2"},
		{"GET", "/b?uploads", "", "ListMultipartUploads"},
		{"GET", "/b?location", "", "GetBucketLocation"},
		{"PUT", "/b?policy", "", "PutBucketPolicy"},
		{"GET", "/b?policy", "", "GetBucketPolicy"},
		{"DELETE", "/b?policy", "", "DeleteBucketPolicy"},
		{"PUT", "/b?cors", "", "PutBucketCors"},
		{"DELETE", "/b?cors", "", "DeleteBucketCors"},
		{"PUT", "/b?publicAccessBlock", "", "PutPublicAccessBlock"},
		{"GET", "/b?policyStatus", "", "GetBucketPolicyStatus"},
		{"POST", "/b?delete", "", "DeleteObjects"},
		{"POST", "/b", "", "PostObject"},
		{"PUT", "/b?acl", "", "Unsupported"},
		{"GET", "/b/k", "", "GetObject"},
		{"HEAD", "/b/k", "", "HeadObject"},
		{"PUT", "/b/k", "", "PutObject"},
		{"PUT", "/b/k", "/src/k", "CopyObject"},
		{"DELETE", "/b/k", "", "DeleteObject"},
		{"GET", "/b/k?tagging", "", "GetObjectTagging"},
		{"PUT", "/b/k?tagging", "", "PutObjectTagging"},
		{"POST", "/b/k?uploads", "", "CreateMultipartUpload"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", "", "UploadPart"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", "/src/k", "UploadPartCopy"},
		{"POST", "/b/k?uploadId=u", "", "CompleteMultipartUpload"},
		{"DELETE", "/b/k?uploadId=u", "", "AbortMultipartUpload"},
		{"GET", "/b/k?uploadId=u", "", "ListParts"},
		{"GET", "/b/k?versionId=3", "", "Unsupported"},
		{"OPTIONS", "/b/k", "", "PreflightRequest"},
		// Virtual-host style: the bucket is in the Host, the path is the key.
		{"GET", "http://b.s3.localhost/", "", "ListObjects"},
		{"GET", "http://b.localhost:4566/k", "", "GetObject"},
		{"PUT", "http://b.s3.localhost/?policy", "", "PutBucketPolicy"},
	}
	for _, tc := range cases {
		r := httptest.NewRequest(tc.method, tc.target, nil)
		if tc.copySource != "" {
			r.Header.Set("X-Amz-Copy-Source", tc.copySource)
		}
		bucket, hasKey := s3Target(r, bases)
		if got := s3Operation(r, bucket, hasKey); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.method, tc.target, got, tc.want)
		}
	}
}

func TestMetricsFormValue(t *testing.T) {
	for _, tc := range []struct{ form, want string }{
		{"Action=ListRoles&Version=2010-05-08", "ListRoles"},
		{"Version=1&Action=Assume%52ole", "AssumeRole"},
		{"XAction=no&Action=yes", "yes"},
		{"Version=1", ""},
		{"", ""},
	} {
		if got := formValue(tc.form, "Action"); got != tc.want {
			t.Errorf("formValue(%q) = %q, want %q", tc.form, got, tc.want)
		}
	}
}

func BenchmarkS3Operation(b *testing.B) {
	r := httptest.NewRequest(http.MethodPut, "/bucket/some/key?partNumber=3&uploadId=abc", nil)
	b.ReportAllocs()
	for b.Loop() {
		bucket, hasKey := s3Target(r, nil)
		_ = s3Operation(r, bucket, hasKey)
	}
}
