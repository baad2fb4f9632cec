package arn

import "testing"

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want ARN
		ok   bool
	}{
		{"arn:aws:s3:::bucket/key:with:colons", ARN{"aws", "s3", "", "", "bucket/key:with:colons"}, true},
		{"arn:aws:iam::123456789012:role/path/R", ARN{"aws", "iam", "", "123456789012", "role/path/R"}, true},
		{"arn:aws:sts::1:assumed-role/R/S", ARN{"aws", "sts", "", "1", "assumed-role/R/S"}, true},
		{"arn:aws:s3", ARN{}, false},
		{"urn:aws:s3:::b", ARN{}, false},
		{"arn::s3:::b", ARN{}, false},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v", c.in, got, err)
		}
		if c.ok && got.String() != c.in {
			t.Errorf("String() = %q, want %q", got.String(), c.in)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("arn:aws:s3:::bucket/key")
	f.Add("arn:aws:iam::123456789012:role/R")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err == nil && a.String() != s {
			t.Fatalf("round trip %q -> %q", s, a.String())
		}
	})
}
