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
	"path/filepath"
	"time"

	"github.com/federa/federa/internal/blob/fsblob"
	"github.com/federa/federa/internal/edge"
	"github.com/federa/federa/internal/hostedui"
	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/iam/iamapi"
	"github.com/federa/federa/internal/identitypool"
	"github.com/federa/federa/internal/identitypool/identitypoolapi"
	"github.com/federa/federa/internal/mail"
	"github.com/federa/federa/internal/oidc"
	"github.com/federa/federa/internal/s3"
	"github.com/federa/federa/internal/s3/s3api"
	"github.com/federa/federa/internal/store/cachestore"
	"github.com/federa/federa/internal/store/sqlstore"
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
	// AuthDomains are the host suffixes of the hosted UI,
	// <domain>.<suffix>; by default "auth.<d>" for each base domain d
	// that is not an "s3." one.
	AuthDomains []string
}

// App is a wired federa server.
type App struct {
	Handler http.Handler
	opts    Options
	cert    *tls.Certificate
	sweep   func(context.Context) (int, error)
	closers []func() error
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
	sq, err := sqlstore.Open(ctx, filepath.Join(o.DataDir, "federa.db"))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	// The hot paths read the same pools, roles, policies and buckets on
	// every request; the cache answers them from memory (cachestore says
	// how it stays correct).
	st := cachestore.New(sq)
	bl, err := fsblob.New(filepath.Join(o.DataDir, "objects"))
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("open object store: %w", err)
	}

	iamSvc := iam.New(st, iam.Options{Region: o.Region, AccountID: o.AccountID, Now: o.Now})
	stsSvc := sts.New(st, sts.Options{Region: o.Region, AccountID: o.AccountID, Now: o.Now})
	upOpts := userpool.Options{Region: o.Region, AccountID: o.AccountID, PublicURL: o.PublicURL, Now: o.Now}
	if o.SMTPURL != "" {
		sender, err := mail.New(o.SMTPURL)
		if err != nil {
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
	s3Svc := s3.New(st, bl, iamSvc, s3.Options{Region: o.Region, AccountID: o.AccountID, Now: o.Now})

	authDomains := o.authDomains()
	authURL := o.authURL(authDomains)
	hosted := hostedui.New(upSvc, hostedui.Options{AuthDomains: authDomains, AuthURL: authURL, Logger: o.Logger})

	// The edge verifies signed requests; the S3 adapter verifies browser
	// uploads, whose credentials travel in the form. Both resolve keys alike.
	creds := &credentialSource{root: o.Root, account: o.AccountID, sessions: stsSvc}
	h := edge.New(edge.Options{
		Endpoints: map[edge.Service]edge.Endpoint{
			edge.S3:              s3api.New(s3Svc, s3api.Options{BaseDomains: o.BaseDomains, Credentials: creds, Now: o.Now}),
			edge.CognitoIDP:      userpoolapi.New(upSvc, iamSvc),
			edge.CognitoIdentity: identitypoolapi.New(ipSvc, iamSvc),
			edge.STS:             stsapi.New(stsSvc, iamSvc),
			edge.IAM:             iamapi.New(iamSvc, iamSvc),
			edge.WellKnown:       edge.PlainEndpoint(wellKnown(userpoolapi.WellKnown(upSvc, authURL), identitypoolapi.WellKnown(ipSvc))),
			edge.HostedUI:        edge.PlainEndpoint(hosted),
		},
		IsHostedUI:  func(r *http.Request) bool { return hostedui.Match(r, authDomains) },
		Credentials: creds,
		Region:      o.Region,
		Now:         o.Now,
		Logger:      o.Logger,
	})
	return &App{Handler: h, opts: o, cert: cert, sweep: upSvc.Sweep, closers: []func() error{st.Close, bl.Close}}, nil
}

// Close releases the store and the object directory.
func (a *App) Close() error {
	var errs []error
	for _, c := range a.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// Serve answers requests on ln until ctx ends, then shuts down gracefully.
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
		shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutCtx); err != nil {
			return err
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

// sweepEvery deletes expired refresh tokens and authorization codes every
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
