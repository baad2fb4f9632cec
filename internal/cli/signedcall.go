package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// callJSON makes one AWS JSON 1.1 call that no SDK knows (federa's own
// operations: ListOutboxMessages, FederaAdmin.*), signed with SigV4 for
// service as any AWS tool would sign it, and decodes the answer into out.
// target is the X-Amz-Target, e.g. "FederaAdmin.ListAuditEvents".
func callJSON(ctx context.Context, endpoint, region, service string, creds aws.Credentials, target string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(endpoint, "/")+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, region, time.Now()); err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	op := target[strings.LastIndexByte(target, '.')+1:]
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Type != "" {
			return fmt.Errorf("%s: %s: %s", op, e.Type, e.Message)
		}
		return fmt.Errorf("%s: %s: %s", op, resp.Status, raw)
	}
	return json.Unmarshal(raw, out)
}
