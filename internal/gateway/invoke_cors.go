package gateway

import (
	"slices"
	"strconv"
	"strings"
)

// CORS per API, answered by the gateway itself (as HTTP APIs' cors
// configuration does; REST APIs need a MOCK OPTIONS method, which the
// model's CORS field stands for).

// originAllowed reports whether origin is listed ("*" lists every origin).
func originAllowed(c *CORS, origin string) (string, bool) {
	if slices.Contains(c.AllowOrigins, "*") {
		return "*", true
	}
	for _, o := range c.AllowOrigins {
		if strings.EqualFold(o, origin) {
			return origin, true
		}
	}
	return "", false
}

// preflightHeaders answers a preflight; an origin not listed gets no
// Access-Control-Allow-Origin, so the browser refuses.
func preflightHeaders(c *CORS, origin, requested string) map[string]string {
	h := map[string]string{"Vary": "Origin"}
	allow, ok := originAllowed(c, origin)
	if !ok {
		return h
	}
	h["Access-Control-Allow-Origin"] = allow
	methods := c.AllowMethods
	if len(methods) == 0 {
		methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
	}
	h["Access-Control-Allow-Methods"] = strings.Join(methods, ",")
	switch {
	case len(c.AllowHeaders) > 0:
		h["Access-Control-Allow-Headers"] = strings.Join(c.AllowHeaders, ",")
	case requested != "":
		h["Access-Control-Allow-Headers"] = requested
	}
	if c.MaxAge > 0 {
		h["Access-Control-Max-Age"] = strconv.Itoa(c.MaxAge)
	}
	return h
}

// responseCORS are the headers an actual response gets.
func responseCORS(c *CORS, origin string) map[string]string {
	allow, ok := originAllowed(c, origin)
	if !ok {
		return nil
	}
	h := map[string]string{"Access-Control-Allow-Origin": allow, "Vary": "Origin"}
	if len(c.ExposeHeaders) > 0 {
		h["Access-Control-Expose-Headers"] = strings.Join(c.ExposeHeaders, ",")
	}
	return h
}
