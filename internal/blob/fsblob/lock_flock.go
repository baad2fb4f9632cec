//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package fsblob

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// exclusive reports that lockDir really excludes other processes here.
const exclusive = true

// lockDir takes an exclusive flock on dir/.tmp/lock without waiting. The kernel
// releases it when the process ends, even by SIGKILL, so a crash never
// leaves the directory locked.
func lockDir(dir string) (io.Closer, error) {
	f, err := os.OpenFile(filepath.Join(dir, tmpDir, lockFile), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("fsblob: %s is in use by another process (one federa per data directory)", dir)
		}
		return nil, fmt.Errorf("fsblob: lock %s: %w", dir, err)
	}
	return f, nil
}
