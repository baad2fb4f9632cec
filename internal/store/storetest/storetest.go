// Package storetest is the conformance suite every store.Store
// implementation must pass. A backend's test file only calls Run.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/store"
)

// Run runs the suite; newStore returns a fresh, empty store for each subtest.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"UserPools", testUserPools},
		{"CascadeUserPool", testCascadeUserPool},
		{"Users", testUsers},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"FailedUpdateChangesNothing", testFailedUpdate},
		{"RefreshTokenExpiry", testRefreshExpiry},
		{"Outbox", testOutbox},
		{"Groups", testGroups},
		{"OIDCProviders", testOIDCProviders},
		{"Keys", testKeys},
		{"Identities", testIdentities},
		{"LinkLogins", testLinkLogins},
		{"Roles", testRoles},
		{"Policies", testPolicies},
		{"BucketsAndObjects", testBucketsAndObjects},
		{"ListObjectsPaging", testListObjects},
		{"ListObjectsPrefixBounds", testListObjectsBounds},
		{"Uploads", testUploads},
		{"ListUploads", testListUploads},
		{"CompleteUpload", testCompleteUpload},
		{"UploadRace", testUploadRace},
		{"ObjectCompareAndSwap", testObjectCompareAndSwap},
		{"TimeZoneAndUnicode", testTimeAndUnicode},
		{"ResourceServers", testResourceServers},
		{"AuthCodes", testAuthCodes},
		{"AuthCodeRace", testAuthCodeRace},
		{"RefreshTokenScopes", testRefreshTokenScopes},
		{"CascadeOAuth", testCascadeOAuth},
		{"Audit", testAudit},
		{"AuditConcurrentAppends", testAuditConcurrentAppends},
		{"AuditPagingUnderAppends", testAuditPagingUnderAppends},
		{"NewKeyRace", testNewKeyRace},
		{"DeleteBucketRace", testDeleteBucketRace},
		{"RestAPIs", testRestAPIs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

var ctx = context.Background()

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)

func testUserPools(t *testing.T, s store.Store) {
	for _, id := range []string{"us-east-1_B", "us-east-1_A", "us-east-1_C"} {
		check(t, s.CreateUserPool(ctx, store.UserPool{ID: id, Name: "n" + id, CreatedAt: t0, Spec: []byte(`{"x":1}`)}))
	}
	wantErr(t, s.CreateUserPool(ctx, store.UserPool{ID: "us-east-1_A"}), store.ErrExists)
	p, err := s.GetUserPool(ctx, "us-east-1_A")
	check(t, err)
	if p.Name != "nus-east-1_A" || string(p.Spec) != `{"x":1}` || !p.CreatedAt.Equal(t0) {
		t.Errorf("round trip: %+v", p)
	}
	_, err = s.GetUserPool(ctx, "nope")
	wantErr(t, err, store.ErrNotFound)
	page, err := s.ListUserPools(ctx, "", 2)
	check(t, err)
	if len(page) != 2 || page[0].ID != "us-east-1_A" || page[1].ID != "us-east-1_B" {
		t.Fatalf("first page %v", ids(page, func(p store.UserPool) string { return p.ID }))
	}
	page, err = s.ListUserPools(ctx, page[1].ID, 2)
	check(t, err)
	if len(page) != 1 || page[0].ID != "us-east-1_C" {
		t.Fatalf("second page %v", ids(page, func(p store.UserPool) string { return p.ID }))
	}
	_, err = s.UpdateUserPool(ctx, "nope", func(*store.UserPool) error { return nil })
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteUserPool(ctx, "nope"), store.ErrNotFound)
}

