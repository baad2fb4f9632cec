package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/sqlstore/pgtest"
	"github.com/federa/federa/internal/store/storetest"
)

// requirePostgres skips t without a test database (pgtest.BaseDSN).
func requirePostgres(t *testing.T) {
	t.Helper()
	pgtest.BaseDSN(t)
}

// openPostgresTest opens a store over a fresh schema (pgtest.DSN), closed
// when t ends.
func openPostgresTest(t *testing.T) *Store {
	t.Helper()
	requirePostgres(t)
	s, err := Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPostgresConformance(t *testing.T) {
	requirePostgres(t) // skip once, not in every subtest
	storetest.Run(t, func(t *testing.T) store.Store { return openPostgresTest(t) })
}

// TestPostgresSerializableConformance runs the suite with every transaction
// SERIALIZABLE, the isolation sqlstore uses on CockroachDB and YugabyteDB:
// there the retries, not the row locks, must keep updates from being lost,
// and each redemption of a code exactly-once.
func TestPostgresSerializableConformance(t *testing.T) {
	requirePostgres(t)
	var retries atomic.Int64
	t.Run("suite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			s := openPostgresTest(t)
			s.pg.iso = sql.LevelSerializable
			t.Cleanup(func() { retries.Add(s.pg.retries.Load()) })
			return s
		})
	})
	t.Logf("%d transactions retried", retries.Load())
}

// TestPostgresReopenKeepsData: migrations are applied once and data stays.
func TestPostgresReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	requirePostgres(t)
	dsn := pgtest.DSN(t)
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateBucket(ctx, store.Bucket{Name: "kept"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.GetBucket(ctx, "kept"); err != nil {
		t.Fatalf("after reopen: %v", err)
	}
}

// TestPostgresConcurrentOpen: nodes starting at once over one empty
// database all open it, and each migration is applied once.
func TestPostgresConcurrentOpen(t *testing.T) {
	ctx := context.Background()
	requirePostgres(t)
	dsn := pgtest.DSN(t)
	const nodes = 4
	stores := make([]*Store, nodes)
	errs := make([]error, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() { stores[i], errs[i] = Open(ctx, dsn) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	if t.Failed() {
		return
	}
	var n, distinct int
	if err := stores[0].db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	if want := len(migrationNames(t, "postgres")); n != want || distinct != want {
		t.Errorf("schema_migrations has %d rows, %d versions; want %d", n, distinct, want)
	}
}

// TestPostgresByteOrder: the check that refuses a database whose text
// collation is not byte order tells the two apart.
func TestPostgresByteOrder(t *testing.T) {
	ctx := context.Background()
	s := openPostgresTest(t)
	if ok, err := byteOrdered(ctx, s.db, "C"); err != nil || !ok {
		t.Errorf(`collation "C": byte order %v, %v; want true`, ok, err)
	}
	var lang string
	err := s.db.QueryRowContext(ctx, `SELECT collname FROM pg_collation
		WHERE collname IN ('en-x-icu', 'und-x-icu', 'en_US.utf8', 'en_US', 'de_DE.utf8') ORDER BY collname LIMIT 1`).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		t.Skip("the server has no language collation to compare with")
	}
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := byteOrdered(ctx, s.db, lang); err != nil || ok {
		t.Errorf("collation %q: byte order %v, %v; want false", lang, ok, err)
	}
}

func TestPoolParam(t *testing.T) {
	cases := []struct {
		dsn, want string
		size      int
		err       bool
	}{
		{"postgres://u@h/db", "postgres://u@h/db", defaultPoolSize, false},
		{"postgres://u@h/db?sslmode=disable&pool_max_conns=4", "postgres://u@h/db?sslmode=disable", 4, false},
		{"postgres://u@h/db?pool_max_conns=0", "", 0, true},
		{"postgres://u@h/db?pool_max_conns=x", "", 0, true},
	}
	for _, c := range cases {
		got, size, err := poolParam(c.dsn)
		if (err != nil) != c.err || got != c.want || size != c.size {
			t.Errorf("poolParam(%q) = %q, %d, %v; want %q, %d, error %v", c.dsn, got, size, err, c.want, c.size, c.err)
		}
	}
	for _, dsn := range []string{"postgres://x", "postgresql://x"} {
		if !isPostgresDSN(dsn) {
			t.Errorf("%s is not taken for PostgreSQL", dsn)
		}
	}
	for _, path := range []string{"/var/lib/federa/federa.db", "data/federa.db", "postgres.db"} {
		if isPostgresDSN(path) {
			t.Errorf("the path %s is taken for PostgreSQL", path)
		}
	}
}

func TestNextPrefix(t *testing.T) {
	cases := map[string]string{
		"":                      "",
		"a":                     "b",
		"a/":                    "a0",
		"é":                     "ê",
		"a\U0010ffff":           "b",
		"\U0010ffff":            "",
		"a\U0010ffff\U0010ffff": "b",
		"\ud7ff":                "\ue000",
		"x\x7f":                 "x\u0080",
	}
	for in, want := range cases {
		if got := nextPrefix(in); got != want {
			t.Errorf("nextPrefix(%q) = %q, want %q", in, got, want)
		}
		if got := nextPrefix(in); got != "" && (got <= in || strings.HasPrefix(got, in)) {
			t.Errorf("nextPrefix(%q) = %q is not above every string with the prefix", in, got)
		}
	}
}

// TestPostgresListObjectsQueryPlan: as on SQLite (TestListObjectsQueryPlan),
// a prefix listing is a range of the objects' primary key, bounded on both
// sides and read in order, without a sort. That holds only where the
// column's collation is the one the index is built with and compares the
// bound: the database default, checked to be byte order.
func TestPostgresListObjectsQueryPlan(t *testing.T) {
	ctx := context.Background()
	s := openPostgresTest(t)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	// An empty table is cheaper to scan than to search; the question is
	// whether the search is possible at all.
	if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	query, args := listObjectsQuery(postgres, "b", "photos/", "photos/2026", 1001)
	rows, err := tx.QueryContext(ctx, "EXPLAIN "+s.q(query), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, strings.TrimSpace(line))
	}
	got := strings.Join(plan, "; ")
	if !strings.Contains(got, "Index Scan using objects_pkey") || !strings.Contains(got, "object_key > ") || !strings.Contains(got, "object_key < ") || strings.Contains(got, "Sort") {
		t.Errorf("query plan %q: want a scan of the primary key bounded on both sides, without a sort", got)
	}
}
