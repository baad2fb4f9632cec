package s3api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/protocol/restxml"
	"github.com/federa/federa/internal/s3"
)

// multipart serves the object-level multipart operations and GET/HEAD
// ?partNumber; handled is false when the request is none of them. A
// request naming uploadId or partNumber is never passed on to the plain
// object operations: a PUT ?uploadId read as PutObject would overwrite the
// object.
func (h *Handler) multipart(w http.ResponseWriter, r *http.Request, req s3.Request, q url.Values) (handled bool, err error) {
	_, uploads := q["uploads"]
	_, id := q["uploadId"]
	_, pn := q["partNumber"]
	if !uploads && !id && !pn {
		return false, nil
	}
	switch {
	case uploads && r.Method == http.MethodPost:
		return true, h.createMultipartUpload(w, r, req)
	case id && r.Method == http.MethodPut:
		if r.Header.Get("X-Amz-Copy-Source") != "" {
			return true, h.uploadPartCopy(w, r, req, q)
		}
		return true, h.uploadPart(w, r, req, q)
	case id && r.Method == http.MethodPost:
		return true, h.completeMultipartUpload(w, r, req, q)
	case id && r.Method == http.MethodDelete:
		return true, h.abortMultipartUpload(w, r, req, q)
	case id && r.Method == http.MethodGet:
		return true, h.listParts(w, r, req, q)
	case pn && !id && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		return true, h.getObjectPart(w, r, req, q)
	case pn && !id && r.Method == http.MethodPut:
		return true, s3.ErrInvalidArgument.New("A partNumber needs an uploadId.")
	}
	return true, methodNotAllowed()
}

func (h *Handler) createMultipartUpload(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	ct, md, hdrs := objectMeta(r.Header)
	u, err := h.svc.CreateMultipartUpload(r.Context(), req, s3.CreateUploadInput{
		ContentType: ct, Metadata: md, Headers: hdrs,
		ChecksumAlgorithm: r.Header.Get("X-Amz-Checksum-Algorithm"),
		ChecksumType:      r.Header.Get("X-Amz-Checksum-Type"),
	})
	if err != nil {
		return err
	}
	if u.ChecksumAlgorithm != "" {
		w.Header().Set("X-Amz-Checksum-Algorithm", u.ChecksumAlgorithm)
		w.Header().Set("X-Amz-Checksum-Type", u.ChecksumType)
	}
	restxml.WriteXML(w, r, http.StatusOK, initiateMultipartUploadResult{Xmlns: restxml.Namespace, Bucket: req.Bucket, Key: req.Key, UploadID: u.UploadID})
	return nil
}

func (h *Handler) uploadPart(w http.ResponseWriter, r *http.Request, req s3.Request, q url.Values) error {
	n, err := s3.ParsePartNumber(q.Get("partNumber"))
	if err != nil {
		return err
	}
	ck, err := checksumInput(r)
	if err != nil {
		return err
	}
	p, err := h.svc.UploadPart(r.Context(), req, s3.PartInput{
		UploadID: q.Get("uploadId"), PartNumber: n,
		Body: r.Body, Size: r.ContentLength, ContentMD5: r.Header.Get("Content-MD5"), Checksum: ck,
	})
	if err != nil {
		return err
	}
	restxml.SetRequestHeaders(w, r)
	w.Header().Set("ETag", p.ETag)
	setChecksumHeader(w.Header(), p.ChecksumAlgorithm, p.Checksum)
	w.WriteHeader(http.StatusOK)
	return nil
}

// setChecksumHeader sends a stored checksum as its x-amz-checksum-* header.
func setChecksumHeader(h http.Header, alg, value string) {
	if a, ok := checksum.Parse(alg); ok && value != "" {
		h[a.Header()] = []string{value}
	}
}

func (h *Handler) uploadPartCopy(w http.ResponseWriter, r *http.Request, req s3.Request, q url.Values) error {
	n, err := s3.ParsePartNumber(q.Get("partNumber"))
	if err != nil {
		return err
	}
	sb, sk, err := copySource(r.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return err
	}
	p, err := h.svc.UploadPartCopy(r.Context(), req, s3.PartCopyInput{
		UploadID: q.Get("uploadId"), PartNumber: n, SourceBucket: sb, SourceKey: sk,
		Range:    r.Header.Get("X-Amz-Copy-Source-Range"),
		SourceIf: copySourceConditions(r.Header),
	})
	if err != nil {
		return err
	}
	restxml.WriteXML(w, r, http.StatusOK, copyPartResult{
		Xmlns: restxml.Namespace, ETag: p.ETag, LastModified: s3Time(p.LastModified),
		partChecksumsXML: checksumsOf(p.ChecksumAlgorithm, p.Checksum),
	})
	return nil
}

