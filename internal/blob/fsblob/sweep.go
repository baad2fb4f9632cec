package fsblob

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// lockFile is the file New locks. It lives in tmpDir, so that everything
// fsblob keeps for itself is under the one name no blob id may use.
const lockFile = "lock"

// staleTemp is how old a temporary file must be before the sweep removes it
// where the directory cannot be locked: no upload stalls that long.
const staleTemp = 24 * time.Hour

// sweepTemp removes the temporary files of writes that a crash interrupted.
// With the directory locked no other process is writing, and this one has
// not started yet, so every temporary file is such a leftover.
//
// Blobs renamed into place whose metadata was never committed (a crash in
// the instant between the two), or whose replacement was committed but not
// yet deleted, are not swept here: only the layers above know every record
// that may point at a blob (objects, multipart uploads in progress), and
// deleting one they still need would lose data.
func (s *Store) sweepTemp() error {
	dir := filepath.Join(s.dir, tmpDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == lockFile {
			continue
		}
		if !exclusive {
			info, err := e.Info()
			if err != nil || time.Since(info.ModTime()) < staleTemp {
				continue
			}
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
