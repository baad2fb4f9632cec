// Package awserr holds the one error value every federa service returns: an AWS
// error code, the HTTP status AWS answers with, and a message that is safe to
// send. Only the protocol packages turn it into bytes on the wire.
//
// awserr is a leaf: it imports nothing of federa's.
package awserr