func testCascadeUserPool(t *testing.T, s store.Store) {
	check(t, s.CreateUserPool(ctx, store.UserPool{ID: "p1"}))
	check(t, s.CreateAppClient(ctx, store.AppClient{ClientID: "c1", PoolID: "p1"}))
	check(t, s.CreateDomain(ctx, store.Domain{Domain: "d1", PoolID: "p1"}))
	wantErr(t, s.CreateDomain(ctx, store.Domain{Domain: "d1", PoolID: "p2"}), store.ErrExists)
	check(t, s.CreateUser(ctx, store.User{PoolID: "p1", Key: "u", Sub: "s"}))
	check(t, s.CreateRefreshToken(ctx, store.RefreshToken{Hash: "h", PoolID: "p1", UserKey: "u", ExpiresAt: t0.Add(time.Hour)}))
	check(t, s.AddMessage(ctx, store.Message{ID: "m1", PoolID: "p1"}))
	check(t, s.DeleteUserPool(ctx, "p1"))
	if ms, err := s.ListMessages(ctx, "p1", "", 0); err != nil || len(ms) != 0 {
		t.Errorf("outbox survived its pool: %v %v", ms, err)
	}
	if _, err := s.GetAppClient(ctx, "c1"); !errors.Is(err, store.ErrNotFound) {
		t.Error("client survived its pool")
	}
	if _, err := s.GetDomain(ctx, "d1"); !errors.Is(err, store.ErrNotFound) {
		t.Error("domain survived its pool")
	}
	if _, err := s.GetUser(ctx, "p1", "u"); !errors.Is(err, store.ErrNotFound) {
		t.Error("user survived its pool")
	}
	if _, err := s.GetRefreshToken(ctx, "h"); !errors.Is(err, store.ErrNotFound) {
		t.Error("refresh token survived its pool")
	}
}

func testUsers(t *testing.T, s store.Store) {
	u := store.User{PoolID: "p", Key: "alice", Username: "Alice", Sub: "sub-1", Enabled: true, Status: "CONFIRMED",
		Attributes: map[string]string{"email": "a@example.com"}, CreatedAt: t0}
	check(t, s.CreateUser(ctx, u))
	wantErr(t, s.CreateUser(ctx, store.User{PoolID: "p", Key: "alice", Sub: "other"}), store.ErrExists)
	wantErr(t, s.CreateUser(ctx, store.User{PoolID: "p", Key: "bob", Sub: "sub-1"}), store.ErrExists)
	check(t, s.CreateUser(ctx, store.User{PoolID: "q", Key: "alice", Sub: "sub-1"})) // other pool
	got, err := s.GetUserBySub(ctx, "p", "sub-1")
	check(t, err)
	if got.Username != "Alice" || got.Attributes["email"] != "a@example.com" || !got.Enabled {
		t.Errorf("round trip %+v", got)
	}
	got, err = s.UpdateUser(ctx, "p", "alice", func(u *store.User) error { u.Status = "RESET"; u.Sub = "hijack"; return nil })
	check(t, err)
	if got.Status != "RESET" || got.Sub != "sub-1" {
		t.Errorf("update: status %s sub %s (sub must not change)", got.Status, got.Sub)
	}
	check(t, s.CreateRefreshToken(ctx, store.RefreshToken{Hash: "h1", PoolID: "p", UserKey: "alice", ExpiresAt: t0}))
	check(t, s.DeleteUser(ctx, "p", "alice"))
	if _, err := s.GetRefreshToken(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
		t.Error("refresh token survived its user")
	}
	wantErr(t, s.DeleteUser(ctx, "p", "alice"), store.ErrNotFound)
}

// testConcurrentUpdates runs N compare-and-swap increments at once; none may
// be lost.
func testConcurrentUpdates(t *testing.T, s store.Store) {
	check(t, s.CreateUser(ctx, store.User{PoolID: "p", Key: "k", Sub: "s", Attributes: map[string]string{"n": "0"}}))
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateUser(ctx, "p", "k", func(u *store.User) error {
				v, _ := strconv.Atoi(u.Attributes["n"])
				u.Attributes["n"] = strconv.Itoa(v + 1)
				return nil
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		check(t, err)
	}
	u, err := s.GetUser(ctx, "p", "k")
	check(t, err)
	if u.Attributes["n"] != strconv.Itoa(n) {
		t.Errorf("counter = %s after %d concurrent increments", u.Attributes["n"], n)
	}
}

func testFailedUpdate(t *testing.T, s store.Store) {
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "b", Policy: "before"}))
	boom := errors.New("boom")
	_, err := s.UpdateBucket(ctx, "b", func(b *store.Bucket) error { b.Policy = "after"; return boom })
	wantErr(t, err, boom)
	b, err := s.GetBucket(ctx, "b")
	check(t, err)
	if b.Policy != "before" {
		t.Errorf("a failed update wrote %q", b.Policy)
	}
}

