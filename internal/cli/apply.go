package cli

import (
	"context"
	"errors"
	"io"
)

// runApply is not written yet (issue 9).
func runApply(_ context.Context, _ []string, _, _ io.Writer) error {
	return errors.New("not implemented yet")
}

// runExport is not written yet (issue 9).
func runExport(_ context.Context, _ []string, _, _ io.Writer) error {
	return errors.New("not implemented yet")
}
