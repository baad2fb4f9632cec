package s3api

import (
	"strings"
	"time"

	"github.com/federa/federa/internal/s3"
)

// exemptField reports whether a form field needs no policy condition: "Each
// form field that you specify in a form (except x-amz-signature, file,
// policy, and field names that have an x-ignore- prefix) must appear in the
// list of conditions."
func exemptField(lower string) bool {
	switch lower {
	case "file", "policy", "x-amz-signature":
		return true
	}
	return strings.HasPrefix(lower, "x-ignore-")
}

// check applies the policy to a form at time now: the policy must not have
// expired, every condition must hold and every field must be covered by a
// condition. The file's size (content-length-range) is checked as it
// streams. bucket is the bucket the form was posted to.
func (p *postPolicy) check(f *postForm, bucket string, now time.Time) error {
	if now.After(p.Expiration) {
		return s3.ErrAccessDenied.New("Invalid according to Policy: Policy expired.")
	}
	covered := map[string]bool{}
	for i := range p.Conditions {
		c := &p.Conditions[i]
		if c.Op == opRange {
			continue
		}
		if !c.holds(f, bucket) {
			return conditionFailed(c)
		}
		covered[c.Field] = true
	}
	var extra []string
	for _, fl := range f.fields {
		lower := strings.ToLower(fl.Name)
		if !covered[lower] && !exemptField(lower) {
			extra = append(extra, fl.Name)
		}
	}
	if extra != nil {
		return s3.ErrAccessDenied.New("Invalid according to Policy: Extra input fields: %s", strings.Join(extra, ", "))
	}
	return nil
}

// holds evaluates an eq or starts-with condition. A field the form lacks
// fails the condition, even starts-with "" (S3 answers so). The bucket
// condition is matched against the bucket posted to, and against a bucket
// field too when the form carries one.
func (c *postCondition) holds(f *postForm, bucket string) bool {
	if c.Field == "" {
		return false
	}
	if c.Field == "bucket" {
		if v, ok := f.get("bucket"); ok && !c.matches(v) {
			return false
		}
		return c.matches(bucket)
	}
	v, ok := f.get(c.Field)
	return ok && c.matches(v)
}

func (c *postCondition) matches(v string) bool {
	if c.Op == opEq {
		return v == c.Value
	}
	if c.Field == "content-type" {
		// "Content-Types values for a starts-with condition that include
		// commas are interpreted as lists. Each value in the list must meet
		// the condition for the whole condition to pass."
		for _, t := range strings.Split(v, ",") {
			if !strings.HasPrefix(strings.TrimSpace(t), c.Value) {
				return false
			}
		}
		return true
	}
	return strings.HasPrefix(v, c.Value)
}
