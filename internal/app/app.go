package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/federa/federa/internal/audit"
	"github.com/federa/federa/internal/audit/auditapi"
	"github.com/federa/federa/internal/edge"
	"github.com/federa/federa/internal/hostedui"
	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/iam/iamapi"
	"github.com/federa/federa/internal/identitypool"
	"github.com/federa/federa/internal/identitypool/identitypoolapi"
	"github.com/federa/federa/internal/mail"
	"github.com/federa/federa/internal/metrics"
	"github.com/federa/federa/internal/oidc"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/s3/s3api"
	"github.com/federa/federa/internal/store/cachestore"
	"github.com/federa/federa/internal/sts"
	"github.com/federa/federa/internal/sts/stsapi"
	"github.com/federa/federa/internal/userpool"
	"github.com/federa/federa/internal/userpool/userpoolapi"
)

// Options configure a federa server. Only cli and tests fill them.
type Options struct {
	// DataDir holds the SQLite database, object bytes and generated keys.
	DataDir string
	// Region and AccountID are what ARNs, ids and signatures use.
	Region    string
	AccountID string
	// PublicURL is the externally visible base URL; token issuers are built
	// from it (<PublicURL>/<userPoolId>).
	PublicURL string
	// Root is the administrator key.
	Root RootCredentials
	// BaseDomains are the host suffixes under which virtual-hosted S3
	// requests (<bucket>.<domain>) are recognised.
	BaseDomains []string
	// Now is the clock (time.Now when nil); tests move it.
	Now func() time.Time
	// Logger receives logs (slog.Default when nil).
	Logger *slog.Logger
	// OIDCHTTPClient fetches OpenID Connect providers' keys (a client with
	// a 10-second timeout when nil); tests pass one that trusts their
	// provider's certificate.
	OIDCHTTPClient *http.Client
	// SMTPURL, when set, sends user pool email (codes, temporary
	// passwords) through that server as well as to the outbox.
	SMTPURL string
	// TLSCertFile and TLSKeyFile, when both set, make Serve speak HTTPS
	// (PEM files, as net/http's ServeTLS reads them).
	TLSCertFile, TLSKeyFile string
	// Store is where records live: empty for SQLite in DataDir, or a
	// postgres:// URL shared by every node.
	Store string
	// Blob is where object bytes live: empty for DataDir/objects, or an
	// s3://bucket/prefix?endpoint=… URL of an S3-compatible cluster.
	Blob string
	// MasterKey encrypts the secrets in the store (signing keys, client
	// secrets, users' TOTP secrets and password verifiers); the zero value
	// keeps them in clear.
	MasterKey MasterKeySource
	// AuthDomains are the host suffixes of the hosted UI,
	// <domain>.<suffix>; by default "auth.<d>" for each base domain d
	// that is not an "s3." one.
	AuthDomains []string
	// MetricsPublic serves the metrics at /_federa/metrics on the main
	// listener, without authentication. Off by default: metrics show who
	// uses which operation how often; OpsHandler serves them on a
	// listener of their own instead.
	MetricsPublic bool
	// AuditRetention is how long audit entries are kept
	// (DefaultAuditRetention when zero; negative keeps them forever).
	AuditRetention time.Duration
	// DrainDelay is how long Serve keeps serving, with /readyz failing,
	// after its context ends and before it stops accepting connections,
	// so that load balancers take the node out first.
	DrainDelay time.Duration
	// ShutdownTimeout bounds the wait for requests in flight at shutdown
	// (30 s when zero); those still running then are cut off.
	ShutdownTimeout time.Duration
}

// App is a wired federa server.
type App struct {
	Handler http.Handler
	opts    Options
	cert    *tls.Certificate
	sweep   func(context.Context) (int, error)
	closers []func() error
	probes  *edge.Probes
	metrics *metrics.Metrics
}

