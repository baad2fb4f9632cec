package s3api

import (
	"net/http"
	"strings"
)

// S3 names no operation on the wire: it is the method, whether a bucket and
// a key are addressed, and the subresource in the query. Target names it as
// the S3 API reference does, following this package's routing (handler.go,
// routeaccess.go, multipart.go) — kept beside it so the two change
// together — from one pass over the raw query and without allocating, for
// the edge's metrics and audit labels. It only labels; serve decides.

// unknownOp names a request no S3 operation matches.
const unknownOp = "unknown"

// Target names r's operation and the bucket it addresses ("" for the
// service), for the edge's metrics and audit log.
func (h *Handler) Target(r *http.Request) (operation, bucket string) {
	bucket, key := route(r.Host, r.URL.Path, h.bases)
	return s3Operation(r, bucket, key != ""), bucket
}

// sub is a bit set of the subresources that select an S3 operation.
type sub uint32

const (
	subCORS sub = 1 << iota
	subPolicy
	subLocation
	subUploads
	subUploadID
	subPartNumber
	subListType
	subDelete
	subPAB
	subPolicyStatus
	subTagging
	subUnsupported
)

// s3Subresources maps query keys to their bit. The unsupported ones are
// those s3api answers NotImplemented.
var s3Subresources = map[string]sub{
	"cors": subCORS, "policy": subPolicy, "location": subLocation, "uploads": subUploads,
	"uploadId": subUploadID, "partNumber": subPartNumber, "list-type": subListType, "delete": subDelete,
	"publicAccessBlock": subPAB, "policyStatus": subPolicyStatus, "tagging": subTagging,
	"accelerate": subUnsupported, "acl": subUnsupported, "analytics": subUnsupported, "attributes": subUnsupported,
	"encryption": subUnsupported, "intelligent-tiering": subUnsupported, "inventory": subUnsupported,
	"legal-hold": subUnsupported, "lifecycle": subUnsupported, "logging": subUnsupported,
	"metadataTable": subUnsupported, "metrics": subUnsupported, "notification": subUnsupported,
	"object-lock": subUnsupported, "ownershipControls": subUnsupported, "replication": subUnsupported,
	"requestPayment": subUnsupported, "restore": subUnsupported, "retention": subUnsupported,
	"select": subUnsupported, "session": subUnsupported, "torrent": subUnsupported, "versionId": subUnsupported,
	"versioning": subUnsupported, "versions": subUnsupported, "website": subUnsupported,
}

func (s sub) has(b sub) bool { return s&b != 0 }

func subresources(rawQuery string) sub {
	var s sub
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		k, _, _ := strings.Cut(pair, "=")
		s |= s3Subresources[k]
	}
	return s
}

// s3Operation names an S3 request.
func s3Operation(r *http.Request, bucket string, hasKey bool) string {
	q := subresources(r.URL.RawQuery)
	m := r.Method
	if m == http.MethodOptions {
		return "PreflightRequest"
	}
	if q.has(subUnsupported) {
		return "Unsupported"
	}
	switch {
	case bucket == "":
		if m == http.MethodGet {
			return "ListBuckets"
		}
	case !hasKey:
		return s3BucketOperation(m, q)
	default:
		return s3ObjectOperation(r, m, q)
	}
	return unknownOp
}

func s3BucketOperation(m string, q sub) string {
	switch m {
	case http.MethodGet:
		switch {
		case q.has(subPAB):
			return "GetPublicAccessBlock"
		case q.has(subPolicyStatus):
			return "GetBucketPolicyStatus"
		case q.has(subCORS):
			return "GetBucketCors"
		case q.has(subPolicy):
			return "GetBucketPolicy"
		case q.has(subLocation):
			return "GetBucketLocation"
		case q.has(subUploads):
			return "ListMultipartUploads"
		case q.has(subListType):
			return "ListObjectsV2"
		}
		return "ListObjects"
	case http.MethodPut:
		switch {
		case q.has(subPAB):
			return "PutPublicAccessBlock"
		case q.has(subCORS):
			return "PutBucketCors"
		case q.has(subPolicy):
			return "PutBucketPolicy"
		}
		return "CreateBucket"
	case http.MethodHead:
		return "HeadBucket"
	case http.MethodDelete:
		switch {
		case q.has(subPAB):
			return "DeletePublicAccessBlock"
		case q.has(subCORS):
			return "DeleteBucketCors"
		case q.has(subPolicy):
			return "DeleteBucketPolicy"
		}
		return "DeleteBucket"
	case http.MethodPost:
		if q.has(subDelete) {
			return "DeleteObjects"
		}
		return "PostObject"
	}
	return unknownOp
}

func s3ObjectOperation(r *http.Request, m string, q sub) string {
	copySource := r.Header.Get("X-Amz-Copy-Source") != ""
	switch {
	case q.has(subTagging):
		switch m {
		case http.MethodGet:
			return "GetObjectTagging"
		case http.MethodPut:
			return "PutObjectTagging"
		case http.MethodDelete:
			return "DeleteObjectTagging"
		}
		return unknownOp
	case q.has(subUploads) && m == http.MethodPost:
		return "CreateMultipartUpload"
	case q.has(subUploadID):
		switch m {
		case http.MethodPut:
			if copySource {
				return "UploadPartCopy"
			}
			return "UploadPart"
		case http.MethodPost:
			return "CompleteMultipartUpload"
		case http.MethodDelete:
			return "AbortMultipartUpload"
		case http.MethodGet:
			return "ListParts"
		}
		return unknownOp
	}
	switch m {
	case http.MethodGet:
		return "GetObject"
	case http.MethodHead:
		return "HeadObject"
	case http.MethodPut:
		if copySource {
			return "CopyObject"
		}
		return "PutObject"
	case http.MethodDelete:
		return "DeleteObject"
	}
	return unknownOp
}
