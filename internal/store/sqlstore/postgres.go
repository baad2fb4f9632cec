package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/federa/federa/internal/store"
)

// pgOptions is what only a PostgreSQL store needs.
type pgOptions struct {
	// iso is the isolation level of every transaction: READ COMMITTED on
	// PostgreSQL, where the row locks the queries take (dialect.forUpdate,
	// forShare) give each read-then-write the outcome SQLite's single
	// writer gives; SERIALIZABLE where READ COMMITTED is missing or maps to
	// snapshot isolation (CockroachDB, YugabyteDB), which the retries in
	// pgTx then absorb.
	iso sql.IsolationLevel
	// server is what version() reported, for error messages and tests.
	server string
	// retries counts the transactions and statements run again.
	retries atomic.Int64
}

// defaultPoolSize bounds the connections of one store. A transaction that
// waits for a row lock holds its connection, so the pool must be larger
// than the writers usually contending for one row; it must also stay well
// below PostgreSQL's default max_connections (100), so that several nodes
// fit. pool_max_conns in the DSN overrides it.
const defaultPoolSize = 16

// isPostgresDSN says whether dsn names a PostgreSQL database.
func isPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openPostgres opens the PostgreSQL database of dsn, a URL as libpq takes
// it (postgres://user:password@host:port/database?sslmode=…), plus
// pool_max_conns, the most connections to hold. Other query parameters
// that are not libpq's (search_path=…, for one) are sent to the server as
// settings of each connection.
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	dsn, poolSize, err := poolParam(dsn)
	if err != nil {
		return nil, err
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "federa"
	}
	db := stdlib.OpenDB(*cfg) // pgx's database/sql adapter
	db.SetMaxOpenConns(poolSize)
	db.SetMaxIdleConns(poolSize)
	// Connections are renewed now and then, so a pool spreads again over a
	// cluster's nodes after one restarts or a load balancer changes.
	db.SetConnMaxLifetime(30 * time.Minute)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, d: postgres, pg: &pgOptions{}}
	s.stmts.off = !postgres.prepare
	if err := s.checkServer(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(cfg), err)
	}
	return s, nil
}

// poolParam takes pool_max_conns out of dsn (pgx would send it to the
// server, which knows no such setting) and returns the pool size.
func poolParam(dsn string) (string, int, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", 0, fmt.Errorf("sqlstore: PostgreSQL DSN: %w", err)
	}
	q := u.Query()
	v := q.Get("pool_max_conns")
	if v == "" {
		return dsn, defaultPoolSize, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return "", 0, fmt.Errorf("sqlstore: pool_max_conns=%q: want a positive number", v)
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}

// redact names a database without its password, for error messages.
func redact(cfg *pgx.ConnConfig) string {
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// checkServer reads which server this is, to choose the isolation level,
// and refuses a database that would store or order keys differently from
// the SQLite store.
func (s *Store) checkServer(ctx context.Context) error {
	var encoding string
	err := s.db.QueryRowContext(ctx, `SELECT version(), current_setting('server_encoding')`).Scan(&s.pg.server, &encoding)
	if err != nil {
		return fmt.Errorf("sqlstore: %w", err)
	}
	s.pg.iso = sql.LevelReadCommitted
	if strings.Contains(s.pg.server, "CockroachDB") || strings.Contains(s.pg.server, "-YB-") {
		s.pg.iso = sql.LevelSerializable
	}
	if !strings.EqualFold(encoding, "UTF8") {
		return fmt.Errorf("sqlstore: the database's encoding is %s; federa needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')", encoding)
	}
	ok, err := byteOrdered(ctx, s.db, "")
	if err != nil {
		return fmt.Errorf("sqlstore: %w", err)
	}
	if !ok {
		return errors.New("sqlstore: the database sorts text by a language's rules, not by byte; " +
			"federa lists users, objects and uploads in byte order, as AWS does. " +
			"Create its database with the C collation: CREATE DATABASE federa TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
	}
	return nil
}

// byteOrdered says whether text compares by bytes (code points) under
// collation, "" for the database's default, which is the one sqlstore's
// columns get: their collation is not declared, because CockroachDB
// refuses COLLATE "C" on a column (and compares by bytes anyway). Each pair
// is in byte order and out of order under common language collations:
// upper before lower case, 'f' before 'é', digits as characters.
func byteOrdered(ctx context.Context, q querier, collation string) (bool, error) {
	c := ""
	if collation != "" {
		c = ` COLLATE "` + strings.ReplaceAll(collation, `"`, `""`) + `"`
	}
	var ok bool
	err := q.QueryRowContext(ctx, `SELECT 'B'`+c+` < 'a' AND 'f'`+c+` < 'é' AND '10'`+c+` < '9' AND 'a-z'`+c+` < 'a_b'`).Scan(&ok)
	return ok, err
}

// maxTxAttempts bounds the tries of one transaction. Under READ COMMITTED
// a retry is rare (a deadlock, or two inserts of one new key); under
// SERIALIZABLE every contended row costs the losers a retry each, so the
// bound is generous.
const maxTxAttempts = 100

// errRaced marks an insert that met a unique violation on a key its
// transaction had just found absent: a concurrent transaction inserted it
// in between. The retry reads the row and updates it instead. Only
// PostgreSQL meets it; SQLite has one writer.
var errRaced = errors.New("sqlstore: a concurrent transaction inserted the same key")

// retryable says whether a transaction failed only because of others.
func (s *Store) retryable(err error) bool {
	return s.d.isBusy(err) || errors.Is(err, errRaced)
}

// pgRetry runs try until it succeeds, fails for a reason of its own, or has
// failed maxTxAttempts times, sleeping a little longer after each failure
// (with jitter, so that the losers of one conflict do not meet again).
func (s *Store) pgRetry(ctx context.Context, try func() error) error {
	for attempt := 1; ; attempt++ {
		err := try()
		if err == nil || !s.retryable(err) || attempt == maxTxAttempts {
			return err
		}
		s.pg.retries.Add(1)
		backoff := time.Duration(min(1<<min(attempt, 7), 100)) * time.Millisecond
		t := time.NewTimer(backoff/2 + rand.N(backoff))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return errors.Join(ctx.Err(), err)
		}
	}
}

// pgTx runs fn in a transaction of its own, retried on serialization
// failures and deadlocks. PostgreSQL commits each transaction by itself
// (a group commit of its own merges the WAL flushes of concurrent ones).
func (s *Store) pgTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.pgRetry(ctx, func() error {
		tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: s.pg.iso})
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	})
}

// insertNew inserts a row whose key its transaction has just read and
// found absent (read with dialect.forUpdate): a unique violation means a
// concurrent transaction inserted the key meanwhile, and the transaction
// is retried to see it (errRaced).
func (s *Store) insertNew(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	_, err := s.exec(ctx, tx, query, args...)
	if errors.Is(err, store.ErrExists) {
		return fmt.Errorf("%w: %v", errRaced, err)
	}
	return err
}

// lockRows takes the row locks of query (a SELECT) with mode, forUpdate or
// forShare, discarding the rows. On SQLite, where mode is empty, it does
// nothing: its single writer already excludes the others.
func (s *Store) lockRows(ctx context.Context, tx *sql.Tx, mode, query string, args ...any) error {
	if mode == "" {
		return nil
	}
	rows, err := tx.QueryContext(ctx, s.q(query+mode), args...)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	return rows.Close()
}
