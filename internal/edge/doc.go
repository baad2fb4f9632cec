// Package edge is federa's single front door: it gives every request an ID,
// decides which AWS service it is for (detect.go), authenticates its SigV4
// signature against a CredentialSource (authn.go), puts the caller in the
// context, and hands the request to that service's wire adapter. Failures
// before the adapter runs are written by the adapter's own error writer, so
// each client sees its protocol's error shape.
//
// edge imports protocol packages, sigv4, access, awserr and reqid; never a
// service's domain package or the store.
package edge
