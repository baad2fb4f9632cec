// Package fsblob stores blobs as files under a directory. A write goes to a
// temporary file in the same directory tree, is fsynced, renamed into place
// and the directory fsynced, so a blob is either absent or complete, even
// across a crash or power loss. Directories a blob's path needs are fsynced
// into their parents when created, so the path survives too.
//
// One process owns the directory: New takes an exclusive lock on it, which
// makes every temporary file found at New the leftover of a crashed write,
// safe to remove (see sweep.go).
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
type Store struct {
	dir  string
	lock io.Closer
}

var _ blob.Store = (*Store)(nil)

// tmpDir holds in-flight writes; it is inside dir so rename stays on one filesystem.
const tmpDir = ".tmp"

// New returns a store rooted at dir, creating it if needed. It fails when
// another process holds the directory, and removes the temporary files that
// writes interrupted by a crash left behind.
func New(dir string) (*Store, error) {
	dir = filepath.Clean(dir)
	s := &Store{dir: dir}
	if err := s.ensureDir(filepath.Join(dir, tmpDir)); err != nil {
		return nil, err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	s.lock = lock
	if err := s.sweepTemp(); err != nil {
		lock.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the directory for another process. Blobs stay readable
// only until then.
func (s *Store) Close() error { return s.lock.Close() }

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
	if err = s.ensureDir(filepath.Dir(dst)); err != nil {
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

// ensureDir creates dir and its missing parents, fsyncing each parent that
// gained an entry: a blob fsynced into a directory whose own entry is lost
// at power failure would be lost with it. When another goroutine creates
// dir at the same moment, this one still syncs the parent itself rather than
// trust that the other has already done so.
func (s *Store) ensureDir(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := s.ensureDir(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
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
