// Package app is federa's composition root: it opens the store and the blob
// store, builds every service, adapts the interfaces services declare for
// each other (identity pools verify tokens with the user pool service and
// obtain credentials from sts), mounts the wire adapters on the edge, and runs
// the HTTP server until its context ends.
//
// app alone imports everything; nothing imports app except cli and tests.
package app
