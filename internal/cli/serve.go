package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"github.com/federa/federa/internal/app"
	"github.com/federa/federa/internal/demo"
)

// runServe runs `federa serve` or, with isDemo, `federa demo`.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, isDemo bool) error {
	name := "serve"
	if isDemo {
		name = "demo"
	}
	fs := flag.NewFlagSet("federa "+name, flag.ContinueOnError)
	var f serveFlags
	f.register(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := f.validate(); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return fmt.Errorf("--log-level %q: use debug, info, warn or error", f.logLevel)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	root, err := rootCredentials(f, isDemo, stdout, stderr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	if isDemo && !isLoopback(ln.Addr()) {
		return fmt.Errorf("demo accepts the well-known root key test/test and therefore listens on loopback only; %s is not loopback", ln.Addr())
	}
	// Profiles get a listener of their own, never the main one, so that
	// exposing the API does not expose them.
	_, stopDebug, err := startDebug(f.debugListen, logger)
	if err != nil {
		return fmt.Errorf("--debug-listen: %w", err)
	}
	defer stopDebug()
	publicURL := f.publicURL
	if publicURL == "" {
		publicURL = "http://" + ln.Addr().String()
	}
	a, err := app.New(ctx, app.Options{
		DataDir: f.dataDir, Region: f.region, AccountID: f.accountID, PublicURL: strings.TrimRight(publicURL, "/"),
		Root: root, BaseDomains: []string{"s3." + f.baseDomain, f.baseDomain}, Logger: logger, SMTPURL: f.smtpURL,
	})
	if err != nil {
		return err
	}
	defer a.Close()
	endpoint := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "federa listening on %s (region %s, account %s, data in %s)\n", endpoint, f.region, f.accountID, f.dataDir)

	errc := make(chan error, 1)
	go func() { errc <- a.Serve(ctx, ln) }()
	if isDemo {
		setup, err := demo.Setup(ctx, demo.Config{Endpoint: endpoint, Region: f.region, AccountID: f.accountID,
			AccessKeyID: root.AccessKeyID, SecretAccessKey: root.SecretAccessKey})
		if err != nil {
			return fmt.Errorf("demo setup: %w", err)
		}
		demo.PrintWalkthrough(stdout, setup)
	}
	return <-errc
}

// rootCredentials picks the root key: test/test in demo mode, the flags when
// given, otherwise the key stored in (or generated into) the data directory.
func rootCredentials(f serveFlags, isDemo bool, stdout, stderr io.Writer) (app.RootCredentials, error) {
	if isDemo {
		fmt.Fprintln(stderr, "WARNING: demo mode accepts the root key test/test. Never expose this server beyond this machine.")
		return app.RootCredentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
	}
	if f.rootKeyID != "" {
		return app.RootCredentials{AccessKeyID: f.rootKeyID, SecretAccessKey: f.rootSecret}, nil
	}
	c, created, err := app.LoadOrCreateRootCredentials(f.dataDir)
	if err != nil {
		return c, err
	}
	if created {
		fmt.Fprintf(stdout, "Generated a root key (stored in %s/root-credentials, mode 0600; shown only now):\n  AWS_ACCESS_KEY_ID=%s\n  AWS_SECRET_ACCESS_KEY=%s\n",
			f.dataDir, c.AccessKeyID, c.SecretAccessKey)
	}
	return c, nil
}

func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
