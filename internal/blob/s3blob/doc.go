// Package s3blob stores blobs as objects in an S3-compatible object store —
// AWS S3, MinIO, Ceph RGW, or another federa — so that object bytes live in
// an existing cluster while federa enforces identity and policy in front of
// it. Each blob id becomes one object, prefix+id, in one bucket.
//
// # Configuration
//
// A store is named by a URL (see ParseURL for every parameter):
//
//	s3://bucket/prefix?endpoint=http://host:port&region=us-east-1&path_style=true
//
// Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, AWS_PROFILE and the shared files, web identity,
// container and instance roles), never from the URL. The credentials need,
// on arn:aws:s3:::bucket/prefix*, s3:PutObject, s3:GetObject,
// s3:DeleteObject and s3:AbortMultipartUpload, and s3:ListBucket on the
// bucket: without ListBucket, S3 (and federa) answer a read of a missing
// object with AccessDenied rather than NoSuchKey, so a missing blob could
// not be told from a refused one. (ListBucket lets the key list the whole
// bucket; give federa a bucket of its own where that matters.)
//
// # How blob operations map onto S3
//
//   - Put reads the body into a buffer of up to part_size bytes. A body that
//     fits is sent with one PutObject of known length; a larger one becomes
//     a multipart upload with up to four parts in flight. Memory stays
//     bounded whatever the size: at most five part buffers per upload, and
//     bodies under 64 KiB (most of federa's objects) take none. S3 makes an
//     object visible only when PutObject or CompleteMultipartUpload
//     succeeds; on any failure, including a reader error or a cancelled
//     context, the multipart upload is aborted, so no partial object is
//     ever visible. (Parts of an upload whose abort itself failed, for
//     instance because the process died, are invisible but take space:
//     give the bucket a lifecycle rule that aborts incomplete multipart
//     uploads after a day, or call AbortUploadsBefore now and then.)
//   - Open is one GetObject, whose response gives the size. Seeking is
//     lazy: a short forward seek skips bytes, anything else makes the next
//     Read ask for Range: bytes=pos- with If-Match on the first response's
//     ETag, so a blob replaced meanwhile fails the read instead of mixing
//     versions. A response cut short is resumed from where it stopped.
//     With checksums on, a whole-object read whose bytes disagree with the
//     stored CRC32 fails before its last bytes are handed out.
//   - Delete is DeleteObject, which S3 already treats as idempotent.
//
// NoSuchKey and 404 answers become blob.ErrNotFound; NoSuchBucket does not,
// since it means the configuration is wrong, not that a blob is missing.
//
// Every call uses the SDK's standard retryer (three attempts with jittered
// backoff) and honours its context. The SDK's transport is kept, with a
// two-minute limit on waiting for a response's headers once the request is
// sent, so that a hung server cannot hold a context-free background delete
// for ever.
//
// s3blob imports only the blob package and the AWS SDK; nothing imports
// s3blob but app and tests.
package s3blob
