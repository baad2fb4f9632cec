package cli

import (
	"context"
	"errors"
	"io"
)

// runRotateMasterKey is not written yet (issue 9).
func runRotateMasterKey(_ context.Context, _ []string, _, _ io.Writer) error {
	return errors.New("not implemented yet")
}
