package policy

import (
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// condition is one operator/key pair of a Condition block with its values.
type condition struct {
	name     string // the operator as written, e.g. "ForAnyValue:StringLike"
	keyName  string // the key as written
	op       string // base operator, e.g. "StringLike"
	ifExists bool
	set      string // "", "ForAnyValue" or "ForAllValues"
	key      string // lower-cased condition key
	values   []string
	// multi marks a key that is multivalued by definition, so a request
	// value for it is a set even when it holds one element.
	multi bool
}

// multiValued lists the condition keys whose request values are sets
// (docs: reference_policies_condition-single-vs-multi-valued-context-keys).
var multiValued = []string{
	"aws:TagKeys", "aws:PrincipalOrgPaths", "aws:CalledVia", "aws:PrincipalServiceNamesList",
	"aws:SourceOrgPaths", "aws:ResourceOrgPaths", "cognito-identity.amazonaws.com:amr",
	"s3:RequestObjectTagKeys",
}

// IsMultiValued reports whether key (any case) is a multivalued key, whose
// request values are a set even when they hold one element.
func IsMultiValued(key string) bool {
	for _, k := range multiValued {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// operators lists every supported base operator and whether it is negated.
var operators = map[string]bool{
	"StringEquals": false, "StringNotEquals": true, "StringEqualsIgnoreCase": false, "StringNotEqualsIgnoreCase": true,
	"StringLike": false, "StringNotLike": true,
	"NumericEquals": false, "NumericNotEquals": true, "NumericLessThan": false, "NumericLessThanEquals": false,
	"NumericGreaterThan": false, "NumericGreaterThanEquals": false,
	"DateEquals": false, "DateNotEquals": true, "DateLessThan": false, "DateLessThanEquals": false,
	"DateGreaterThan": false, "DateGreaterThanEquals": false,
	"Bool": false, "BinaryEquals": false, "IpAddress": false, "NotIpAddress": true,
	"ArnEquals": false, "ArnLike": false, "ArnNotEquals": true, "ArnNotLike": true,
	"Null": false,
}

func parseConditions(v any) ([]condition, error) {
	block, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("Syntax errors in policy. Condition must be an object.")
	}
	var out []condition
	for _, rawOp := range sortedKeys(block) {
		c := condition{name: rawOp, op: rawOp}
		if set, rest, found := strings.Cut(c.op, ":"); found {
			if set != "ForAnyValue" && set != "ForAllValues" {
				return nil, invalid("Invalid Condition type : %s", rawOp)
			}
			c.set, c.op = set, rest
		}
		if base, found := strings.CutSuffix(c.op, "IfExists"); found && c.op != "Null" {
			c.op, c.ifExists = base, true
		}
		if _, known := operators[c.op]; !known || (c.op == "Null" && c.ifExists) {
			return nil, invalid("Invalid Condition type : %s", rawOp)
		}
		keys, ok := block[rawOp].(map[string]any)
		if !ok || len(keys) == 0 {
			return nil, invalid("Syntax errors in policy. Condition %s must map keys to values.", rawOp)
		}
		for _, k := range sortedKeys(keys) {
			vals, err := conditionValues(keys[k])
			if err != nil {
				return nil, err
			}
			cc := c
			cc.key, cc.keyName, cc.values = strings.ToLower(k), k, vals
			cc.multi = IsMultiValued(cc.key)
			if err := cc.validate(); err != nil {
				return nil, err
			}
			out = append(out, cc)
		}
	}
	return out, nil
}

// conditionValues accepts strings, numbers and booleans, alone or in an array,
// and compares their string forms (true is "true", 1000 is "1000").
func conditionValues(v any) ([]string, error) {
	one := func(e any) (string, bool) {
		switch x := e.(type) {
		case string:
			return x, true
		case json.Number:
			return x.String(), true
		case bool:
			return strconv.FormatBool(x), true
		}
		return "", false
	}
	if arr, ok := v.([]any); ok {
		out := make([]string, 0, len(arr))
		for _, e := range arr {
			s, ok := one(e)
			if !ok {
				return nil, invalid("Syntax errors in policy. Condition values must be strings, numbers or booleans.")
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, ok := one(v)
	if !ok {
		return nil, invalid("Syntax errors in policy. Condition values must be strings, numbers or booleans.")
	}
	return []string{s}, nil
}

// validate checks literal values that cannot contain variables.
func (c condition) validate() error {
	for _, v := range c.values {
		if strings.Contains(v, "${") {
			continue
		}
		var ok bool
		switch {
		case strings.HasPrefix(c.op, "Numeric"):
			_, ok = parseNumber(v)
		case strings.HasPrefix(c.op, "Date"):
			_, ok = parseDate(v)
		case c.op == "IpAddress" || c.op == "NotIpAddress":
			_, ok = parseCIDR(v)
		case c.op == "BinaryEquals":
			_, err := base64.StdEncoding.DecodeString(v)
			ok = err == nil
		default:
			ok = true
		}
		if !ok {
			return invalid("Invalid value %q for condition operator %s.", v, c.op)
		}
	}
	return nil
}

// eval decides the condition against the request context.
func (c condition) eval(ctx context, substitutes bool) bool {
	vals, present := ctx.get(c.key)
	if c.op == "Null" {
		// Null tests presence only: an empty set or an empty string is a
		// value that is there.
		isNull := !present
		for _, v := range c.values {
			if strings.EqualFold(v, "true") == isNull {
				return true
			}
		}
		return false
	}
	negated := operators[c.op]
	switch c.set {
	case "ForAnyValue":
		for _, v := range vals {
			if c.comparable(v) && c.one(v, ctx, substitutes) != negated {
				return true
			}
		}
		return false
	case "ForAllValues":
		for _, v := range vals {
			if !c.comparable(v) || c.one(v, ctx, substitutes) == negated {
				return false
			}
		}
		return true
	}
	if !present {
		return c.ifExists || negated
	}
	if c.multi || len(vals) != 1 {
		// A set compared without ForAnyValue/ForAllValues matches nothing,
		// negated operators included: the policy did not say how to
		// compare a set with its values.
		return false
	}
	if !c.comparable(vals[0]) {
		return false
	}
	return c.one(vals[0], ctx, substitutes) != negated
}

// comparable reports whether a request value has the type the operator
// compares. A value that is not a number, a date, an IP address or an ARN
// cannot be compared, so neither the operator nor its negation matches.
func (c condition) comparable(have string) bool {
	switch {
	case strings.HasPrefix(c.op, "Numeric"):
		_, ok := parseNumber(have)
		return ok
	case strings.HasPrefix(c.op, "Date"):
		_, ok := parseDate(have)
		return ok
	case c.op == "IpAddress" || c.op == "NotIpAddress":
		_, err := netip.ParseAddr(have)
		return err == nil
	case strings.HasPrefix(c.op, "Arn"):
		return strings.HasPrefix(have, "arn:") && strings.Count(have, ":") >= 5
	}
	return true
}

// one reports whether a single request value matches any of the policy's
// values under the positive form of the operator.
func (c condition) one(have string, ctx context, substitutes bool) bool {
	for _, raw := range c.values {
		// Variables are substituted in string and ARN conditions only.
		if !strings.HasPrefix(c.op, "String") && !strings.HasPrefix(c.op, "Arn") {
			if c.match(have, raw) {
				return true
			}
			continue
		}
		wild := c.op == "StringLike" || c.op == "StringNotLike" || strings.HasPrefix(c.op, "Arn")
		var buf [maxPieces]piece
		ps, ok := expand(raw, ctx, substitutes, wild, buf[:])
		if !ok {
			continue // an absent variable matches nothing
		}
		var hit bool
		switch c.op {
		case "StringEquals", "StringNotEquals":
			hit = equalPieces(ps, have)
		case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
			hit = strings.EqualFold(have, joinPieces(ps))
		case "StringLike", "StringNotLike":
			hit = matchPieces(ps, have, 0)
		default: // Arn*
			// A policy value that is not a whole ARN cannot be compared:
			// it matches under neither the operator nor its negation.
			m, valid := matchARN(tokensOf(ps), have)
			hit = m || (!valid && operators[c.op])
		}
		if hit {
			return true
		}
	}
	return false
}

// match compares one request value with one policy value for the operators
// whose values take no variables.
func (c condition) match(have, want string) bool {
	switch c.op {
	case "Bool":
		return strings.EqualFold(have, want)
	case "BinaryEquals":
		return have == want
	case "IpAddress", "NotIpAddress":
		// An IPv4-mapped IPv6 address is an IPv6 address: it is in no IPv4
		// range, as AWS compares the families separately.
		prefix, ok := parseCIDR(want)
		addr, err := netip.ParseAddr(have)
		return ok && err == nil && prefix.Contains(addr)
	}
	if strings.HasPrefix(c.op, "Numeric") {
		a, ok1 := parseNumber(have)
		b, ok2 := parseNumber(want)
		return ok1 && ok2 && compare(c.op[len("Numeric"):], a.Cmp(b))
	}
	if strings.HasPrefix(c.op, "Date") {
		a, ok1 := parseDate(have)
		b, ok2 := parseDate(want)
		return ok1 && ok2 && compare(c.op[len("Date"):], a.Compare(b))
	}
	return false
}

func compare(rel string, cmp int) bool {
	switch rel {
	case "Equals", "NotEquals":
		return cmp == 0
	case "LessThan":
		return cmp < 0
	case "LessThanEquals":
		return cmp <= 0
	case "GreaterThan":
		return cmp > 0
	case "GreaterThanEquals":
		return cmp >= 0
	}
	return false
}

// parseNumber reads an integer or a decimal ("42", "-1.5", ".5"); IAM's
// numeric operators take no exponents, hex, or separators.
func parseNumber(s string) (*big.Float, bool) {
	s = strings.TrimSpace(s)
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		case (c == '+' || c == '-') && i == 0:
		default:
			return nil, false
		}
	}
	if digits == 0 || dots > 1 {
		return nil, false
	}
	f, _, err := big.ParseFloat(s, 10, 128, big.ToNearestEven)
	return f, err == nil
}

// dateLayouts are the W3C profile of ISO 8601 (www.w3.org/TR/NOTE-datetime)
// that IAM's date operators take, plus a zone written without a colon.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05", "2006-01-02", "2006-01", "2006"}

// parseDate accepts ISO 8601 forms and epoch seconds.
func parseDate(s string) (time.Time, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func parseCIDR(s string) (netip.Prefix, bool) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

// matchARN compares an ARN pattern and an ARN part by part (the six
// colon-separated parts), each part a glob, as the Arn operators do. valid
// is false when the pattern does not have the six parts of an ARN.
func matchARN(pattern []token, have string) (match, valid bool) {
	var parts [][]token
	start := 0
	for i, t := range pattern {
		if t.wild == 0 && t.r == ':' && len(parts) < 5 {
			parts = append(parts, pattern[start:i])
			start = i + 1
		}
	}
	parts = append(parts, pattern[start:])
	got := strings.SplitN(have, ":", 6)
	if len(parts) != 6 {
		return false, false
	}
	if len(got) != 6 {
		return false, true
	}
	for i := range parts {
		if !matchTokens(parts[i], got[i]) {
			return false, true
		}
	}
	return true, true
}
