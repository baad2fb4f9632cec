package sigv4

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the only signing algorithm federa accepts.
const Algorithm = "AWS4-HMAC-SHA256"

const (
	amzDateFormat = "20060102T150405Z"
	// maxPresignSeconds is the longest X-Amz-Expires (7 days): "the signing
	// key you use in signature calculation is valid for up to seven days".
	maxPresignSeconds = 7 * 24 * 60 * 60
)

// Auth is the SigV4 authorization a request carries, parsed but not verified.
type Auth struct {
	// AccessKeyID, Date, Region and Service come from the credential scope
	// AKID/DATE/REGION/SERVICE/aws4_request.
	AccessKeyID, Date, Region, Service string
	// SignedHeaders lists the signed header names, lower-case.
	SignedHeaders []string
	Signature     string
	// Time is X-Amz-Date (or the Date header when X-Amz-Date is absent).
	Time time.Time
	// Presigned is true for query-string authorization.
	Presigned bool
	// Expires is X-Amz-Expires (presigned only).
	Expires time.Duration
	// SecurityToken is X-Amz-Security-Token (header or query).
	SecurityToken string
	// PayloadHash is the x-amz-content-sha256 header; "UNSIGNED-PAYLOAD" for presigned.
	PayloadHash string
}

func incomplete(format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmtSprintf(format, args...)
	}
	return Fail(ErrIncompleteSignature, msg)
}

// Parse returns the SigV4 authorization of r, from the Authorization header or
// presigned query parameters, or (nil, nil) when the request carries neither.
func Parse(r *http.Request) (*Auth, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return parseHeader(r, h)
	}
	q := r.URL.Query()
	if q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Signature") {
		return parseQuery(r)
	}
	return nil, nil
}

func parseHeader(r *http.Request, h string) (*Auth, error) {
	alg, rest, _ := strings.Cut(h, " ")
	if alg != Algorithm {
		return nil, incomplete("Unsupported Authorization Type: only %s is supported.", Algorithm)
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, incomplete("Authorization header requires each component to be Key=Value; %q is not.", strings.TrimSpace(part))
		}
		fields[k] = v
	}
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if fields[k] == "" {
			return nil, incomplete("Authorization header requires '%s' parameter. Authorization=%s", k, truncate(h, 200))
		}
	}
	a := &Auth{Signature: fields["Signature"], SignedHeaders: strings.Split(fields["SignedHeaders"], ";")}
	if err := a.setScope(fields["Credential"]); err != nil {
		return nil, err
	}
	t, err := requestTime(r.Header.Get("X-Amz-Date"), r.Header.Get("Date"))
	if err != nil {
		return nil, err
	}
	a.Time = t
	a.SecurityToken = r.Header.Get("X-Amz-Security-Token")
	a.PayloadHash = r.Header.Get("X-Amz-Content-Sha256")
	return a, nil
}

// queryError is a malformed presigned URL, in S3's words.
func queryError(format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmtSprintf(format, args...)
	}
	return Fail(ErrQueryParameters, msg)
}

// presignParams are the query parameters a presigned URL must carry.
var presignParams = []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"}

func parseQuery(r *http.Request) (*Auth, error) {
	q := r.URL.Query()
	for _, k := range presignParams {
		if q.Get(k) == "" {
			return nil, queryError("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
		}
	}
	if q.Get("X-Amz-Algorithm") != Algorithm {
		return nil, queryError("X-Amz-Algorithm only supports \"%s\"", Algorithm)
	}
	a := &Auth{Presigned: true, Signature: q.Get("X-Amz-Signature"), SignedHeaders: strings.Split(q.Get("X-Amz-SignedHeaders"), ";"),
		SecurityToken: q.Get("X-Amz-Security-Token"), PayloadHash: "UNSIGNED-PAYLOAD"}
	if err := a.setScope(q.Get("X-Amz-Credential")); err != nil {
		return nil, queryError("Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
	}
	t, err := time.Parse(amzDateFormat, q.Get("X-Amz-Date"))
	if err != nil {
		return nil, queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
	}
	a.Time = t
	// S3's checks and messages. 0 is accepted and expires at once.
	v := q.Get("X-Amz-Expires")
	secs, err := strconv.ParseInt(v, 10, 64)
	switch {
	case !isDigits(strings.TrimPrefix(v, "-")):
		return nil, queryError("X-Amz-Expires should be a number")
	case strings.HasPrefix(v, "-"):
		return nil, queryError("X-Amz-Expires must be non-negative")
	case err != nil || secs > maxPresignSeconds:
		return nil, queryError("X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than %d seconds", maxPresignSeconds)
	}
	a.Expires = time.Duration(secs) * time.Second
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		a.PayloadHash = h
	}
	return a, nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// setScope parses AKID/DATE/REGION/SERVICE/aws4_request.
func (a *Auth) setScope(cred string) error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[0] == "" || len(parts[1]) != 8 || parts[2] == "" || parts[3] == "" {
		return incomplete("Credential must have the form <AccessKeyId>/<date>/<region>/<service>/aws4_request; got %q.", truncate(cred, 200))
	}
	a.AccessKeyID, a.Date, a.Region, a.Service = parts[0], parts[1], parts[2], parts[3]
	return nil
}

func requestTime(amzDate, date string) (time.Time, error) {
	if amzDate != "" {
		t, err := time.Parse(amzDateFormat, amzDate)
		if err != nil {
			return t, incomplete("X-Amz-Date must be in the ISO8601 basic format YYYYMMDD'T'HHMMSS'Z'.")
		}
		return t, nil
	}
	if date != "" {
		if t, err := http.ParseTime(date); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
