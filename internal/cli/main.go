package cli

import (
	"context"
	"fmt"
	"io"
)

// Main runs the subcommand named by args[0] and returns the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr, false)
	case "demo":
		err = runServe(ctx, args[1:], stdout, stderr, true)
	case "bench":
		err = runBench(ctx, args[1:], stdout, stderr)
	case "bench-floor":
		err = runBenchFloor(ctx, args[1:], stdout, stderr)
	case "outbox":
		err = runOutbox(ctx, args[1:], stdout, stderr)
	case "apply":
		err = runApply(ctx, args[1:], stdout, stderr)
	case "export":
		err = runExport(ctx, args[1:], stdout, stderr)
	case "audit":
		err = runAudit(ctx, args[1:], stdout, stderr)
	case "backup":
		err = runBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		err = runRestore(ctx, args[1:], stdout, stderr)
	case "rotate-master-key":
		err = runRotateMasterKey(ctx, args[1:], stdout, stderr)
	case "policy":
		code, err := runPolicy(args[1:], stdout, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "federa policy: %v\n", err)
			return 1
		}
		return code
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, versionString())
		return 0
	case "help", "--help", "-h":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "federa: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	if err == errUsage {
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "federa: %v\n", err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprint(w, `federa: Cognito user pools, identity pools, STS, IAM and S3 in one binary.

Usage:
  federa serve [flags]   run the server (federa serve -h lists the flags)
  federa demo  [flags]   run the server with root key test/test on loopback, set up
                         the seed tutorials' example and serve seed 004's upload
                         app on http://localhost:3000 (--app-listen)
  federa policy test FILE.jsonl
                         evaluate policy test cases (testdata/iam/SCHEMA.md format)
  federa policy simulate --policy-file F --action A [--resource ARN] [--context k=v]
                         evaluate one request and say which statement decided
  federa outbox --pool ID
                         print the codes and temporary passwords a pool's users
                         were sent (signed with AWS_ACCESS_KEY_ID/SECRET)
  federa bench [--scenario vend|signin-password|signin-srp|refresh|s3-put|s3-get|s3-list|all]
               [--duration 10s] [--concurrency 16] [--size 4KiB] [--populate N] [--json] [--floor]
                         load a running federa through the AWS APIs (root key from
                         AWS_ACCESS_KEY_ID/SECRET) and print ops/s, MB/s, latency, errors
  federa apply -f FILE.yaml [--endpoint URL] [--dry-run]
                         create or update, idempotently, what a setup file
                         describes (root key from AWS_ACCESS_KEY_ID/SECRET)
  federa export [--endpoint URL] [-o FILE]
                         write the running setup in the same format
  federa audit [--endpoint URL] [--since 1h] [--kind change|denied] [--principal ARN] [--json]
                         read the audit log of administrative changes and refusals
  federa backup --data-dir D --out FILE.tar[.gz] [--include-master-key]
  federa restore --data-dir D --in FILE [--force]
                         copy a stopped server's embedded store and objects, and back
  federa rotate-master-key --data-dir D [--old-key-file F] --new-key-file G
                         re-encrypt the store's secrets under a new master key (offline)
  federa version         print the version
`)
}
