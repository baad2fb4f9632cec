package edge

import (
	"testing"
)

func TestMetricsFormValue(t *testing.T) {
	for _, tc := range []struct{ form, want string }{
		{"Action=ListRoles&Version=2010-05-08", "ListRoles"},
		{"Version=1&Action=Assume%52ole", "AssumeRole"},
		{"XAction=no&Action=yes", "yes"},
		{"Version=1", ""},
		{"", ""},
	} {
		if got := formValue(tc.form, "Action"); got != tc.want {
			t.Errorf("formValue(%q) = %q, want %q", tc.form, got, tc.want)
		}
	}
}
