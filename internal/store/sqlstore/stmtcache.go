package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the statement cache. federa's queries are
// fixed strings, a few dozen of them; the bound only guards against a
// future query built with a variable number of placeholders.
const maxCachedStatements = 512

// stmtCache holds one prepared statement per query text. Preparing a
// statement parses and plans its SQL; on the hot paths (a GetObject reads
// a bucket, a role, its policies and an object) that parsing cost more than
// running the queries, so each query is prepared once. database/sql then
// keeps it prepared on every pooled connection that has run it.
type stmtCache struct {
	// off disables the cache, for dialects whose driver keeps its own.
	off   bool
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// stmt returns query prepared on db, bound to q when q is a transaction,
// or nil when it cannot be prepared (the caller then runs the text, and
// meets the same error there).
func (c *stmtCache) stmt(ctx context.Context, db *sql.DB, q querier, query string) *sql.Stmt {
	if c.off {
		return nil
	}
	c.mu.RLock()
	st := c.stmts[query]
	c.mu.RUnlock()
	if st == nil {
		c.mu.Lock()
		if st = c.stmts[query]; st == nil && len(c.stmts) < maxCachedStatements {
			var err error
			if st, err = db.PrepareContext(ctx, query); err != nil {
				st = nil
			} else {
				if c.stmts == nil {
					c.stmts = map[string]*sql.Stmt{}
				}
				c.stmts[query] = st
			}
		}
		c.mu.Unlock()
		if st == nil {
			return nil
		}
	}
	if tx, ok := q.(*sql.Tx); ok {
		return tx.StmtContext(ctx, st) // closed with the transaction
	}
	return st
}

// close closes every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}
