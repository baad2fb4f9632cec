// Package restxml speaks S3's REST-XML protocol: XML bodies in the
// http://s3.amazonaws.com/doc/2006-03-01/ namespace, request ids in
// x-amz-request-id and x-amz-id-2, and errors as an unwrapped <Error> element
// (no body at all for HEAD).
//
// It imports only awserr, reqid and sigv4 (for its table of signature errors).
package restxml