// New opens the data directory and wires every service.
func New(ctx context.Context, o Options) (*App, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	cert, err := loadCertificate(o.TLSCertFile, o.TLSKeyFile)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	// The object store opens first: the embedded one's lock is what says no
	// other server runs on this data directory, before the store is touched.
	bl, err := o.openBlob(ctx)
	if err != nil {
		return nil, err
	}
	sq, err := o.openStore(ctx)
	if err != nil {
		bl.Close()
		return nil, err
	}
	sealed, err := o.sealSecrets(ctx, sq)
	if err != nil {
		sq.Close()
		bl.Close()
		return nil, fmt.Errorf("master key: %w", err)
	}
	// The hot paths read the same pools, roles, policies and buckets on
	// every request; the cache answers them from memory (cachestore says
	// how it stays correct). It sits above the sealing, so a cached record
	// is opened once per TTL, not per request.
	st := cachestore.New(sealed)

	m := metrics.New(prometheus.NewRegistry())
	retention := o.AuditRetention
	if retention == 0 {
		retention = DefaultAuditRetention
	}
	auditLog := audit.New(st, audit.Options{Region: o.Region, Account: o.AccountID, Retention: retention, Now: o.Now,
		Logger: o.Logger, Counters: m})

	iamSvc := iam.New(st, iam.Options{Region: o.Region, AccountID: o.AccountID, Now: o.Now})
	// Every authorization goes through this wrapper, which counts the
	// decision and tells the audit log which rule refused.
	authz := observedAuthorizer{iamSvc, m}
	stsSvc := sts.New(st, sts.Options{Region: o.Region, AccountID: o.AccountID, Now: o.Now})
	upOpts := userpool.Options{Region: o.Region, AccountID: o.AccountID, PublicURL: o.PublicURL, Now: o.Now}
	if o.SMTPURL != "" {
		sender, err := mail.New(o.SMTPURL)
		if err != nil {
			auditLog.Close()
			st.Close()
			bl.Close()
			return nil, err
		}
		upOpts.Deliver = emailDelivery(sender, o.Logger)
	}
	upSvc := userpool.New(st, upOpts)
	verifier := oidc.New(o.OIDCHTTPClient, o.Now)
	verifier.AllowHTTPLoopback = true // as IAM accepts http issuers on loopback, for development
	logins := oidcLogins{iam: iamSvc, v: verifier}
	ipSvc := identitypool.New(st, tokenVerifier{upSvc}, credentialIssuer{stsSvc},
		identitypool.Options{Region: o.Region, AccountID: o.AccountID, PublicURL: o.PublicURL, Now: o.Now, OIDC: logins})
	stsSvc.SetWebIdentity(webIdentity{ipSvc, logins}, managedPolicies{iamSvc})
	s3Svc := s3.New(st, bl, authz, s3.Options{Region: o.Region, AccountID: o.AccountID, Now: o.Now})

	authDomains := o.authDomains()
	authURL := o.authURL(authDomains)
	hosted := hostedui.New(upSvc, hostedui.Options{AuthDomains: authDomains, AuthURL: authURL, Logger: o.Logger})

	// The edge verifies signed requests; the S3 adapter verifies browser
	// uploads, whose credentials travel in the form. Both resolve keys alike.
	creds := &credentialSource{root: o.Root, account: o.AccountID, sessions: stsSvc}
	// Readiness results are reused for a second: probes are unauthenticated
	// and each round writes a blob.
	probes := edge.NewProbes(time.Second, o.Logger,
		edge.Check{Name: "store", Fn: storeReady(st)}, edge.Check{Name: "blob", Fn: blobReady(bl)})
	gatewayMgmt, gatewayInvoke := o.gatewayEndpoints(st, authz, upSvc)
	var publicMetrics http.Handler
	if o.MetricsPublic {
		publicMetrics = m.Handler()
	}
	h := edge.New(edge.Options{
		Endpoints: map[edge.Service]edge.Endpoint{
			edge.S3:              s3api.New(s3Svc, s3api.Options{BaseDomains: o.BaseDomains, Credentials: creds, Now: o.Now}),
			edge.CognitoIDP:      userpoolapi.New(upSvc, authz),
			edge.CognitoIdentity: identitypoolapi.New(ipSvc, authz),
			edge.STS:             stsapi.New(stsSvc, authz),
			edge.IAM:             iamapi.New(iamSvc, authz),
			edge.WellKnown:       edge.PlainEndpoint(wellKnown(userpoolapi.WellKnown(upSvc, authURL), identitypoolapi.WellKnown(ipSvc))),
			edge.HostedUI:        edge.PlainEndpoint(hosted),
			edge.Federa:          auditapi.New(auditLog, authz),
			edge.Gateway:         gatewayMgmt,
			edge.ExecuteAPI:      gatewayInvoke,
		},
		IsHostedUI:  func(r *http.Request) bool { return hostedui.Match(r, authDomains) },
		Credentials: creds,
		Region:      o.Region,
		Now:         o.Now,
		Logger:      o.Logger,
		BaseDomains: o.BaseDomains,
		Observer:    observer{metrics: m, audit: auditLog},
		Probes:      probes,
		Metrics:     publicMetrics,
	})
	// The audit log is closed first: it writes its queue to the store.
	sweep := func(ctx context.Context) (int, error) {
		n, err := upSvc.Sweep(ctx)
		if err != nil {
			return n, err
		}
		aborted, err := sweepUploads(ctx, bl, o.Now())
		return n + aborted, err
	}
	return &App{Handler: h, opts: o, cert: cert, sweep: sweep, probes: probes, metrics: m,
		closers: []func() error{auditLog.Close, st.Close, bl.Close}}, nil
}

