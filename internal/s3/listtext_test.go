package s3

import "testing"

// TestListTextRefusesWhatNoKeyHolds: a listing parameter with invalid UTF-8
// or a NUL is InvalidArgument, not a store error (PostgreSQL refuses both in
// text), and so is such an object key.
func TestListTextRefusesWhatNoKeyHolds(t *testing.T) {
	for _, v := range []string{"\xff", "a\x00b"} {
		if err := checkListText("prefix", v); !ErrInvalidArgument.Is(err) {
			t.Errorf("checkListText(%q) = %v, want InvalidArgument", v, err)
		}
		if err := checkKey(v); !ErrInvalidArgument.Is(err) {
			t.Errorf("checkKey(%q) = %v, want InvalidArgument", v, err)
		}
	}
	if err := checkListText("prefix", "photos/ünïcode/"); err != nil {
		t.Errorf("a UTF-8 prefix refused: %v", err)
	}
}
