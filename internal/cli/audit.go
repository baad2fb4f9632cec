package cli

import (
	"context"
	"errors"
	"io"
)

// runAudit is not written yet (issue 9).
func runAudit(_ context.Context, _ []string, _, _ io.Writer) error {
	return errors.New("not implemented yet")
}
