package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	"github.com/federa/federa/internal/store"
)

//go:embed migrations
var migrations embed.FS

// Store is the SQL implementation of store.Store.
type Store struct {
	db    *sql.DB
	d     dialect
	stmts stmtCache
	// writer admits one transaction at a time. SQLite has one writer
	// anyway; without this the others wait in its busy handler, which
	// sleeps 1, 2, 5, 10… ms between tries and so leaves the lock idle
	// most of the time under concurrent writes. A channel hands the turn
	// over at once and gives up when the caller's context ends.
	writer chan struct{}
	// group commits concurrent SQLite transactions together (groupcommit.go).
	group *committer
	// pg holds what only a PostgreSQL store uses (postgres.go); nil for
	// SQLite.
	pg *pgOptions
}

var _ store.Store = (*Store)(nil)

// Open opens the store named by dsn and applies pending migrations: a
// postgres:// or postgresql:// URL is a PostgreSQL database (postgres.go),
// anything else the path of a SQLite database, created if needed.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if isPostgresDSN(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

// openSQLite opens (creating if needed) the SQLite database at path. WAL
// lets readers proceed during a write; immediate transactions make
// concurrent writers queue on busy_timeout instead of failing;
// synchronous=FULL makes every committed change survive power loss, which
// matters more here than write throughput.
func openSQLite(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// As many idle connections as open ones: database/sql keeps two by
	// default and closes the rest after each use, and opening a SQLite
	// connection reads the schema and applies the pragmas again, which under
	// concurrent reads cost more than the reads.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	s := &Store{db: db, d: sqlite, writer: make(chan struct{}, 1)}
	s.group = &committer{s: s}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmts.close()
	return s.db.Close()
}

// migrate applies the dialect's embedded migrations in order, each in its own
// transaction, recording them in schema_migrations.
//
// Several nodes may start at once over one PostgreSQL database. Then one
// node's migration commits and the others' fail on what it created (a
// table that already exists, or the version's row); a failed migration
// that another node has meanwhile recorded is therefore skipped, not
// reported. That needs no advisory lock, which CockroachDB lacks. The
// version's row is written last because CockroachDB refuses a schema change
// after a write in the same transaction.
func (s *Store) migrate(ctx context.Context) error {
	if err := s.createMigrationsTable(ctx); err != nil {
		return err
	}
	dir := "migrations/" + s.d.name
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	applied := func(q querier, version string) (bool, error) {
		var n int
		err := q.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n)
		return n > 0, err
	}
	for _, name := range names {
		version := strings.TrimSuffix(name, ".sql")
		body, err := fs.ReadFile(migrations, dir+"/"+name)
		if err != nil {
			return err
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			if done, err := applied(tx, version); err != nil || done {
				return err
			}
			for _, stmt := range strings.Split(string(body), ";") {
				if strings.TrimSpace(stmt) == "" {
					continue
				}
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, time.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			if done, _ := applied(s.db, version); done {
				continue // another node applied it meanwhile
			}
			return err
		}
	}
	return nil
}

// createMigrationsTable creates schema_migrations if it is missing.
// PostgreSQL may fail CREATE TABLE IF NOT EXISTS with a unique violation,
// "relation exists" (42P07) or "type exists" (42710, the table's row type)
// when another node creates the table at the same moment; the table then
// exists, which is all that is asked.
func (s *Store) createMigrationsTable(ctx context.Context) error {
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`
	_, err := s.db.ExecContext(ctx, create)
	if err != nil && s.pg != nil && (s.d.isUnique(err) || sqlState(err) == "42P07" || sqlState(err) == "42710") {
		_, err = s.db.ExecContext(ctx, create)
	}
	return err
}

func (s *Store) q(query string) string { return s.d.rebind(query) }

// tx runs fn in a transaction. On SQLite it is committed together with
// those that arrive meanwhile (groupcommit.go), retried as a batch on
// transient lock errors; on PostgreSQL it runs alone and is retried when
// the database reports a serialization failure or deadlock (postgres.go).
// Either way fn may run more than once, so it must set its results afresh
// each time.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.pg != nil {
		return s.pgTx(ctx, fn)
	}
	return s.group.do(ctx, fn)
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// getDoc loads one JSON document into v, or store.ErrNotFound.
func (s *Store) getDoc(ctx context.Context, q querier, v any, query string, args ...any) error {
	var doc string
	err := s.queryRow(ctx, q, query, args...).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w", store.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(doc), v)
}

// queryRow runs a one-row query as a cached prepared statement.
func (s *Store) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	if st := s.stmts.stmt(ctx, s.db, q, s.q(query)); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.QueryRowContext(ctx, s.q(query), args...)
}

// query runs a query as a cached prepared statement.
func (s *Store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	if st := s.stmts.stmt(ctx, s.db, q, s.q(query)); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.QueryContext(ctx, s.q(query), args...)
}

// queryDocs decodes every document a query returns, inside a transaction or
// not.
func queryDocs[T any](ctx context.Context, s *Store, q querier, query string, args ...any) ([]T, error) {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// listDocs decodes every document a query returns.
func listDocs[T any](ctx context.Context, s *Store, query string, args ...any) ([]T, error) {
	return queryDocs[T](ctx, s, s.db, query, args...)
}

// exec runs a write and maps unique violations to store.ErrExists.
func (s *Store) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	if _, outside := q.(*sql.DB); outside {
		if s.pg != nil {
			// A statement outside a transaction is one of its own, which
			// CockroachDB may also ask to retry.
			var res sql.Result
			err := s.pgRetry(ctx, func() (err error) {
				res, err = s.exec1(ctx, q, query, args...)
				return err
			})
			return res, err
		}
		// A write outside a transaction queues like a transaction.
		select {
		case s.writer <- struct{}{}:
			defer func() { <-s.writer }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return s.exec1(ctx, q, query, args...)
}

// exec1 runs one write, as a cached prepared statement where the dialect
// keeps them.
func (s *Store) exec1(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if st := s.stmts.stmt(ctx, s.db, q, s.q(query)); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = q.ExecContext(ctx, s.q(query), args...)
	}
	if s.d.isUnique(err) {
		return nil, fmt.Errorf("%w: %v", store.ErrExists, err)
	}
	return res, err
}

// mustAffect turns "no row changed" into store.ErrNotFound.
func mustAffect(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w", store.ErrNotFound)
	}
	return nil
}

func encode(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // records are plain structs of strings, maps and times
	}
	return string(b)
}

// limitClause returns " LIMIT n" for n > 0.
func limitClause(limit int) string {
	if limit <= 0 {
		return ""
	}
	return fmt.Sprintf(" LIMIT %d", limit)
}

// update is the compare-and-swap core: inside one transaction it reads the
// document, lets fn change it, and writes it back with the same key.
func update[T any](ctx context.Context, s *Store, sel, upd string, key []any, fix func(*T), fn func(*T) error) (T, error) {
	var v T
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var zero T
		v = zero // a retried fn must not see the last try's changes
		if err := s.getDoc(ctx, tx, &v, sel+s.d.forUpdate, key...); err != nil {
			return err
		}
		if err := fn(&v); err != nil {
			return err
		}
		fix(&v)
		_, err := s.exec(ctx, tx, upd, append([]any{encode(v)}, key...)...)
		return err
	})
	return v, err
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
