// Package s3api is the REST-XML wire adapter of the s3 service: it routes
// path-style and virtual-host-style requests to operations, turns headers,
// query parameters and XML bodies into service calls, and writes S3's
// responses and errors. It also answers CORS preflights and decorates
// responses to browser requests with CORS headers.
package s3api

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/protocol/restxml"
	"github.com/federa/federa/internal/s3"
)

// Options configure the adapter.
type Options struct {
	// BaseDomains are the hosts under which <bucket>.<base> names a bucket
	// (virtual-host style), e.g. "localhost" or "s3.example.com".
	BaseDomains []string
	// Credentials resolves the access key a browser upload's form was signed
	// with (POST Object carries its credentials in the body, where the edge
	// does not look). Without it, signed forms are refused.
	Credentials access.CredentialSource
	// Now is the clock POST policies expire by (time.Now when nil).
	Now func() time.Time
}

// Handler serves the S3 API; it implements edge.Endpoint.
type Handler struct {
	svc   *s3.Service
	bases []string
	creds access.CredentialSource
	now   func() time.Time
}

// New returns the adapter for svc.
func New(svc *s3.Service, o Options) *Handler {
	h := &Handler{svc: svc, creds: o.Credentials, now: o.Now}
	if h.now == nil {
		h.now = time.Now
	}
	for _, b := range o.BaseDomains {
		if b = strings.ToLower(strings.Trim(b, ".")); b != "" {
			h.bases = append(h.bases, b)
		}
	}
	return h
}

// WriteError writes err as an S3 <Error> document. A browser's request gets
// the bucket's CORS headers on errors too, those the edge answers before the
// handler runs (a bad signature, expired credentials) included: without
// them a script cannot read why it failed.
func (h *Handler) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Method != http.MethodOptions && r.Header.Get("Origin") != "" && w.Header().Get("Access-Control-Allow-Origin") == "" {
		if bucket, _ := route(r.Host, r.URL.Path, h.bases); bucket != "" {
			h.corsHeaders(w, r, bucket)
		}
	}
	restxml.WriteError(w, r, err)
}

// ServeHTTP routes one request to its operation.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	continueEmptyBody(w, r)
	bucket, key := route(r.Host, r.URL.Path, h.bases)
	req := request(r, bucket, key)
	if r.Method == http.MethodOptions {
		if err := h.preflight(w, r, bucket); err != nil {
			h.WriteError(w, r, err)
		}
		return
	}
	if bucket != "" && r.Header.Get("Origin") != "" {
		// Set before the operation runs so error responses carry them too:
		// a browser hides even an error from a script without them.
		h.corsHeaders(w, r, bucket)
	}
	if err := h.serve(w, r, req); err != nil {
		h.WriteError(w, r, err)
	}
}

// request gathers what the service needs to authorize the call.
func request(r *http.Request, bucket, key string) s3.Request {
	ip := r.RemoteAddr
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	req := s3.Request{
		Bucket:    bucket,
		Key:       key,
		SourceIP:  ip,
		Secure:    r.TLS != nil,
		UserAgent: r.UserAgent(),
		Referer:   r.Referer(),
	}
	const v4 = "AWS4-HMAC-SHA256"
	if strings.HasPrefix(r.Header.Get("Authorization"), v4) {
		req.SignatureVersion = v4
	} else if r.URL.Query().Get("X-Amz-Algorithm") == v4 {
		req.SignatureVersion, req.AuthType = v4, "REST-QUERY-STRING"
	}
	requestKeys(r, &req)
	return req
}

// unsupported lists S3 subresources federa does not implement; a request
// naming one must fail loudly rather than be mistaken for a plain GET or
// PUT (a PUT ?acl read as PutObject would overwrite the object).
var unsupported = []string{
	"accelerate", "acl", "analytics", "attributes", "encryption", "intelligent-tiering",
	"inventory", "legal-hold", "lifecycle", "logging", "metadataTable", "metrics",
	"notification", "object-lock", "ownershipControls",
	"replication", "requestPayment", "restore", "retention",
	"select", "session", "torrent", "versionId",
	"versioning", "versions", "website",
}

// bucketOnly are subresources that exist only on buckets.
var bucketOnly = []string{"cors", "policy", "location", "delete", "list-type"}

func hasAny(q map[string][]string, names []string) bool {
	for _, n := range names {
		if _, ok := q[n]; ok {
			return true
		}
	}
	return false
}

func methodNotAllowed() error {
	return s3.ErrMethodNotAllowed.New("The specified method is not allowed against this resource.")
}

func notImplemented() error { return s3.ErrNotImplemented.New(s3.MsgNotImplemented) }

// serve dispatches on the method and the subresource in the query.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	q := r.URL.Query()
	if hasAny(q, unsupported) {
		return notImplemented()
	}
	if handled, err := h.serveAccess(w, r, req, q); handled {
		return err
	}
	_, cors := q["cors"]
	_, pol := q["policy"]
	switch {
	case req.Bucket == "":
		if r.Method == http.MethodGet {
			return h.listBuckets(w, r, req)
		}
		return methodNotAllowed()
	case req.Key == "":
		if q.Has("uploadId") || q.Has("partNumber") {
			return notImplemented() // object-level parameters on a bucket
		}
		switch r.Method {
		case http.MethodGet:
			switch {
			case cors:
				return h.getCORS(w, r, req)
			case pol:
				return h.getPolicy(w, r, req)
			case q.Has("location"):
				return h.getLocation(w, r, req)
			case q.Has("uploads"):
				return h.listMultipartUploads(w, r, req)
			case q.Has("list-type"):
				if q.Get("list-type") != "2" {
					return s3.ErrInvalidArgument.New("Invalid List Type specified in Request")
				}
				return h.listObjectsV2(w, r, req)
			}
			return h.listObjectsV1(w, r, req)
		case http.MethodPut:
			switch {
			case cors:
				return h.putCORS(w, r, req)
			case pol:
				return h.putPolicy(w, r, req)
			}
			return h.createBucket(w, r, req)
		case http.MethodHead:
			return h.headBucket(w, r, req)
		case http.MethodDelete:
			switch {
			case cors:
				return h.deleteCORS(w, r, req)
			case pol:
				return h.deletePolicy(w, r, req)
			}
			return h.deleteBucket(w, r, req)
		case http.MethodPost:
			if q.Has("delete") {
				return h.deleteObjects(w, r, req)
			}
			return h.postObject(w, r, req)
		}
		return methodNotAllowed()
	default:
		if hasAny(q, bucketOnly) {
			return notImplemented()
		}
		if handled, err := h.multipart(w, r, req, q); handled {
			return err
		}
		switch r.Method {
		case http.MethodGet:
			return h.getObject(w, r, req)
		case http.MethodHead:
			return h.headObject(w, r, req)
		case http.MethodPut:
			if r.Header.Get("X-Amz-Copy-Source") != "" {
				return h.copyObject(w, r, req)
			}
			return h.putObject(w, r, req)
		case http.MethodDelete:
			return h.deleteObject(w, r, req)
		case http.MethodPost:
			return notImplemented()
		}
		return methodNotAllowed()
	}
}
