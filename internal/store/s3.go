package store

import (
	"context"
	"time"
)

// Bucket is an S3 bucket. CORS holds the bucket's CORS rules as the s3 service
// encodes them (nil when none); Policy is the bucket policy JSON ("" when none).
type Bucket struct {
	Name      string
	Region    string
	CreatedAt time.Time
	CORS      []byte
	Policy    string
	Spec      []byte
}

// Buckets persists buckets.
type Buckets interface {
	CreateBucket(ctx context.Context, b Bucket) error
	GetBucket(ctx context.Context, name string) (Bucket, error)
	ListBuckets(ctx context.Context) ([]Bucket, error)
	UpdateBucket(ctx context.Context, name string, fn func(*Bucket) error) (Bucket, error)
	// DeleteBucket returns ErrConflict when the bucket still holds objects.
	DeleteBucket(ctx context.Context, name string) error
}

// Object is an object's metadata; its bytes live in the blob store under BlobID.
type Object struct {
	Bucket       string
	Key          string
	BlobID       string
	Size         int64
	ETag         string // quoted, as S3 sends it
	ContentType  string
	LastModified time.Time
	// Metadata holds user metadata (x-amz-meta-*, lower-case names without the
	// prefix) and Headers the stored content headers (Content-Encoding, …).
	Metadata map[string]string
	Headers  map[string]string
}

// Objects persists object metadata. PutObject and DeleteObject return the
// replaced or removed record so the caller can release its blob after the
// metadata change is durable.
type Objects interface {
	// PutObject creates or replaces the object. It returns ErrNotFound when the
	// bucket does not exist. prev is the replaced object, if any.
	PutObject(ctx context.Context, o Object) (prev *Object, err error)
	GetObject(ctx context.Context, bucket, key string) (Object, error)
	// DeleteObject removes the object; prev is nil when there was none.
	DeleteObject(ctx context.Context, bucket, key string) (prev *Object, err error)
	// ListObjects lists a bucket's objects whose key starts with prefix and is
	// greater than after, ordered by key bytes, at most limit (<= 0: all).
	ListObjects(ctx context.Context, bucket, prefix, after string, limit int) ([]Object, error)
}
