package s3api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/federa/federa/internal/protocol/restxml"
	"github.com/federa/federa/internal/s3"
)

func (h *Handler) putCORS(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	data, err := readBody(r.Body)
	if err != nil {
		return err
	}
	c, err := parseCORS(data)
	if err != nil {
		return err
	}
	if err := h.svc.PutBucketCORS(r.Context(), req, c); err != nil {
		return err
	}
	restxml.SetRequestHeaders(w, r)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getCORS(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	c, err := h.svc.GetBucketCORS(r.Context(), req)
	if err != nil {
		return err
	}
	restxml.WriteXML(w, r, http.StatusOK, corsXML(c, restxml.Namespace))
	return nil
}

func (h *Handler) deleteCORS(w http.ResponseWriter, r *http.Request, req s3.Request) error {
	if err := h.svc.DeleteBucketCORS(r.Context(), req); err != nil {
		return err
	}
	return noContent(w, r)
}

// varyCORS is the Vary value of CORS responses: the answer depends on these
// request headers, so caches must not serve it to another origin.
const varyCORS = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"

// setRuleHeaders writes the headers a matched rule grants origin.
func setRuleHeaders(hdr http.Header, rule s3.CORSRule, origin string) {
	allow := rule.AllowOrigin(origin)
	hdr.Set("Access-Control-Allow-Origin", allow)
	if allow != "*" {
		// Credentialed browser requests need this, and are only allowed for
		// an explicit origin.
		hdr.Set("Access-Control-Allow-Credentials", "true")
	}
	hdr.Set("Access-Control-Allow-Methods", strings.Join(rule.AllowedMethods, ", "))
	if len(rule.ExposeHeaders) > 0 {
		hdr.Set("Access-Control-Expose-Headers", strings.Join(rule.ExposeHeaders, ", "))
	}
	if rule.MaxAgeSeconds != nil {
		hdr.Set("Access-Control-Max-Age", strconv.Itoa(*rule.MaxAgeSeconds))
	}
	hdr.Set("Vary", varyCORS)
}

// preflight answers an OPTIONS request from the bucket's CORS rules. It
// needs no signature: browsers never sign preflights.
func (h *Handler) preflight(w http.ResponseWriter, r *http.Request, bucket string) error {
	origin := r.Header.Get("Origin")
	method := r.Header.Get("Access-Control-Request-Method")
	if origin == "" {
		return s3.ErrBadRequest.New("Insufficient information. Origin request header needed.")
	}
	if method == "" {
		return s3.ErrBadRequest.New("Invalid Access-Control-Request-Method: null")
	}
	var headers []string
	for _, v := range r.Header.Values("Access-Control-Request-Headers") {
		for _, name := range strings.Split(v, ",") {
			if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
				headers = append(headers, name)
			}
		}
	}
	denied := s3.ErrCORSResponse.New(s3.MsgCORSDenied)
	if bucket == "" {
		return denied
	}
	cfg, ok, err := h.svc.BucketCORS(r.Context(), bucket)
	if err != nil {
		return err
	}
	if !ok {
		return denied
	}
	rule, ok := cfg.Match(origin, method, headers)
	if !ok {
		return denied
	}
	hdr := w.Header()
	setRuleHeaders(hdr, rule, origin)
	if len(headers) > 0 {
		hdr.Set("Access-Control-Allow-Headers", strings.Join(headers, ", "))
	}
	restxml.SetRequestHeaders(w, r)
	w.WriteHeader(http.StatusOK)
	return nil
}

// corsHeaders adds the CORS headers for a browser's actual request when a
// rule admits its origin and method. Failures to read the rules only mean no
// headers: the operation itself reports real problems.
func (h *Handler) corsHeaders(w http.ResponseWriter, r *http.Request, bucket string) {
	cfg, ok, err := h.svc.BucketCORS(r.Context(), bucket)
	if err != nil || !ok {
		return
	}
	origin := r.Header.Get("Origin")
	if rule, ok := cfg.Match(origin, r.Method, nil); ok {
		setRuleHeaders(w.Header(), rule, origin)
	}
}
