package userpool_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/store/sqlstore"
	"github.com/federa/federa/internal/userpool"
)

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newService(t testing.TB) (*userpool.Service, *clock) {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	return userpool.New(st, userpool.Options{Region: "us-east-1", AccountID: "123456789012", PublicURL: "http://127.0.0.1:4566", Now: c.Now}), c
}

func code(err error) string {
	if e, ok := awserr.As(err); ok {
		return e.Code
	}
	if err != nil {
		return "untyped: " + err.Error()
	}
	return ""
}

// setup creates a pool, a client allowing password sign-in and a confirmed user.
func setup(t testing.TB, s *userpool.Service, set userpool.ClientSettings) (userpool.Pool, userpool.Client) {
	t.Helper()
	ctx := context.Background()
	p, err := s.CreateUserPool(ctx, "notes", userpool.PoolSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if set.ExplicitAuthFlows == nil {
		set.ExplicitAuthFlows = []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"}
	}
	c, err := s.CreateUserPoolClient(ctx, p.ID, "app", set)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminCreateUser(ctx, userpool.AdminCreateUserInput{PoolID: p.ID, Username: "Alice", MessageAction: "SUPPRESS",
		Attributes: []userpool.Attribute{{Name: "email", Value: "alice@example.com"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AdminSetUserPassword(ctx, p.ID, "alice", "Corr3ct-horse!", true); err != nil {
		t.Fatal(err)
	}
	return p, c
}

func TestPasswordSignInAndTokens(t *testing.T) {
	ctx := context.Background()
	s, clk := newService(t)
	p, c := setup(t, s, userpool.ClientSettings{})
	res, err := s.InitiateAuth(ctx, c.ID, "USER_PASSWORD_AUTH", map[string]string{"USERNAME": "ALICE", "PASSWORD": "Corr3ct-horse!"})
	if err != nil {
		t.Fatal(err)
	}
	tok := res.Tokens
	if tok == nil || tok.IDToken == "" || tok.AccessToken == "" || tok.RefreshToken == "" || tok.ExpiresIn != 3600 {
		t.Fatalf("tokens = %+v", tok)
	}
	v, err := s.VerifyIDToken(ctx, p.ID, tok.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	if v.Audience != c.ID || v.Issuer != "http://127.0.0.1:4566/"+p.ID || v.Username != "Alice" || v.Subject == "" {
		t.Fatalf("verified = %+v", v)
	}
	u, err := s.GetUser(ctx, tok.AccessToken)
	if err != nil || u.Username != "Alice" {
		t.Fatalf("GetUser = %+v, %v", u, err)
	}
	// The access token is not an ID token, and vice versa.
	if _, err := s.VerifyIDToken(ctx, p.ID, tok.AccessToken); code(err) != "NotAuthorizedException" {
		t.Fatalf("access token accepted as ID token: %v", err)
	}
	if _, err := s.GetUser(ctx, tok.IDToken); code(err) != "NotAuthorizedException" {
		t.Fatalf("ID token accepted as access token: %v", err)
	}
	// Another pool's keys do not verify this pool's tokens.
	other, _ := s.CreateUserPool(ctx, "other", userpool.PoolSettings{})
	if _, err := s.VerifyIDToken(ctx, other.ID, tok.IDToken); code(err) != "NotAuthorizedException" {
		t.Fatalf("token verified for another pool: %v", err)
	}
	// A tampered payload fails the signature.
	parts := strings.Split(tok.IDToken, ".")
	forged := parts[0] + "." + parts[1][:len(parts[1])-2] + "xx." + parts[2]
	if _, err := s.VerifyIDToken(ctx, p.ID, forged); code(err) != "NotAuthorizedException" {
		t.Fatalf("forged token: %v", err)
	}
	// alg none is refused.
	none := "eyJhbGciOiJub25lIn0." + parts[1] + "."
	if _, err := s.VerifyIDToken(ctx, p.ID, none); code(err) != "NotAuthorizedException" {
		t.Fatalf("alg none token: %v", err)
	}

	// Refresh gives new tokens while the refresh token lives.
	res, err = s.InitiateAuth(ctx, c.ID, "REFRESH_TOKEN_AUTH", map[string]string{"REFRESH_TOKEN": tok.RefreshToken})
	if err != nil || res.Tokens.IDToken == "" || res.Tokens.RefreshToken != "" {
		t.Fatalf("refresh = %+v, %v", res.Tokens, err)
	}
	clk.now = clk.now.Add(2 * time.Hour)
	if _, err := s.VerifyIDToken(ctx, p.ID, tok.IDToken); code(err) != "NotAuthorizedException" {
		t.Fatalf("expired token accepted: %v", err)
	}
	clk.now = clk.now.Add(31 * 24 * time.Hour)
	if _, err := s.InitiateAuth(ctx, c.ID, "REFRESH_TOKEN_AUTH", map[string]string{"REFRESH_TOKEN": tok.RefreshToken}); code(err) != "NotAuthorizedException" {
		t.Fatalf("expired refresh token accepted: %v", err)
	}
}

func TestSignInRefusals(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	p, c := setup(t, s, userpool.ClientSettings{})
	_, secretClient := func() (userpool.Pool, userpool.Client) {
		sc, err := s.CreateUserPoolClient(ctx, p.ID, "server", userpool.ClientSettings{GenerateSecret: true, ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH"}})
		if err != nil {
			t.Fatal(err)
		}
		return p, sc
	}()
	srpOnly, err := s.CreateUserPoolClient(ctx, p.ID, "srp", userpool.ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	pw := func(user, pass string) map[string]string {
		return map[string]string{"USERNAME": user, "PASSWORD": pass}
	}
	tests := []struct {
		name, client, flow string
		params             map[string]string
		want               string
	}{
		{"wrong password", c.ID, "USER_PASSWORD_AUTH", pw("alice", "Wrong-pass1!"), "NotAuthorizedException"},
		{"unknown user is not revealed", c.ID, "USER_PASSWORD_AUTH", pw("bob", "Corr3ct-horse!"), "NotAuthorizedException"},
		{"flow not enabled", srpOnly.ID, "USER_PASSWORD_AUTH", pw("alice", "Corr3ct-horse!"), "InvalidParameterException"},
		{"missing secret hash", secretClient.ID, "USER_PASSWORD_AUTH", pw("alice", "Corr3ct-horse!"), "NotAuthorizedException"},
		{"unknown client", "nosuchclient", "USER_PASSWORD_AUTH", pw("alice", "Corr3ct-horse!"), "ResourceNotFoundException"},
		{"unknown flow", c.ID, "MAGIC", pw("alice", "x"), "InvalidParameterException"},
		{"bad refresh token", c.ID, "REFRESH_TOKEN_AUTH", map[string]string{"REFRESH_TOKEN": "nope"}, "NotAuthorizedException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.InitiateAuth(ctx, tt.client, tt.flow, tt.params)
			if got := code(err); got != tt.want {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.want)
			}
		})
	}
	// With the right SECRET_HASH the secret client signs in.
	params := pw("alice", "Corr3ct-horse!")
	params["SECRET_HASH"] = userpool.SecretHash(secretClient.Settings.ClientSecret, "alice", secretClient.ID)
	if _, err := s.InitiateAuth(ctx, secretClient.ID, "USER_PASSWORD_AUTH", params); err != nil {
		t.Fatalf("with SECRET_HASH: %v", err)
	}
	// Admin sign-in needs the pool the client belongs to.
	if _, err := s.AdminInitiateAuth(ctx, p.ID, c.ID, "ADMIN_USER_PASSWORD_AUTH", pw("alice", "Corr3ct-horse!")); err != nil {
		t.Fatalf("admin sign-in: %v", err)
	}
}

func TestPasswordPolicy(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	p, _ := setup(t, s, userpool.ClientSettings{})
	tests := []struct{ pw, want string }{
		{"Sh0rt!", "Password not long enough"},
		{"nouppercase1!", "Password must have uppercase characters"},
		{"NOLOWERCASE1!", "Password must have lowercase characters"},
		{"NoNumbers!!", "Password must have numeric characters"},
		{"NoSymbols123", "Password must have symbol characters"},
		{"Fine-passw0rd", ""},
	}
	for _, tt := range tests {
		t.Run(tt.pw, func(t *testing.T) {
			err := s.AdminSetUserPassword(ctx, p.ID, "alice", tt.pw, true)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := awserr.As(err)
			if !ok || e.Code != "InvalidPasswordException" || !strings.HasSuffix(e.Message, tt.want) {
				t.Fatalf("err = %v, want InvalidPasswordException %q", err, tt.want)
			}
		})
	}
}

func TestUsersAndLists(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	p, _ := setup(t, s, userpool.ClientSettings{})
	if _, err := s.AdminCreateUser(ctx, userpool.AdminCreateUserInput{PoolID: p.ID, Username: "alice"}); code(err) != "UsernameExistsException" {
		t.Fatalf("duplicate username (case-insensitive): %v", err)
	}
	for _, name := range []string{"bob", "carol", "dave"} {
		if _, err := s.AdminCreateUser(ctx, userpool.AdminCreateUserInput{PoolID: p.ID, Username: name}); err != nil {
			t.Fatal(err)
		}
	}
	page, next, err := s.ListUsers(ctx, p.ID, "", "", 2)
	if err != nil || len(page) != 2 || next == "" {
		t.Fatalf("first page = %d users, next %q, %v", len(page), next, err)
	}
	rest, next2, _ := s.ListUsers(ctx, p.ID, "", next, 2)
	if len(rest) != 2 || next2 != "" {
		t.Fatalf("second page = %d users, next %q", len(rest), next2)
	}
	got, _, _ := s.ListUsers(ctx, p.ID, `email = "alice@example.com"`, "", 0)
	if len(got) != 1 || got[0].Username != "Alice" {
		t.Fatalf("filter by email = %+v", got)
	}
	got, _, _ = s.ListUsers(ctx, p.ID, `cognito:user_status = "FORCE_CHANGE_PASSWORD"`, "", 0)
	if len(got) != 3 {
		t.Fatalf("filter by status = %d users, want 3", len(got))
	}
	if _, _, err := s.ListUsers(ctx, p.ID, `email alice`, "", 0); code(err) != "InvalidParameterException" {
		t.Fatalf("bad filter: %v", err)
	}
	if err := s.AdminDeleteUser(ctx, p.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminGetUser(ctx, p.ID, "bob"); code(err) != "UserNotFoundException" {
		t.Fatalf("deleted user: %v", err)
	}
	if err := s.DeleteUserPool(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DescribeUserPool(ctx, p.ID); code(err) != "ResourceNotFoundException" {
		t.Fatalf("deleted pool: %v", err)
	}
}

// FuzzVerifyIDToken feeds arbitrary login tokens, as identity pools receive
// them from the network: none may verify, none may panic.
func FuzzVerifyIDToken(f *testing.F) {
	st, err := sqlstore.Open(context.Background(), filepath.Join(f.TempDir(), "db"))
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	s := userpool.New(st, userpool.Options{Region: "us-east-1", AccountID: "123456789012", PublicURL: "http://x"})
	p, err := s.CreateUserPool(context.Background(), "fuzz", userpool.PoolSettings{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
	f.Add("a.b.c")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		if _, err := s.VerifyIDToken(context.Background(), p.ID, token); err == nil {
			t.Fatalf("verified a token federa never signed: %q", token)
		}
		_, _ = s.GetUser(context.Background(), token)
	})
}

// TestLockout checks the brute-force defence: five wrong passwords are
// free, then each locks the user for twice as long, and even the right
// password is refused while locked; success resets the count.
func TestLockout(t *testing.T) {
	ctx := context.Background()
	s, clk := newService(t)
	_, cl := setup(t, s, userpool.ClientSettings{})
	try := func(pw string) string {
		_, err := s.InitiateAuth(ctx, cl.ID, "USER_PASSWORD_AUTH", map[string]string{"USERNAME": "alice", "PASSWORD": pw})
		if e, ok := awserr.As(err); ok {
			return e.Code + ": " + e.Message
		}
		return code(err)
	}
	for i := 0; i < 5; i++ {
		if got := try("wrong"); got != "NotAuthorizedException: Incorrect username or password." {
			t.Fatalf("attempt %d: %s", i+1, got)
		}
	}
	if got := try("Corr3ct-horse!"); got != "NotAuthorizedException: Password attempts exceeded" {
		t.Fatalf("right password while locked: %s", got)
	}
	clk.now = clk.now.Add(2 * time.Second)
	if got := try("wrong"); got != "NotAuthorizedException: Incorrect username or password." {
		t.Fatalf("after the lock: %s", got)
	}
	clk.now = clk.now.Add(time.Second) // the sixth failure locks for 2 s
	if got := try("Corr3ct-horse!"); got != "NotAuthorizedException: Password attempts exceeded" {
		t.Fatalf("lock did not grow: %s", got)
	}
	clk.now = clk.now.Add(2 * time.Second)
	if got := try("Corr3ct-horse!"); got != "" {
		t.Fatalf("right password after the lock: %s", got)
	}
	for i := 0; i < 5; i++ { // the count started again
		if got := try("wrong"); got != "NotAuthorizedException: Incorrect username or password." {
			t.Fatalf("after a success, attempt %d: %s", i+1, got)
		}
	}
}
