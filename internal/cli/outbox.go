package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
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
		body, _ := json.Marshal(map[string]string{"UserPoolId": *pool, "NextToken": next})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, *endpoint+"/", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.ListOutboxMessages")
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "cognito-idp", *region, time.Now()); err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("ListOutboxMessages: %s: %s", resp.Status, raw)
		}
		var page struct {
			Messages  []message
			NextToken string
		}
		if err := json.Unmarshal(raw, &page); err != nil {
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
