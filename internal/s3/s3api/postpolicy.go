package s3api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/federa/federa/internal/s3"
)

// A POST policy is the signed JSON document that says what a browser upload
// may contain: when it expires and the conditions every form field must meet.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
//
// S3's answers differ from its error table: a malformed document is 400
// InvalidPolicyDocument "Invalid Policy: …", a failed condition or an expired
// policy is 403 AccessDenied "Invalid according to Policy: …". The messages
// below are the ones S3 sends.

// Condition operators, lower-case. Operators and field names match
// case-insensitively; values match exactly.
const (
	opEq         = "eq"
	opStartsWith = "starts-with"
	opRange      = "content-length-range"
)

// postPolicy is a decoded POST policy.
type postPolicy struct {
	Expiration time.Time
	Conditions []postCondition
}

// postCondition is one condition. Simple conditions ({"acl": "private"}) are
// eq conditions on that field.
type postCondition struct {
	// Op is opEq, opStartsWith or opRange.
	Op string
	// Field is the lower-case field name without its '$', or "" when the
	// policy named it without '$': such a condition can never hold.
	Field string
	// Value is the operand of eq and starts-with.
	Value string
	// Min and Max are the bounds of content-length-range; Numeric is false
	// when a bound is a string that is not a number, which fails the
	// condition instead of the document, as on S3.
	Min, Max int64
	Numeric  bool
	// text is the condition as S3 quotes it when it fails.
	text string
}

func policyError(format string, args ...any) error {
	return s3.ErrInvalidPolicyDocument.New("Invalid Policy: "+format, args...)
}

func errPolicyJSON() error { return policyError("Invalid JSON.") }

// expirationLayout accepts "2015-12-30T12:00:00Z" with or without fractional
// seconds; an offset other than Z is refused, as S3 does.
const expirationLayout = "2006-01-02T15:04:05.999999999Z"

// parsePostPolicy decodes the policy form field: base64 (line breaks, which
// some encoders insert, are ignored) of a strict JSON document.
func parsePostPolicy(b64 string) (*postPolicy, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(b64))
	if err != nil {
		return nil, policyError("invalid Base64 encoding.")
	}
	var top map[string]json.RawMessage
	if err := strictJSON(raw, &top); err != nil || top == nil {
		return nil, errPolicyJSON()
	}
	// S3 names one unexpected member, lower-cased; for an IAM policy sent by
	// mistake ({"Version", "Id", "Statement"}) it was seen naming the last.
	if k := lastUnexpected(raw); k != "" {
		return nil, policyError("Unexpected: '%s'", strings.ToLower(k))
	}
	expRaw, ok := top["expiration"]
	if !ok {
		return nil, policyError("Policy missing expiration.")
	}
	condRaw, ok := top["conditions"]
	if !ok {
		return nil, policyError("Policy missing conditions.")
	}
	var exp string
	if json.Unmarshal(expRaw, &exp) != nil {
		return nil, policyError("Invalid 'expiration' value: '%s'", string(expRaw))
	}
	t, err := time.Parse(expirationLayout, exp)
	if err != nil {
		return nil, policyError("Invalid 'expiration' value: '%s'", exp)
	}
	var conds []json.RawMessage
	if json.Unmarshal(condRaw, &conds) != nil || conds == nil {
		return nil, policyError("Invalid 'conditions' value: must be a List.")
	}
	p := &postPolicy{Expiration: t}
	for _, c := range conds {
		pc, err := parseCondition(c)
		if err != nil {
			return nil, err
		}
		p.Conditions = append(p.Conditions, pc)
	}
	return p, nil
}

// lastUnexpected returns the last top-level member of a JSON object, in
// document order, that a POST policy does not have.
func lastUnexpected(doc []byte) string {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if _, err := dec.Token(); err != nil {
		return ""
	}
	last := ""
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return last
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return last
		}
		if k, _ := tok.(string); k != "expiration" && k != "conditions" {
			last = k
		}
	}
	return last
}

// strictJSON decodes one JSON value and refuses trailing data.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errPolicyJSON()
	}
	return nil
}

