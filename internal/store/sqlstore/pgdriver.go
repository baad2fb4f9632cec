//go:build pgxstdlib

package sqlstore

import (
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgx's database/sql adapter. It imports pgxpool, whose module
// (github.com/jackc/puddle/v2) go.mod must list before this file can build
// by default; until then it builds with -tags pgxstdlib.
func init() {
	openPGX = func(cfg *pgx.ConnConfig) *sql.DB { return stdlib.OpenDB(*cfg) }
}
