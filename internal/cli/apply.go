package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/federa/federa/internal/setup"
)

// runApply runs `federa apply -f FILE`: it makes a running federa match a
// setup file, through the AWS APIs with the administrator's key from the
// environment, as `federa outbox` and `federa bench` reach it.
func runApply(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("federa apply", flag.ContinueOnError)
	file := fs.String("f", "", "the setup file (required; - reads standard input)")
	endpoint := fs.String("endpoint", envOr("FEDERA_ENDPOINT", "http://127.0.0.1:4566"), "federa's URL")
	region := fs.String("region", regionFromEnv(), "region to sign for")
	dryRun := fs.Bool("dry-run", false, "compare and print what would change, but change nothing")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *file == "" {
		fmt.Fprintln(stderr, "federa apply: -f FILE is required")
		return errUsage
	}
	var (
		data []byte
		err  error
	)
	if *file == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(*file)
	}
	if err != nil {
		return err
	}
	f, err := setup.Load(*file, data, os.LookupEnv)
	var probs setup.Problems
	if errors.As(err, &probs) {
		fmt.Fprintln(stderr, probs.Error())
		return fmt.Errorf("%s: %d problems; nothing was changed", *file, len(probs))
	}
	if err != nil {
		return err
	}
	cfg, err := adminConfig(*endpoint, *region)
	if err != nil {
		return err
	}
	res, err := setup.Apply(ctx, cfg, f, setup.Options{DryRun: *dryRun, Log: stdout})
	if res != nil {
		fmt.Fprintln(stdout, res.Summary(*dryRun))
	}
	return err
}

// runExport runs `federa export`: it writes a running federa's setup in
// the file format apply reads.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("federa export", flag.ContinueOnError)
	endpoint := fs.String("endpoint", envOr("FEDERA_ENDPOINT", "http://127.0.0.1:4566"), "federa's URL")
	region := fs.String("region", regionFromEnv(), "region to sign for")
	out := fs.String("o", "", "write to this file instead of standard output")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg, err := adminConfig(*endpoint, *region)
	if err != nil {
		return err
	}
	f, notes, err := setup.Export(ctx, cfg)
	if err != nil {
		return err
	}
	data, err := setup.WriteExport(f, notes)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(data)
		return err
	}
	// The file names users and their attributes: readable by its owner only.
	return os.WriteFile(*out, data, 0o600)
}

// adminConfig is an SDK configuration for endpoint signed with the key in
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
func adminConfig(endpoint, region string) (aws.Config, error) {
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return aws.Config{}, errors.New("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to an administrator's key")
	}
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(id, secret, os.Getenv("AWS_SESSION_TOKEN")),
		BaseEndpoint: aws.String(endpoint),
	}, nil
}

func regionFromEnv() string {
	if r := os.Getenv("AWS_REGION"); r != "" {
		return r
	}
	return envOr("AWS_DEFAULT_REGION", "us-east-1")
}
