package s3_test

import (
	"testing"

	"github.com/federa/federa/internal/s3"
)

func TestValidBucketName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"abc", true}, {"my-bucket.logs", true}, {"123", true},
		{"ab", false}, {"ABC", false}, {"a_b", false}, {"-ab", false}, {"ab-", false},
		{"a..b", false}, {"10.0.0.1", false}, {"a-.b", false}, {"sthree-x", false}, {"x-s3alias", false},
	}
	for _, tt := range tests {
		if got := s3.ValidBucketName(tt.name); got != tt.ok {
			t.Errorf("ValidBucketName(%q) = %v, want %v", tt.name, got, tt.ok)
		}
	}
}

func TestCORSMatch(t *testing.T) {
	age := 10
	c := s3.CORSConfiguration{Rules: []s3.CORSRule{
		{ID: "one", AllowedOrigins: []string{"https://*.example.com"}, AllowedMethods: []string{"GET", "PUT"}, AllowedHeaders: []string{"x-amz-*", "Content-Type"}, MaxAgeSeconds: &age},
		{ID: "any", AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}},
	}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		origin, method string
		headers        []string
		rule, allow    string
	}{
		{"https://a.example.com", "PUT", []string{"x-amz-date", "content-type"}, "one", "https://a.example.com"},
		{"https://a.example.com", "GET", []string{"authorization"}, "", ""}, // no rule allows the header
		{"https://b.example.com", "DELETE", nil, "", ""},
		{"https://example.org", "GET", nil, "any", "*"},
		{"https://example.org", "PUT", nil, "", ""},
		{"https://a.example.com", "DELETE", nil, "", ""},
	}
	for _, tt := range tests {
		r, ok := c.Match(tt.origin, tt.method, tt.headers)
		if (tt.rule != "") != ok || r.ID != tt.rule {
			t.Errorf("Match(%q, %q, %q) = %q, %v; want %q", tt.origin, tt.method, tt.headers, r.ID, ok, tt.rule)
			continue
		}
		if ok && r.AllowOrigin(tt.origin) != tt.allow {
			t.Errorf("AllowOrigin(%q) = %q, want %q", tt.origin, r.AllowOrigin(tt.origin), tt.allow)
		}
	}

	invalid := []s3.CORSConfiguration{
		{},
		{Rules: []s3.CORSRule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PATCH"}}}},
		{Rules: []s3.CORSRule{{AllowedOrigins: []string{"*"}}}},
		{Rules: []s3.CORSRule{{AllowedOrigins: []string{"**"}, AllowedMethods: []string{"GET"}}}},
	}
	for i, c := range invalid {
		if c.Validate() == nil {
			t.Errorf("invalid[%d] validated", i)
		}
	}
}

func TestParseMaxKeys(t *testing.T) {
	tests := []struct {
		v       string
		present bool
		want    int
		err     bool
	}{
		{"", false, 1000, false}, {"10", true, 10, false}, {"5000", true, 1000, false},
		{"0", true, 0, false}, {"-1", true, 0, true}, {"x", true, 0, true}, {"", true, 0, true},
	}
	for _, tt := range tests {
		got, err := s3.ParseMaxKeys(tt.v, tt.present)
		if (err != nil) != tt.err || (err == nil && got != tt.want) {
			t.Errorf("ParseMaxKeys(%q, %v) = %d, %v", tt.v, tt.present, got, err)
		}
	}
}
