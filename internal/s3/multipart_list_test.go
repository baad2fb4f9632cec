package s3_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/federa/federa/internal/s3"
)

func TestListMultipartUploads(t *testing.T) {
	e := newMPEnv(t)
	ids := map[string][]string{}
	for _, k := range []string{"a/1", "a/2", "b", "b", "c/d/e", "z"} {
		ids[k] = append(ids[k], e.create(k, s3.CreateUploadInput{}))
		time.Sleep(time.Millisecond) // distinct initiation times
	}
	list := func(p s3.UploadsParams) (keys []string, page s3.UploadsPage) {
		page, err := e.svc.ListMultipartUploads(e.ctx, req(""), p)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Uploads {
			keys = append(keys, u.Key)
		}
		return append(keys, page.CommonPrefixes...), page
	}
	tests := []struct {
		p         s3.UploadsParams
		want      string
		truncated bool
	}{
		{s3.UploadsParams{MaxUploads: 1000}, "[a/1 a/2 b b c/d/e z]", false},
		{s3.UploadsParams{MaxUploads: 1000, Delimiter: "/"}, "[b b z a/ c/]", false},
		{s3.UploadsParams{MaxUploads: 2, Delimiter: "/"}, "[b a/]", true}, // uploads, then prefixes
		{s3.UploadsParams{MaxUploads: 1000, Prefix: "c/", Delimiter: "/"}, "[c/d/]", false},
		{s3.UploadsParams{MaxUploads: 1000, KeyMarker: "b"}, "[c/d/e z]", false},
		{s3.UploadsParams{MaxUploads: 1000, KeyMarker: "b", UploadIDMarker: ids["b"][0]}, "[b c/d/e z]", false},
		{s3.UploadsParams{MaxUploads: 1000, UploadIDMarker: ids["b"][0]}, "[a/1 a/2 b b c/d/e z]", false}, // ignored without key-marker
		{s3.UploadsParams{MaxUploads: 1000, KeyMarker: "a/", Delimiter: "/"}, "[b b z c/]", false},
		{s3.UploadsParams{MaxUploads: 0}, "[]", true},
	}
	for _, tt := range tests {
		keys, page := list(tt.p)
		if fmt.Sprint(keys) != tt.want && !(tt.want == "[]" && keys == nil) || page.IsTruncated != tt.truncated {
			t.Errorf("%+v: %v truncated=%v, want %s truncated=%v", tt.p, keys, page.IsTruncated, tt.want, tt.truncated)
		}
	}
	// Uploads of one key come in initiation order, and paging one at a
	// time with the markers visits each upload once.
	var seen []string
	p := s3.UploadsParams{MaxUploads: 1}
	for {
		_, page := list(p)
		for _, u := range page.Uploads {
			seen = append(seen, u.Key+"/"+u.UploadID)
		}
		if !page.IsTruncated {
			break
		}
		p.KeyMarker, p.UploadIDMarker = page.NextKeyMarker, page.NextUploadIDMarker
	}
	var want []string
	for k, us := range ids {
		for _, u := range us {
			want = append(want, k+"/"+u)
		}
	}
	sort.Strings(want)
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("paged %v\nwant  %v", seen, want)
	}
}
