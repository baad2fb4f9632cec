package s3api

import (
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/federa/federa/internal/s3"
)

// getObjectPart answers GET and HEAD ?partNumber=N: a ranged read of the
// part's bytes (206 with Content-Range), with x-amz-mp-parts-count for an
// object uploaded in parts. Conditional headers apply to the whole object.
func (h *Handler) getObjectPart(w http.ResponseWriter, r *http.Request, req s3.Request, q url.Values) error {
	n, err := s3.ParsePartNumber(q.Get("partNumber"))
	if err != nil {
		return err
	}
	if r.Header.Get("Range") != "" {
		return s3.ErrInvalidRequest.New("Cannot specify both Range header and partNumber query parameter")
	}
	var (
		o    s3.Object
		body io.ReadSeekCloser
	)
	if r.Method == http.MethodGet {
		o, body, err = h.svc.GetObject(r.Context(), req)
		if err != nil {
			return err
		}
		defer body.Close()
	} else if o, err = h.svc.HeadObject(r.Context(), req); err != nil {
		return err
	}
	start, length, count, err := s3.PartRange(o, n)
	if err != nil {
		return err
	}
	if count > 0 {
		w.Header().Set("X-Amz-Mp-Parts-Count", strconv.Itoa(count))
	}
	// The part is served as the equivalent Range request. An empty part
	// (only a last part can be one) has no byte range to name; it is sent
	// as an empty whole.
	if length == 0 {
		o.Size = 0
	} else {
		r.Header.Set("Range", "bytes="+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(start+length-1, 10))
	}
	return writeObject(w, r, o, body)
}
