package setup

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/federa/federa/internal/app/apptest"
)

func loadGateway(t *testing.T) *File {
	t.Helper()
	f, err := LoadFile("testdata/gateway.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestApplyGateway applies a REST API: a dry run writes nothing, the first
// run builds it, the second sends no write, and a changed route is put
// again and deployed to every stage.
func TestApplyGateway(t *testing.T) {
	srv := apptest.NewServer(t)
	counter := &writeCounter{}
	cfg := counted(srv.RootConfig(), counter)
	f := loadGateway(t)
	ctx := context.Background()

	dry := apply(t, cfg, f, Options{DryRun: true})
	if w := counter.take(); len(w) != 0 || !isPlaceholder(dry.RestAPIs["shop-api"]) {
		t.Errorf("dry run wrote %v; the API resolved to %q", w, dry.RestAPIs["shop-api"])
	}
	first := apply(t, cfg, f, Options{})
	if w := counter.take(); len(w) != first.Writes || len(w) == 0 {
		t.Errorf("first apply counted %d writes, the server saw %d: %v", first.Writes, len(w), w)
	}
	id := first.RestAPIs["shop-api"]
	second := apply(t, cfg, f, Options{})
	if w := counter.take(); len(w) != 0 || second.Writes != 0 || len(changed(second)) != 0 {
		t.Fatalf("second apply wrote %v; changed %v", w, changed(second))
	}

	// The role's policy names the API by its id.
	role, err := iam.NewFromConfig(srv.RootConfig()).GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("caller"), PolicyName: aws.String("invoke")})
	must(t, err)
	if doc, _ := url.QueryUnescape(aws.ToString(role.PolicyDocument)); !strings.Contains(doc, ":"+id+"/prod/") {
		t.Errorf("the role's policy %s does not name API %s", doc, id)
	}

	gw := apigateway.NewFromConfig(srv.RootConfig())
	stages, err := gw.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: &id})
	must(t, err)
	before := map[string]string{}
	for _, s := range stages.Item {
		before[aws.ToString(s.StageName)] = aws.ToString(s.DeploymentId)
	}
	if len(before) != 2 || before["prod"] == "" || before["prod"] != before["test"] {
		t.Errorf("stages deployed %v, want prod and test on one deployment", before)
	}

	// A changed route: its integration is put again, and both stages get a
	// new deployment; nothing else is written.
	f.RestAPIs[0].Routes[0].Integration.URI = "http://127.0.0.1:9/v2/items"
	third := apply(t, cfg, f, Options{})
	w := counter.take()
	if c := changed(third); len(c) != 1 || !strings.Contains(c[0], "route GET /items") || !strings.Contains(c[0], "deployed to prod") {
		t.Errorf("after a route change: %v", c)
	}
	if want := []string{"PutIntegration", "CreateDeployment", "UpdateStage", "UpdateStage"}; len(w) != len(want) {
		t.Errorf("after a route change the server saw %v, want %v", w, want)
	}
	if fourth := apply(t, cfg, f, Options{}); fourth.Writes != 0 || len(counter.take()) != 0 {
		t.Errorf("apply after the change wrote again: %v", changed(fourth))
	}
}

// TestExportGateway exports an applied REST API and applies the export to
// a fresh server: the second export is the first.
func TestExportGateway(t *testing.T) {
	srv := apptest.NewServer(t)
	apply(t, srv.RootConfig(), loadGateway(t), Options{})
	ctx := context.Background()
	f, notes, err := Export(ctx, srv.RootConfig())
	must(t, err)
	out, err := WriteExport(f, notes)
	must(t, err)
	for _, want := range []string{"restApis:", "name: shop-api", "path: /files/{proxy+}", "authorizer: shoppers", "userPools: [users]",
		"${restApi:shop-api}/prod/*", "- http://localhost:3000", "maxAge: 600", "burst: 20"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	g, err := Load("export.yaml", out, nil)
	if err != nil {
		t.Fatalf("the export does not load: %v\n%s", err, out)
	}
	fresh := apptest.NewServer(t)
	apply(t, fresh.RootConfig(), g, Options{})
	f2, notes2, err := Export(ctx, fresh.RootConfig())
	must(t, err)
	again, err := WriteExport(f2, notes2)
	must(t, err)
	if string(again) != string(out) {
		t.Errorf("export → apply → export differs:\n--- first\n%s\n--- second\n%s", out, again)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
