package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/federa/federa/internal/app/apptest"
)

type outboxMessage struct {
	Username, Destination, DeliveryMedium, Purpose, Subject, Body string
}

// outbox reads a pool's delivered messages with federa's
// ListOutboxMessages, signed as root like any Cognito admin call.
func outbox(t *testing.T, srv *apptest.Server, poolID string) []outboxMessage {
	t.Helper()
	var out struct{ Messages []outboxMessage }
	must(t, json.Unmarshal(callFederaOp(t, srv, "ListOutboxMessages", map[string]string{"UserPoolId": poolID}), &out))
	return out.Messages
}

// callFederaOp calls one of federa's own cognito-idp operations (which the
// SDK does not know), signed as root, and returns the answer's body.
func callFederaOp(t *testing.T, srv *apptest.Server, op string, in any) []byte {
	t.Helper()
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	sum := sha256.Sum256(body)
	creds, err := srv.RootConfig().Credentials.Retrieve(context.Background())
	must(t, err)
	must(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "cognito-idp", apptest.Region, time.Now()))
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", op, resp.StatusCode, raw)
	}
	return raw
}

var codeRE = regexp.MustCompile(`\b\d{6}\b`)

// lastCode is the code in the newest message to a user.
func lastCode(t *testing.T, srv *apptest.Server, poolID, username string) string {
	t.Helper()
	ms := outbox(t, srv, poolID)
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Username == username {
			if c := codeRE.FindString(ms[i].Body); c != "" {
				return c
			}
		}
	}
	t.Fatalf("no code for %s in the outbox: %+v", username, ms)
	return ""
}
