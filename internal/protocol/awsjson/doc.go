// Package awsjson speaks the AWS JSON 1.1 protocol used by cognito-idp and
// cognito-identity: requests are POSTs whose X-Amz-Target header names
// "<Prefix>.<Operation>", bodies are JSON, and errors are a status, an
// X-Amzn-ErrorType header and {"__type","message"}.
//
// It imports only awserr, reqid and sigv4 (for its table of signature errors).
package awsjson
