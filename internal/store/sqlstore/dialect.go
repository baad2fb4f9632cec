package sqlstore

import (
	"strconv"
	"strings"
)

// dialect holds every difference between the SQL databases sqlstore speaks.
type dialect struct {
	name string
	// placeholder returns the n-th (1-based) bind parameter.
	placeholder func(n int) string
	// isUnique classifies a unique-constraint violation.
	isUnique func(err error) bool
	// isBusy classifies a transient lock or serialization failure worth a retry.
	isBusy func(err error) bool
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
}

// postgres is ready for the PostgreSQL implementation of a later issue.
var postgres = dialect{
	name:        "postgres",
	placeholder: func(n int) string { return "$" + strconv.Itoa(n) },
	isUnique:    func(err error) bool { return err != nil && strings.Contains(err.Error(), "SQLSTATE 23505") },
	isBusy:      func(err error) bool { return err != nil && strings.Contains(err.Error(), "SQLSTATE 40001") },
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

var _ = postgres
