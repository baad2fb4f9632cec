package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/setup"
)

// TestApplyGatewaySeed002 applies seed 002 with its notes API pointed at a
// handler of the test's own: the second apply writes nothing, the API has
// the routes and stage the file lists, export → apply → export is stable,
// and a signed-in user's signed POST /notes reaches the handler with the
// caller's identity id, as the tutorial's Lambda reads it.
func TestApplyGatewaySeed002(t *testing.T) {
	handler := &proxyHandler{}
	upstream := httptest.NewServer(handler)
	t.Cleanup(upstream.Close)
	env := map[string]string{"NOTES_HANDLER_URL": upstream.URL}
	f, err := setup.LoadFile("../examples/seed002.yaml", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	srv := apptest.NewServer(t)
	counter := &applyWriteCounter{}
	cfg := srv.RootConfig()
	cfg.HTTPClient = counter
	ctx := context.Background()
	first, err := setup.Apply(ctx, cfg, f, setup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := counter.take(); len(w) == 0 || first.Count(setup.Created) != len(first.Changes) {
		t.Errorf("first apply: %v (writes %v)", first.Changes, w)
	}
	second, err := setup.Apply(ctx, cfg, f, setup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := counter.take(); len(w) != 0 || second.Writes != 0 || second.Count(setup.Unchanged) != len(second.Changes) {
		t.Fatalf("second apply wrote %v (%d counted); changes %v", w, second.Writes, second.Changes)
	}
	apiID := second.RestAPIs["notes-api"]
	if apiID == "" || apiID != first.RestAPIs["notes-api"] {
		t.Fatalf("notes-api resolved to %q, then %q", first.RestAPIs["notes-api"], apiID)
	}

	// The API as API Gateway's own API reads it.
	gw := apigateway.NewFromConfig(srv.RootConfig())
	res, err := gw.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: &apiID, Embed: []string{"methods"}})
	must(t, err)
	var routes []string
	for _, r := range res.Items {
		for m, method := range r.ResourceMethods {
			routes = append(routes, m+" "+aws.ToString(r.Path)+" "+aws.ToString(method.AuthorizationType))
		}
	}
	slices.Sort(routes)
	want := []string{"DELETE /notes/{id} AWS_IAM", "GET /notes AWS_IAM", "GET /notes/{id} AWS_IAM", "POST /notes AWS_IAM", "PUT /notes/{id} AWS_IAM"}
	if !slices.Equal(routes, want) {
		t.Errorf("routes = %q, want %q", routes, want)
	}
	stages, err := gw.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: &apiID})
	must(t, err)
	if len(stages.Item) != 1 || aws.ToString(stages.Item[0].StageName) != "prod" || stages.Item[0].MethodSettings["*/*"].ThrottlingBurstLimit != 200 {
		t.Errorf("stages = %+v, want prod with burst 200", stages.Item)
	}

	// The tutorial's flow, then a signed call through the gateway.
	notesFlow(t, srv, second, true)
	token := signInPassword(t, srv, second.Clients["notes-user-pool/notes-app"], "admin@example.com", "Passw0rd!")
	u := getCredentials(t, srv, second, "notes-user-pool", "notes identity pool", token)
	url := srv.URL + "/_aws/execute-api/" + apiID + "/prod/notes"
	body := `{"content":"hello world","attachment":"hello.jpg"}`
	resp := invoke(t, http.MethodPost, url, body, &u.creds)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("signed POST /notes: %d %s", resp.StatusCode, resp.Body)
	}
	ev := handler.last()
	if ev == nil {
		t.Fatal("the handler saw no event")
	}
	if got := ev.RequestContext.Identity.CognitoIdentityID; got != u.identityID {
		t.Errorf("cognitoIdentityId = %q, want %q", got, u.identityID)
	}
	if ev.HTTPMethod != http.MethodPost || ev.Resource != "/notes" || ev.Body != body {
		t.Errorf("event = %+v", ev)
	}
	if resp := invoke(t, http.MethodPost, url, body, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned POST /notes: %d, want 403", resp.StatusCode)
	}

	exportRoundTrip(t, srv)
}

// proxyEvent is the part of the API Gateway proxy event the test reads.
type proxyEvent struct {
	Resource       string `json:"resource"`
	HTTPMethod     string `json:"httpMethod"`
	Body           string `json:"body"`
	RequestContext struct {
		Identity struct {
			CognitoIdentityID string `json:"cognitoIdentityId"`
		} `json:"identity"`
	} `json:"requestContext"`
}

// proxyHandler is the notes handler: it keeps the events it receives and
// answers with a proxy result.
type proxyHandler struct {
	mu     sync.Mutex
	events []*proxyEvent
}

func (h *proxyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ev := &proxyEvent{}
	if err := json.NewDecoder(r.Body).Decode(ev); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.events = append(h.events, ev)
	h.mu.Unlock()
	_ = json.NewEncoder(w).Encode(map[string]any{"statusCode": 200, "body": `{"noteId":"1"}`})
}

func (h *proxyHandler) last() *proxyEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.events) == 0 {
		return nil
	}
	return h.events[len(h.events)-1]
}

type invokeResponse struct {
	StatusCode int
	Body       string
}

// invoke calls the gateway, signed with SigV4 for execute-api when creds
// are given, as aws-amplify's API.post does.
func invoke(t *testing.T, method, url, body string, creds *aws.Credentials) invokeResponse {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	if creds != nil {
		sum := sha256.Sum256([]byte(body))
		must(t, v4.NewSigner().SignHTTP(context.Background(), *creds, req, hex.EncodeToString(sum[:]), "execute-api", apptest.Region, time.Now()))
	}
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return invokeResponse{resp.StatusCode, string(bytes.TrimSpace(b))}
}
