// Package reqid carries the request ID that the edge assigns to every request,
// so that every protocol's writer can echo it (x-amzn-RequestId, <RequestId>,
// x-amz-request-id) and logs can be joined to responses.
//
// reqid is a leaf: it imports nothing of federa's.
package reqid

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

type key struct{}

// New returns a fresh random request ID in the UUID layout AWS uses.
func New() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// With returns a context carrying id.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, key{}, id)
}

// From returns the request ID in ctx, or a fresh one when there is none, so a
// writer never sends an empty ID.
func From(ctx context.Context) string {
	if id, ok := ctx.Value(key{}).(string); ok && id != "" {
		return id
	}
	return New()
}
