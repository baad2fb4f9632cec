package s3api

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/federa/federa/internal/checksum"
	"github.com/federa/federa/internal/protocol/restxml"
	"github.com/federa/federa/internal/s3"
)

// contentHeaders are the request headers stored with an object and sent
// back on GET and HEAD.
var contentHeaders = []string{"Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"}

const metaPrefix = "x-amz-meta-"

// objectMeta reads the content type, user metadata and content headers an
// upload carries.
func objectMeta(h http.Header) (contentType string, md, hdrs map[string]string) {
	for k, v := range h {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, metaPrefix) && len(lk) > len(metaPrefix) {
			if md == nil {
				md = map[string]string{}
			}
			md[lk[len(metaPrefix):]] = strings.Join(v, ",")
		}
	}
	for _, k := range contentHeaders {
		if v := h.Get(k); v != "" {
			if hdrs == nil {
				hdrs = map[string]string{}
			}
			hdrs[k] = v
		}
	}
	return h.Get("Content-Type"), md, hdrs
}

func (h *Handler) putObject(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	ct, md, hdrs := objectMeta(r.Header)
	ck, err := checksumInput(r)
	if err != nil {
		return err
	}
	o, err := h.svc.PutObject(r.Context(), req, s3.PutInput{
		Body:          r.Body,
		Size:          r.ContentLength,
		ContentMD5:    r.Header.Get("Content-MD5"),
		ContentType:   ct,
		Metadata:      md,
		Headers:       hdrs,
		Checksum:      ck,
		Preconditions: s3.WritePreconditions{IfMatch: r.Header.Get("If-Match"), IfNoneMatch: r.Header.Get("If-None-Match")},
	})
	if err != nil {
		return err
	}
	restxml.SetRequestHeaders(w, r)
	w.Header().Set("ETag", o.ETag)
	if ck.Explicit {
		setChecksumHeaders(w.Header(), o.Checksum)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// copySource parses x-amz-copy-source: "[/]bucket/key[?versionId=…]", the
// key URL-encoded. The version is cut before decoding because an encoded
// key cannot contain a literal '?'.
func copySource(v string) (bucket, key string, err error) {
	v, _, _ = strings.Cut(v, "?")
	dec, err := url.PathUnescape(v)
	if err != nil {
		return "", "", s3.ErrInvalidArgument.New("Invalid copy source encoding")
	}
	bucket, key, _ = strings.Cut(strings.TrimPrefix(dec, "/"), "/")
	return bucket, key, nil
}

func (h *Handler) copyObject(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	sb, sk, err := copySource(r.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return err
	}
	in := s3.CopyInput{SourceBucket: sb, SourceKey: sk, SourceIf: copySourceConditions(r.Header)}
	if v := r.Header.Get("X-Amz-Checksum-Algorithm"); v != "" {
		alg, ok := checksum.Parse(v)
		if !ok {
			return s3.ErrInvalidRequest.New("Value for x-amz-checksum-algorithm header is invalid.")
		}
		in.ChecksumAlgorithm = alg
	}
	switch d := r.Header.Get("X-Amz-Metadata-Directive"); d {
	case "", "COPY":
	case "REPLACE":
		in.Replace = true
		in.ContentType, in.Metadata, in.Headers = objectMeta(r.Header)
	default:
		return s3.ErrInvalidArgument.New("Unknown metadata directive.")
	}
	o, err := h.svc.CopyObject(r.Context(), req, in)
	if err != nil {
		return err
	}
	restxml.WriteXML(w, r, http.StatusOK, copyObjectResult{Xmlns: restxml.Namespace, ETag: o.ETag, LastModified: s3Time(o.LastModified),
		checksumsXML: toChecksumsXML(o.Checksum)})
	return nil
}

// copySourceConditions reads the x-amz-copy-source-if-* headers; a date
// that does not parse is ignored, as for GET's conditional headers.
func copySourceConditions(h http.Header) s3.ReadPreconditions {
	p := s3.ReadPreconditions{
		IfMatch:     h.Get("X-Amz-Copy-Source-If-Match"),
		IfNoneMatch: h.Get("X-Amz-Copy-Source-If-None-Match"),
	}
	if t, err := http.ParseTime(h.Get("X-Amz-Copy-Source-If-Modified-Since")); err == nil {
		p.IfModifiedSince = &t
	}
	if t, err := http.ParseTime(h.Get("X-Amz-Copy-Source-If-Unmodified-Since")); err == nil {
		p.IfUnmodifiedSince = &t
	}
	return p
}

func (h *Handler) deleteObject(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	if err := h.svc.DeleteObject(r.Context(), req); err != nil {
		return err
	}
	return noContent(w, r)
}

func (h *Handler) deleteObjects(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	data, err := readBody(r.Body)
	if err != nil {
		return err
	}
	var doc deleteRequest
	if err := decodeXML(data, &doc); err != nil {
		return err
	}
	if len(doc.Objects) == 0 {
		return s3.ErrMalformedXML.New(s3.MsgMalformedXML)
	}
	keys := make([]string, len(doc.Objects))
	for i, o := range doc.Objects {
		keys[i] = o.Key
	}
	outcomes, err := h.svc.DeleteObjects(r.Context(), req, keys)
	if err != nil {
		return err
	}
	out := deleteResult{Xmlns: restxml.Namespace}
	for _, oc := range outcomes {
		switch {
		case oc.Err != nil:
			out.Errors = append(out.Errors, deleteErrorXML{Key: oc.Key, Code: oc.Err.Code, Message: oc.Err.Message})
		case !doc.Quiet:
			// Quiet mode reports only failures.
			out.Deleted = append(out.Deleted, deletedXML{Key: oc.Key})
		}
	}
	restxml.WriteXML(w, r, http.StatusOK, out)
	return nil
}

func (h *Handler) headObject(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	o, err := h.svc.HeadObject(r.Context(), req)
	if err != nil {
		return err
	}
	return writeObject(w, r, o, nil)
}

func (h *Handler) getObject(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	o, rc, err := h.svc.GetObject(r.Context(), req)
	if err != nil {
		return err
	}
	defer rc.Close()
	return writeObject(w, r, o, rc)
}

// responseOverrides are the GetObject query parameters that replace a stored
// header in the response, used by presigned download links.
var responseOverrides = map[string]string{
	"response-cache-control":       "Cache-Control",
	"response-content-disposition": "Content-Disposition",
	"response-content-encoding":    "Content-Encoding",
	"response-content-language":    "Content-Language",
	"response-content-type":        "Content-Type",
	"response-expires":             "Expires",
}

// writeObject answers GET (body != nil) or HEAD for o: conditional
// requests first, then a single byte range, then the headers and bytes.
func writeObject(w http.ResponseWriter, r *http.Request, o s3.Object, body io.ReadSeeker) error {
	hdr := w.Header()
	switch checkConditions(r.Header, o) {
	case http.StatusNotModified:
		restxml.SetRequestHeaders(w, r)
		hdr.Set("ETag", o.ETag)
		hdr.Set("Last-Modified", o.LastModified.UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusNotModified)
		return nil
	case http.StatusPreconditionFailed:
		return s3.ErrPreconditionFailed.New("At least one of the pre-conditions you specified did not hold")
	}
	start, length, partial, err := parseRange(r.Header.Get("Range"), o.Size)
	if err != nil {
		return err
	}
	restxml.SetRequestHeaders(w, r)
	hdr.Set("ETag", o.ETag)
	hdr.Set("Last-Modified", o.LastModified.UTC().Format(http.TimeFormat))
	hdr.Set("Accept-Ranges", "bytes")
	hdr.Set("Content-Type", o.ContentType)
	for k, v := range o.Headers {
		hdr.Set(k, v)
	}
	for k, v := range o.Metadata {
		// Set directly so the names stay lower-case, as S3 sends them.
		hdr[metaPrefix+k] = []string{v}
	}
	q := r.URL.Query()
	for p, name := range responseOverrides {
		if v := q.Get(p); v != "" && r.Method == http.MethodGet {
			hdr.Set(name, v)
		}
	}
	status := http.StatusOK
	if partial {
		status = http.StatusPartialContent
		hdr.Set("Content-Range", "bytes "+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(start+length-1, 10)+"/"+strconv.FormatInt(o.Size, 10))
	}
	if !partial && strings.EqualFold(r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") {
		// Only a whole object has the stored checksum; a range has none.
		setChecksumHeaders(hdr, o.Checksum)
	}
	hdr.Set("Content-Length", strconv.FormatInt(length, 10))
	if body != nil && start > 0 {
		if _, err := body.Seek(start, io.SeekStart); err != nil {
			hdr.Del("Content-Length")
			hdr.Del("Content-Range")
			return err
		}
	}
	w.WriteHeader(status)
	if body != nil && r.Method != http.MethodHead {
		// The status is sent: a failure now can only cut the body short,
		// which the client sees against Content-Length.
		_, _ = io.CopyN(w, body, length)
	}
	return nil
}

// checkConditions evaluates the conditional headers in RFC 9110 order and
// returns 304, 412 or 0 (proceed). If-Match overrides If-Unmodified-Since
// and If-None-Match overrides If-Modified-Since.
func checkConditions(h http.Header, o s3.Object) int {
	lm := o.LastModified.UTC().Truncate(time.Second)
	if im := h.Get("If-Match"); im != "" {
		if !s3.ETagMatches(im, o.ETag) {
			return http.StatusPreconditionFailed
		}
	} else if t, err := http.ParseTime(h.Get("If-Unmodified-Since")); err == nil && lm.After(t) {
		return http.StatusPreconditionFailed
	}
	if inm := h.Get("If-None-Match"); inm != "" {
		if s3.ETagMatches(inm, o.ETag) {
			return http.StatusNotModified
		}
	} else if t, err := http.ParseTime(h.Get("If-Modified-Since")); err == nil && !lm.After(t) {
		return http.StatusNotModified
	}
	return 0
}

// parseRange reads a Range header against an object of size bytes. S3 serves
// one range; a header it cannot parse, or a multi-range one, is ignored and
// the whole object sent, as HTTP allows. A well-formed range that starts past
// the end is InvalidRange.
func parseRange(spec string, size int64) (start, length int64, partial bool, err error) {
	whole := func() (int64, int64, bool, error) { return 0, size, false, nil }
	unsatisfiable := func() (int64, int64, bool, error) {
		return 0, 0, false, s3.ErrInvalidRange.New("The requested range is not satisfiable")
	}
	spec = strings.TrimSpace(spec)
	rs, ok := strings.CutPrefix(spec, "bytes=")
	if !ok || strings.Contains(rs, ",") {
		return whole()
	}
	a, b, ok := strings.Cut(strings.TrimSpace(rs), "-")
	if !ok {
		return whole()
	}
	if a == "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 0 {
			return whole()
		}
		if n == 0 || size == 0 {
			return unsatisfiable()
		}
		n = min(n, size)
		return size - n, n, true, nil
	}
	first, err := strconv.ParseInt(a, 10, 64)
	if err != nil || first < 0 {
		return whole()
	}
	last := size - 1
	if b != "" {
		last, err = strconv.ParseInt(b, 10, 64)
		if err != nil || last < first {
			return whole()
		}
	}
	if first >= size {
		return unsatisfiable()
	}
	last = min(last, size-1)
	return first, last - first + 1, true, nil
}
