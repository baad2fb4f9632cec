package s3

import (
	"github.com/federa/federa/internal/awserr"
)

// Error templates, with the codes and statuses S3 answers with, so clients
// that switch on the code (the SDKs' typed errors, the aws CLI) behave the
// same against federa as against AWS.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
var (
	// ErrAccessDenied is a refused authorization.
	ErrAccessDenied = awserr.Code("AccessDenied", 403)
	// ErrNoSuchBucket means the bucket does not exist.
	ErrNoSuchBucket = awserr.Code("NoSuchBucket", 404)
	// ErrNoSuchKey means the object does not exist.
	ErrNoSuchKey = awserr.Code("NoSuchKey", 404)
	// ErrBucketNotEmpty refuses deleting a bucket that still holds objects.
	ErrBucketNotEmpty = awserr.Code("BucketNotEmpty", 409)
	// ErrBucketAlreadyOwnedByYou answers creating a bucket that exists; federa
	// has one account, so every existing bucket is the caller's own.
	ErrBucketAlreadyOwnedByYou = awserr.Code("BucketAlreadyOwnedByYou", 409)
	// ErrInvalidBucketName rejects names outside S3's naming rules.
	ErrInvalidBucketName = awserr.Code("InvalidBucketName", 400)
	// ErrInvalidArgument rejects a malformed parameter.
	ErrInvalidArgument = awserr.Code("InvalidArgument", 400)
	// ErrInvalidRequest rejects a request that is well-formed but not allowed.
	ErrInvalidRequest = awserr.Code("InvalidRequest", 400)
	// ErrKeyTooLong rejects keys over 1024 bytes.
	ErrKeyTooLong = awserr.Code("KeyTooLongError", 400)
	// ErrEntityTooLarge rejects bodies over the single-request limit.
	ErrEntityTooLarge = awserr.Code("EntityTooLarge", 400)
	// ErrMetadataTooLarge rejects user metadata over 2 KB.
	ErrMetadataTooLarge = awserr.Code("MetadataTooLarge", 400)
	// ErrBadDigest means the body does not match Content-MD5.
	ErrBadDigest = awserr.Code("BadDigest", 400)
	// ErrInvalidDigest means Content-MD5 is not a base64 MD5.
	ErrInvalidDigest = awserr.Code("InvalidDigest", 400)
	// ErrIncompleteBody means the body ended before Content-Length bytes.
	ErrIncompleteBody = awserr.Code("IncompleteBody", 400)
	// ErrInvalidRange means a Range header cannot be satisfied.
	ErrInvalidRange = awserr.Code("InvalidRange", 416)
	// ErrPreconditionFailed means If-Match or If-Unmodified-Since failed.
	ErrPreconditionFailed = awserr.Code("PreconditionFailed", 412)
	// ErrMalformedXML rejects a request document that does not parse or validate.
	ErrMalformedXML = awserr.Code("MalformedXML", 400)
	// ErrMalformedPolicy rejects an invalid bucket policy.
	ErrMalformedPolicy = awserr.Code("MalformedPolicy", 400)
	// ErrNoSuchCORSConfiguration means the bucket has no CORS rules.
	ErrNoSuchCORSConfiguration = awserr.Code("NoSuchCORSConfiguration", 404)
	// ErrNoSuchBucketPolicy means the bucket has no policy.
	ErrNoSuchBucketPolicy = awserr.Code("NoSuchBucketPolicy", 404)
	// ErrNotImplemented answers operations federa does not offer yet.
	ErrNotImplemented = awserr.Code("NotImplemented", 501)
	// ErrMethodNotAllowed answers a method the resource does not support.
	ErrMethodNotAllowed = awserr.Code("MethodNotAllowed", 405)
	// ErrCORSResponse refuses a CORS preflight.
	ErrCORSResponse = awserr.Code("CORSResponse", 403)
	// ErrBadRequest answers a preflight without Origin or request method.
	ErrBadRequest = awserr.Code("BadRequest", 400)
	// ErrNoSuchUpload means the multipart upload does not exist (or was
	// completed or aborted).
	ErrNoSuchUpload = awserr.Code("NoSuchUpload", 404)
	// ErrInvalidPart means a part named in CompleteMultipartUpload was not
	// uploaded or its ETag differs.
	ErrInvalidPart = awserr.Code("InvalidPart", 400)
	// ErrInvalidPartOrder means CompleteMultipartUpload's parts are not in
	// ascending part-number order.
	ErrInvalidPartOrder = awserr.Code("InvalidPartOrder", 400)
	// ErrEntityTooSmall means a part other than the last is under 5 MiB.
	ErrEntityTooSmall = awserr.Code("EntityTooSmall", 400)
	// ErrInvalidPartNumber means GetObject's partNumber names no part.
	ErrInvalidPartNumber = awserr.Code("InvalidPartNumber", 416)
)

// Messages S3 sends, kept verbatim so users can search for them.
const (
	msgAccessDenied       = "Access Denied"
	msgNoSuchBucket       = "The specified bucket does not exist"
	msgNoSuchKey          = "The specified key does not exist."
	msgBucketNotEmpty     = "The bucket you tried to delete is not empty"
	msgAlreadyOwned       = "Your previous request to create the named bucket succeeded and you already own it."
	msgInvalidBucket      = "The specified bucket is not valid."
	msgKeyTooLong         = "Your key is too long"
	msgEntityTooLarge     = "Your proposed upload exceeds the maximum allowed size"
	msgBadDigest          = "The Content-MD5 you specified did not match what we received."
	msgInvalidDigest      = "The Content-MD5 you specified is not valid."
	msgIncompleteBody     = "You did not provide the number of bytes specified by the Content-Length HTTP header."
	msgNoSuchCORS         = "The CORS configuration does not exist"
	msgNoSuchPolicy       = "The bucket policy does not exist"
	msgMetadataTooLarge   = "Your metadata headers exceed the maximum allowed metadata size."
	msgPreconditionFailed = "At least one of the pre-conditions you specified did not hold"
	msgNoSuchUpload       = "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
	msgInvalidPart        = "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."
	msgInvalidPartOrder   = "The list of parts was not in ascending order. Parts must be ordered by part number."
	msgEntityTooSmall     = "Your proposed upload is smaller than the minimum allowed object size."
	msgInvalidPartNum     = "The requested partnumber is not satisfiable"
	// MsgMalformedXML is S3's text for an unparsable request document.
	MsgMalformedXML = "The XML you provided was not well-formed or did not validate against our published schema"
	// MsgNotImplemented is S3's text for an unsupported subresource or header.
	MsgNotImplemented = "A header or query you provided implies functionality that is not implemented"
	// MsgCORSDenied is S3's text (typos included) for a refused preflight.
	MsgCORSDenied = "CORS Response: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headerss are not whitelisted by the resource's CORS spec."
)
