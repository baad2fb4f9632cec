//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cli

// lockDataDir cannot tell here whether a server runs on dir (fsblob has
// no lock on these systems either): the operator must stop it first.
func lockDataDir(string) (release func(), err error) { return func() {}, nil }
