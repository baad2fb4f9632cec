// Package blob defines where object bytes live. The s3 service writes each
// object's bytes under a fresh id and then points the object's metadata at it,
// so a write becomes visible all at once. Backends: fsblob (local files) and,
// later, s3blob. All pass the suite in blobtest.
//
// blob is a leaf: it imports nothing of federa's.
package blob

import (
	"context"
	"errors"
	"io"
)

// ErrNotFound means there is no blob with that id.
var ErrNotFound = errors.New("blob: not found")

// Store holds blobs by id. Ids are chosen by the caller and are safe as path
// elements ([A-Za-z0-9._-] and '/').
type Store interface {
	// Put writes r under id. The blob is visible only once complete and
	// durable (temp file, fsync, rename); on error nothing is left behind.
	// It returns the number of bytes written.
	Put(ctx context.Context, id string, r io.Reader) (int64, error)
	// Open returns the blob for reading and seeking, and its size.
	Open(ctx context.Context, id string) (io.ReadSeekCloser, int64, error)
	// Delete removes the blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, id string) error
}
