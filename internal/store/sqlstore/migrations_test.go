package sqlstore

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// migrationNames lists a dialect's embedded migrations, in order.
func migrationNames(t *testing.T, dialect string) []string {
	t.Helper()
	entries, err := fs.ReadDir(migrations, "migrations/"+dialect)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestMigrationSetsMatch: every dialect has the same migrations, numbered
// and named alike, so that a store of either is at the same version after
// the same migration; the numbers run 0001, 0002, … without a gap.
func TestMigrationSetsMatch(t *testing.T) {
	sqliteSet, pgSet := migrationNames(t, "sqlite"), migrationNames(t, "postgres")
	if !slices.Equal(sqliteSet, pgSet) {
		t.Errorf("migrations differ:\n sqlite:   %v\n postgres: %v", sqliteSet, pgSet)
	}
	for i, name := range sqliteSet {
		if want := fmt.Sprintf("%04d_", i+1); !strings.HasPrefix(name, want) || !strings.HasSuffix(name, ".sql") {
			t.Errorf("migration %d is %s; want %s….sql", i+1, name, want)
		}
	}
}

// TestMigrationsSplit: migrate splits a file at every ';', so a ';' inside
// a comment would cut a statement, and a piece of comments alone would be
// sent as an empty statement.
func TestMigrationsSplit(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		for _, name := range migrationNames(t, dialect) {
			body, err := fs.ReadFile(migrations, "migrations/"+dialect+"/"+name)
			if err != nil {
				t.Fatal(err)
			}
			for i, piece := range strings.Split(string(body), ";") {
				code := false
				for line := range strings.Lines(piece) {
					if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "--") {
						code = true
					}
				}
				if !code && strings.TrimSpace(piece) != "" {
					t.Errorf("%s/%s: statement %d is only comments (a ';' in a comment?)", dialect, name, i+1)
				}
			}
		}
	}
}
