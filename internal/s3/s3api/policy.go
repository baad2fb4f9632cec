package s3api

import (
	"net/http"

	"github.com/federa/federa/internal/protocol/restxml"
	"github.com/federa/federa/internal/s3"
)

func (h *Handler) putPolicy(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	data, err := readBody(r.Body)
	if err != nil {
		return err
	}
	if err := h.svc.PutBucketPolicy(r.Context(), req, string(data)); err != nil {
		return err
	}
	return noContent(w, r)
}

func (h *Handler) getPolicy(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	doc, err := h.svc.GetBucketPolicy(r.Context(), req)
	if err != nil {
		return err
	}
	restxml.SetRequestHeaders(w, r)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(doc))
	return nil
}

func (h *Handler) deletePolicy(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	if err := h.svc.DeleteBucketPolicy(r.Context(), req); err != nil {
		return err
	}
	return noContent(w, r)
}
