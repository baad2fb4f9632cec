package s3api

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestTarget: the operation names the edge puts on metrics and audit
// entries, and the bucket, in both addressing styles.
func TestTarget(t *testing.T) {
	h := &Handler{bases: []string{"s3.localhost", "localhost"}}
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
		if got, _ := h.Target(r); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.method, tc.target, got, tc.want)
		}
	}
}

func BenchmarkTarget(b *testing.B) {
	h := &Handler{}
	r := httptest.NewRequest(http.MethodPut, "/bucket/some/key?partNumber=3&uploadId=abc", nil)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = h.Target(r)
	}
}
