package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/federa/federa/internal/store"
)

var _ store.Audit = (*Store)(nil)

const auditColumns = `at, kind, principal, service, action, resource, status, code, detail, request_id, source_ip`

// AppendAudit implements store.Audit: one transaction for the batch, one
// prepared insert per event. The batch's ids come from the audit_seq row,
// updated first in the same transaction: its lock makes concurrent
// appenders (other nodes) take ids in commit order, so a reader paging by
// AfterID never passes an id that a slower transaction has yet to commit
// (migration 0009 says more).
func (s *Store) AppendAudit(ctx context.Context, events ...store.AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, `UPDATE audit_seq SET last = last + ? WHERE one = 1`, len(events)); err != nil {
			return err
		}
		var last int64
		if err := s.queryRow(ctx, tx, `SELECT last FROM audit_seq WHERE one = 1`).Scan(&last); err != nil {
			return err
		}
		id := last - int64(len(events))
		for _, e := range events {
			id++
			_, err := s.exec(ctx, tx, `INSERT INTO audit_events (id, `+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, e.Time.UnixNano(), e.Kind, e.Principal, e.Service, e.Action, e.Resource, e.Status, e.Code, e.Detail, e.RequestID, e.SourceIP)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// ListAudit implements store.Audit.
func (s *Store) ListAudit(ctx context.Context, f store.AuditFilter) ([]store.AuditEvent, error) {
	var where strings.Builder
	where.WriteString(` WHERE id > ?`)
	args := []any{f.AfterID}
	if !f.Since.IsZero() {
		where.WriteString(` AND at >= ?`)
		args = append(args, f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		where.WriteString(` AND at < ?`)
		args = append(args, f.Until.UnixNano())
	}
	if f.Kind != "" {
		where.WriteString(` AND kind = ?`)
		args = append(args, f.Kind)
	}
	if f.Principal != "" {
		where.WriteString(` AND principal = ?`)
		args = append(args, f.Principal)
	}
	rows, err := s.query(ctx, s.db, `SELECT id, `+auditColumns+` FROM audit_events`+where.String()+` ORDER BY id`+limitClause(f.Limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.AuditEvent
	for rows.Next() {
		var e store.AuditEvent
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Kind, &e.Principal, &e.Service, &e.Action, &e.Resource, &e.Status, &e.Code,
			&e.Detail, &e.RequestID, &e.SourceIP); err != nil {
			return nil, err
		}
		e.Time = time.Unix(0, at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeleteAuditBefore implements store.Audit.
func (s *Store) DeleteAuditBefore(ctx context.Context, t time.Time) (int, error) {
	res, err := s.exec(ctx, s.db, `DELETE FROM audit_events WHERE at < ?`, t.UnixNano())
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
