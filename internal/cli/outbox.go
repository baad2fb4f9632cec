package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// runOutbox prints what a user pool's users were sent (codes, temporary
// passwords), through the server's ListOutboxMessages, signed with the
// administrator's key from the environment as any AWS tool would be.
func runOutbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("federa outbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", envOr("FEDERA_ENDPOINT", "http://127.0.0.1:4566"), "federa's URL")
	pool := fs.String("pool", "", "user pool id (required)")
	region := fs.String("region", envOr("AWS_DEFAULT_REGION", "us-east-1"), "region to sign for")
	asJSON := fs.Bool("json", false, "print the messages as JSON")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *pool == "" {
		fmt.Fprintln(stderr, "federa outbox: --pool is required")
		return errUsage
	}
	creds := aws.Credentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"), SessionToken: os.Getenv("AWS_SESSION_TOKEN")}
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		return errors.New("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to an administrator's key")
	}
	type message struct {
		Username, Destination, DeliveryMedium, Purpose, Subject, Body string
		CreatedDate                                                   float64
	}
	var all []message
	next := ""
	for {
		var page struct {
			Messages  []message
			NextToken string
		}
		if err := callJSON(ctx, *endpoint, *region, "cognito-idp", creds, "AWSCognitoIdentityProviderService.ListOutboxMessages",
			map[string]string{"UserPoolId": *pool, "NextToken": next}, &page); err != nil {
			return err
		}
		all = append(all, page.Messages...)
		if page.NextToken == "" {
			break
		}
		next = page.NextToken
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	}
	for _, m := range all {
		fmt.Fprintf(stdout, "%s  %-8s %-20s %s <%s>: %s\n", time.Unix(int64(m.CreatedDate), 0).UTC().Format(time.RFC3339),
			m.DeliveryMedium, m.Purpose, m.Username, m.Destination, m.Body)
	}
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
