package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestListObjectsQueryPlan: a prefix listing is a range search on the
// objects' primary key, bounded on both sides, so its cost does not grow
// with the keys sorting after the prefix.
func TestListObjectsQueryPlan(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "federa.db"))
	defer s.Close()
	query, args := listObjectsQuery(sqlite, "b", "photos/", "photos/2026", 1001)
	rows, err := s.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	got := strings.Join(plan, "; ")
	if !strings.Contains(got, "SEARCH objects USING INDEX") || !strings.Contains(got, "object_key>? AND object_key<?") || strings.Contains(got, "TEMP B-TREE") {
		t.Errorf("query plan %q: want a search of the primary key's index bounded on both sides, without a sort", got)
	}
}
