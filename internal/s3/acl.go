package s3

import "strings"

// federa keeps no ACLs: every object belongs to the bucket owner, as on an
// S3 bucket with Object Ownership "bucket owner enforced" (the default for
// new buckets since April 2023). The ACL headers of a write are still read,
// so that Block Public Access can refuse a public one and a request that
// asks for public access is never accepted and silently left private.

// cannedACLs are the x-amz-acl values S3 accepts, and whether each grants
// public access: to AllUsers (public-read, public-read-write) or to every
// AWS account (authenticated-read), which S3 also counts as public.
var cannedACLs = map[string]bool{
	"private":                   false,
	"public-read":               true,
	"public-read-write":         true,
	"authenticated-read":        true,
	"aws-exec-read":             false,
	"bucket-owner-read":         false,
	"bucket-owner-full-control": false,
}

// grantHeaders are the x-amz-grant-* headers of PutObject, CopyObject and
// CreateBucket.
var grantHeaders = []string{"x-amz-grant-full-control", "x-amz-grant-read", "x-amz-grant-read-acp", "x-amz-grant-write", "x-amz-grant-write-acp"}

// publicGroups are the grantee URIs that make an ACL public ("The meaning
// of public": grants to AllUsers or AuthenticatedUsers), lower-cased.
var publicGroups = []string{"acs.amazonaws.com/groups/global/allusers", "acs.amazonaws.com/groups/global/authenticatedusers"}

// requestACL reads the ACL a write asks for and reports whether it is
// public. A canned ACL and grant headers together are refused, as S3 does.
func requestACL(h map[string]string) (public bool, err error) {
	acl, canned := h["x-amz-acl"]
	granted := false
	for _, name := range grantHeaders {
		v, ok := h[name]
		if !ok {
			continue
		}
		granted = true
		lv := strings.ToLower(v)
		for _, g := range publicGroups {
			if strings.Contains(lv, g) {
				public = true
			}
		}
	}
	if canned && granted {
		return false, ErrInvalidRequest.New("Specifying both Canned ACLs and Header Grants is not allowed")
	}
	if canned {
		p, known := cannedACLs[acl]
		if !known {
			return false, ErrInvalidArgument.New("The canned ACL %q is not one of private, public-read, public-read-write, authenticated-read, aws-exec-read, bucket-owner-read, bucket-owner-full-control.", acl)
		}
		return p, nil
	}
	return public, nil
}

// checkObjectACL refuses a write to b whose ACL headers ask for public
// access: with BlockPublicAcls on, as S3 does ("PutObject calls fail if the
// request includes a public ACL"), with AccessDenied; with it off,
// AccessControlListNotSupported, which is what S3 answers when ACLs are
// disabled, because federa cannot make an object public by ACL.
func checkObjectACL(b Bucket, req Request) error {
	public, err := requestACL(req.Headers)
	if err != nil || !public {
		return err
	}
	if pab := b.PublicAccessBlock; pab != nil && pab.BlockPublicAcls {
		return ErrAccessDenied.New(msgAccessDenied)
	}
	return ErrACLNotSupported.New(msgACLNotSupported)
}

// checkBucketACL refuses CreateBucket with a public ACL as S3 does for a
// new bucket, whose ACLs are disabled by "bucket owner enforced".
func checkBucketACL(req Request) error {
	public, err := requestACL(req.Headers)
	if err != nil || !public {
		return err
	}
	return ErrInvalidBucketACLWithObjectOwnership.New(msgBucketACLWithOwnership)
}
