package cli

import (
	"context"
	"errors"
	"io"
)

// runBackup is not written yet (issue 9).
func runBackup(_ context.Context, _ []string, _, _ io.Writer) error {
	return errors.New("not implemented yet")
}

// runRestore is not written yet (issue 9).
func runRestore(_ context.Context, _ []string, _, _ io.Writer) error {
	return errors.New("not implemented yet")
}