func testRefreshExpiry(t *testing.T, s store.Store) {
	check(t, s.CreateRefreshToken(ctx, store.RefreshToken{Hash: "old", PoolID: "p", UserKey: "u", ExpiresAt: t0.Add(-time.Minute)}))
	check(t, s.CreateRefreshToken(ctx, store.RefreshToken{Hash: "new", PoolID: "p", UserKey: "u", ExpiresAt: t0.Add(time.Minute)}))
	wantErr(t, s.CreateRefreshToken(ctx, store.RefreshToken{Hash: "new"}), store.ErrExists)
	n, err := s.DeleteExpiredRefreshTokens(ctx, t0)
	check(t, err)
	if n != 1 {
		t.Errorf("removed %d, want 1", n)
	}
	if _, err := s.GetRefreshToken(ctx, "new"); err != nil {
		t.Errorf("unexpired token gone: %v", err)
	}
	check(t, s.DeleteUserRefreshTokens(ctx, "p", "u"))
	if _, err := s.GetRefreshToken(ctx, "new"); !errors.Is(err, store.ErrNotFound) {
		t.Error("DeleteUserRefreshTokens left a token")
	}
}

func testKeys(t *testing.T, s store.Store) {
	check(t, s.CreateKey(ctx, store.Key{Purpose: "jwt/p", ID: "k1", Material: []byte{1, 2}, CreatedAt: t0}))
	check(t, s.CreateKey(ctx, store.Key{Purpose: "jwt/p", ID: "k2", Material: []byte{3}, CreatedAt: t0.Add(time.Second)}))
	check(t, s.CreateKey(ctx, store.Key{Purpose: "session", ID: "k1", CreatedAt: t0}))
	wantErr(t, s.CreateKey(ctx, store.Key{Purpose: "jwt/p", ID: "k1"}), store.ErrExists)
	keys, err := s.ListKeys(ctx, "jwt/p")
	check(t, err)
	if len(keys) != 2 || keys[0].ID != "k2" || string(keys[1].Material) != "\x01\x02" {
		t.Errorf("keys %+v, want newest first", keys)
	}
	check(t, s.DeleteKey(ctx, "jwt/p", "k1"))
	wantErr(t, s.DeleteKey(ctx, "jwt/p", "k1"), store.ErrNotFound)
}

func testIdentities(t *testing.T, s store.Store) {
	check(t, s.CreateIdentityPool(ctx, store.IdentityPool{ID: "us-east-1:pool", Name: "n"}))
	l := store.Login{Provider: "cognito-idp.us-east-1.amazonaws.com/us-east-1_X", Subject: "sub-a"}
	check(t, s.CreateIdentity(ctx, store.Identity{ID: "us-east-1:a", PoolID: "us-east-1:pool", Logins: []store.Login{l}, CreatedAt: t0}))
	err := s.CreateIdentity(ctx, store.Identity{ID: "us-east-1:b", PoolID: "us-east-1:pool", Logins: []store.Login{l}})
	wantErr(t, err, store.ErrExists)
	if _, err := s.GetIdentity(ctx, "us-east-1:b"); !errors.Is(err, store.ErrNotFound) {
		t.Error("a refused CreateIdentity left the identity behind")
	}
	got, err := s.FindIdentityByLogin(ctx, "us-east-1:pool", l)
	check(t, err)
	if got.ID != "us-east-1:a" || len(got.Logins) != 1 || got.Logins[0] != l {
		t.Errorf("found %+v", got)
	}
	if _, err := s.FindIdentityByLogin(ctx, "other-pool", l); !errors.Is(err, store.ErrNotFound) {
		t.Error("login found in another pool")
	}
	check(t, s.TouchIdentity(ctx, "us-east-1:a", t0.Add(time.Hour)))
	got, _ = s.GetIdentity(ctx, "us-east-1:a")
	if !got.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("touched at %v", got.UpdatedAt)
	}
	list, err := s.ListIdentities(ctx, "us-east-1:pool", "", 0)
	check(t, err)
	if len(list) != 1 {
		t.Errorf("list %d identities", len(list))
	}
	check(t, s.DeleteIdentityPool(ctx, "us-east-1:pool"))
	if _, err := s.FindIdentityByLogin(ctx, "us-east-1:pool", l); !errors.Is(err, store.ErrNotFound) {
		t.Error("login survived its pool")
	}
	// The freed login can be linked again.
	check(t, s.CreateIdentity(ctx, store.Identity{ID: "us-east-1:c", PoolID: "us-east-1:pool", Logins: []store.Login{l}}))
}

