package s3api

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/federa/federa/internal/protocol/restxml"
	"github.com/federa/federa/internal/s3"
)

func (h *Handler) listBuckets(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	bs, err := h.svc.ListBuckets(r.Context(), req)
	if err != nil {
		return err
	}
	out := listAllMyBucketsResult{Xmlns: restxml.Namespace, Owner: ownerOf(h.svc.Owner())}
	for _, b := range bs {
		out.Buckets = append(out.Buckets, bucketXML{Name: b.Name, CreationDate: s3Time(b.CreatedAt), BucketRegion: b.Region})
	}
	restxml.WriteXML(w, r, http.StatusOK, out)
	return nil
}

func (h *Handler) createBucket(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	data, err := readBody(r.Body)
	if err != nil {
		return err
	}
	var cfg createBucketConfiguration
	if strings.TrimSpace(string(data)) != "" {
		if err := decodeXML(data, &cfg); err != nil {
			return err
		}
	}
	if err := h.svc.CreateBucket(r.Context(), req, cfg.LocationConstraint); err != nil {
		return err
	}
	restxml.SetRequestHeaders(w, r)
	w.Header().Set("Location", "/"+req.Bucket)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) headBucket(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	b, err := h.svc.HeadBucket(r.Context(), req)
	if err != nil {
		return err
	}
	restxml.SetRequestHeaders(w, r)
	region := b.Region
	if region == "" {
		region = h.svc.Region()
	}
	// The SDKs read the region from here to redirect region-bound clients.
	w.Header().Set("x-amz-bucket-region", region)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getLocation(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	loc, err := h.svc.GetBucketLocation(r.Context(), req)
	if err != nil {
		return err
	}
	restxml.WriteXML(w, r, http.StatusOK, locationConstraint{Xmlns: restxml.Namespace, Value: loc})
	return nil
}

func (h *Handler) deleteBucket(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	if err := h.svc.DeleteBucket(r.Context(), req); err != nil {
		return err
	}
	return noContent(w, r)
}

// noContent answers 204, as S3 does for deletions.
func noContent(w http.ResponseWriter, r *http.Request) error {
	restxml.SetRequestHeaders(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listParams reads the parameters ListObjects and ListObjectsV2 share.
func listParams(q map[string][]string) (s3.ListParams, error) {
	var p s3.ListParams
	var mk string
	p.Prefix, p.HasPrefix = first(q, "prefix")
	p.Delimiter, p.HasDelimiter = first(q, "delimiter")
	mk, p.HasMaxKeys = first(q, "max-keys")
	n, err := s3.ParseMaxKeys(mk, p.HasMaxKeys)
	if err != nil {
		return p, err
	}
	p.MaxKeys = n
	if et, ok := first(q, "encoding-type"); ok && et != "url" {
		return p, s3.ErrInvalidArgument.New("Invalid Encoding Method specified in Request")
	}
	return p, nil
}

func first(q map[string][]string, name string) (string, bool) {
	v, ok := q[name]
	if !ok || len(v) == 0 {
		return "", ok
	}
	return v[0], true
}

// encoder returns the function applied to keys and prefixes in a listing:
// URL-encoding when asked for, so keys with control characters survive XML.
func encoder(q map[string][]string) (func(string) string, string) {
	if et, _ := first(q, "encoding-type"); et == "url" {
		return urlEncode, "url"
	}
	return func(s string) string { return s }, ""
}

func contents(res s3.ListResult, enc func(string) string, owner *ownerXML) ([]contentXML, []commonPrefixXML) {
	var cs []contentXML
	for _, o := range res.Objects {
		c := contentXML{Key: enc(o.Key), LastModified: s3Time(o.LastModified), ETag: o.ETag, Size: o.Size, StorageClass: "STANDARD", Owner: owner}
		if o.Checksum != nil {
			c.ChecksumAlgorithm, c.ChecksumType = o.Checksum.Algorithm, o.Checksum.Type
		}
		cs = append(cs, c)
	}
	var ps []commonPrefixXML
	for _, p := range res.CommonPrefixes {
		ps = append(ps, commonPrefixXML{Prefix: enc(p)})
	}
	return cs, ps
}

func (h *Handler) listObjectsV1(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	q := r.URL.Query()
	p, err := listParams(q)
	if err != nil {
		return err
	}
	p.After = q.Get("marker")
	res, err := h.svc.ListObjects(r.Context(), req, p)
	if err != nil {
		return err
	}
	enc, et := encoder(q)
	out := listBucketResultV1{
		Xmlns: restxml.Namespace, Name: req.Bucket, Prefix: enc(p.Prefix), Marker: enc(p.After),
		MaxKeys: p.MaxKeys, Delimiter: enc(p.Delimiter), EncodingType: et, IsTruncated: res.IsTruncated,
	}
	// S3 sends NextMarker only with a delimiter; without one the client
	// resumes from the last key, which is the same value.
	if res.IsTruncated && p.Delimiter != "" {
		out.NextMarker = enc(res.Next)
	}
	// Version 1 listings always carry the owner.
	out.Contents, out.CommonPrefixes = contents(res, enc, ownerOf(h.svc.Owner()))
	restxml.WriteXML(w, r, http.StatusOK, out)
	return nil
}

func (h *Handler) listObjectsV2(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	q := r.URL.Query()
	p, err := listParams(q)
	if err != nil {
		return err
	}
	token, hasToken := first(q, "continuation-token")
	startAfter := q.Get("start-after")
	p.After = startAfter
	if hasToken {
		after, err := base64.StdEncoding.DecodeString(token)
		if err != nil || token == "" {
			return s3.ErrInvalidArgument.New("The continuation token provided is incorrect")
		}
		p.After = string(after)
	}
	res, err := h.svc.ListObjects(r.Context(), req, p)
	if err != nil {
		return err
	}
	enc, et := encoder(q)
	out := listBucketResultV2{
		Xmlns: restxml.Namespace, Name: req.Bucket, Prefix: enc(p.Prefix), Delimiter: enc(p.Delimiter),
		MaxKeys: p.MaxKeys, EncodingType: et, KeyCount: len(res.Objects) + len(res.CommonPrefixes),
		ContinuationToken: token, StartAfter: enc(startAfter), IsTruncated: res.IsTruncated,
	}
	if res.IsTruncated {
		// The token is opaque to clients; the last key returned is all a
		// resumed listing needs.
		out.NextContinuationToken = base64.StdEncoding.EncodeToString([]byte(res.Next))
	}
	var owner *ownerXML
	if q.Get("fetch-owner") == "true" {
		owner = ownerOf(h.svc.Owner())
	}
	out.Contents, out.CommonPrefixes = contents(res, enc, owner)
	restxml.WriteXML(w, r, http.StatusOK, out)
	return nil
}
