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
	amzDateFormat  = "20060102T150405Z"
	maxPresignTime = 7 * 24 * time.Hour
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

func parseQuery(r *http.Request) (*Auth, error) {
	q := r.URL.Query()
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
		if q.Get(k) == "" {
			return nil, incomplete("Query-string authentication requires the %s parameter.", k)
		}
	}
	if q.Get("X-Amz-Algorithm") != Algorithm {
		return nil, incomplete("X-Amz-Algorithm only supports %q.", Algorithm)
	}
	a := &Auth{Presigned: true, Signature: q.Get("X-Amz-Signature"), SignedHeaders: strings.Split(q.Get("X-Amz-SignedHeaders"), ";"),
		SecurityToken: q.Get("X-Amz-Security-Token"), PayloadHash: "UNSIGNED-PAYLOAD"}
	if err := a.setScope(q.Get("X-Amz-Credential")); err != nil {
		return nil, err
	}
	t, err := time.Parse(amzDateFormat, q.Get("X-Amz-Date"))
	if err != nil {
		return nil, incomplete("X-Amz-Date must be in the ISO8601 basic format YYYYMMDD'T'HHMMSS'Z'.")
	}
	a.Time = t
	secs, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > maxPresignTime {
		return nil, incomplete("X-Amz-Expires must be a number of seconds from 1 to 604800 (7 days).")
	}
	a.Expires = time.Duration(secs) * time.Second
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		a.PayloadHash = h
	}
	return a, nil
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
