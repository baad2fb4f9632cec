package demo

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"github.com/federa/federa/internal/setup"
)

// TestSeedFileIsTheExample keeps the embedded copy identical to
// examples/seed004.yaml, the file users read and apply themselves.
func TestSeedFileIsTheExample(t *testing.T) {
	example, err := os.ReadFile("../../examples/seed004.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(example, SeedFile()) {
		t.Fatal("internal/demo/seed004.yaml differs from examples/seed004.yaml: cp examples/seed004.yaml internal/demo/")
	}
}

// TestSeedFileNames checks that the names the walkthrough prints are the
// file's.
func TestSeedFileNames(t *testing.T) {
	f, err := setup.Load("seed004.yaml", SeedFile(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.UserPools) != 1 || f.UserPools[0].Name != PoolName || f.UserPools[0].Domain != DomainPrefix {
		t.Fatalf("user pools = %+v, want %s with domain %s", f.UserPools, PoolName, DomainPrefix)
	}
	p := f.UserPools[0]
	if len(p.Clients) != 1 || p.Clients[0].Name != ClientName {
		t.Errorf("clients = %+v, want %s", p.Clients, ClientName)
	}
	if !slices.ContainsFunc(p.Users, func(u setup.User) bool { return u.Username == Username && u.Password == Password }) {
		t.Errorf("users = %+v, want %s with password %s", p.Users, Username, Password)
	}
	if len(f.IdentityPools) != 1 || f.IdentityPools[0].Name != IdentityPoolName {
		t.Errorf("identity pools = %+v, want %s", f.IdentityPools, IdentityPoolName)
	}
	if !slices.ContainsFunc(f.Roles, func(r setup.Role) bool { return r.Name == AuthRoleName }) {
		t.Errorf("roles lack %s", AuthRoleName)
	}
	if !slices.ContainsFunc(f.Policies, func(p setup.Policy) bool { return p.Name == PolicyName }) {
		t.Errorf("policies lack %s", PolicyName)
	}
	if len(f.Buckets) != 1 || f.Buckets[0].Name != Bucket {
		t.Errorf("buckets = %+v, want %s", f.Buckets, Bucket)
	}
}
