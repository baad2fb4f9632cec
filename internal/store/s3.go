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
	// DeleteBucket returns ErrConflict when the bucket still holds objects or
	// multipart uploads.
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
	// Checksum is the object's additional checksum (x-amz-checksum-*), nil
	// for objects stored before federa kept one.
	Checksum *Checksum `json:",omitempty"`
	// Tags are the object's tags (object tagging), nil when none.
	Tags map[string]string `json:",omitempty"`
	// Parts, for an object completed from a multipart upload, are its bytes
	// in order, each in its own blob; BlobID is then "". Size is their sum.
	Parts []ObjectPart `json:",omitempty"`
}

// Checksum is an additional checksum: Algorithm as S3 names it (CRC32,
// CRC32C, CRC64NVME, SHA1, SHA256), Value base64 as S3 sends it (with "-N"
// for a composite one), Type FULL_OBJECT or COMPOSITE.
type Checksum struct {
	Algorithm string
	Value     string
	Type      string
}

// ObjectPart is one part of a multipart object: where its bytes are, how
// many, and the part's ETag and checksum (for GetObject ?partNumber= and
// GetObjectAttributes).
type ObjectPart struct {
	BlobID   string
	Size     int64
	ETag     string
	Checksum string `json:",omitempty"`
}

// BlobIDs returns every blob holding the object's bytes.
func (o Object) BlobIDs() []string {
	if len(o.Parts) == 0 {
		if o.BlobID == "" {
			return nil
		}
		return []string{o.BlobID}
	}
	ids := make([]string, 0, len(o.Parts))
	for _, p := range o.Parts {
		ids = append(ids, p.BlobID)
	}
	return ids
}

// Objects persists object metadata. PutObject and DeleteObject return the
// replaced or removed record so the caller can release its blob after the
// metadata change is durable.
type Objects interface {
	// PutObject creates or replaces the object. It returns ErrNotFound when the
	// bucket does not exist. prev is the replaced object, if any. check, when
	// not nil, runs in the same transaction with the current object (nil when
	// there is none) and its error aborts the write unchanged: conditional
	// writes (If-Match, If-None-Match) are decided atomically with it.
	PutObject(ctx context.Context, o Object, check func(cur *Object) error) (prev *Object, err error)
	GetObject(ctx context.Context, bucket, key string) (Object, error)
	// DeleteObject removes the object; prev is nil when there was none.
	DeleteObject(ctx context.Context, bucket, key string) (prev *Object, err error)
	// ListObjects lists a bucket's objects whose key starts with prefix and is
	// greater than after, ordered by key bytes, at most limit (<= 0: all).
	ListObjects(ctx context.Context, bucket, prefix, after string, limit int) ([]Object, error)
}
