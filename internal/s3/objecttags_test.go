package s3

import (
	"strconv"
	"strings"
	"testing"
)

func TestCheckTags(t *testing.T) {
	eleven := map[string]string{}
	for i := range 11 {
		eleven["k"+strconv.Itoa(i)] = "v"
	}
	tests := []struct {
		name string
		tags map[string]string
		msg  string
	}{
		{"none", nil, ""},
		{"ordinary", map[string]string{"project": "blue", "owner": "ada@example.com", "path": "a/b c:d+e=f_g.h-i"}, ""},
		{"unicode letters", map[string]string{"projet": "été", "キー": "値"}, ""},
		{"empty value", map[string]string{"flag": ""}, ""},
		{"128-character key", map[string]string{strings.Repeat("é", 128): "v"}, ""},
		{"eleven tags", eleven, "Object tags cannot be greater than 10"},
		{"key too long", map[string]string{strings.Repeat("k", 129): "v"}, "The TagKey you have provided is too long, max 128"},
		{"value too long", map[string]string{"k": strings.Repeat("v", 257)}, "The TagValue you have provided is too long, max 256"},
		{"empty key", map[string]string{"": "v"}, "The TagKey you have provided is invalid"},
		{"aws: prefix", map[string]string{"aws:cloudformation": "v"}, "The TagKey you have provided is invalid"},
		{"key with a forbidden character", map[string]string{"a*b": "v"}, "The TagKey you have provided is invalid"},
		{"value with a forbidden character", map[string]string{"k": "<script>"}, "The TagValue you have provided is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckTags(tt.tags)
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !ErrInvalidTag.Is(err) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("CheckTags = %v, want InvalidTag %q", err, tt.msg)
			}
		})
	}
}
