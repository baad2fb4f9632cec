package s3api

import (
	"net/http"
	"net/url"

	"github.com/federa/federa/internal/s3"
)

// serveAccess routes the Block Public Access subresources of a bucket
// (?publicAccessBlock, ?policyStatus) and the tagging subresource of an
// object (?tagging). handled is false for every other request. Bucket
// tagging is not offered: ?tagging on a bucket is NotImplemented rather
// than read as a listing.
func (h *Handler) serveAccess(w http.ResponseWriter, r *http.Request, req s3.Request, q url.Values) (handled bool, err error) {
	pab, status, tagging := q.Has("publicAccessBlock"), q.Has("policyStatus"), q.Has("tagging")
	if req.Bucket == "" || !(pab || status || tagging) {
		return false, nil
	}
	switch {
	case req.Key == "" && tagging, req.Key != "" && (pab || status):
		return true, notImplemented()
	case pab:
		switch r.Method {
		case http.MethodGet:
			return true, h.getPublicAccessBlock(w, r, req)
		case http.MethodPut:
			return true, h.putPublicAccessBlock(w, r, req)
		case http.MethodDelete:
			return true, h.deletePublicAccessBlock(w, r, req)
		}
	case status:
		if r.Method == http.MethodGet {
			return true, h.getPolicyStatus(w, r, req)
		}
	default: // object tagging
		switch r.Method {
		case http.MethodGet:
			return true, h.getObjectTagging(w, r, req)
		case http.MethodPut:
			return true, h.putObjectTagging(w, r, req)
		case http.MethodDelete:
			return true, h.deleteObjectTagging(w, r, req)
		}
	}
	return true, methodNotAllowed()
}
