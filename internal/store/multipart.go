package store

import (
	"context"
	"time"
)

// Upload is a multipart upload in progress: everything the finished object
// will carry except its bytes, which arrive as parts. UploadID is the
// upload's unique, unguessable id; it belongs to one bucket and key for life.
type Upload struct {
	Bucket      string
	Key         string
	UploadID    string
	Initiated   time.Time
	ContentType string
	// Metadata and Headers are the user metadata and content headers given
	// at creation, as on Object.
	Metadata map[string]string `json:",omitempty"`
	Headers  map[string]string `json:",omitempty"`
	// ChecksumAlgorithm and ChecksumType are x-amz-checksum-algorithm and
	// x-amz-checksum-type as S3 names them ("" when the upload has none).
	ChecksumAlgorithm string `json:",omitempty"`
	ChecksumType      string `json:",omitempty"`
}

// UploadPart is one uploaded part of an Upload; its bytes live in the blob
// store under BlobID.
type UploadPart struct {
	PartNumber   int
	BlobID       string
	Size         int64
	ETag         string // quoted hex MD5 of the part's bytes, as S3 sends it
	LastModified time.Time
	// ChecksumAlgorithm and Checksum are the part's additional checksum
	// (base64, as S3 sends it), "" when it has none.
	ChecksumAlgorithm string `json:",omitempty"`
	Checksum          string `json:",omitempty"`
}

// Uploads persists multipart uploads and their parts. Every method names an
// upload by bucket, key and id; an id under another bucket or key is
// ErrNotFound, as S3 answers NoSuchUpload then. Methods that remove parts
// return them, so the caller can delete their blobs once the metadata change
// is durable.
type Uploads interface {
	// CreateUpload records a new upload. It returns ErrNotFound when the
	// bucket does not exist and ErrExists when the id is taken.
	CreateUpload(ctx context.Context, u Upload) error
	// GetUpload returns one upload.
	GetUpload(ctx context.Context, bucket, key, uploadID string) (Upload, error)
	// PutUploadPart records p under its part number, replacing the part of
	// the same number (returned as prev). It returns ErrNotFound when the
	// upload no longer exists (completed or aborted meanwhile).
	PutUploadPart(ctx context.Context, bucket, key, uploadID string, p UploadPart) (prev *UploadPart, err error)
	// ListUploadParts lists an upload's parts numbered above after, in
	// ascending part number, at most limit (<= 0: all). An unknown upload
	// has no parts.
	ListUploadParts(ctx context.Context, bucket, key, uploadID string, after, limit int) ([]UploadPart, error)
	// ListUploads lists a bucket's uploads whose key starts with prefix,
	// ordered by key bytes and then upload id, that come after the position
	// (afterKey, afterID); an empty afterID skips every upload of afterKey.
	// At most limit (<= 0: all).
	ListUploads(ctx context.Context, bucket, prefix, afterKey, afterID string, limit int) ([]Upload, error)
	// CompleteUpload turns an upload into an object atomically. In one
	// transaction it loads the upload, its parts and the current object at
	// the key (nil when there is none) and calls build with them; build
	// returns the object to store (its Parts naming part blobs) or an error,
	// which aborts everything unchanged and is returned as it is. On success
	// the object is put, the upload and its part rows are removed, and the
	// stored object, the object it replaced (nil when none) and every part
	// the upload had are returned. It returns ErrNotFound when the upload
	// does not exist.
	CompleteUpload(ctx context.Context, bucket, key, uploadID string, build func(u Upload, parts []UploadPart, cur *Object) (Object, error)) (o Object, prev *Object, parts []UploadPart, err error)
	// AbortUpload removes an upload and its parts and returns the parts. It
	// returns ErrNotFound when the upload does not exist.
	AbortUpload(ctx context.Context, bucket, key, uploadID string) ([]UploadPart, error)
}
