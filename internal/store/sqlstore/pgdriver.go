//go:build pgxstdlib

// Remove this constraint and comment once go.mod lists github.com/jackc/puddle/v2
// (go get github.com/jackc/pgx/v5/stdlib@v5.13.0): pgx's stdlib adapter imports
// pgxpool, which needs it, and without it nothing that imports sqlstore builds.

package sqlstore

import (
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// init installs pgx's database/sql adapter, so that Open can reach
// PostgreSQL (openPGX).
func init() {
	openPGX = func(cfg *pgx.ConnConfig) *sql.DB { return stdlib.OpenDB(*cfg) }
}
