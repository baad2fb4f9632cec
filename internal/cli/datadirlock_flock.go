//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// lockDataDir takes, without waiting, the lock a running server holds on
// its data directory: fsblob's flock on objects/.tmp/lock. While it is
// held no server can start on dir, and taking it fails while one runs.
// The kernel drops it when the process ends, however it ends; release
// may be called more than once.
func lockDataDir(dir string) (release func(), err error) {
	lockDir := filepath.Join(dir, "objects", ".tmp")
	if err := os.MkdirAll(lockDir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(lockDir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is in use by a running federa: stop the server first", dir)
		}
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	var once sync.Once
	return func() { once.Do(func() { f.Close() }) }, nil
}
