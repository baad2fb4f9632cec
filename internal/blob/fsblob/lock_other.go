//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package fsblob

import "io"

// exclusive reports that lockDir cannot exclude other processes here, so
// the sweep at New removes only temporary files too old to be in use.
const exclusive = false

type noLock struct{}

func (noLock) Close() error { return nil }

// lockDir is a no-op where flock is unavailable.
func lockDir(string) (io.Closer, error) { return noLock{}, nil }
