package setup

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/federa/federa/internal/app/apptest"
)

func loadFull(t *testing.T) *File {
	t.Helper()
	f, err := LoadFile("testdata/full.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// apply applies f and fails the test on an error.
func apply(t *testing.T, cfg aws.Config, f *File, opts Options) *Result {
	t.Helper()
	res, err := Apply(context.Background(), cfg, f, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func changed(res *Result) []string {
	var out []string
	for _, c := range res.Changes {
		if c.Action != Unchanged {
			out = append(out, string(c.Action)+" "+c.Kind+" "+c.Name+" "+c.Detail)
		}
	}
	return out
}

// TestApplyTwice applies a file that uses every part of the format to a
// fresh server twice: the first run creates everything, the second finds
// everything as the file says and sends no write at all.
func TestApplyTwice(t *testing.T) {
	srv := apptest.NewServer(t)
	counter := &writeCounter{}
	cfg := counted(srv.RootConfig(), counter)
	f := loadFull(t)

	first := apply(t, cfg, f, Options{})
	if n := first.Count(Created); n != len(first.Changes) || n != 20 {
		t.Errorf("first apply: %d of %d created, want 20: %v", n, len(first.Changes), first.Changes)
	}
	if w := counter.take(); len(w) != first.Writes || len(w) == 0 {
		t.Errorf("first apply counted %d writes, the server saw %d: %v", first.Writes, len(w), w)
	}

	second := apply(t, cfg, f, Options{})
	if c := changed(second); len(c) > 0 {
		t.Errorf("second apply changed %v", c)
	}
	if w := counter.take(); len(w) != 0 || second.Writes != 0 {
		t.Errorf("second apply wrote %d times (counted %d): %v", len(w), second.Writes, w)
	}
	if second.Count(Unchanged) != 20 {
		t.Errorf("second apply: %d unchanged, want 20", second.Count(Unchanged))
	}
	for name, m := range map[string]map[string]string{"user pools": second.UserPools, "clients": second.Clients,
		"identity pools": second.IdentityPools, "roles": second.Roles, "policies": second.Policies} {
		if len(m) == 0 {
			t.Errorf("result names no %s", name)
		}
		for k, v := range m {
			if v == "" || isPlaceholder(v) {
				t.Errorf("%s %s resolved to %q", name, k, v)
			}
		}
	}
	if first.Clients["shop-users/shop-web"] != second.Clients["shop-users/shop-web"] {
		t.Errorf("the second apply found another client: %s vs %s", first.Clients["shop-users/shop-web"], second.Clients["shop-users/shop-web"])
	}

	// What the file says reached the server.
	ctx := context.Background()
	idp := cip.NewFromConfig(srv.RootConfig())
	pool := second.UserPools["shop-users"]
	c, err := idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &pool, ClientId: aws.String(second.Clients["shop-users/shop-worker"])})
	if err != nil {
		t.Fatal(err)
	}
	if c.UserPoolClient.ClientSecret == nil || aws.ToBool(c.UserPoolClient.EnableTokenRevocation) {
		t.Errorf("worker client: secret %v, token revocation %v; want a secret, revocation off", c.UserPoolClient.ClientSecret != nil, c.UserPoolClient.EnableTokenRevocation)
	}
	g, err := idp.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &pool, Username: aws.String("alice")})
	if err != nil || len(g.Groups) != 2 {
		t.Errorf("alice's groups: %v %v", g, err)
	}
	for user, status := range map[string]string{"alice": "CONFIRMED", "bob": "FORCE_CHANGE_PASSWORD"} {
		u, err := idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: aws.String(user)})
		if err != nil || string(u.UserStatus) != status {
			t.Errorf("%s: status %v (%v), want %s", user, u, err, status)
		}
	}
	if u, err := idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: aws.String("carol")}); err != nil || u.Enabled {
		t.Errorf("carol: %v %v, want disabled", u, err)
	}
	if _, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: aws.String(second.Clients["shop-users/shop-web"]),
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Alice-passw0rd"}}); err == nil {
		t.Error("shop-web allowed USER_PASSWORD_AUTH, which its authFlows leave out")
	}
	pol, err := s3.NewFromConfig(srv.RootConfig(), func(o *s3.Options) { o.UsePathStyle = true }).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("shop-orders")})
	if err != nil || !strings.Contains(aws.ToString(pol.Policy), second.Roles["shop-admin"]) {
		t.Errorf("bucket policy %v (%v) does not name the role %s", aws.ToString(pol.Policy), err, second.Roles["shop-admin"])
	}
	if !strings.Contains(second.Roles["shop-admin"], ":role/shop/shop-admin") {
		t.Errorf("shop-admin's ARN %s lacks its path", second.Roles["shop-admin"])
	}
}

