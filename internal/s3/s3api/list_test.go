package s3api_test

import (
	"net/url"
	"reflect"
	"testing"
)

type listV2 struct {
	KeyCount              int
	IsTruncated           bool
	NextContinuationToken string
	EncodingType          string
	Prefix                string
	Contents              []struct {
		Key, ETag, StorageClass string
		Size                    int64
		Owner                   *struct{ ID string }
	}
	CommonPrefixes []struct{ Prefix string }
}

func (l listV2) keys() (keys, prefixes []string) {
	for _, c := range l.Contents {
		keys = append(keys, c.Key)
	}
	for _, p := range l.CommonPrefixes {
		prefixes = append(prefixes, p.Prefix)
	}
	return keys, prefixes
}

func seedList(e *env) {
	e.must(200, "PUT", "/lst", "")
	for _, k := range []string{"a.txt", "dir/1", "dir/2", "dir/sub/3", "dir2/x", "e e.txt", "photos/2024/a.jpg", "photos/2025/b.jpg", "z"} {
		e.must(200, "PUT", "/lst/"+url.PathEscape(k), "data-"+k)
	}
}

func TestListObjectsV2(t *testing.T) {
	e := newEnv(t)
	seedList(e)
	tests := []struct {
		name           string
		query          string
		keys, prefixes []string
		truncated      bool
	}{
		{"all", "", []string{"a.txt", "dir/1", "dir/2", "dir/sub/3", "dir2/x", "e e.txt", "photos/2024/a.jpg", "photos/2025/b.jpg", "z"}, nil, false},
		{"delimiter", "&delimiter=/", []string{"a.txt", "e e.txt", "z"}, []string{"dir/", "dir2/", "photos/"}, false},
		{"prefix+delimiter", "&prefix=dir/&delimiter=/", []string{"dir/1", "dir/2"}, []string{"dir/sub/"}, false},
		{"prefix", "&prefix=photos/", []string{"photos/2024/a.jpg", "photos/2025/b.jpg"}, nil, false},
		{"max-keys", "&max-keys=2", []string{"a.txt", "dir/1"}, nil, true},
		{"start-after", "&start-after=dir2/x", []string{"e e.txt", "photos/2024/a.jpg", "photos/2025/b.jpg", "z"}, nil, false},
		{"max-keys zero", "&max-keys=0", nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l listV2
			decode(t, e.must(200, "GET", "/lst?list-type=2"+tt.query, ""), &l)
			keys, prefixes := l.keys()
			if !reflect.DeepEqual(keys, tt.keys) || !reflect.DeepEqual(prefixes, tt.prefixes) || l.IsTruncated != tt.truncated {
				t.Errorf("keys %q prefixes %q truncated %v", keys, prefixes, l.IsTruncated)
			}
			if l.KeyCount != len(keys)+len(prefixes) {
				t.Errorf("KeyCount = %d", l.KeyCount)
			}
		})
	}

	t.Run("bad max-keys", func(t *testing.T) {
		e.wantError(400, "InvalidArgument", "GET", "/lst?list-type=2&max-keys=abc", "")
	})
	t.Run("bad token", func(t *testing.T) {
		e.wantError(400, "InvalidArgument", "GET", "/lst?list-type=2&continuation-token=%25%25", "")
	})

	t.Run("encoding-type", func(t *testing.T) {
		var l listV2
		decode(t, e.must(200, "GET", "/lst?list-type=2&prefix=e%20&encoding-type=url", ""), &l)
		if l.EncodingType != "url" || l.Prefix != "e+" || len(l.Contents) != 1 || l.Contents[0].Key != "e+e.txt" {
			t.Errorf("encoded listing = %+v", l)
		}
		if l.Contents[0].Owner != nil {
			t.Error("owner sent without fetch-owner")
		}
	})

	t.Run("fetch-owner", func(t *testing.T) {
		var l listV2
		decode(t, e.must(200, "GET", "/lst?list-type=2&prefix=z&fetch-owner=true", ""), &l)
		if len(l.Contents) != 1 || l.Contents[0].Owner == nil || l.Contents[0].StorageClass != "STANDARD" || l.Contents[0].Size != int64(len("data-z")) {
			t.Errorf("listing = %+v", l)
		}
	})

	// Paging one entry at a time with a delimiter visits every key and
	// common prefix exactly once.
	for _, delim := range []string{"", "/"} {
		t.Run("paginate"+delim, func(t *testing.T) {
			var all []string
			token := ""
			for page := 0; ; page++ {
				if page > 20 {
					t.Fatal("pagination does not end")
				}
				q := "/lst?list-type=2&max-keys=1&delimiter=" + url.QueryEscape(delim)
				if token != "" {
					q += "&continuation-token=" + url.QueryEscape(token)
				}
				var l listV2
				decode(t, e.must(200, "GET", q, ""), &l)
				keys, prefixes := l.keys()
				all = append(append(all, keys...), prefixes...)
				if !l.IsTruncated {
					break
				}
				token = l.NextContinuationToken
			}
			want := []string{"a.txt", "dir/1", "dir/2", "dir/sub/3", "dir2/x", "e e.txt", "photos/2024/a.jpg", "photos/2025/b.jpg", "z"}
			if delim == "/" {
				want = []string{"a.txt", "dir/", "dir2/", "e e.txt", "photos/", "z"}
			}
			if !reflect.DeepEqual(all, want) {
				t.Errorf("pages = %q", all)
			}
		})
	}
}

func TestListObjectsV1(t *testing.T) {
	e := newEnv(t)
	seedList(e)
	var l struct {
		IsTruncated bool
		NextMarker  string
		Contents    []struct {
			Key   string
			Owner *struct{ ID string }
		}
		CommonPrefixes []struct{ Prefix string }
	}
	decode(t, e.must(200, "GET", "/lst?delimiter=/&max-keys=2", ""), &l)
	if !l.IsTruncated || l.NextMarker != "dir/" || len(l.Contents) != 1 || l.Contents[0].Owner == nil || len(l.CommonPrefixes) != 1 {
		t.Fatalf("page 1 = %+v", l)
	}
	l.Contents, l.CommonPrefixes = nil, nil
	decode(t, e.must(200, "GET", "/lst?delimiter=/&max-keys=2&marker=dir/", ""), &l)
	if len(l.CommonPrefixes) != 1 || l.CommonPrefixes[0].Prefix != "dir2/" || len(l.Contents) != 1 || l.Contents[0].Key != "e e.txt" {
		t.Fatalf("page 2 = %+v", l)
	}
	e.wantError(400, "InvalidArgument", "GET", "/lst?list-type=3", "")
}