func testRoles(t *testing.T, s store.Store) {
	r := store.Role{Name: "Cognito_Auth", ID: "AROA1", Path: "/", TrustPolicy: `{}`, MaxSessionDuration: 3600, CreatedAt: t0,
		InlinePolicies: map[string]string{"p": "{}"}, AttachedPolicies: []string{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}}
	check(t, s.CreateRole(ctx, r))
	wantErr(t, s.CreateRole(ctx, store.Role{Name: "cognito_auth", ID: "AROA2"}), store.ErrExists)
	got, err := s.GetRole(ctx, "COGNITO_AUTH")
	check(t, err)
	if got.Name != "Cognito_Auth" || got.ID != "AROA1" || got.InlinePolicies["p"] != "{}" || len(got.AttachedPolicies) != 1 {
		t.Errorf("round trip %+v", got)
	}
	got, err = s.UpdateRole(ctx, "cognito_auth", func(r *store.Role) error { r.ID = "changed"; r.Description = "d"; return nil })
	check(t, err)
	if got.ID != "AROA1" || got.Description != "d" {
		t.Errorf("update %+v", got)
	}
	check(t, s.CreateRole(ctx, store.Role{Name: "B", ID: "AROA3"}))
	list, err := s.ListRoles(ctx, "B", 0)
	check(t, err)
	if len(list) != 1 || list[0].Name != "Cognito_Auth" {
		t.Errorf("list after B: %v", ids(list, func(r store.Role) string { return r.Name }))
	}
	check(t, s.DeleteRole(ctx, "cognito_auth"))
	wantErr(t, s.DeleteRole(ctx, "cognito_auth"), store.ErrNotFound)
}

func testPolicies(t *testing.T, s store.Store) {
	arn := "arn:aws:iam::123456789012:policy/p"
	check(t, s.CreatePolicy(ctx, store.ManagedPolicy{ARN: arn, Name: "p", DefaultVersionID: "v1",
		Versions: []store.PolicyVersion{{ID: "v1", Document: "{}", CreatedAt: t0}}}))
	wantErr(t, s.CreatePolicy(ctx, store.ManagedPolicy{ARN: arn}), store.ErrExists)
	p, err := s.UpdatePolicy(ctx, arn, func(p *store.ManagedPolicy) error {
		p.Versions = append(p.Versions, store.PolicyVersion{ID: "v2", Document: `{"a":1}`})
		p.DefaultVersionID = "v2"
		return nil
	})
	check(t, err)
	if len(p.Versions) != 2 || p.DefaultVersionID != "v2" {
		t.Errorf("update %+v", p)
	}
	check(t, s.DeletePolicy(ctx, arn))
	_, err = s.GetPolicy(ctx, arn)
	wantErr(t, err, store.ErrNotFound)
}

