// Package iamapi serves the IAM Query API (Action=…&Version=2010-05-08) over
// the iam service: it decodes parameters, checks that the caller may call the
// action, and encodes results as IAM's XML, policy documents URL-encoded as
// IAM returns them.
package iamapi
