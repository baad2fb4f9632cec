package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Kind says where a document is used; it decides which fields are required.
type Kind int

const (
	// Identity policies are attached to roles and users; no Principal.
	Identity Kind = iota
	// Resource policies (bucket policies) need a Principal and a Resource.
	Resource
	// Trust policies (a role's assume-role policy) need a Principal and no Resource.
	Trust
)

// ValidationError is IAM's MalformedPolicyDocument: Message says what to fix.
type ValidationError struct{ Message string }

func (e *ValidationError) Error() string { return e.Message }

func invalid(format string, args ...any) error {
	return &ValidationError{Message: fmt.Sprintf(format, args...)}
}

// Policy is a parsed, validated document, safe for concurrent evaluation.
type Policy struct {
	// Substitutes reports whether policy variables are substituted (Version 2012-10-17).
	Substitutes bool
	Statements  []*Statement
	// Warnings name what is valid but probably not meant (lint).
	Warnings []string
}

// Statement is one compiled statement.
type Statement struct {
	Sid          string
	Allow        bool
	Principal    *principals // nil when the statement has none
	NotPrincipal bool
	Actions      []string // lower-cased patterns
	NotAction    bool
	Resources    []string // raw patterns (variables substituted at evaluation)
	NotResource  bool
	HasResource  bool
	Conditions   []condition
	// Start and End locate the statement in its document: its opening and
	// closing braces.
	Start, End Position
}

// maxDocument is IAM's largest policy size (resource policies allow 20 KiB;
// identity policies 6 KiB of non-whitespace); we accept up to 20 KiB here and
// leave per-kind quotas to the services.
const maxDocument = 20 << 10

// Parse parses and validates doc as IAM does on write.
func Parse(doc string, kind Kind) (*Policy, error) {
	if len(doc) > maxDocument {
		return nil, invalid("Cannot exceed quota for PolicySize: %d", maxDocument)
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return nil, invalid("Syntax errors in policy.")
	}
	if dec.More() {
		return nil, invalid("Syntax errors in policy.")
	}
	if err := checkDuplicateKeys(doc); err != nil {
		return nil, err
	}
	p := &Policy{}
	for k := range top {
		switch k {
		case "Version", "Id", "Statement":
		default:
			return nil, invalid("Syntax errors in policy. Unknown field %s.", k)
		}
	}
	switch v := top["Version"]; v {
	case "2012-10-17":
		p.Substitutes = true
	case "2008-10-17", nil:
	default:
		return nil, invalid("The policy failed legacy parsing: Version must be 2012-10-17 or 2008-10-17, not %v.", v)
	}
	if id, ok := top["Id"]; ok {
		if _, isStr := id.(string); !isStr {
			return nil, invalid("Syntax errors in policy. Id must be a string.")
		}
	}
	var raw []any
	switch s := top["Statement"].(type) {
	case map[string]any:
		raw = []any{s}
	case []any:
		raw = s
	default:
		return nil, invalid("Syntax errors in policy. The policy needs a Statement.")
	}
	if len(raw) == 0 {
		return nil, invalid("Syntax errors in policy. The policy needs at least one Statement.")
	}
	sids := map[string]bool{}
	objects := make([]map[string]any, 0, len(raw))
	for _, r := range raw {
		m, ok := r.(map[string]any)
		if !ok {
			return nil, invalid("Syntax errors in policy. Each Statement must be an object.")
		}
		objects = append(objects, m)
		st, err := parseStatement(m, kind)
		if err != nil {
			return nil, err
		}
		if st.Sid != "" {
			if sids[st.Sid] {
				return nil, invalid("Statement IDs (SID) in a single policy must be unique.")
			}
			sids[st.Sid] = true
		}
		p.Statements = append(p.Statements, st)
	}
	if spans := statementSpans(doc); len(spans) == len(p.Statements) {
		for i, sp := range spans {
			p.Statements[i].Start, p.Statements[i].End = positionOf(doc, sp[0]), positionOf(doc, sp[1]-1)
		}
	}
	p.Warnings = lint(p, objects)
	return p, nil
}