func testBucketsAndObjects(t *testing.T, s store.Store) {
	_, err := s.PutObject(ctx, store.Object{Bucket: "missing", Key: "k"}, nil)
	wantErr(t, err, store.ErrNotFound)
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "b", Region: "us-east-1", CreatedAt: t0}))
	wantErr(t, s.CreateBucket(ctx, store.Bucket{Name: "b"}), store.ErrExists)
	prev, err := s.PutObject(ctx, store.Object{Bucket: "b", Key: "k", BlobID: "blob1", Size: 3, Metadata: map[string]string{"a": "1"}}, nil)
	check(t, err)
	if prev != nil {
		t.Errorf("first put replaced %+v", prev)
	}
	prev, err = s.PutObject(ctx, store.Object{Bucket: "b", Key: "k", BlobID: "blob2"}, nil)
	check(t, err)
	if prev == nil || prev.BlobID != "blob1" || prev.Metadata["a"] != "1" {
		t.Errorf("second put replaced %+v", prev)
	}
	// A conditional write sees the current object and its refusal changes
	// nothing.
	errNo := errors.New("precondition")
	_, err = s.PutObject(ctx, store.Object{Bucket: "b", Key: "k", BlobID: "blob3"}, func(cur *store.Object) error {
		if cur == nil || cur.BlobID != "blob2" {
			t.Errorf("check saw %+v", cur)
		}
		return errNo
	})
	wantErr(t, err, errNo)
	var sawNil bool
	_, err = s.PutObject(ctx, store.Object{Bucket: "b", Key: "new", BlobID: "blob4", Checksum: &store.Checksum{Algorithm: "CRC32", Value: "AAAAAA==", Type: "FULL_OBJECT"},
		Tags: map[string]string{"t": "1"}, Parts: []store.ObjectPart{{BlobID: "p1", Size: 1, ETag: `"e"`}}}, func(cur *store.Object) error {
		sawNil = cur == nil
		return nil
	})
	check(t, err)
	if !sawNil {
		t.Error("check for a new key saw an object")
	}
	o, err := s.GetObject(ctx, "b", "k")
	check(t, err)
	if o.BlobID != "blob2" {
		t.Errorf("refused conditional write changed the object: %+v", o)
	}
	o, err = s.GetObject(ctx, "b", "new")
	check(t, err)
	if o.Checksum == nil || o.Checksum.Value != "AAAAAA==" || o.Tags["t"] != "1" || len(o.Parts) != 1 || o.Parts[0].BlobID != "p1" {
		t.Errorf("checksum, tags or parts lost: %+v", o)
	}
	_, err = s.DeleteObject(ctx, "b", "new")
	check(t, err)
	wantErr(t, s.DeleteBucket(ctx, "b"), store.ErrConflict)
	prev, err = s.DeleteObject(ctx, "b", "k")
	check(t, err)
	if prev == nil || prev.BlobID != "blob2" {
		t.Errorf("delete returned %+v", prev)
	}
	prev, err = s.DeleteObject(ctx, "b", "k")
	if err != nil || prev != nil {
		t.Errorf("deleting a missing object: %v %v", prev, err)
	}
	check(t, s.DeleteBucket(ctx, "b"))
	wantErr(t, s.DeleteBucket(ctx, "b"), store.ErrNotFound)
}

func testListObjects(t *testing.T, s store.Store) {
	check(t, s.CreateBucket(ctx, store.Bucket{Name: "b"}))
	keys := []string{"a", "a/", "a/1", "a/2", "a%", "a_x", "ab", "b/1", "€/x"}
	for _, k := range keys {
		_, err := s.PutObject(ctx, store.Object{Bucket: "b", Key: k}, nil)
		check(t, err)
	}
	get := func(prefix, after string, limit int) []string {
		os, err := s.ListObjects(ctx, "b", prefix, after, limit)
		check(t, err)
		return ids(os, func(o store.Object) string { return o.Key })
	}
	cases := []struct {
		prefix, after string
		limit         int
		want          string
	}{
		{"", "", 0, "[a a% a/ a/1 a/2 a_x ab b/1 €/x]"},
		{"a/", "", 0, "[a/ a/1 a/2]"},
		{"a/", "a/1", 0, "[a/2]"},
		{"a%", "", 0, "[a%]"}, // '%' and '_' are not wildcards
		{"a_", "", 0, "[a_x]"},
		{"", "a/1", 2, "[a/2 a_x]"},
		{"€", "", 0, "[€/x]"},
		{"z", "", 0, "[]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(get(c.prefix, c.after, c.limit)); got != c.want {
			t.Errorf("ListObjects(prefix %q, after %q, limit %d) = %s, want %s", c.prefix, c.after, c.limit, got, c.want)
		}
	}
}

func testTimeAndUnicode(t *testing.T, s store.Store) {
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	local := time.Date(2026, 1, 1, 10, 0, 0, 123456789, zone)
	key := "ünï/cödé ☃ e\u0301 🙂"
	check(t, s.CreateUser(ctx, store.User{PoolID: "p", Key: key, Username: key, Sub: "s", CreatedAt: local,
		Attributes: map[string]string{"name": "Zoë 🙂"}}))
	u, err := s.GetUser(ctx, "p", key)
	check(t, err)
	if u.Username != key || u.Attributes["name"] != "Zoë 🙂" {
		t.Errorf("unicode round trip %+v", u)
	}
	if !u.CreatedAt.Equal(local) || u.CreatedAt.Location() != time.UTC {
		t.Errorf("time %v (%v), want the same instant in UTC", u.CreatedAt, u.CreatedAt.Location())
	}
}

