package gateway

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/store"
)

// memStore is a store.RestAPIs in memory, enough for the service's rules
// (the SQL backends pass storetest's RestAPIs suite).
type memStore struct {
	mu   sync.Mutex
	apis map[string]store.RestAPI
}

func (m *memStore) CreateRestAPI(_ context.Context, a store.RestAPI) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.apis[a.ID]; ok {
		return store.ErrExists
	}
	m.apis[a.ID] = a
	return nil
}

func (m *memStore) GetRestAPI(_ context.Context, id string) (store.RestAPI, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.apis[id]
	if !ok {
		return a, store.ErrNotFound
	}
	return a, nil
}

func (m *memStore) ListRestAPIs(_ context.Context, after string, limit int) ([]store.RestAPI, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.RestAPI
	for _, a := range m.apis {
		if a.ID > after {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b store.RestAPI) int { return strings.Compare(a.ID, b.ID) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (m *memStore) UpdateRestAPI(_ context.Context, id string, fn func(*store.RestAPI) error) (store.RestAPI, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.apis[id]
	if !ok {
		return a, store.ErrNotFound
	}
	if err := fn(&a); err != nil {
		return store.RestAPI{}, err
	}
	m.apis[id] = a
	return a, nil
}

func (m *memStore) DeleteRestAPI(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.apis[id]; !ok {
		return store.ErrNotFound
	}
	delete(m.apis, id)
	return nil
}

var ctx = context.Background()

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func newService(t *testing.T) *Service {
	t.Helper()
	return New(&memStore{apis: map[string]store.RestAPI{}}, Options{Region: "us-east-1", AccountID: "000000000000", Now: func() time.Time { return t0 }})
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// wantCode checks that err is the API Gateway error code and that its
// message contains hint.
func wantCode(t *testing.T, err error, code awserr.Template, hint string) {
	t.Helper()
	e, ok := awserr.As(err)
	if !ok || e.Code != code.Code || e.Status != code.Status {
		t.Fatalf("err = %v, want %s", err, code.Code)
	}
	if !strings.Contains(e.Message, hint) {
		t.Errorf("message %q does not say %q", e.Message, hint)
	}
}

// notesAPI builds the notes API of the seeds: /notes (GET, POST with
// AWS_IAM) and /notes/{id} (GET with COGNITO_USER_POOLS).
func notesAPI(t *testing.T, s *Service) (a *API, notes, note *Resource, az *Authorizer) {
	a = must[*API](t)(s.CreateRestApi(ctx, CreateRestApiInput{Name: "notes"}))
	notes = must[*Resource](t)(s.CreateResource(ctx, a.ID, a.RootResourceID, "notes"))
	note = must[*Resource](t)(s.CreateResource(ctx, a.ID, notes.ID, "{id}"))
	az = must[*Authorizer](t)(s.CreateAuthorizer(ctx, a.ID, CreateAuthorizerInput{Name: "pool", Type: AuthCognito,
		ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc"}}))
	for _, verb := range []string{"GET", "POST"} {
		must[*Method](t)(s.PutMethod(ctx, a.ID, notes.ID, verb, PutMethodInput{AuthorizationType: AuthIAM}))
		must[*Integration](t)(s.PutIntegration(ctx, a.ID, notes.ID, verb, PutIntegrationInput{Type: IntegrationAWSProxy, URI: "http://localhost:9000/handler"}))
	}
	must[*Method](t)(s.PutMethod(ctx, a.ID, note.ID, "GET", PutMethodInput{AuthorizationType: AuthCognito, AuthorizerID: az.ID, AuthorizationScopes: []string{"notes/read"}}))
	must[*Integration](t)(s.PutIntegration(ctx, a.ID, note.ID, "GET", PutIntegrationInput{Type: IntegrationHTTPProxy, HTTPMethod: "GET", URI: "http://localhost:9000/notes/{id}"}))
	return a, notes, note, az
}

func TestCreateRestApi(t *testing.T) {
	s := newService(t)
	a := must[*API](t)(s.CreateRestApi(ctx, CreateRestApiInput{Name: "notes", Description: "d"}))
	if len(a.ID) != 10 || strings.Trim(a.ID, idChars) != "" {
		t.Errorf("id %q: want 10 lower-case alphanumerics", a.ID)
	}
	root := a.Resources[a.RootResourceID]
	if root == nil || root.Path != "/" || len(a.Resources) != 1 || !a.CreatedDate.Equal(t0) {
		t.Fatalf("new API %+v", a)
	}
	got := must[*API](t)(s.Get(ctx, a.ID))
	if got.Name != "notes" || got.Description != "d" || got.RootResourceID != a.RootResourceID {
		t.Errorf("Get = %+v", got)
	}
	_, err := s.CreateRestApi(ctx, CreateRestApiInput{Name: " "})
	wantCode(t, err, ErrBadRequest, "non-empty name")

	_, err = s.Get(ctx, "nope")
	wantCode(t, err, ErrNotFound, "Invalid API identifier specified 000000000000:nope")
	if !ErrNotFound.Is(err) || !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get of a missing API: %v is not ErrNotFound and store.ErrNotFound", err)
	}
	check := func(err error) {
		t.Helper()
		wantCode(t, err, ErrNotFound, "nope")
	}
	check(s.DeleteRestApi(ctx, "nope"))
	_, err = s.CreateResource(ctx, "nope", "r", "x")
	check(err)
	check(s.DeleteRestApi(ctx, "nope"))
	if err := s.DeleteRestApi(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetRestApi(ctx, a.ID)
	wantCode(t, err, ErrNotFound, a.ID)
}

func TestGetRestApisPages(t *testing.T) {
	s := newService(t)
	var want []string
	for i := range 5 {
		want = append(want, must[*API](t)(s.CreateRestApi(ctx, CreateRestApiInput{Name: strings.Repeat("n", i+1)})).ID)
	}
	slices.Sort(want)
	var got []string
	pos := ""
	for range 10 {
		page := must[*RestAPIPage](t)(s.GetRestApis(ctx, pos, 2))
		for _, a := range page.Items {
			got = append(got, a.ID)
		}
		if pos = page.Position; pos == "" {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged %v, want %v", got, want)
	}
	_, err := s.GetRestApis(ctx, "", 501)
	wantCode(t, err, ErrBadRequest, "from 1 to 500")
}

func TestResourcePaths(t *testing.T) {
	s := newService(t)
	a, notes, note, _ := notesAPI(t, s)
	if notes.Path != "/notes" || note.Path != "/notes/{id}" || note.ParentID != notes.ID {
		t.Fatalf("paths %q %q", notes.Path, note.Path)
	}
	proxy := must[*Resource](t)(s.CreateResource(ctx, a.ID, a.RootResourceID, "{proxy+}"))
	if proxy.Path != "/{proxy+}" {
		t.Errorf("greedy path %q", proxy.Path)
	}
	tests := []struct {
		parent, part string
		code         awserr.Template
		hint         string
	}{
		{a.RootResourceID, "notes", ErrConflict, "already has this name: notes"},
		{notes.ID, "{other}", ErrBadRequest, "only one is allowed"},
		{a.RootResourceID, "{x}", ErrBadRequest, "only one is allowed"}, // {proxy+} is there
		{proxy.ID, "more", ErrBadRequest, "must be the last part"},
		{a.RootResourceID, "a/b", ErrBadRequest, "without '/'"},
		{a.RootResourceID, "", ErrBadRequest, "non-empty"},
		{a.RootResourceID, "{bad", ErrBadRequest, "{name}"},
		{a.RootResourceID, "{}", ErrBadRequest, "{name}"},
		{a.RootResourceID, "{a+b}", ErrBadRequest, "{name}"},
		{a.RootResourceID, "sp ace", ErrBadRequest, "path part only allow"},
		{"nope", "x", ErrNotFound, "Invalid Resource identifier"},
	}
	for _, tc := range tests {
		_, err := s.CreateResource(ctx, a.ID, tc.parent, tc.part)
		wantCode(t, err, tc.code, tc.hint)
	}
	items, pos := must2(t)(s.GetResources(ctx, a.ID, "", 0))
	var paths []string
	for _, r := range items {
		paths = append(paths, r.Path)
	}
	if pos != "" || strings.Join(paths, " ") != "/ /notes /notes/{id} /{proxy+}" {
		t.Errorf("GetResources %v (position %q)", paths, pos)
	}
	page, pos := must2(t)(s.GetResources(ctx, a.ID, "", 3))
	rest, last := must2(t)(s.GetResources(ctx, a.ID, pos, 3))
	if len(page) != 3 || len(rest) != 1 || rest[0].Path != "/{proxy+}" || last != "" {
		t.Errorf("pages of 3: %d then %d (%q)", len(page), len(rest), last)
	}

	// Deleting /notes deletes /notes/{id}; the root cannot go.
	if err := s.DeleteResource(ctx, a.ID, notes.ID); err != nil {
		t.Fatal(err)
	}
	got := must[*API](t)(s.Get(ctx, a.ID))
	if len(got.Resources) != 2 || got.Resources[note.ID] != nil {
		t.Errorf("after deleting /notes: %d resources", len(got.Resources))
	}
	wantCode(t, s.DeleteResource(ctx, a.ID, a.RootResourceID), ErrBadRequest, "root resource")
}

func must2(t *testing.T) func([]*Resource, string, error) ([]*Resource, string) {
	return func(r []*Resource, p string, err error) ([]*Resource, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r, p
	}
}

func TestMethodsAndIntegrations(t *testing.T) {
	s := newService(t)
	a, notes, note, az := notesAPI(t, s)
	m := must[*Method](t)(s.GetMethod(ctx, a.ID, note.ID, "GET"))
	if m.AuthorizationType != AuthCognito || m.AuthorizerID != az.ID || m.Integration == nil || m.Integration.URI != "http://localhost:9000/notes/{id}" {
		t.Errorf("GET /notes/{id} = %+v", m)
	}
	if ig := must[*Integration](t)(s.GetIntegration(ctx, a.ID, notes.ID, "POST")); ig.HTTPMethod != "POST" {
		t.Errorf("AWS_PROXY integration method %q, want POST", ig.HTTPMethod)
	}
	methodErrs := []struct {
		verb string
		in   PutMethodInput
		code awserr.Template
		hint string
	}{
		{"FETCH", PutMethodInput{AuthorizationType: AuthNone}, ErrBadRequest, "Invalid HttpMethod"},
		{"GET", PutMethodInput{AuthorizationType: "CUSTOM"}, ErrBadRequest, "does not run Lambda authorizers"},
		{"GET", PutMethodInput{AuthorizationType: "OTHER"}, ErrBadRequest, "NONE, AWS_IAM or COGNITO_USER_POOLS"},
		{"GET", PutMethodInput{AuthorizationType: AuthCognito}, ErrBadRequest, "needs an authorizerId"},
		{"GET", PutMethodInput{AuthorizationType: AuthCognito, AuthorizerID: "zzzzzz"}, ErrBadRequest, "Invalid authorizer ID"},
		{"GET", PutMethodInput{AuthorizationType: AuthIAM, AuthorizationScopes: []string{"x"}}, ErrBadRequest, "COGNITO_USER_POOLS methods only"},
	}
	for _, tc := range methodErrs {
		_, err := s.PutMethod(ctx, a.ID, notes.ID, tc.verb, tc.in)
		wantCode(t, err, tc.code, tc.hint)
	}
	integrationErrs := []struct {
		in   PutIntegrationInput
		code awserr.Template
		hint string
	}{
		{PutIntegrationInput{Type: IntegrationAWSProxy, URI: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations"}, ErrBadRequest, "federa runs no Lambda functions"},
		{PutIntegrationInput{Type: IntegrationAWSProxy, URI: "localhost:9000"}, ErrBadRequest, "absolute http(s) URL"},
		{PutIntegrationInput{Type: IntegrationHTTPProxy, URI: "http://x"}, ErrBadRequest, "integrationHttpMethod"},
		{PutIntegrationInput{Type: IntegrationHTTPProxy, HTTPMethod: "GET", URI: "ftp://x"}, ErrBadRequest, "absolute http(s) URL"},
		{PutIntegrationInput{Type: "HTTP", HTTPMethod: "GET", URI: "http://x"}, ErrBadRequest, "proxy integrations only"},
		{PutIntegrationInput{Type: "AWS"}, ErrBadRequest, "proxy integrations only"},
		{PutIntegrationInput{Type: IntegrationMock, TimeoutInMillis: 10}, ErrBadRequest, "between 50 ms and 29000 ms"},
	}
	for _, tc := range integrationErrs {
		_, err := s.PutIntegration(ctx, a.ID, notes.ID, "GET", tc.in)
		wantCode(t, err, tc.code, tc.hint)
	}
	_, err := s.PutIntegration(ctx, a.ID, notes.ID, "PATCH", PutIntegrationInput{Type: IntegrationMock})
	wantCode(t, err, ErrNotFound, "has no PATCH method")

	// An authorizer in use cannot go; once its method does, it can.
	wantCode(t, s.DeleteAuthorizer(ctx, a.ID, az.ID), ErrConflict, "GET /notes/{id}")
	if err := s.DeleteMethod(ctx, a.ID, note.ID, "GET"); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetMethod(ctx, a.ID, note.ID, "GET")
	wantCode(t, err, ErrNotFound, "Invalid Method identifier")
	if err := s.DeleteAuthorizer(ctx, a.ID, az.ID); err != nil {
		t.Fatal(err)
	}
}

func TestAuthorizers(t *testing.T) {
	s := newService(t)
	a := must[*API](t)(s.CreateRestApi(ctx, CreateRestApiInput{Name: "x"}))
	arn := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc"
	az := must[*Authorizer](t)(s.CreateAuthorizer(ctx, a.ID, CreateAuthorizerInput{Name: "p", Type: AuthCognito, ProviderARNs: []string{arn}}))
	if az.IdentitySource != "method.request.header.Authorization" || len(az.ID) != 6 {
		t.Errorf("authorizer %+v", az)
	}
	if id, err := s.PoolID(arn); err != nil || id != "us-east-1_abc" {
		t.Errorf("PoolID = %q, %v", id, err)
	}
	tests := []struct {
		in   CreateAuthorizerInput
		code awserr.Template
		hint string
	}{
		{CreateAuthorizerInput{Name: "p", Type: AuthCognito, ProviderARNs: []string{arn}}, ErrConflict, "already used"},
		{CreateAuthorizerInput{Name: "q", Type: "TOKEN"}, ErrBadRequest, "no Lambda"},
		{CreateAuthorizerInput{Name: "q", Type: AuthCognito}, ErrBadRequest, "needs providerARNs"},
		{CreateAuthorizerInput{Name: "q", Type: AuthCognito, ProviderARNs: []string{"us-east-1_abc"}}, ErrBadRequest, "arn:aws:cognito-idp:us-east-1:000000000000:userpool/<poolId>"},
		{CreateAuthorizerInput{Name: "q", Type: AuthCognito, ProviderARNs: []string{arn}, IdentitySource: "method.request.querystring.t"}, ErrBadRequest, "header"},
		{CreateAuthorizerInput{Type: AuthCognito}, ErrBadRequest, "non-empty name"},
	}
	for _, tc := range tests {
		_, err := s.CreateAuthorizer(ctx, a.ID, tc.in)
		wantCode(t, err, tc.code, tc.hint)
	}
}

func TestDeploymentsSnapshot(t *testing.T) {
	s := newService(t)
	a := must[*API](t)(s.CreateRestApi(ctx, CreateRestApiInput{Name: "x"}))
	_, err := s.CreateDeployment(ctx, a.ID, CreateDeploymentInput{StageName: "prod"})
	wantCode(t, err, ErrBadRequest, "doesn't contain any methods")
	r := must[*Resource](t)(s.CreateResource(ctx, a.ID, a.RootResourceID, "notes"))
	must[*Method](t)(s.PutMethod(ctx, a.ID, r.ID, "GET", PutMethodInput{AuthorizationType: AuthNone}))
	_, err = s.CreateDeployment(ctx, a.ID, CreateDeploymentInput{})
	wantCode(t, err, ErrBadRequest, "No integration defined for method GET /notes")
	must[*Integration](t)(s.PutIntegration(ctx, a.ID, r.ID, "GET", PutIntegrationInput{Type: IntegrationMock}))

	d1 := must[*Deployment](t)(s.CreateDeployment(ctx, a.ID, CreateDeploymentInput{StageName: "prod", StageDescription: "live", Variables: map[string]string{"v": "1"}}))
	st := must[*Stage](t)(s.GetStage(ctx, a.ID, "prod"))
	if st.DeploymentID != d1.ID || st.Description != "live" || st.Variables["v"] != "1" {
		t.Errorf("stage from CreateDeployment %+v", st)
	}
	// Changes after a deployment do not reach it.
	must[*Method](t)(s.PutMethod(ctx, a.ID, r.ID, "GET", PutMethodInput{AuthorizationType: AuthIAM}))
	must[*Integration](t)(s.PutIntegration(ctx, a.ID, r.ID, "GET", PutIntegrationInput{Type: IntegrationMock}))
	got := must[*Deployment](t)(s.GetDeployment(ctx, a.ID, d1.ID))
	if m := got.Resources[r.ID].Methods["GET"]; m.AuthorizationType != AuthNone {
		t.Errorf("deployment changed with the API: %s", m.AuthorizationType)
	}
	d2 := must[*Deployment](t)(s.CreateDeployment(ctx, a.ID, CreateDeploymentInput{StageName: "prod"}))
	if st = must[*Stage](t)(s.GetStage(ctx, a.ID, "prod")); st.DeploymentID != d2.ID || st.Description != "live" {
		t.Errorf("redeploy to prod: %+v", st)
	}
	if m := must[*Deployment](t)(s.GetDeployment(ctx, a.ID, d2.ID)).Resources[r.ID].Methods["GET"]; m.AuthorizationType != AuthIAM {
		t.Errorf("new deployment has %s", m.AuthorizationType)
	}
	list, _, err := s.GetDeployments(ctx, a.ID, "", 0)
	if err != nil || len(list) != 2 {
		t.Fatalf("GetDeployments %d, %v", len(list), err)
	}
	wantCode(t, s.DeleteDeployment(ctx, a.ID, d2.ID), ErrBadRequest, "stage prod serves")
	if err := s.DeleteDeployment(ctx, a.ID, d1.ID); err != nil {
		t.Fatal(err)
	}
}

func TestStages(t *testing.T) {
	s := newService(t)
	a, _, _, _ := notesAPI(t, s)
	d := must[*Deployment](t)(s.CreateDeployment(ctx, a.ID, CreateDeploymentInput{}))
	st := must[*Stage](t)(s.CreateStage(ctx, a.ID, CreateStageInput{StageName: "dev", DeploymentID: d.ID, Variables: map[string]string{"a": "1"}}))
	if st.DeploymentID != d.ID || !st.CreatedDate.Equal(t0) {
		t.Errorf("stage %+v", st)
	}
	_, err := s.CreateStage(ctx, a.ID, CreateStageInput{StageName: "dev", DeploymentID: d.ID})
	wantCode(t, err, ErrConflict, "Stage already exists: dev")
	_, err = s.CreateStage(ctx, a.ID, CreateStageInput{StageName: "x", DeploymentID: "nope"})
	wantCode(t, err, ErrBadRequest, "Invalid deployment identifier")
	_, err = s.CreateStage(ctx, a.ID, CreateStageInput{StageName: "a/b", DeploymentID: d.ID})
	wantCode(t, err, ErrBadRequest, "a-zA-Z0-9_-")

	d2 := must[*Deployment](t)(s.CreateDeployment(ctx, a.ID, CreateDeploymentInput{}))
	st = must[*Stage](t)(s.UpdateStage(ctx, a.ID, "dev", []PatchOperation{
		{Op: "replace", Path: "/deploymentId", Value: d2.ID},
		{Op: "replace", Path: "/description", Value: "development"},
		{Op: "replace", Path: "/*/*/throttling/rateLimit", Value: "2.5"},
		{Op: "replace", Path: "/*/*/throttling/burstLimit", Value: "5"},
		{Op: "replace", Path: "/variables/b", Value: "2"},
		{Op: "remove", Path: "/variables/a"},
	}))
	if st.DeploymentID != d2.ID || st.Description != "development" || st.ThrottleRate != 2.5 || st.ThrottleBurst != 5 ||
		len(st.Variables) != 1 || st.Variables["b"] != "2" {
		t.Errorf("after UpdateStage %+v", st)
	}
	if got := must[*Stage](t)(s.GetStage(ctx, a.ID, "dev")); got.ThrottleBurst != 5 {
		t.Errorf("UpdateStage not stored: %+v", got)
	}
	st = must[*Stage](t)(s.UpdateStage(ctx, a.ID, "dev", []PatchOperation{{Op: "remove", Path: "/*/*/throttling/rateLimit"}}))
	if st.ThrottleRate != 0 || st.ThrottleBurst != 5 {
		t.Errorf("remove rateLimit: %+v", st)
	}
	patchErrs := []struct {
		op   PatchOperation
		hint string
	}{
		{PatchOperation{Op: "replace", Path: "/deploymentId", Value: "nope"}, "Invalid deployment identifier"},
		{PatchOperation{Op: "replace", Path: "/*/*/throttling/rateLimit", Value: "fast"}, "requests per second"},
		{PatchOperation{Op: "replace", Path: "/*/*/throttling/burstLimit", Value: "-1"}, "whole number"},
		{PatchOperation{Op: "replace", Path: "/cacheClusterEnabled", Value: "true"}, "/variables/<name>"},
		{PatchOperation{Op: "move", Path: "/description"}, "replace, add or remove"},
	}
	for _, tc := range patchErrs {
		_, err := s.UpdateStage(ctx, a.ID, "dev", []PatchOperation{{Op: "replace", Path: "/description", Value: "lost"}, tc.op})
		wantCode(t, err, ErrBadRequest, tc.hint)
	}
	if got := must[*Stage](t)(s.GetStage(ctx, a.ID, "dev")); got.Description != "development" {
		t.Errorf("a refused patch applied its other operations: %q", got.Description)
	}
	_, err = s.UpdateStage(ctx, a.ID, "nope", nil)
	wantCode(t, err, ErrNotFound, "Invalid Stage identifier specified: nope")
	stages := must[[]*Stage](t)(s.GetStages(ctx, a.ID))
	if len(stages) != 1 || stages[0].StageName != "dev" {
		t.Errorf("GetStages %v", stages)
	}
	if err := s.DeleteStage(ctx, a.ID, "dev"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteStage(ctx, a.ID, "dev"), ErrNotFound, "dev")
}

func TestUpdateRestApiCORS(t *testing.T) {
	s := newService(t)
	a := must[*API](t)(s.CreateRestApi(ctx, CreateRestApiInput{Name: "x"}))
	a = must[*API](t)(s.UpdateRestApi(ctx, a.ID, []PatchOperation{
		{Op: "replace", Path: "/name", Value: "notes"},
		{Op: "replace", Path: "/cors/allowOrigins", Value: "https://app.example.com, http://localhost:3000"},
		{Op: "replace", Path: "/cors/allowHeaders", Value: "authorization,content-type"},
		{Op: "replace", Path: "/cors/maxAge", Value: "600"},
	}))
	if a.Name != "notes" || a.CORS == nil || len(a.CORS.AllowOrigins) != 2 || a.CORS.AllowOrigins[1] != "http://localhost:3000" || a.CORS.MaxAge != 600 {
		t.Fatalf("after patch %+v %+v", a, a.CORS)
	}
	if got := must[*API](t)(s.Get(ctx, a.ID)); got.CORS == nil || len(got.CORS.AllowHeaders) != 2 {
		t.Errorf("CORS not stored: %+v", got.CORS)
	}
	_, err := s.UpdateRestApi(ctx, a.ID, []PatchOperation{{Op: "replace", Path: "/cors/allowCredentials", Value: "true"}})
	wantCode(t, err, ErrBadRequest, "allowOrigins, allowMethods")
	_, err = s.UpdateRestApi(ctx, a.ID, []PatchOperation{{Op: "replace", Path: "/policy", Value: "{}"}})
	wantCode(t, err, ErrBadRequest, "/cors/")
	a = must[*API](t)(s.UpdateRestApi(ctx, a.ID, []PatchOperation{{Op: "remove", Path: "/cors"}}))
	if a.CORS != nil {
		t.Errorf("remove /cors left %+v", a.CORS)
	}
}

// TestConcurrentChanges: changes are compare-and-swap on the whole API, so
// resources created at once all land.
func TestConcurrentChanges(t *testing.T) {
	s := newService(t)
	a := must[*API](t)(s.CreateRestApi(ctx, CreateRestApiInput{Name: "x"}))
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.CreateResource(ctx, a.ID, a.RootResourceID, "r"+string(rune('a'+i))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := must[*API](t)(s.Get(ctx, a.ID)); len(got.Resources) != 11 {
		t.Errorf("%d resources, want 11", len(got.Resources))
	}
}
