package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/federa/federa/internal/app"
	"github.com/federa/federa/internal/demo"
	"github.com/federa/federa/web"
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
	if isDemo {
		f.registerDemo(fs)
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if err := f.validate(); err != nil {
		return err
	}
	logger, err := newLogger(stderr, f.logFormat, f.logLevel)
	if err != nil {
		return err
	}
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
	// The app's listener is taken before anything is set up, so a busy port
	// fails at once and the origin registered below is the one served.
	var appLn net.Listener
	if isDemo && f.appListen != "" {
		appLn, err = net.Listen("tcp", f.appListen)
		switch {
		case err != nil && f.appListen == defaultAppListen:
			// Port 3000 is often taken, perhaps by the seed's own app, which
			// the default origin suits: carry on without federa's copy.
			fmt.Fprintf(stderr, "WARNING: not serving the upload app: %v. The app client still expects an app at %s; "+
				"to serve federa's copy on another port, pass --app-listen 127.0.0.1:3001\n", err, demo.DefaultAppOrigin)
			appLn = nil
		case err != nil:
			return fmt.Errorf("--app-listen: %w (choose another port, or turn the app off with --app-listen '')", err)
		default:
			defer appLn.Close()
			if !isLoopback(appLn.Addr()) {
				return fmt.Errorf("--app-listen: the demo app is for this machine only; %s is not loopback", appLn.Addr())
			}
		}
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
		publicURL = f.scheme() + ln.Addr().String()
	}
	retention := time.Duration(f.auditRetention)
	if retention == 0 {
		retention = -1 // --audit-retention 0: keep forever
	}
	a, err := app.New(ctx, app.Options{
		DataDir: f.dataDir, Region: f.region, AccountID: f.accountID, PublicURL: strings.TrimRight(publicURL, "/"),
		Root: root, BaseDomains: []string{"s3." + f.baseDomain, f.baseDomain}, Logger: logger, SMTPURL: f.smtpURL,
		TLSCertFile: f.tlsCert, TLSKeyFile: f.tlsKey,
		Store: f.storeURL, Blob: f.blobURL,
		MasterKey:     app.MasterKeySource{File: f.masterKeyFile, Value: os.Getenv("FEDERA_MASTER_KEY"), Generate: isDemo},
		MetricsPublic: f.metricsPublic, AuditRetention: retention, DrainDelay: f.drainDelay, ShutdownTimeout: f.shutdownTimeout,
	})
	if err != nil {
		return err
	}
	defer a.Close()
	// Stopped after Serve returns (deferred calls run last in, first out),
	// so its /readyz reports the drain while the main listener finishes.
	stopMetrics, err := startMetrics(f.metricsListen, a.OpsHandler(), logger)
	if err != nil {
		return fmt.Errorf("--metrics-listen: %w", err)
	}
	defer stopMetrics()
	endpoint := f.scheme() + ln.Addr().String()
	fmt.Fprintf(stdout, "federa listening on %s (region %s, account %s, data in %s)\n", endpoint, f.region, f.accountID, f.dataDir)

	errc := make(chan error, 1)
	go func() { errc <- a.Serve(ctx, ln) }()
	if isDemo {
		stopApp, err := runDemo(ctx, f, ln, appLn, root, stdout, logger)
		if err != nil {
			return err
		}
		defer stopApp()
	}
	return <-errc
}

// newLogger returns the server's logger: text (key=value) or JSON lines on
// w, at level.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

// startMetrics serves the metrics and probes on their own listener at
// addr (--metrics-listen); with addr empty it listens nowhere. The metrics
// carry no secrets but do show who uses what how often, so a non-loopback
// address is logged.
func startMetrics(addr string, h http.Handler, logger *slog.Logger) (func(), error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics listener stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	logger.Info("serving /metrics, /healthz and /readyz", "addr", ln.Addr().String(), "loopback", isLoopback(ln.Addr()))
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, nil
}

// runDemo sets up the seed tutorials' example on the running server, serves
// the upload app on appLn (when not nil) and prints the walkthrough. The
// browser reaches both servers as localhost, never 127.0.0.1: the hosted UI
// lives on <domain>.auth.localhost, and redirect URIs are compared exactly.
func runDemo(ctx context.Context, f serveFlags, ln, appLn net.Listener, root app.RootCredentials, stdout io.Writer, logger *slog.Logger) (stop func(), err error) {
	browserEndpoint := f.scheme() + localhostAddr(ln.Addr())
	if f.publicURL != "" {
		browserEndpoint = strings.TrimRight(f.publicURL, "/")
	}
	httpClient, err := trustingClient(f.tlsCert)
	if err != nil {
		return nil, err
	}
	cfg := demo.Config{Endpoint: f.scheme() + ln.Addr().String(), Region: f.region, AccountID: f.accountID, HTTPClient: httpClient,
		AccessKeyID: root.AccessKeyID, SecretAccessKey: root.SecretAccessKey,
		BrowserEndpoint: browserEndpoint, AuthBase: demo.HostedUIBase(browserEndpoint, f.baseDomain)}
	if appLn != nil {
		cfg.AppOrigin, cfg.AppServed = "http://"+localhostAddr(appLn.Addr()), true
	}
	setup, err := demo.Setup(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("demo setup: %w", err)
	}
	stop = func() {}
	if appLn != nil {
		srv := &http.Server{
			Handler:           demo.AppHandler(web.UploadApp(), demo.NewAppConfig(setup)),
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		}
		go func() {
			if err := srv.Serve(appLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("upload app server stopped", "err", err)
			}
		}()
		stop = func() { _ = srv.Close() }
		fmt.Fprintf(stdout, "upload app on %s/ (config at %s/config.json)\n", setup.AppOrigin, setup.AppOrigin)
	}
	demo.PrintWalkthrough(stdout, setup)
	return stop, nil
}

// localhostAddr is addr with its loopback IP written as localhost, the
// name browsers treat as a secure context and the seeds' URLs use.
func localhostAddr(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return addr.String()
	}
	return net.JoinHostPort("localhost", strconv.Itoa(tcp.Port))
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

// trustingClient is an HTTP client for demo's own calls to a server whose
// certificate may be self-made: it trusts the system's roots and the
// certificates of certFile. nil (the SDK's default) without TLS.
func trustingClient(certFile string) (*http.Client, error) {
	if certFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--tls-cert %s holds no PEM certificate", certFile)
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}, nil
}
