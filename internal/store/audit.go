package store

import (
	"context"
	"time"
)

// AuditEvent is one entry of the audit log: an administrative change, or a
// request that was denied.
type AuditEvent struct {
	// ID orders events: assigned by the store, increasing.
	ID   int64
	Time time.Time
	// Kind is "change" or "denied".
	Kind string
	// Principal is who: an ARN, or "anonymous".
	Principal string
	// Service and Action are what: e.g. "iam", "iam:PutRolePolicy".
	Service, Action string
	// Resource is what the request was about, when known (an ARN).
	Resource string
	// Status is the HTTP status answered; Code the AWS error code, if any.
	Status int
	Code   string
	// Detail is free text: for a denial, the rule that decided it.
	Detail string
	// RequestID is the edge's request id, to find the access-log line.
	RequestID string
	// SourceIP is the client's address.
	SourceIP string
}

// AuditFilter selects audit events; zero fields match everything.
type AuditFilter struct {
	Since, Until time.Time
	Kind         string
	Principal    string
	// AfterID pages: events with a larger ID only.
	AfterID int64
	Limit   int
}

// Audit persists the audit log. It is append-only: events are never
// updated, only pruned by age.
type Audit interface {
	AppendAudit(ctx context.Context, events ...AuditEvent) error
	// ListAudit returns matching events in ID order, at most Limit.
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEvent, error)
	// DeleteAuditBefore removes events older than t and says how many.
	DeleteAuditBefore(ctx context.Context, t time.Time) (int, error)
}
