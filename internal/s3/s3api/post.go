package s3api

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/protocol/restxml"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/sigv4"
)

// POST Object: a browser uploads a file with an HTML form posted to the
// bucket's URL. The form fields stand in for PutObject's headers, the signed
// POST policy for the request signature.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
//
// Order of checks, as S3 answers them: the enclosure type (412), the
// required fields (400 InvalidArgument), the signature (403), the policy
// document (400 InvalidPolicyDocument), its expiration and conditions (403
// AccessDenied), then authorization as s3:PutObject of the form's signer, and
// last the file's size and checksum as it streams into the blob store.

// postObject serves POST /bucket (or POST / on a bucket's virtual host).
func (h *Handler) postObject(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	form, err := readPostForm(r)
	if err != nil {
		return err
	}
	form.expandFilename()
	key, ok := form.get("key")
	if !ok {
		return missingField("key")
	}
	if form.file == nil {
		return errFileCount()
	}
	principal, pol, err := h.authenticatePost(r.Context(), form)
	if err != nil {
		return err
	}
	file := &postFile{part: form.file, mr: form.mr, gate: form.gate, hi: -1}
	// The form, not the request line, says how the caller signed.
	req.SignatureVersion, req.AuthType = "", ""
	if pol != nil {
		if err := pol.check(form, req.Bucket, h.now()); err != nil {
			return err
		}
		file.lo, file.hi, file.sizeCond = pol.sizeRange()
		req.SignatureVersion, req.AuthType = sigv4.Algorithm, "POST"
	}
	in, err := postInput(form)
	if err != nil {
		return err
	}
	if in.Checksum, err = postChecksumOf(form); err != nil {
		return err
	}
	in.Body, in.Size = file, -1
	req.Key = key
	o, err := h.svc.PutObject(access.WithPrincipal(r.Context(), principal), req, in)
	if err != nil {
		return err
	}
	if in.Checksum.Explicit {
		setChecksumHeaders(w.Header(), o.Checksum)
	}
	return writePostResponse(w, r, form, req.Bucket, o, h.bases)
}

// cannedACLs are the ACLs S3 knows. Buckets have ACLs disabled (Object
// Ownership BucketOwnerEnforced, S3's default since April 2023), which
// accepts only the ACLs that grant nothing beyond the owner.
var cannedACLs = map[string]bool{
	"private": true, "bucket-owner-full-control": true,
	"public-read": false, "public-read-write": false, "authenticated-read": false,
	"aws-exec-read": false, "bucket-owner-read": false, "log-delivery-write": false,
}

// postInput turns the form's fields into the upload's metadata.
func postInput(form *postForm) (s3.PutInput, error) {
	var in s3.PutInput
	if acl, ok := form.get("acl"); ok {
		allowed, known := cannedACLs[acl]
		switch {
		case !known:
			return in, s3.ErrInvalidArgument.New("Invalid canned ACL %q.", acl)
		case !allowed:
			return in, s3.ErrACLNotSupported.New("The bucket does not allow ACLs")
		}
	}
	in.ContentType, _ = form.get("Content-Type")
	in.ContentMD5, _ = form.get("Content-MD5")
	for _, k := range contentHeaders {
		if v, ok := form.get(k); ok && v != "" {
			if in.Headers == nil {
				in.Headers = map[string]string{}
			}
			in.Headers[k] = v
		}
	}
	for _, fl := range form.fields {
		// S3 stores metadata names in lower case.
		if lk := strings.ToLower(fl.Name); strings.HasPrefix(lk, metaPrefix) && len(lk) > len(metaPrefix) {
			if in.Metadata == nil {
				in.Metadata = map[string]string{}
			}
			in.Metadata[lk[len(metaPrefix):]], _ = form.get(lk)
		}
	}
	if doc, ok := form.get("tagging"); ok {
		list, err := parseTagging([]byte(doc))
		if err != nil {
			return in, err
		}
		if len(list) > 0 {
			if in.Tags, err = s3.CheckTags(list); err != nil {
				return in, err
			}
		}
	}
	return in, nil
}

// postResponse is the 201 document. S3 writes it without a namespace.
type postResponse struct {
	XMLName  xml.Name `xml:"PostResponse"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
}

// writePostResponse answers a stored upload: a 303 to success_action_redirect
// (or the older redirect) when it is an absolute http(s) URL, else the
// status success_action_status asks for: 200 or 204 with no body, 201 with a
// PostResponse document; any other value means 204.
func writePostResponse(w http.ResponseWriter, r *http.Request, form *postForm, bucket string, o s3.Object, bases []string) error {
	restxml.SetRequestHeaders(w, r)
	hdr := w.Header()
	hdr.Set("ETag", o.ETag)
	if to := redirectTarget(form); to != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		q := "bucket=" + url.QueryEscape(bucket) + "&key=" + url.QueryEscape(o.Key) + "&etag=" + url.QueryEscape(o.ETag)
		hdr.Set("Location", to+sep+q)
		w.WriteHeader(http.StatusSeeOther)
		return nil
	}
	loc := objectURL(r, bucket, o.Key, bases)
	hdr.Set("Location", loc)
	switch status, _ := form.get("success_action_status"); status {
	case "200":
		hdr.Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	case "201":
		restxml.WriteXML(w, r, http.StatusCreated, postResponse{Location: loc, Bucket: bucket, Key: o.Key, ETag: o.ETag})
	default:
		w.WriteHeader(http.StatusNoContent)
	}
	return nil
}

// redirectTarget returns the redirect URL, or "" when there is none S3 would
// follow: a relative or unparsable URL is treated as absent.
func redirectTarget(form *postForm) string {
	to, ok := form.get("success_action_redirect")
	if !ok {
		to, _ = form.get("redirect")
	}
	u, err := url.Parse(to)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return to
}

// objectURL is the object's address as the client reached the bucket, the
// key escaped as one path segment ('/' as %2F), as S3 writes Location.
func objectURL(r *http.Request, bucket, key string, bases []string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if hostBucket(r.Host, bases) != "" {
		return scheme + "://" + r.Host + "/" + url.PathEscape(key)
	}
	return scheme + "://" + r.Host + "/" + bucket + "/" + url.PathEscape(key)
}