func parseCondition(raw json.RawMessage) (postCondition, error) {
	switch firstByte(raw) {
	case '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return postCondition{}, errPolicyJSON()
		}
		if len(obj) != 1 {
			return postCondition{}, policyError("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.")
		}
		for name, v := range obj {
			var value string
			switch firstByte(v) {
			case '"':
				if err := json.Unmarshal(v, &value); err != nil {
					return postCondition{}, errPolicyJSON()
				}
			case 'n':
				return postCondition{}, errPolicyJSON()
			default:
				return postCondition{}, policyError("Invalid Simple-Condition: value must be a string.")
			}
			return postCondition{Op: opEq, Field: strings.ToLower(name), Value: value,
				text: quoteCondition(jsonString(opEq), jsonString("$"+name), jsonString(value))}, nil
		}
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return postCondition{}, errPolicyJSON()
		}
		return parseArrayCondition(items)
	}
	return postCondition{}, policyError("Invalid condition test: must be a List or Object.")
}

func parseArrayCondition(items []json.RawMessage) (postCondition, error) {
	if len(items) == 0 {
		return postCondition{}, policyError("Invalid Condition: missing operation identifier.")
	}
	var op string
	if json.Unmarshal(items[0], &op) != nil {
		return postCondition{}, policyError("Invalid Condition: missing operation identifier.")
	}
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = compactJSON(it)
	}
	c := postCondition{Op: strings.ToLower(op), text: quoteCondition(texts...)}
	switch c.Op {
	case opEq, opStartsWith:
		if len(items) != 3 {
			return postCondition{}, policyError("Invalid %s: wrong number of arguments.", op)
		}
		var field string
		if json.Unmarshal(items[1], &field) != nil || json.Unmarshal(items[2], &c.Value) != nil ||
			firstByte(items[1]) != '"' || firstByte(items[2]) != '"' {
			return postCondition{}, errPolicyJSON()
		}
		if name, ok := strings.CutPrefix(field, "$"); ok {
			c.Field = strings.ToLower(name)
		}
		return c, nil
	case opRange:
		if len(items) != 3 {
			return postCondition{}, policyError("Invalid %s: wrong number of arguments.", op)
		}
		lo, okLo, err := rangeBound(items[1])
		if err != nil {
			return postCondition{}, err
		}
		hi, okHi, err := rangeBound(items[2])
		if err != nil {
			return postCondition{}, err
		}
		c.Min, c.Max, c.Numeric = lo, hi, okLo && okHi
		return c, nil
	}
	return postCondition{}, policyError("Invalid Condition: unknown operation '%s'.", op)
}

// rangeBound reads a content-length-range bound: a non-negative integer, or a
// string holding one. A number with a fraction or exponent is not valid JSON
// to S3; a string that is not a number fails the condition later (ok false).
func rangeBound(raw json.RawMessage) (n int64, ok bool, err error) {
	switch firstByte(raw) {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false, errPolicyJSON()
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil && n >= 0, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return 0, false, errPolicyJSON()
		}
		if n < 0 {
			return 0, false, policyError("Invalid content-length-range: the bounds must not be negative.")
		}
		return n, true, nil
	}
	return 0, false, errPolicyJSON()
}

func firstByte(raw json.RawMessage) byte {
	b := bytes.TrimLeft(raw, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// jsonString encodes s as a JSON string without HTML escaping, the way S3
// quotes field names and values in its messages.
func jsonString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}

// compactJSON re-renders one array element: strings re-quoted, numbers as
// written.
func compactJSON(raw json.RawMessage) string {
	var s string
	if firstByte(raw) == '"' && json.Unmarshal(raw, &s) == nil {
		return jsonString(s)
	}
	return string(bytes.TrimSpace(raw))
}

func quoteCondition(parts ...string) string { return "[" + strings.Join(parts, ", ") + "]" }

// sizeRange returns the bounds every content-length-range condition allows
// together; max < 0 means no upper bound. A non-numeric bound yields the
// condition that fails (bad != nil) once the size is known.
func (p *postPolicy) sizeRange() (lo, hi int64, bad *postCondition) {
	lo, hi = 0, -1
	for i := range p.Conditions {
		c := &p.Conditions[i]
		if c.Op != opRange {
			continue
		}
		if !c.Numeric {
			return lo, hi, c
		}
		lo = max(lo, c.Min)
		if hi < 0 || c.Max < hi {
			hi = c.Max
		}
	}
	return lo, hi, nil
}

// conditionFailed is S3's answer when a form field does not meet a condition.
func conditionFailed(c *postCondition) error {
	return s3.ErrAccessDenied.New("Invalid according to Policy: Policy Condition failed: %s", c.text)
}
