package s3api

import (
	"crypto/tls"
	"net/http"

	"github.com/federa/federa/internal/s3"
)

// requestKeys fills in how the request was made, for the condition keys S3
// sets on every request: s3:authType (REST-HEADER for an Authorization
// header, REST-QUERY-STRING for a presigned URL), s3:TlsVersion, and the
// x-amz-* headers that are keys of their own (s3.HeaderConditionKeys).
func requestKeys(r *http.Request, req *s3.Request) {
	switch {
	case r.URL.Query().Has("X-Amz-Algorithm"):
		req.AuthType = "REST-QUERY-STRING"
	case r.Header.Get("Authorization") != "":
		req.AuthType = "REST-HEADER"
	}
	if r.TLS != nil {
		req.TLSVersion = tlsVersions[r.TLS.Version]
	}
	for _, name := range s3.HeaderConditionKeys {
		if v := r.Header.Values(name); len(v) > 0 {
			if req.Headers == nil {
				req.Headers = map[string]string{}
			}
			req.Headers[name] = v[0]
		}
	}
}

// tlsVersions names TLS versions as s3:TlsVersion compares them, a number
// for NumericGreaterThanEquals: {"s3:TlsVersion": "1.2"}.
var tlsVersions = map[uint16]string{
	tls.VersionTLS10: "1.0",
	tls.VersionTLS11: "1.1",
	tls.VersionTLS12: "1.2",
	tls.VersionTLS13: "1.3",
}