// TestApplyUpdates changes the file and checks that apply updates exactly
// what changed, and that the run after that is quiet again.
func TestApplyUpdates(t *testing.T) {
	srv := apptest.NewServer(t)
	counter := &writeCounter{}
	cfg := counted(srv.RootConfig(), counter)
	f := loadFull(t)
	apply(t, cfg, f, Options{})

	p := &f.UserPools[0]
	p.PasswordPolicy.MinimumLength = aws.Int(12)
	p.Schema = append(p.Schema, Attribute{Name: "nickname2", Type: "String"})
	p.Clients[0].CallbackURLs = []string{"https://shop.example/callback", "https://shop.example/other"}
	p.Clients[0].TokenValidity.Access = "1h"
	p.Groups[1].Precedence = aws.Int(5)
	p.Users[0].Attributes["custom:tier"] = "platinum"
	p.Users[1].Groups = append(p.Users[1].Groups, "admins")
	f.Roles[1].Policies[0].Document = mustDoc(t, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shop-catalog/public/*"}]}`)
	f.Policies[0].Document = mustDoc(t, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::shop-orders/${cognito-identity.amazonaws.com:sub}/*"}]}`)
	f.Buckets[0].CORS[0].AllowedOrigins = []string{"https://shop.example", "https://www.shop.example"}
	f.IdentityPools[0].RoleMappings[0].Rules[0].Value = "staff"

	res := apply(t, cfg, f, Options{})
	got := changed(res)
	want := []string{
		"update user pool shop-users passwordPolicy.minimumLength, custom attributes",
		"update app client shop-users/shop-web callbackURLs, tokenValidity.access",
		"update managed policy shop-orders document",
		"update role shop-guest inline policy read-catalog",
		"update identity pool roles shop_identities roleMappings",
		"update group shop-users/customers precedence",
		"update user shop-users/alice attributes",
		"update user shop-users/bob group admins",
		"update bucket shop-orders cors",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	counter.take()
	again := apply(t, cfg, f, Options{})
	if c := changed(again); len(c) > 0 || again.Writes != 0 || len(counter.take()) != 0 {
		t.Errorf("the apply after the update changed %v (%d writes)", c, again.Writes)
	}

	// The managed policy was replaced in place: still attached, new text.
	ctx := context.Background()
	iamc := iam.NewFromConfig(srv.RootConfig())
	att, err := iamc.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("shop-customer")})
	if err != nil || len(att.AttachedPolicies) != 1 {
		t.Fatalf("shop-customer's policies after the update: %v %v", att, err)
	}
	pol, err := iamc.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: att.AttachedPolicies[0].PolicyArn})
	if err != nil {
		t.Fatal(err)
	}
	v, err := iamc.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: pol.Policy.Arn, VersionId: pol.Policy.DefaultVersionId})
	if err != nil || !strings.Contains(decodeDocument(v.PolicyVersion.Document), "s3:ListBucket") {
		t.Errorf("shop-orders document after the update: %v %v", v, err)
	}
}

// TestApplyDryRun checks that a dry run reads, reports and writes nothing,
// on a fresh server and on one that differs from the file.
func TestApplyDryRun(t *testing.T) {
	srv := apptest.NewServer(t)
	counter := &writeCounter{}
	cfg := counted(srv.RootConfig(), counter)
	f := loadFull(t)
	var log strings.Builder
	res := apply(t, cfg, f, Options{DryRun: true, Log: &log})
	if res.Count(Created) != 20 || res.Writes != 0 || len(counter.take()) != 0 {
		t.Errorf("dry run on a fresh server: %d creates, %d writes counted, %v", res.Count(Created), res.Writes, counter.take())
	}
	if !strings.Contains(log.String(), "create     app client          shop-users/shop-web") {
		t.Errorf("dry run log:\n%s", log.String())
	}
	if !strings.HasPrefix(res.Summary(true), "dry run: would create 20, update 0") {
		t.Errorf("summary %q", res.Summary(true))
	}
	ef, _, err := Export(context.Background(), srv.RootConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(ef.UserPools)+len(ef.Roles)+len(ef.Buckets) != 0 {
		t.Errorf("a dry run created %+v", ef)
	}

	apply(t, cfg, f, Options{})
	f.Buckets[0].CORS[0].MaxAgeSeconds = aws.Int(60)
	counter.take()
	res = apply(t, cfg, f, Options{DryRun: true})
	if got := changed(res); !slices.Equal(got, []string{"update bucket shop-orders cors"}) || len(counter.take()) != 0 {
		t.Errorf("dry run of a change: %v", got)
	}
	if res := apply(t, cfg, f, Options{DryRun: true}); res.Count(Updated) != 1 {
		t.Errorf("the dry run changed the server: now %v", changed(res))
	}
}

// TestApplyConflicts checks that what cannot change without deleting is
// reported, and the rest still applied.
func TestApplyConflicts(t *testing.T) {
	srv := apptest.NewServer(t)
	f := loadFull(t)
	apply(t, srv.RootConfig(), f, Options{})
	f.UserPools[0].AliasAttributes = []string{"email"}
	f.UserPools[0].Clients[1].GenerateSecret = false
	f.UserPools[0].Clients[1].OAuthFlows = nil
	f.UserPools[0].Domain = "shop-login-2"
	f.Buckets[1].CORS = []CORSRule{{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}}
	res, err := Apply(context.Background(), srv.RootConfig(), f, Options{})
	if err == nil || len(res.Conflicts) != 3 {
		t.Fatalf("Apply = %v with conflicts %q, want 3", err, res.Conflicts)
	}
	for i, want := range []string{"aliasAttributes", "domain", "generateSecret"} {
		if !strings.Contains(res.Conflicts[i], want) {
			t.Errorf("conflict %d = %q, want one about %s", i, res.Conflicts[i], want)
		}
	}
	if got := changed(res); !slices.Contains(got, "update bucket shop-catalog cors") {
		t.Errorf("the rest was not applied: %v", got)
	}
}

// TestExportRoundTrip exports a setup, applies the export to a fresh server
// and exports that: the two exports are the same text. The export applied
// back to its own server changes nothing.
func TestExportRoundTrip(t *testing.T) {
	a := apptest.NewServer(t)
	apply(t, a.RootConfig(), loadFull(t), Options{})
	exported := export(t, a.RootConfig())

	f, err := Load("export.yaml", exported, nil)
	if err != nil {
		t.Fatalf("the export does not load: %v\n%s", err, exported)
	}
	counter := &writeCounter{}
	if res := apply(t, counted(a.RootConfig(), counter), f, Options{}); res.Writes != 0 || len(counter.take()) != 0 {
		t.Errorf("the export applied to its own server changed %v", changed(res))
	}

	b := apptest.NewServer(t)
	apply(t, b.RootConfig(), f, Options{})
	if again := export(t, b.RootConfig()); string(again) != string(exported) {
		t.Errorf("export → apply → export differs:\n--- first\n%s\n--- second\n%s", exported, again)
	}
	if !strings.Contains(string(exported), "Not exported: client secrets") || strings.Contains(string(exported), "Alice-passw0rd") {
		t.Errorf("the export does not say what it leaves out, or holds a password:\n%s", exported)
	}
}

func mustDoc(t *testing.T, doc string) Document {
	t.Helper()
	n, err := jsonToNode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return Document{node: n}
}

func export(t *testing.T, cfg aws.Config) []byte {
	t.Helper()
	f, notes, err := Export(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	out, err := WriteExport(f, notes)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
