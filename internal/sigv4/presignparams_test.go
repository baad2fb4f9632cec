package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
)

// TestPresignParams checks S3's answers to malformed presigned URLs: each is
// an ErrQueryParameters (AuthorizationQueryParametersError) with S3's text,
// and still an ErrIncompleteSignature for protocols without that code.
func TestPresignParams(t *testing.T) {
	good := url.Values{
		"X-Amz-Algorithm":     {"AWS4-HMAC-SHA256"},
		"X-Amz-Credential":    {"AKIDEXAMPLE/20250301/us-east-1/s3/aws4_request"},
		"X-Amz-Date":          {"20250301T120000Z"},
		"X-Amz-Expires":       {"3600"},
		"X-Amz-SignedHeaders": {"host"},
		"X-Amz-Signature":     {"00"},
	}
	tests := []struct {
		name, param, value, msg string
	}{
		{"valid", "", "", ""},
		{"a week exactly", "X-Amz-Expires", "604800", ""},
		{"zero expires at once", "X-Amz-Expires", "0", ""},
		{"over a week", "X-Amz-Expires", "604801", "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"},
		{"huge", "X-Amz-Expires", "99999999999999999999999", "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"},
		{"negative", "X-Amz-Expires", "-5", "X-Amz-Expires must be non-negative"},
		{"not a number", "X-Amz-Expires", "1h", "X-Amz-Expires should be a number"},
		{"missing expires", "X-Amz-Expires", "", "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."},
		{"missing signature", "X-Amz-Signature", "", "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."},
		{"algorithm", "X-Amz-Algorithm", "AWS4-HMAC-SHA1", `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"`},
		{"date", "X-Amz-Date", "2025-03-01T12:00:00Z", `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`},
		{"credential", "X-Amz-Credential", "AKIDEXAMPLE/20250301/us-east-1/s3", `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range good {
				q[k] = v
			}
			if tt.param != "" {
				q.Set(tt.param, tt.value)
			}
			r, _ := http.NewRequest("GET", "http://127.0.0.1/b/k?"+q.Encode(), nil)
			a, err := Parse(r)
			if tt.msg == "" {
				if err != nil || a == nil || !a.Presigned {
					t.Fatalf("Parse = %v, %v", a, err)
				}
				return
			}
			if !errors.Is(err, ErrQueryParameters) || !errors.Is(err, ErrIncompleteSignature) || MessageOf(err) != tt.msg {
				t.Fatalf("Parse error = %v\nwant %q", err, tt.msg)
			}
		})
	}
}
