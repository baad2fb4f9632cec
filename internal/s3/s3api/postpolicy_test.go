package s3api

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/awserr"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// policyDoc wraps conditions (a JSON array's contents) in a document that
// expires in 2030.
func policyDoc(conds string) string {
	return `{"expiration": "2030-01-01T00:00:00.000Z", "conditions": [` + conds + `]}`
}

// TestParsePostPolicy covers the document's grammar: what parses, into
// what, and S3's message for each way a document is malformed.
func TestParsePostPolicy(t *testing.T) {
	tests := []struct {
		name string
		// b64 is the field as sent; doc, when set, is encoded into it.
		doc, b64 string
		// msg is the InvalidPolicyDocument message; "" for a valid document.
		msg string
		// want is the conditions, each as "op field value" or "range min max numeric".
		want []string
	}{
		{name: "simple and array conditions", doc: policyDoc(`{"bucket": "b"}, ["starts-with", "$key", "user/"], ["eq", "$Content-Type", "image/png"], ["content-length-range", 1, 1048576]`),
			want: []string{"eq bucket b", "starts-with key user/", "eq content-type image/png", "range 1 1048576 true"}},
		{name: "operator and names case-insensitive", doc: policyDoc(`["StArTs-WiTh", "$KeY", "Foo"], {"AcL": "private"}`),
			want: []string{"starts-with key Foo", "eq acl private"}},
		{name: "a field without $ parses and never holds", doc: policyDoc(`["eq", "key", "a"]`), want: []string{"eq  a"}},
		{name: "range bounds as strings", doc: policyDoc(`["content-length-range", "5", "10"]`), want: []string{"range 5 10 true"}},
		{name: "range bound that is not a number fails later", doc: policyDoc(`["content-length-range", "test", "10"]`), want: []string{"range 0 10 false"}},
		{name: "expiration without milliseconds", doc: `{"expiration": "2030-01-01T00:00:00Z", "conditions": []}`},
		{name: "base64 with line breaks", b64: strings.Join(splitEvery(b64(policyDoc(`{"bucket": "b"}`)), 60), "\n"), want: []string{"eq bucket b"}},
		{name: "AWS's signed example (CRLF line ends)", b64: awsExamplePolicy,
			want: []string{"eq bucket sigv4examplebucket", "starts-with key user/user1/", "eq acl public-read",
				"eq success_action_redirect http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html",
				"starts-with content-type image/", "eq x-amz-meta-uuid 14365123651274", "eq x-amz-server-side-encryption AES256",
				"starts-with x-amz-meta-tag ", "eq x-amz-credential AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request",
				"eq x-amz-algorithm AWS4-HMAC-SHA256", "eq x-amz-date 20151229T000000Z"}},

		{name: "not base64", b64: "!!!", msg: "Invalid Policy: invalid Base64 encoding."},
		{name: "not JSON", doc: `{"expiration": `, msg: "Invalid Policy: Invalid JSON."},
		{name: "trailing comma (the docs' own example)", doc: policyDoc(`{"bucket": "b"},`), msg: "Invalid Policy: Invalid JSON."},
		{name: "trailing data", doc: policyDoc(``) + `{}`, msg: "Invalid Policy: Invalid JSON."},
		{name: "not an object", doc: `[]`, msg: "Invalid Policy: Invalid JSON."},
		{name: "null", doc: `null`, msg: "Invalid Policy: Invalid JSON."},
		{name: "an IAM policy", doc: `{"Version": "2012-10-17", "Id": "x", "Statement": []}`, msg: "Invalid Policy: Unexpected: 'statement'"},
		{name: "upper-case CONDITIONS", doc: `{"expiration": "2030-01-01T00:00:00Z", "CONDITIONS": []}`, msg: "Invalid Policy: Unexpected: 'conditions'"},
		{name: "missing expiration", doc: `{"conditions": []}`, msg: "Invalid Policy: Policy missing expiration."},
		{name: "missing conditions", doc: `{"expiration": "2030-01-01T00:00:00Z"}`, msg: "Invalid Policy: Policy missing conditions."},
		{name: "expiration with an offset", doc: `{"expiration": "2030-01-01T00:00:00+02:00", "conditions": []}`, msg: "Invalid Policy: Invalid 'expiration' value: '2030-01-01T00:00:00+02:00'"},
		{name: "expiration with a space", doc: `{"expiration": "2030-01-01 00:00:00 UTC", "conditions": []}`, msg: "Invalid Policy: Invalid 'expiration' value: '2030-01-01 00:00:00 UTC'"},
		{name: "expiration a number", doc: `{"expiration": 1, "conditions": []}`, msg: "Invalid Policy: Invalid 'expiration' value: '1'"},
		{name: "conditions not a list", doc: `{"expiration": "2030-01-01T00:00:00Z", "conditions": {}}`, msg: "Invalid Policy: Invalid 'conditions' value: must be a List."},
		{name: "empty simple condition", doc: policyDoc(`{}`), msg: "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."},
		{name: "two properties", doc: policyDoc(`{"bucket": "b", "key": "k"}`), msg: "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."},
		{name: "simple value a number", doc: policyDoc(`{"Content-Length": 6199034}`), msg: "Invalid Policy: Invalid Simple-Condition: value must be a string."},
		{name: "simple value null", doc: policyDoc(`{"success_action_redirect": null}`), msg: "Invalid Policy: Invalid JSON."},
		{name: "empty array", doc: policyDoc(`[]`), msg: "Invalid Policy: Invalid Condition: missing operation identifier."},
		{name: "unknown operation", doc: policyDoc(`["ends-with", "$key", "x"]`), msg: "Invalid Policy: Invalid Condition: unknown operation 'ends-with'."},
		{name: "eq with two items", doc: policyDoc(`["eq", "$key"]`), msg: "Invalid Policy: Invalid eq: wrong number of arguments."},
		{name: "range with one bound", doc: policyDoc(`["content-length-range", 0]`), msg: "Invalid Policy: Invalid content-length-range: wrong number of arguments."},
		{name: "range negative", doc: policyDoc(`["content-length-range", -1, 0]`), msg: "Invalid Policy: Invalid content-length-range: the bounds must not be negative."},
		{name: "range float", doc: policyDoc(`["content-length-range", 0, 512.0]`), msg: "Invalid Policy: Invalid JSON."},
		{name: "eq operand a number", doc: policyDoc(`["eq", "$key", 5]`), msg: "Invalid Policy: Invalid JSON."},
		{name: "a condition that is a string", doc: policyDoc(`"bucket"`), msg: "Invalid Policy: Invalid condition test: must be a List or Object."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.b64
			if tt.doc != "" {
				in = b64(tt.doc)
			}
			p, err := parsePostPolicy(in)
			if tt.msg != "" {
				e, ok := awserr.As(err)
				if !ok || e.Code != "InvalidPolicyDocument" || e.Status != 400 || e.Message != tt.msg {
					t.Fatalf("error %v, want InvalidPolicyDocument %q", err, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range p.Conditions {
				if c.Op == opRange {
					got = append(got, strings.Join([]string{"range", itoa(c.Min), itoa(c.Max), boolString(c.Numeric)}, " "))
					continue
				}
				got = append(got, c.Op+" "+c.Field+" "+c.Value)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("conditions\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func splitEvery(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

// awsExamplePolicy is the policy of the AWS example "Browser-Based Upload
// using HTTP POST (Using AWS Signature Version 4)", as the page gives it.
const awsExamplePolicy = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9"

// TestPostPolicyCheck evaluates conditions and coverage against forms.
func TestPostPolicyCheck(t *testing.T) {
	now := time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		conds  string
		fields []formField
		bucket string
		// msg is the AccessDenied message; "" when the form passes.
		msg string
	}{
		{name: "exact and prefix", conds: `{"bucket": "b"}, ["starts-with", "$key", "u/"], {"acl": "private"}`,
			fields: []formField{{"key", "u/a"}, {"acl", "private"}}},
		{name: "names case-insensitive", conds: `["eq", "$CONTENT-TYPE", "text/plain"]`, fields: []formField{{"content-type", "text/plain"}}},
		{name: "values case-sensitive", conds: `["eq", "$Content-Type", "text/plain"]`, fields: []formField{{"Content-Type", "Text/Plain"}},
			msg: `Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "text/plain"]`},
		{name: "simple conditions print as eq", conds: `{"x-amz-meta-a": "1"}`, fields: []formField{{"x-amz-meta-a", "2"}},
			msg: `Invalid according to Policy: Policy Condition failed: ["eq", "$x-amz-meta-a", "1"]`},
		{name: "the policy's spelling and escapes are kept", conds: `["EQ", "$Content-Disposition", "filename=\"a.png\""]`, fields: []formField{{"Content-Disposition", "x"}},
			msg: `Invalid according to Policy: Policy Condition failed: ["EQ", "$Content-Disposition", "filename=\"a.png\""]`},
		{name: "a name without $ never holds", conds: `["eq", "key", "a"]`, fields: []formField{{"key", "a"}},
			msg: `Invalid according to Policy: Policy Condition failed: ["eq", "key", "a"]`},
		{name: "absent field fails starts-with empty", conds: `["starts-with", "$x-amz-meta-tag", ""]`,
			msg: `Invalid according to Policy: Policy Condition failed: ["starts-with", "$x-amz-meta-tag", ""]`},
		{name: "starts-with empty takes any value", conds: `["starts-with", "$x-amz-meta-tag", ""]`, fields: []formField{{"x-amz-meta-tag", "anything"}}},
		{name: "Content-Type list", conds: `["starts-with", "$Content-Type", "image/"]`, fields: []formField{{"Content-Type", "image/jpg, image/png,image/gif"}}},
		{name: "Content-Type list with a stranger", conds: `["starts-with", "$Content-Type", "image/"]`, fields: []formField{{"Content-Type", "image/jpg,text/plain"}},
			msg: `Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]`},
		{name: "other fields with commas are strings", conds: `["starts-with", "$key", "a/"]`, fields: []formField{{"key", "a/x,b/y"}}},
		{name: "repeated fields are joined with commas", conds: `{"x-amz-meta-tag": "Ninja,Stallman"}`, fields: []formField{{"x-amz-meta-tag", "Ninja"}, {"X-Amz-Meta-Tag", "Stallman"}}},
		{name: "bucket is the bucket posted to", conds: `{"bucket": "other"}`,
			msg: `Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "other"]`},
		{name: "a bucket field must agree too", conds: `{"bucket": "b"}`, fields: []formField{{"bucket", "x"}},
			msg: `Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "b"]`},
		{name: "extra fields named as sent", conds: `["starts-with", "$key", ""]`, fields: []formField{{"key", "k"}, {"Filename", "a"}, {"X-Amz-Meta-Note", "n"}},
			msg: "Invalid according to Policy: Extra input fields: Filename, X-Amz-Meta-Note"},
		{name: "exempt fields", conds: `["starts-with", "$key", ""]`,
			fields: []formField{{"key", "k"}, {"Policy", "p"}, {"X-Amz-Signature", "s"}, {"x-ignore-a", "1"}, {"X-IGNORE-B", "2"}}},
		{name: "a range condition covers no field", conds: `["content-length-range", 0, 10]`, fields: []formField{{"content-length-range", "5"}},
			msg: "Invalid according to Policy: Extra input fields: content-length-range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parsePostPolicy(b64(policyDoc(tt.conds)))
			if err != nil {
				t.Fatal(err)
			}
			bucket := tt.bucket
			if bucket == "" {
				bucket = "b"
			}
			err = p.check(&postForm{fields: tt.fields}, bucket, now)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("check: %v", err)
				}
				return
			}
			e, ok := awserr.As(err)
			if !ok || e.Code != "AccessDenied" || e.Status != 403 || e.Message != tt.msg {
				t.Fatalf("check: %v\nwant AccessDenied %q", err, tt.msg)
			}
		})
	}
	t.Run("expired", func(t *testing.T) {
		p, err := parsePostPolicy(b64(`{"expiration": "2029-05-31T23:59:59.999Z", "conditions": []}`))
		if err != nil {
			t.Fatal(err)
		}
		e, ok := awserr.As(p.check(&postForm{}, "b", now))
		if !ok || e.Message != "Invalid according to Policy: Policy expired." {
			t.Fatalf("check: %v", e)
		}
		if err := p.check(&postForm{}, "b", now.Add(-time.Millisecond)); err != nil {
			t.Fatalf("at the expiration instant: %v", err)
		}
	})
}

// TestPostPolicySizeRange combines content-length-range conditions.
func TestPostPolicySizeRange(t *testing.T) {
	tests := []struct {
		conds   string
		lo, hi  int64
		badCond bool
	}{
		{``, 0, -1, false},
		{`["content-length-range", 1, 10]`, 1, 10, false},
		{`["content-length-range", 1, 10], ["content-length-range", 5, 20]`, 5, 10, false},
		{`["content-length-range", "x", 10]`, 0, -1, true},
	}
	for _, tt := range tests {
		p, err := parsePostPolicy(b64(policyDoc(tt.conds)))
		if err != nil {
			t.Fatal(err)
		}
		lo, hi, bad := p.sizeRange()
		if lo != tt.lo || hi != tt.hi || (bad != nil) != tt.badCond {
			t.Errorf("%s: %d %d %v, want %d %d %v", tt.conds, lo, hi, bad, tt.lo, tt.hi, tt.badCond)
		}
	}
}
