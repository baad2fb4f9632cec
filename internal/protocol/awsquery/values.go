package awsquery

import (
	"net/url"
	"strconv"
)

// Values is a decoded Query request: its parameters with helpers for the
// protocol's list and structure encodings. A Values may be a view of one list
// member, in which case names are relative to that member.
type Values struct {
	v      url.Values
	prefix string
}

// NewValues wraps decoded parameters.
func NewValues(v url.Values) Values { return Values{v: v} }

// Get returns a parameter, or "" when absent.
func (q Values) Get(name string) string { return q.v.Get(q.prefix + name) }

// Has reports whether the parameter is present (even if empty).
func (q Values) Has(name string) bool { return q.v.Has(q.prefix + name) }

// Int returns an integer parameter; ok is false when it is absent, and err is
// set when it is present but not an integer.
func (q Values) Int(name string) (n int, ok bool, err error) {
	s := q.Get(name)
	if !q.Has(name) {
		return 0, false, nil
	}
	n, err = strconv.Atoi(s)
	return n, true, err
}

// Strings returns a list parameter encoded as Name.member.1, Name.member.2, …
// stopping at the first missing index, as AWS does.
func (q Values) Strings(name string) []string {
	var out []string
	for i := 1; ; i++ {
		k := q.prefix + name + ".member." + strconv.Itoa(i)
		if !q.v.Has(k) {
			return out
		}
		out = append(out, q.v.Get(k))
	}
}

// Members returns views of the structures of a list parameter
// (Name.member.N.Field), stopping at the first index with no fields.
func (q Values) Members(name string) []Values {
	var out []Values
	for i := 1; ; i++ {
		p := q.prefix + name + ".member." + strconv.Itoa(i) + "."
		found := false
		for k := range q.v {
			if len(k) > len(p) && k[:len(p)] == p {
				found = true
				break
			}
		}
		if !found {
			return out
		}
		out = append(out, Values{v: q.v, prefix: p})
	}
}
