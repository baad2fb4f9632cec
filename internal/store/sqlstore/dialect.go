package sqlstore

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
)

// dialect holds every difference between the SQL databases sqlstore speaks.
// Queries are written once, with '?' placeholders; what differs is below.
//
// Upserts need no entry: SQLite (3.24 on) and the PostgreSQL family share
// INSERT … ON CONFLICT (columns) DO NOTHING / DO UPDATE SET c = excluded.c,
// the only form sqlstore uses, and the one CockroachDB supports too.
type dialect struct {
	name string
	// placeholder returns the n-th (1-based) bind parameter.
	placeholder func(n int) string
	// isUnique classifies a unique-constraint violation.
	isUnique func(err error) bool
	// isBusy classifies a transient lock or serialization failure worth a retry.
	isBusy func(err error) bool
	// forUpdate and forShare end a SELECT that reads rows its transaction
	// then writes, or relies on, so that concurrent writers queue on them.
	// SQLite needs neither: it has one writer at a time.
	forUpdate, forShare string
	// prepare says whether sqlstore keeps its own prepared-statement cache
	// (stmtcache.go). pgx keeps one per connection itself.
	prepare bool
	// prefixEnd returns the least string above every string that starts
	// with prefix, or "" when there is none: the exclusive upper bound of a
	// prefix scan, which stays a range search on the key's index.
	prefixEnd func(prefix string) string
}

var sqlite = dialect{
	name:        "sqlite",
	placeholder: func(int) string { return "?" },
	isUnique: func(err error) bool {
		return err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") || strings.Contains(err.Error(), "PRIMARY KEY"))
	},
	isBusy: func(err error) bool {
		return err != nil && (strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked"))
	},
	prepare: true,
	// SQLite compares TEXT byte-wise and takes any bytes as a parameter; keys
	// are UTF-8, where 0xff never occurs.
	prefixEnd: func(prefix string) string { return prefix + "\xff" },
}

// postgres is PostgreSQL and the databases that speak its protocol and
// dialect (CockroachDB, YugabyteDB). Errors are classified by SQLSTATE
// (https://www.postgresql.org/docs/current/errcodes-appendix.html):
// 23505 unique_violation; 40001 serialization_failure, which CockroachDB
// also returns for every transaction it must restart; 40P01
// deadlock_detected.
var postgres = dialect{
	name:        "postgres",
	placeholder: func(n int) string { return "$" + strconv.Itoa(n) },
	isUnique:    func(err error) bool { return sqlState(err) == "23505" },
	isBusy: func(err error) bool {
		code := sqlState(err)
		return code == "40001" || code == "40P01"
	},
	forUpdate: " FOR UPDATE",
	forShare:  " FOR SHARE",
	prefixEnd: nextPrefix,
}

// sqlState returns the SQLSTATE of a PostgreSQL error, or "".
func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// nextPrefix returns the least UTF-8 string above every string that starts
// with prefix: prefix with its last character replaced by the next code
// point. PostgreSQL refuses the byte 0xff in a text parameter (it is not
// UTF-8), and in UTF-8 byte order is code-point order, so this bound selects
// exactly what prefix+"\xff" selects in SQLite. A last character of U+10FFFF
// has no successor: it is dropped and the one before it is incremented.
func nextPrefix(prefix string) string {
	for prefix != "" {
		r, size := utf8.DecodeLastRuneInString(prefix)
		prefix = prefix[:len(prefix)-size]
		switch {
		case r == utf8.RuneError && size <= 1:
			// Not UTF-8: no text key can start with it; bound it by
			// what precedes it.
			continue
		case r == utf8.MaxRune:
			continue
		case r+1 == 0xd800: // surrogates are not characters
			return prefix + string(rune(0xe000))
		default:
			return prefix + string(r+1)
		}
	}
	return ""
}

// rebind turns '?' placeholders into the dialect's form. Queries are written
// by us with '?' only as placeholders, never inside literals.
func (d dialect) rebind(q string) string {
	if d.name == "sqlite" {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString(d.placeholder(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
