// Package awsquery speaks the AWS Query protocol used by IAM and STS: requests
// are form-encoded (or query-string) parameters with Action and Version,
// lists are "Name.member.N", responses are <ActionResponse><ActionResult> XML,
// and errors are <ErrorResponse><Error><Type/><Code/><Message/></Error>.
//
// It imports only awserr, reqid and sigv4 (for its table of signature errors).
package awsquery
