// Package pgtest gives a test a PostgreSQL database of its own: a fresh
// schema in the database that FEDERA_TEST_POSTGRES names, dropped when the
// test ends, so that tests and packages run in parallel over one server.
//
// pgtest imports only pgx; it knows nothing of federa's stores.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the variable holding the test database's URL, for example
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable (scripts/test
// sets it after scripts/start-postgres). FEDERA_TEST_POSTGRES_DSN, the name
// STYLE.md gives, is read when it is unset.
const EnvDSN = "FEDERA_TEST_POSTGRES"

// EnvRequire, set to 1, makes a missing database fail the tests that need
// one instead of skipping them, as scripts/test sets it.
const EnvRequire = "FEDERA_REQUIRE_POSTGRES"

// BaseDSN returns the test database's URL. Without one, t is skipped, or
// fails when EnvRequire is set.
func BaseDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		dsn = os.Getenv(EnvDSN + "_DSN")
	}
	if dsn == "" {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("%s is unset but %s=1: run scripts/start-postgres and set %s to the URL it prints", EnvDSN, EnvRequire, EnvDSN)
		}
		t.Skipf("no PostgreSQL: set %s=postgres://user@host:port/db?sslmode=disable to run this test (scripts/test does)", EnvDSN)
	}
	return dsn
}

// DSN returns the URL of a new, empty schema of the test database: the
// base URL with search_path set to it (and synchronous_commit=off unless
// the base URL sets it), which pgx sends to the server as each
// connection's settings. The schema is dropped when t ends, after the
// cleanups t registers later (such as closing the store that uses it).
func DSN(t testing.TB) string {
	t.Helper()
	base := BaseDSN(t)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvDSN, err)
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "federa_test_" + hex.EncodeToString(b[:])
	Exec(t, base, `CREATE SCHEMA `+schema)
	t.Cleanup(func() { Exec(t, base, `DROP SCHEMA `+schema+` CASCADE`) })
	q := u.Query()
	q.Set("search_path", schema)
	if !q.Has("synchronous_commit") {
		// A test needs no durability across a crash of the server: a
		// commit stays atomic and visible to every other connection, and
		// only the flush of the WAL is deferred, which makes the
		// conformance suite several times faster where fsync is slow.
		q.Set("synchronous_commit", "off")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Exec runs one statement on the database of dsn over a connection of its
// own, failing t on error.
func Exec(t testing.TB, dsn, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("PostgreSQL at %s: %v (scripts/start-postgres starts it)", EnvDSN, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
