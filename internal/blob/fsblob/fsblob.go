// Package fsblob stores blobs as files under a directory. A write goes to a
// temporary file in the same directory tree, is fsynced, renamed into place
// and the directory fsynced, so a blob is either absent or complete, even
// across a crash.
//
// fsblob imports only the blob package.
package fsblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/federa/federa/internal/blob"
)

// Store is a filesystem blob.Store.
type Store struct{ dir string }

var _ blob.Store = (*Store)(nil)

// tmpDir holds in-flight writes; it is inside dir so rename stays on one filesystem.
const tmpDir = ".tmp"

// New returns a store rooted at dir, creating it if needed.
func New(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, tmpDir), 0o700); err != nil {
		return nil, err
	}
	return &Store{dir: dir}, nil
}

// path validates id and maps it to a file path.
func (s *Store) path(id string) (string, error) {
	if id == "" || strings.HasPrefix(id, "/") {
		return "", fmt.Errorf("fsblob: invalid blob id %q", id)
	}
	for _, seg := range strings.Split(id, "/") {
		if seg == "" || seg == "." || seg == ".." || seg == tmpDir {
			return "", fmt.Errorf("fsblob: invalid blob id %q", id)
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return "", fmt.Errorf("fsblob: invalid blob id %q", id)
			}
		}
	}
	return filepath.Join(s.dir, filepath.FromSlash(id)), nil
}

// Put implements blob.Store.
func (s *Store) Put(ctx context.Context, id string, r io.Reader) (n int64, err error) {
	dst, err := s.path(id)
	if err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(filepath.Join(s.dir, tmpDir), "put-*")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	n, err = io.Copy(f, ctxReader{ctx, r})
	if err != nil {
		return n, err
	}
	if err = f.Sync(); err != nil {
		return n, err
	}
	if err = f.Close(); err != nil {
		return n, err
	}
	if err = os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return n, err
	}
	if err = os.Rename(f.Name(), dst); err != nil {
		return n, err
	}
	return n, syncDir(filepath.Dir(dst))
}

// Open implements blob.Store.
func (s *Store) Open(_ context.Context, id string) (io.ReadSeekCloser, int64, error) {
	p, err := s.path(id)
	if err != nil {
		return nil, 0, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("%w: %s", blob.ErrNotFound, id)
	}
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}

// Delete implements blob.Store.
func (s *Store) Delete(_ context.Context, id string) error {
	p, err := s.path(id)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ctxReader stops a copy when the request is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