func parseStatement(m map[string]any, kind Kind) (*Statement, error) {
	st := &Statement{}
	for k := range m {
		switch k {
		case "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition":
		default:
			return nil, invalid("Syntax errors in policy. Unknown field %s in a Statement.", k)
		}
	}
	if sid, ok := m["Sid"]; ok {
		s, isStr := sid.(string)
		if !isStr {
			return nil, invalid("Syntax errors in policy. Sid must be a string.")
		}
		st.Sid = s
	}
	switch m["Effect"] {
	case "Allow":
		st.Allow = true
	case "Deny":
	case nil:
		return nil, invalid("Missing required field Effect")
	default:
		return nil, invalid("Invalid effect: %v", m["Effect"])
	}
	if err := st.parsePrincipal(m, kind); err != nil {
		return nil, err
	}
	if err := st.parseActions(m); err != nil {
		return nil, err
	}
	if err := st.parseResources(m, kind); err != nil {
		return nil, err
	}
	if c, ok := m["Condition"]; ok {
		conds, err := parseConditions(c)
		if err != nil {
			return nil, err
		}
		st.Conditions = conds
	}
	return st, nil
}

func (st *Statement) parsePrincipal(m map[string]any, kind Kind) error {
	p, hasP := m["Principal"]
	np, hasNP := m["NotPrincipal"]
	switch {
	case hasP && hasNP:
		return invalid("Syntax errors in policy. A Statement cannot have both Principal and NotPrincipal.")
	case kind == Identity && (hasP || hasNP):
		return invalid("Policy document should not specify a principal.")
	case kind != Identity && !hasP && !hasNP:
		return invalid("Missing required field Principal")
	case hasNP:
		p, st.NotPrincipal = np, true
	case !hasP:
		return nil
	}
	ps, err := parsePrincipals(p)
	if err != nil {
		return err
	}
	st.Principal = ps
	return nil
}

func (st *Statement) parseActions(m map[string]any) error {
	a, hasA := m["Action"]
	na, hasNA := m["NotAction"]
	switch {
	case hasA && hasNA:
		return invalid("Syntax errors in policy. A Statement cannot have both Action and NotAction.")
	case !hasA && !hasNA:
		return invalid("Policy statement must contain actions.")
	case hasNA:
		a, st.NotAction = na, true
	}
	list, err := stringList(a, "Action")
	if err != nil {
		return err
	}
	for _, s := range list {
		if s != "*" && !strings.Contains(s, ":") {
			return invalid("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
		}
		st.Actions = append(st.Actions, strings.ToLower(s))
	}
	return nil
}

func (st *Statement) parseResources(m map[string]any, kind Kind) error {
	r, hasR := m["Resource"]
	nr, hasNR := m["NotResource"]
	switch {
	case hasR && hasNR:
		return invalid("Syntax errors in policy. A Statement cannot have both Resource and NotResource.")
	case !hasR && !hasNR:
		if kind == Trust {
			return nil
		}
		return invalid("Policy statement must contain resources.")
	case kind == Trust:
		return invalid("Has prohibited field Resource")
	case hasNR:
		r, st.NotResource = nr, true
	}
	list, err := stringList(r, "Resource")
	if err != nil {
		return err
	}
	for _, s := range list {
		if s != "*" && !strings.HasPrefix(strings.ToLower(s), "arn:") {
			return invalid("Resource %s must be in ARN format or \"*\".", s)
		}
	}
	st.Resources, st.HasResource = list, true
	return nil
}

// stringList accepts a string or a non-empty array of strings.
func stringList(v any, field string) ([]string, error) {
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case []any:
		if len(x) == 0 {
			return nil, invalid("Syntax errors in policy. %s must not be empty.", field)
		}
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, invalid("Syntax errors in policy. Every %s must be a string.", field)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, invalid("Syntax errors in policy. %s must be a string or an array of strings.", field)
}

// checkDuplicateKeys refuses objects that repeat a key: encoding/json keeps
// the last one silently, but IAM reports a syntax error, and a policy that
// means two things must not be accepted.
func checkDuplicateKeys(doc string) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	var walk func() error
	walk = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return nil
		}
		switch d {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key := k.(string)
				if seen[key] {
					return invalid("Syntax errors in policy. Duplicate key %s.", key)
				}
				seen[key] = true
				if err := walk(); err != nil {
					return err
				}
			}
		case '[':
			for dec.More() {
				if err := walk(); err != nil {
					return err
				}
			}
		}
		_, err = dec.Token()
		return err
	}
	return walk()
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
