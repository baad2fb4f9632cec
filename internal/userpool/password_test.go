package userpool

import "testing"

func TestPasswordHash(t *testing.T) {
	h, err := hashPassword("Corr3ct-horse!")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := hashPassword("Corr3ct-horse!")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		hash, pw string
		ok       bool
	}{
		{h, "Corr3ct-horse!", true},
		{h, "corr3ct-horse!", false},
		{h, "", false},
		{"", "Corr3ct-horse!", false},
		{"$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA", "x", false}, // absurd cost is refused, not computed
		{"$bcrypt$whatever", "x", false},
	}
	for _, tt := range tests {
		if got := checkPassword(tt.hash, tt.pw); got != tt.ok {
			t.Errorf("checkPassword(%q, %q) = %v, want %v", tt.hash, tt.pw, got, tt.ok)
		}
	}
}

// BenchmarkCheckPassword is the cost of one sign-in's argon2id check at the
// chosen parameters (19 MiB, t=2, p=1).
func BenchmarkCheckPassword(b *testing.B) {
	h, _ := hashPassword("Corr3ct-horse!")
	for b.Loop() {
		if !checkPassword(h, "Corr3ct-horse!") {
			b.Fatal("mismatch")
		}
	}
}

// BenchmarkCheckPasswordAllCores is the most argon2id checks this machine
// can make per second, on every CPU at once (hashes/s); no sign-in flow can
// go faster than it with these parameters.
func BenchmarkCheckPasswordAllCores(b *testing.B) {
	h, _ := hashPassword("Corr3ct-horse!")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if !checkPassword(h, "Corr3ct-horse!") {
				b.Error("mismatch")
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "hashes/s")
}

// TestPasswordPolicyDescribe: the hosted UI's forms state the pool's own
// rules.
func TestPasswordPolicyDescribe(t *testing.T) {
	for _, tc := range []struct {
		p    PasswordPolicy
		want string
	}{
		{defaultPasswordPolicy(), "At least 8 characters, with an upper-case letter, a lower-case letter, a number and a symbol."},
		{PasswordPolicy{MinimumLength: 12}, "At least 12 characters."},
		{PasswordPolicy{MinimumLength: 10, RequireNumbers: true}, "At least 10 characters, with a number."},
		{PasswordPolicy{MinimumLength: 6, RequireLowercase: true, RequireSymbols: true}, "At least 6 characters, with a lower-case letter and a symbol."},
	} {
		if got := tc.p.Describe(); got != tc.want {
			t.Errorf("Describe(%+v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}