// OpsHandler serves /healthz, /readyz and /metrics (and the same under
// /_federa/) for a listener of their own (serve --metrics-listen).
func (a *App) OpsHandler() http.Handler { return edge.OpsHandler(a.probes, a.metrics.Handler()) }

// Close writes the audit log's queue, then releases the store and the
// object directory.
func (a *App) Close() error {
	var errs []error
	for _, c := range a.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// Serve answers requests on ln until ctx ends, then shuts down gracefully:
// /readyz fails at once, the server keeps serving for DrainDelay, then
// stops accepting connections and waits up to ShutdownTimeout for the
// requests in flight (a slow upload included) to finish. Request contexts
// do not derive from ctx, so ending ctx cancels none of them.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       120 * time.Second,
		// S3 allows 8 KiB of headers plus 2 KiB of user metadata; this leaves
		// room for long presigned URLs while refusing header floods.
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(a.opts.Logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go a.sweepEvery(ctx, 10*time.Minute)
	go func() {
		if a.cert != nil {
			srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*a.cert}, MinVersion: tls.VersionTLS12}
			errc <- srv.ServeTLS(ln, "", "")
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		a.probes.Drain()
		if d := a.opts.DrainDelay; d > 0 {
			a.opts.Logger.Info("draining: /readyz fails, still serving", "for", d.String())
			time.Sleep(d)
		}
		timeout := a.opts.ShutdownTimeout
		if timeout <= 0 {
			timeout = 30 * time.Second
		}
		a.opts.Logger.Info("shutting down: waiting for requests in flight", "timeout", timeout.String())
		shutCtx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		if err := srv.Shutdown(shutCtx); err != nil {
			_ = srv.Close()
			return fmt.Errorf("shutdown: requests still running after %s were cut off: %w", timeout, err)
		}
		return nil
	}
}

// loadCertificate reads the TLS key pair, so that a bad file stops the
// server at start rather than at its first connection.
func loadCertificate(certFile, keyFile string) (*tls.Certificate, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, errors.New("TLS needs both a certificate (--tls-cert) and its key (--tls-key)")
	}
	c, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS key pair: %w", err)
	}
	return &c, nil
}

// sweepEvery deletes expired refresh tokens and authorization codes (and an
// S3 backend's abandoned uploads) every
// period until ctx ends, so the tables do not grow without bound.
func (a *App) sweepEvery(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := a.sweep(ctx); err != nil && ctx.Err() == nil {
				a.opts.Logger.Warn("sweeping expired tokens", "error", err)
			} else if n > 0 {
				a.opts.Logger.Debug("swept expired tokens", "count", n)
			}
		}
	}
}
