package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/blob/fsblob"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/sqlstore"
)

// The million-key bucket: millionFolders folders of millionFiles files each,
// plus a small folder "a-small/" that sorts before all of them.
const (
	millionBucket  = "million"
	millionFolders = 1000
	millionFiles   = 1000
	smallFolder    = "a-small/"
	smallFiles     = 10
)

var million struct {
	once sync.Once
	dir  string
	st   *sqlstore.Store
	svc  *s3.Service
	err  error
}

// millionFixture builds the bucket once per test binary; the benchmarks of
// one run share it (loading takes tens of seconds).
func millionFixture(b *testing.B) (*sqlstore.Store, *s3.Service) {
	b.Helper()
	million.once.Do(func() {
		million.err = loadMillion()
	})
	if million.err != nil {
		b.Fatal(million.err)
	}
	return million.st, million.svc
}

func loadMillion() error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "federa-million-")
	if err != nil {
		return err
	}
	million.dir = dir
	st, err := sqlstore.Open(ctx, filepath.Join(dir, "federa.db"))
	if err != nil {
		return err
	}
	bl, err := fsblob.New(filepath.Join(dir, "objects"))
	if err != nil {
		return err
	}
	if err := st.CreateBucket(ctx, store.Bucket{Name: millionBucket}); err != nil {
		return err
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	obj := func(key string) store.Object {
		return store.Object{Bucket: millionBucket, Key: key, BlobID: "obj/00/" + fmt.Sprintf("%032x", len(key)), Size: 1234,
			ETag: `"d41d8cd98f00b204e9800998ecf8427e"`, ContentType: "binary/octet-stream", LastModified: now}
	}
	start := time.Now()
	err = sqlstore.BulkPutObjects(ctx, st, func(yield func(store.Object) bool) {
		for i := range smallFiles {
			if !yield(obj(fmt.Sprintf("%sfile-%02d", smallFolder, i))) {
				return
			}
		}
		for f := range millionFolders {
			for i := range millionFiles {
				if !yield(obj(fmt.Sprintf("folder-%04d/file-%05d.txt", f, i))) {
					return
				}
			}
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "loaded %d keys in %s\n", millionFolders*millionFiles+smallFiles, time.Since(start).Round(time.Millisecond))
	million.st = st
	million.svc = s3.New(st, bl, nil, s3.Options{AccountID: "123456789012"})
	return nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if million.dir != "" {
		os.RemoveAll(million.dir)
	}
	os.Exit(code)
}

// BenchmarkListMillionKeys measures listing one bucket of a million keys,
// page by page as clients do: at the store, and through the s3 service,
// which rolls keys up into common prefixes.
func BenchmarkListMillionKeys(b *testing.B) {
	st, svc := millionFixture(b)
	ctx := access.WithPrincipal(context.Background(), &access.Principal{Kind: access.Root})
	deep := fmt.Sprintf("folder-%04d/file-%05d.txt", millionFolders*7/10, millionFiles/2)

	storeCases := []struct {
		name, prefix, after string
		want                int
	}{
		{"first-page", "", "", 1000},
		{"deep-page", "", deep, 1000},
		{"small-folder", smallFolder, "", smallFiles},
		{"last-folder", fmt.Sprintf("folder-%04d/", millionFolders-1), "", 1000},
	}
	for _, c := range storeCases {
		b.Run("store/"+c.name, func(b *testing.B) {
			for b.Loop() {
				objs, err := st.ListObjects(ctx, millionBucket, c.prefix, c.after, 1000)
				if err != nil || len(objs) != c.want {
					b.Fatalf("ListObjects: %d objects, %v; want %d", len(objs), err, c.want)
				}
			}
		})
	}

	serviceCases := []struct {
		name     string
		p        s3.ListParams
		objs     int
		prefixes int
	}{
		{"first-page", s3.ListParams{MaxKeys: 1000}, 1000, 0},
		{"deep-page", s3.ListParams{MaxKeys: 1000, After: deep}, 1000, 0},
		{"small-folder", s3.ListParams{Prefix: smallFolder, HasPrefix: true, Delimiter: "/", HasDelimiter: true, MaxKeys: 1000}, smallFiles, 0},
		{"root-delimiter", s3.ListParams{Delimiter: "/", HasDelimiter: true, MaxKeys: 1000}, 0, 1000},
		{"folder-delimiter", s3.ListParams{Prefix: "folder-0500/", HasPrefix: true, Delimiter: "/", HasDelimiter: true, MaxKeys: 1000}, 1000, 0},
	}
	for _, c := range serviceCases {
		b.Run("service/"+c.name, func(b *testing.B) {
			for b.Loop() {
				res, err := svc.ListObjects(ctx, s3.Request{Bucket: millionBucket}, c.p)
				if err != nil || len(res.Objects) != c.objs || len(res.CommonPrefixes) != c.prefixes {
					b.Fatalf("ListObjects: %d objects, %d prefixes, %v; want %d and %d", len(res.Objects), len(res.CommonPrefixes), err, c.objs, c.prefixes)
				}
			}
		})
	}
}