func ids[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func testOutbox(t *testing.T, s store.Store) {
	for i, id := range []string{"0002", "0001", "0003"} {
		check(t, s.AddMessage(ctx, store.Message{ID: id, PoolID: "p", Username: "u", Medium: "EMAIL", Body: "code " + id,
			CreatedAt: t0.Add(time.Duration(i) * time.Second)}))
	}
	check(t, s.AddMessage(ctx, store.Message{ID: "0000", PoolID: "other"}))
	wantErr(t, s.AddMessage(ctx, store.Message{ID: "0001", PoolID: "p"}), store.ErrExists)
	all, err := s.ListMessages(ctx, "p", "", 0)
	check(t, err)
	if got := ids(all, func(m store.Message) string { return m.ID }); strings.Join(got, ",") != "0001,0002,0003" {
		t.Errorf("messages %v, want oldest first, this pool only", got)
	}
	if all[0].Body != "code 0001" || !all[0].CreatedAt.Equal(t0.Add(time.Second)) {
		t.Errorf("message read back as %+v", all[0])
	}
	page, err := s.ListMessages(ctx, "p", "0001", 1)
	check(t, err)
	if len(page) != 1 || page[0].ID != "0002" {
		t.Errorf("page after 0001 = %v", ids(page, func(m store.Message) string { return m.ID }))
	}
}

func testGroups(t *testing.T, s store.Store) {
	one := 1
	check(t, s.CreateGroup(ctx, store.Group{PoolID: "p", Name: "admins", RoleARN: "arn:aws:iam::1:role/A", Precedence: &one, CreatedAt: t0}))
	check(t, s.CreateGroup(ctx, store.Group{PoolID: "p", Name: "Readers"}))
	check(t, s.CreateGroup(ctx, store.Group{PoolID: "q", Name: "admins"}))
	wantErr(t, s.CreateGroup(ctx, store.Group{PoolID: "p", Name: "admins"}), store.ErrExists)
	g, err := s.GetGroup(ctx, "p", "admins")
	check(t, err)
	if g.RoleARN != "arn:aws:iam::1:role/A" || g.Precedence == nil || *g.Precedence != 1 || !g.CreatedAt.Equal(t0) {
		t.Errorf("group read back as %+v", g)
	}
	if _, err := s.GetGroup(ctx, "p", "ADMINS"); !errors.Is(err, store.ErrNotFound) {
		t.Error("group names must be case-sensitive")
	}
	gs, err := s.ListGroups(ctx, "p", "", 0)
	check(t, err)
	if got := ids(gs, func(g store.Group) string { return g.Name }); strings.Join(got, ",") != "Readers,admins" {
		t.Errorf("groups %v", got)
	}
	g, err = s.UpdateGroup(ctx, "p", "admins", func(g *store.Group) error { g.Description = "all"; g.Name = "renamed"; return nil })
	check(t, err)
	if g.Name != "admins" || g.Description != "all" {
		t.Errorf("updated group %+v", g)
	}
	check(t, s.CreateUser(ctx, store.User{PoolID: "p", Key: "u1", Sub: "s1"}))
	check(t, s.CreateUser(ctx, store.User{PoolID: "p", Key: "u2", Sub: "s2"}))
	check(t, s.AddGroupMember(ctx, "p", "admins", "u1"))
	check(t, s.AddGroupMember(ctx, "p", "admins", "u1")) // idempotent
	check(t, s.AddGroupMember(ctx, "p", "admins", "u2"))
	check(t, s.AddGroupMember(ctx, "p", "Readers", "u1"))
	members, err := s.ListGroupMembers(ctx, "p", "admins", "", 0)
	check(t, err)
	if strings.Join(members, ",") != "u1,u2" {
		t.Errorf("members %v", members)
	}
	page, err := s.ListGroupMembers(ctx, "p", "admins", "u1", 1)
	check(t, err)
	if strings.Join(page, ",") != "u2" {
		t.Errorf("members after u1: %v", page)
	}
	mine, err := s.ListUserGroups(ctx, "p", "u1")
	check(t, err)
	if strings.Join(mine, ",") != "Readers,admins" {
		t.Errorf("u1's groups %v", mine)
	}
	check(t, s.RemoveGroupMember(ctx, "p", "Readers", "u1"))
	check(t, s.DeleteUser(ctx, "p", "u2"))
	members, err = s.ListGroupMembers(ctx, "p", "admins", "", 0)
	check(t, err)
	if strings.Join(members, ",") != "u1" {
		t.Errorf("members after removal and user deletion: %v", members)
	}
	check(t, s.DeleteGroup(ctx, "p", "admins"))
	wantErr(t, s.DeleteGroup(ctx, "p", "admins"), store.ErrNotFound)
	if mine, _ := s.ListUserGroups(ctx, "p", "u1"); len(mine) != 0 {
		t.Errorf("memberships survived the group: %v", mine)
	}
}

func testLinkLogins(t *testing.T, s store.Store) {
	a := store.Login{Provider: "p1", Subject: "a"}
	b := store.Login{Provider: "p2", Subject: "b"}
	c := store.Login{Provider: "p1", Subject: "c"}
	check(t, s.CreateIdentity(ctx, store.Identity{ID: "r:1", PoolID: "pool", Logins: []store.Login{a}}))
	check(t, s.CreateIdentity(ctx, store.Identity{ID: "r:2", PoolID: "pool", Logins: []store.Login{c}}))
	id, err := s.LinkLogins(ctx, "r:1", []store.Login{a, b}, t0)
	check(t, err)
	if len(id.Logins) != 2 || !id.UpdatedAt.Equal(t0) {
		t.Errorf("after linking: %+v", id)
	}
	if got, err := s.FindIdentityByLogin(ctx, "pool", b); err != nil || got.ID != "r:1" {
		t.Errorf("linked login finds %+v %v", got, err)
	}
	// A login of another identity: refused, and nothing changes.
	_, err = s.LinkLogins(ctx, "r:1", []store.Login{{Provider: "p3", Subject: "d"}, c}, t0)
	wantErr(t, err, store.ErrExists)
	if _, err := s.FindIdentityByLogin(ctx, "pool", store.Login{Provider: "p3", Subject: "d"}); !errors.Is(err, store.ErrNotFound) {
		t.Error("a refused link wrote part of itself")
	}
	id, err = s.UnlinkLogins(ctx, "r:1", []store.Login{a}, t0)
	check(t, err)
	if len(id.Logins) != 1 || id.Logins[0] != b {
		t.Errorf("after unlinking: %+v", id.Logins)
	}
	if _, err := s.FindIdentityByLogin(ctx, "pool", a); !errors.Is(err, store.ErrNotFound) {
		t.Error("an unlinked login still finds its identity")
	}
	_, err = s.LinkLogins(ctx, "r:none", []store.Login{a}, t0)
	wantErr(t, err, store.ErrNotFound)
}

func testOIDCProviders(t *testing.T, s store.Store) {
	arn := "arn:aws:iam::1:oidc-provider/idp.example.com/tenant"
	check(t, s.CreateOIDCProvider(ctx, store.OIDCProvider{ARN: arn, URL: "https://idp.example.com/tenant", ClientIDs: []string{"a"}, CreatedAt: t0}))
	wantErr(t, s.CreateOIDCProvider(ctx, store.OIDCProvider{ARN: arn}), store.ErrExists)
	p, err := s.UpdateOIDCProvider(ctx, arn, func(p *store.OIDCProvider) error {
		p.ClientIDs = append(p.ClientIDs, "b")
		p.URL = "https://changed"
		return nil
	})
	check(t, err)
	if len(p.ClientIDs) != 2 || p.URL != "https://idp.example.com/tenant" || !p.CreatedAt.Equal(t0) {
		t.Errorf("updated provider %+v", p)
	}
	list, err := s.ListOIDCProviders(ctx)
	check(t, err)
	if len(list) != 1 || list[0].ARN != arn {
		t.Errorf("list %+v", list)
	}
	check(t, s.DeleteOIDCProvider(ctx, arn))
	wantErr(t, s.DeleteOIDCProvider(ctx, arn), store.ErrNotFound)
	if _, err := s.GetOIDCProvider(ctx, arn); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted provider: %v", err)
	}
}
