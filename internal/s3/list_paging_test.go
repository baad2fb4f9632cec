package s3_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/blob/fsblob"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/store/sqlstore"
)

// refList is S3's listing stated directly over the sorted keys: the keys
// after the marker (all of a common prefix's keys when the marker is that
// prefix) under the prefix, rolled up at the delimiter, the first max
// entries of them.
func refList(keys []string, p s3.ListParams) (objs, prefixes []string, truncated bool) {
	skip := ""
	if rest, ok := strings.CutPrefix(p.After, p.Prefix); ok && p.Delimiter != "" {
		if i := strings.Index(rest, p.Delimiter); i >= 0 && i+len(p.Delimiter) == len(rest) {
			skip = p.After
		}
	}
	n, last := 0, ""
	for _, k := range keys {
		if !strings.HasPrefix(k, p.Prefix) || k <= p.After || skip != "" && strings.HasPrefix(k, skip) {
			continue
		}
		entry, isPrefix := k, false
		if rest := k[len(p.Prefix):]; p.Delimiter != "" {
			if i := strings.Index(rest, p.Delimiter); i >= 0 {
				entry, isPrefix = p.Prefix+rest[:i+len(p.Delimiter)], true
			}
		}
		if isPrefix && entry == last {
			continue
		}
		if n == p.MaxKeys {
			return objs, prefixes, true
		}
		n, last = n+1, entry
		if isPrefix {
			prefixes = append(prefixes, entry)
		} else {
			objs = append(objs, entry)
		}
	}
	return objs, prefixes, false
}

// TestListMatchesReference pages through a bucket with folders of every
// size (one holding most keys, so that batches are skipped whole) under
// many prefixes, delimiters and page sizes, and compares every page with
// refList. The service reads the store in batches whose size adapts to
// what it skips; no batch boundary may show.
func TestListMatchesReference(t *testing.T) {
	ctx := access.WithPrincipal(context.Background(), &access.Principal{Kind: access.Root})
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	bl, err := fsblob.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	svc := s3.New(st, bl, nil, s3.Options{AccountID: "123456789012"})
	if err := svc.CreateBucket(ctx, s3.Request{Bucket: "bkt"}, ""); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	set := map[string]bool{}
	for i := range 40 {
		set[fmt.Sprintf("big/%03d", i)] = true
	}
	alphabet := []string{"a", "b", "/", "é", "-", "big/"}
	for len(set) < 160 {
		var k strings.Builder
		for range 1 + rng.IntN(5) {
			k.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		set[k.String()] = true
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
		if _, err := svc.PutObject(ctx, s3.Request{Bucket: "bkt", Key: k}, s3.PutInput{Body: strings.NewReader(k), Size: int64(len(k))}); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(keys)

	for _, prefix := range []string{"", "a", "b", "big/", "/", "é", "zz"} {
		for _, delim := range []string{"", "/", "a", "g/", "é"} {
			for _, max := range []int{1, 2, 3, 7, 1000} {
				p := s3.ListParams{Prefix: prefix, Delimiter: delim, MaxKeys: max}
				for page := 0; ; page++ {
					res, err := svc.ListObjects(ctx, s3.Request{Bucket: "bkt"}, p)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, o := range res.Objects {
						got = append(got, o.Key)
					}
					wantObjs, wantPrefixes, wantTrunc := refList(keys, p)
					if fmt.Sprintf("%q %q %v", got, res.CommonPrefixes, res.IsTruncated) != fmt.Sprintf("%q %q %v", wantObjs, wantPrefixes, wantTrunc) {
						t.Fatalf("prefix %q delimiter %q max-keys %d, page %d after %q:\n got %q %q truncated=%v\nwant %q %q truncated=%v",
							prefix, delim, max, page, p.After, got, res.CommonPrefixes, res.IsTruncated, wantObjs, wantPrefixes, wantTrunc)
					}
					if !res.IsTruncated {
						break
					}
					p.After = res.Next
				}
			}
		}
	}
}
