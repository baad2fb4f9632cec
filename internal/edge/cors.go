package edge

import (
	"net/http"
	"strings"
)

// The Cognito APIs are called from browsers (amazon-cognito-identity-js,
// the AWS SDK for JavaScript's fromCognitoIdentityPool), on another origin
// than the page's. AWS answers their CORS preflights for any origin; so does
// federa. A browser's preflight carries no X-Amz-Target, only the names of
// the headers it will send, which is how it is told from an S3 preflight
// (S3 answers those from the bucket's CORS rules).

// jsonPreflight answers a CORS preflight for the JSON APIs and reports
// whether it did.
func jsonPreflight(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodOptions || r.URL.Path != "/" || r.Header.Get("Origin") == "" || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	if !strings.Contains(strings.ToLower(r.Header.Get("Access-Control-Request-Headers")), "x-amz-target") {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", r.Header.Get("Access-Control-Request-Headers"))
	h.Set("Access-Control-Max-Age", "86400")
	h.Add("Vary", "Origin, Access-Control-Request-Headers")
	w.WriteHeader(http.StatusOK)
	return true
}

// allowJSONOrigin lets a browser read a Cognito API answer, errors included.
func allowJSONOrigin(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Origin") == "" {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date")
}
