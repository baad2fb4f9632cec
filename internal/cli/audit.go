package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// auditEntry is one entry as ListAuditEvents returns it.
type auditEntry struct {
	ID        string  `json:"Id"`
	Time      float64 `json:"Time"`
	Kind      string  `json:"Kind"`
	Principal string  `json:"Principal"`
	Service   string  `json:"Service"`
	Action    string  `json:"Action"`
	Resource  string  `json:"Resource,omitempty"`
	Status    int     `json:"Status"`
	Code      string  `json:"Code,omitempty"`
	Detail    string  `json:"Detail,omitempty"`
	RequestID string  `json:"RequestId"`
	SourceIP  string  `json:"SourceIp"`
}

// runAudit prints the audit log through the server's ListAuditEvents
// (federa's own API, X-Amz-Target FederaAdmin.*), signed with the
// administrator's key from the environment as `federa outbox` is, so that
// it reads a remote, multi-node deployment the same as a local one.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("federa audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", envOr("FEDERA_ENDPOINT", "http://127.0.0.1:4566"), "federa's URL")
	region := fs.String("region", envOr("AWS_DEFAULT_REGION", "us-east-1"), "region to sign for")
	since := fs.String("since", "24h", "show entries from this long ago (e.g. 1h, 7d) or since an RFC 3339 time")
	until := fs.String("until", "", "show entries before this long ago or this RFC 3339 time (default: now)")
	kind := fs.String("kind", "", "only this kind: change or denied")
	principal := fs.String("principal", "", "only entries of this principal ARN (or anonymous)")
	limit := fs.Int("limit", 0, "print at most this many entries (default: all)")
	asJSON := fs.Bool("json", false, "print the entries as JSON lines")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: federa audit [--endpoint URL] [--since 24h] [--until T] [--kind change|denied] [--principal ARN] [--limit N] [--json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "federa audit: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	if *kind != "" && *kind != "change" && *kind != "denied" {
		fmt.Fprintf(stderr, "federa audit: --kind %q: use change or denied\n", *kind)
		return errUsage
	}
	now := time.Now()
	in := map[string]any{"Kind": *kind, "Principal": *principal, "MaxResults": 1000}
	for name, v := range map[string]string{"StartTime": *since, "EndTime": *until} {
		if v == "" {
			continue
		}
		t, err := pointInTime(v, now)
		if err != nil {
			return fmt.Errorf("--%s: %w", map[string]string{"StartTime": "since", "EndTime": "until"}[name], err)
		}
		in[name] = float64(t.UnixNano()) / 1e9
	}
	creds := aws.Credentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"), SessionToken: os.Getenv("AWS_SESSION_TOKEN")}
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		return errors.New("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to an administrator's key")
	}
	out := newAuditPrinter(stdout, *asJSON)
	printed := 0
	for {
		var page struct {
			Events    []auditEntry
			NextToken string
		}
		if err := callJSON(ctx, *endpoint, *region, "federa", creds, "FederaAdmin.ListAuditEvents", in, &page); err != nil {
			return err
		}
		for _, e := range page.Events {
			if *limit > 0 && printed == *limit {
				return out.flush()
			}
			if err := out.print(e); err != nil {
				return err
			}
			printed++
		}
		if page.NextToken == "" {
			return out.flush()
		}
		in["NextToken"] = page.NextToken
	}
}

// pointInTime reads "1h"/"7d" as that long before now, or an RFC 3339 time.
func pointInTime(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := parseDays(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a duration like 1h or 7d nor an RFC 3339 time", s)
	}
	return now.Add(-d), nil
}

// auditPrinter writes entries as aligned columns, or as JSON lines.
type auditPrinter struct {
	json *json.Encoder
	tw   *tabwriter.Writer
	head bool
}

func newAuditPrinter(w io.Writer, asJSON bool) *auditPrinter {
	if asJSON {
		return &auditPrinter{json: json.NewEncoder(w)}
	}
	return &auditPrinter{tw: tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)}
}

func (p *auditPrinter) print(e auditEntry) error {
	if p.json != nil {
		return p.json.Encode(e)
	}
	if !p.head {
		fmt.Fprintln(p.tw, "TIME\tKIND\tPRINCIPAL\tACTION\tRESOURCE\tRESULT\tSOURCE\tREQUEST\tDETAIL")
		p.head = true
	}
	result := fmt.Sprint(e.Status)
	if e.Code != "" {
		result += " " + e.Code
	}
	t := time.Unix(0, int64(e.Time*1e9)).UTC().Format(time.RFC3339)
	fmt.Fprintf(p.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t, e.Kind, e.Principal, e.Action, dash(e.Resource), result,
		e.SourceIP, e.RequestID, dash(oneLine(e.Detail)))
	return nil
}

func (p *auditPrinter) flush() error {
	if p.tw != nil {
		return p.tw.Flush()
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine keeps an entry on its line: tabs and newlines would break the
// columns.
func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}
