package storetest

import (
	"fmt"
	"testing"

	"github.com/federa/federa/internal/store"
)

// testListObjectsBounds: a prefix listing includes the keys whose next
// character is the highest in Unicode (U+10FFFF, encoded F4 8F BF BF) or is
// multi-byte, and stops before the first key without the prefix, however
// close; an implementation that bounds the range with prefix+0xff must pass
// the bound through to the database as bytes.
func testListObjectsBounds(t *testing.T, s store.Store) {
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "b"}))
	keys := []string{"a", "a\U0010ffff", "a\U0010ffff/x", "aé", "a~", "b", "ÿ", "é/1", "é\U0010ffff", "ê"}
	for _, k := range keys {
		_, err := s.PutObject(ctx, store.Object{Bucket: "b", Key: k}, nil)
		check(t, err)
	}
	cases := []struct {
		prefix, after string
		limit         int
		want          []string
	}{
		{"a", "", 0, []string{"a", "a~", "aé", "a\U0010ffff", "a\U0010ffff/x"}},
		{"a", "a~", 0, []string{"aé", "a\U0010ffff", "a\U0010ffff/x"}},
		{"a", "", 2, []string{"a", "a~"}},
		{"a\U0010ffff", "", 0, []string{"a\U0010ffff", "a\U0010ffff/x"}},
		{"é", "", 0, []string{"é/1", "é\U0010ffff"}},
		{"ÿ", "", 0, []string{"ÿ"}},
		{"a", "b", 0, nil},
	}
	for _, c := range cases {
		objs, err := s.ListObjects(ctx, "b", c.prefix, c.after, c.limit)
		check(t, err)
		got := ids(objs, func(o store.Object) string { return o.Key })
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", c.want) {
			t.Errorf("ListObjects(prefix %q, after %q, limit %d) = %q, want %q", c.prefix, c.after, c.limit, got, c.want)
		}
	}
}
