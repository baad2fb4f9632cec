package policy

import (
	"regexp"
	"strings"
	"testing"
)

// globRegexp is an independent reference for glob matching.
func globRegexp(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

func TestMatchPieces(t *testing.T) {
	sub := piece{"us-east-1:a*b", false} // a variable's value: its '*' is literal
	tests := []struct {
		name string
		ps   []piece
		s    string
		fold bool
		want bool
	}{
		{"literal", []piece{{"abc", true}}, "abc", false, true},
		{"star any run", []piece{{"arn:aws:s3:::b/*", true}}, "arn:aws:s3:::b/x/y:z", false, true},
		{"question one rune", []piece{{"a?c", true}}, "aéc", false, true},
		{"question not two", []piece{{"a?c", true}}, "abbc", false, false},
		{"variable star is literal", []piece{{"b/", true}, sub, {"/*", true}}, "b/us-east-1:a*b/k", false, true},
		{"variable star does not match", []piece{{"b/", true}, sub, {"/*", true}}, "b/us-east-1:axxb/k", false, false},
		{"prefix trick", []piece{{"b/", true}, {"me", false}, {"/*", true}}, "b/mex/k", false, false},
		{"fold action", []piece{{"s3:get*", true}}, "s3:GetObject", true, true},
		{"no fold", []piece{{"s3:get*", true}}, "s3:GetObject", false, false},
		{"empty pattern", nil, "", false, true},
		{"trailing stars", []piece{{"a**", true}}, "a", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := matchPieces(tt.ps, tt.s, foldAll(tt.fold, tt.s)); got != tt.want {
				t.Fatalf("matchPieces = %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzMatchPieces checks the allocation-free matcher against a regular
// expression, splitting the pattern into pieces at an arbitrary point.
func FuzzMatchPieces(f *testing.F) {
	f.Add("arn:aws:s3:::b/*", "arn:aws:s3:::b/k", 3)
	f.Add("a?c*", "aéc", 1)
	f.Add("*a*b?", "xxaxxbx", 4)
	f.Fuzz(func(t *testing.T, pattern, s string, cut int) {
		if len(pattern) > 64 || len(s) > 64 || !utf8Valid(pattern) || !utf8Valid(s) {
			return
		}
		if cut < 0 {
			cut = -cut
		}
		cut %= len(pattern) + 1
		for cut > 0 && cut < len(pattern) && !utf8RuneStart(pattern[cut]) {
			cut--
		}
		ps := []piece{{pattern[:cut], true}, {pattern[cut:], true}}
		if got, want := matchPieces(ps, s, 0), globRegexp(pattern).MatchString(s); got != want {
			t.Fatalf("matchPieces(%q, %q) = %v, reference %v", pattern, s, got, want)
		}
	})
}

func utf8Valid(s string) bool   { return strings.ToValidUTF8(s, "\uFFFD") == s }
func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

func foldAll(fold bool, s string) int {
	if fold {
		return len(s)
	}
	return 0
}
