// Command federa runs the federa server: Cognito user pools and identity
// pools, STS, IAM and S3 behind one AWS-compatible endpoint.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/federa/federa/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