func (h *Handler) completeMultipartUpload(w http.ResponseWriter, r *http.Request, req s3.Request, q url.Values) error {
	data, err := readCompleteBody(r.Body)
	if err != nil {
		return err
	}
	parts, err := parseCompleteMultipartUpload(data)
	if err != nil {
		return err
	}
	in := s3.CompleteInput{
		UploadID: q.Get("uploadId"), Parts: parts,
		Preconditions: s3.WritePreconditions{IfMatch: r.Header.Get("If-Match"), IfNoneMatch: r.Header.Get("If-None-Match")},
		ChecksumType:  r.Header.Get("X-Amz-Checksum-Type"), ObjectSize: -1,
	}
	for _, a := range checksum.Algorithms {
		if v := r.Header.Get(a.Header()); v != "" {
			if in.Checksums == nil {
				in.Checksums = map[checksum.Algorithm]string{}
			}
			in.Checksums[a] = v
		}
	}
	if v := r.Header.Get("X-Amz-Mp-Object-Size"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return s3.ErrInvalidArgument.New("The x-amz-mp-object-size header must be a non-negative integer.")
		}
		in.ObjectSize = n
	}
	o, err := h.svc.CompleteMultipartUpload(r.Context(), req, in)
	if err != nil {
		return err
	}
	out := completeMultipartUploadResult{
		Xmlns: restxml.Namespace, Location: location(r), Bucket: req.Bucket, Key: req.Key, ETag: o.ETag,
	}
	out.checksumsXML = toChecksumsXML(o.Checksum)
	restxml.WriteXML(w, r, http.StatusOK, out)
	return nil
}

// location is the completed object's URL, as the client addressed it.
func location(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.EscapedPath()
}

func (h *Handler) abortMultipartUpload(w http.ResponseWriter, r *http.Request, req s3.Request, q url.Values) error {
	if err := h.svc.AbortMultipartUpload(r.Context(), req, q.Get("uploadId")); err != nil {
		return err
	}
	return noContent(w, r)
}

func (h *Handler) listParts(w http.ResponseWriter, r *http.Request, req s3.Request, q url.Values) error {
	mv, has := first(q, "max-parts")
	max, err := s3.ParseMaxParts("max-parts", mv, has, s3.MaxParts)
	if err != nil {
		return err
	}
	marker, err := s3.ParsePartNumberMarker(q.Get("part-number-marker"))
	if err != nil {
		return err
	}
	page, err := h.svc.ListParts(r.Context(), req, q.Get("uploadId"), marker, max)
	if err != nil {
		return err
	}
	owner := ownerOf(h.svc.Owner())
	out := listPartsResult{
		Xmlns: restxml.Namespace, Bucket: req.Bucket, Key: req.Key, UploadID: page.Upload.UploadID,
		PartNumberMarker: marker, NextPartNumberMarker: page.NextMarker, MaxParts: max, IsTruncated: page.IsTruncated,
		Initiator: owner, Owner: owner, StorageClass: "STANDARD",
		ChecksumAlgorithm: page.Upload.ChecksumAlgorithm, ChecksumType: page.Upload.ChecksumType,
	}
	for _, p := range page.Parts {
		out.Parts = append(out.Parts, partXML{
			PartNumber: p.PartNumber, LastModified: s3Time(p.LastModified), ETag: p.ETag, Size: p.Size,
			partChecksumsXML: checksumsOf(p.ChecksumAlgorithm, p.Checksum),
		})
	}
	restxml.WriteXML(w, r, http.StatusOK, out)
	return nil
}

func (h *Handler) listMultipartUploads(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	q := r.URL.Query()
	mv, has := first(q, "max-uploads")
	max, err := s3.ParseMaxParts("max-uploads", mv, has, s3.MaxUploads)
	if err != nil {
		return err
	}
	if et, ok := first(q, "encoding-type"); ok && et != "url" {
		return s3.ErrInvalidArgument.New("Invalid Encoding Method specified in Request")
	}
	p := s3.UploadsParams{
		Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"),
		KeyMarker: q.Get("key-marker"), UploadIDMarker: q.Get("upload-id-marker"), MaxUploads: max,
	}
	page, err := h.svc.ListMultipartUploads(r.Context(), req, p)
	if err != nil {
		return err
	}
	enc, et := encoder(q)
	out := listMultipartUploadsResult{
		Xmlns: restxml.Namespace, Bucket: req.Bucket, KeyMarker: enc(p.KeyMarker), UploadIDMarker: p.UploadIDMarker,
		Prefix: enc(p.Prefix), Delimiter: enc(p.Delimiter), MaxUploads: max, EncodingType: et, IsTruncated: page.IsTruncated,
	}
	// S3 names the last upload returned whether or not the page is the last.
	out.NextKeyMarker, out.NextUploadIDMarker = enc(page.NextKeyMarker), page.NextUploadIDMarker
	owner := ownerOf(h.svc.Owner())
	for _, u := range page.Uploads {
		out.Uploads = append(out.Uploads, uploadXML{
			Key: enc(u.Key), UploadID: u.UploadID, Initiator: owner, Owner: owner, StorageClass: "STANDARD",
			Initiated: s3Time(u.Initiated), ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType,
		})
	}
	for _, cp := range page.CommonPrefixes {
		out.CommonPrefixes = append(out.CommonPrefixes, commonPrefixXML{Prefix: enc(cp)})
	}
	restxml.WriteXML(w, r, http.StatusOK, out)
	return nil
}
