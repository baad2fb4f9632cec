package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/federa/federa/internal/app"
)

// errUsage means the flags were wrong and usage was printed.
var errUsage = errors.New("usage")

// serveFlags are the flags of serve and demo.
type serveFlags struct {
	listen, dataDir, region, accountID, publicURL string
	rootKeyID, rootSecret, logLevel, baseDomain   string
	smtpURL, debugListen                          string
	tlsCert, tlsKey                               string
	appListen                                     string // demo only
	masterKeyFile                                 string
	storeURL, blobURL                             string
	logFormat, metricsListen                      string
	metricsPublic                                 bool
	auditRetention                                days
	drainDelay, shutdownTimeout                   time.Duration
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.listen, "listen", "127.0.0.1:4566", "address to listen on")
	fs.StringVar(&f.dataDir, "data-dir", "./federa-data", "directory for the database, object bytes and keys")
	fs.StringVar(&f.region, "region", "us-east-1", "AWS region federa answers as")
	fs.StringVar(&f.accountID, "account-id", "000000000000", "12-digit AWS account id federa answers as")
	fs.StringVar(&f.publicURL, "public-url", "", "externally visible base URL; token issuers are <public-url>/<userPoolId> (default http://<listen>)")
	fs.StringVar(&f.rootKeyID, "root-access-key-id", "", "root access key id (generated on first start when empty)")
	fs.StringVar(&f.rootSecret, "root-secret-access-key", "", "root secret access key")
	fs.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&f.smtpURL, "smtp-url", "", "send user pool email (codes, temporary passwords) through this server as well as to the outbox: smtp[s]://user:pass@host:port?from=address")
	fs.StringVar(&f.debugListen, "debug-listen", "", "serve net/http/pprof on this separate address (e.g. 127.0.0.1:6060) for profiling; off when empty")
	fs.StringVar(&f.baseDomain, "base-domain", "localhost", "domain under which <bucket>.s3.<base-domain> and <bucket>.<base-domain> are virtual-hosted S3 and <domain>.auth.<base-domain> is a user pool domain's hosted UI")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "PEM certificate (chain) to serve HTTPS with; needs --tls-key")
	fs.StringVar(&f.tlsKey, "tls-key", "", "PEM private key of --tls-cert")
	fs.StringVar(&f.storeURL, "store", "sqlite", "where records live: sqlite (in the data directory) or postgres://user:pass@host:5432/db?sslmode=… shared by several nodes")
	fs.StringVar(&f.blobURL, "blob", "fs", "where object bytes live: fs (the data directory) or s3://bucket/prefix?endpoint=http://host:9000 (an S3-compatible cluster; credentials from the AWS SDK's default chain)")
	fs.StringVar(&f.masterKeyFile, "master-key-file", "", "file holding the master key that encrypts the secrets in the store (32 random bytes as hex or base64, mode 0600: openssl rand -hex 32); "+
		"FEDERA_MASTER_KEY may hold the key itself instead. Without either, secrets are stored in clear (demo generates <data-dir>/master-key)")
	fs.StringVar(&f.logFormat, "log-format", "text", "log as text (key=value lines) or json (one JSON object a line)")
	fs.StringVar(&f.metricsListen, "metrics-listen", "", "serve Prometheus /metrics, /healthz and /readyz on this separate address (e.g. 127.0.0.1:9464); off when empty")
	fs.BoolVar(&f.metricsPublic, "metrics-public", false, "also serve the metrics at /_federa/metrics on the main listener, without authentication")
	f.auditRetention = days(app.DefaultAuditRetention)
	fs.Var(&f.auditRetention, "audit-retention", "how long audit log entries are kept, e.g. 90d or 720h; 0 keeps them forever")
	fs.DurationVar(&f.drainDelay, "drain-delay", 0, "on shutdown, keep serving this long with /readyz failing, so load balancers stop sending requests first")
	fs.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 30*time.Second, "on shutdown, wait this long for requests in flight (uploads included) before cutting them off")
}

// days is a duration flag that also takes whole days ("90d"), as
// retention periods are usually given.
type days time.Duration

func (d *days) String() string {
	if d == nil {
		return "0"
	}
	v := time.Duration(*d)
	if v > 0 && v%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", v/(24*time.Hour))
	}
	return v.String()
}

func (d *days) Set(s string) error {
	v, err := parseDays(s)
	if err != nil {
		return err
	}
	*d = days(v)
	return nil
}

// parseDays parses a Go duration or a whole number of days ("7d").
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		v, err := strconv.ParseUint(n, 10, 16)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number of days like 90d", s)
		}
		return time.Duration(v) * 24 * time.Hour, nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like 90d, 12h or 30m", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("%q is negative", s)
	}
	return v, nil
}

// defaultAppListen serves the demo app at seed 004's http://localhost:3000.
const defaultAppListen = "127.0.0.1:3000"

// registerDemo adds the flags only demo has.
func (f *serveFlags) registerDemo(fs *flag.FlagSet) {
	fs.StringVar(&f.appListen, "app-listen", defaultAppListen, "serve the seed 004 upload app (and its /config.json) on this loopback address; "+
		"the browser opens it as http://localhost:<port>/, which becomes the app client's callback URL and the bucket's CORS origin; off when empty")
}

// parseFlags parses args, then fills every flag not given on the command
// line from FEDERA_<NAME> (dashes become underscores), so each flag is also an
// environment variable.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "federa: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] {
			return
		}
		env := "FEDERA_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			}
		}
	})
	return errors.Join(errs...)
}

var (
	regionRE  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
	accountRE = regexp.MustCompile(`^\d{12}$`)
)

// validate reports every problem at once, so a user fixes them in one go.
func (f *serveFlags) validate() error {
	var errs []error
	if !regionRE.MatchString(f.region) {
		errs = append(errs, fmt.Errorf("--region %q is not a region name like us-east-1", f.region))
	}
	if !accountRE.MatchString(f.accountID) {
		errs = append(errs, fmt.Errorf("--account-id %q must be 12 digits", f.accountID))
	}
	if (f.rootKeyID == "") != (f.rootSecret == "") {
		errs = append(errs, errors.New("--root-access-key-id and --root-secret-access-key must be given together"))
	}
	if f.dataDir == "" {
		errs = append(errs, errors.New("--data-dir must not be empty"))
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key must be given together"))
	}
	if f.publicURL != "" && !strings.HasPrefix(f.publicURL, "http://") && !strings.HasPrefix(f.publicURL, "https://") {
		errs = append(errs, fmt.Errorf("--public-url %q must start with http:// or https://", f.publicURL))
	}
	if f.logFormat != "" && f.logFormat != "text" && f.logFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format %q: use text or json", f.logFormat))
	}
	if f.drainDelay < 0 || f.shutdownTimeout < 0 {
		errs = append(errs, errors.New("--drain-delay and --shutdown-timeout must not be negative"))
	}
	return errors.Join(errs...)
}

// scheme is how clients reach the listener.
func (f *serveFlags) scheme() string {
	if f.tlsCert != "" {
		return "https://"
	}
	return "http://"
}
