// Package sigv4 verifies AWS Signature Version 4: the Authorization header,
// presigned query parameters and aws-chunked streaming payloads. It returns
// the access key id and the signed facts and knows nothing of IAM; a signer
// exists for tests and clients.
//
// sigv4 is a leaf: it imports only the standard library.
package sigv4
