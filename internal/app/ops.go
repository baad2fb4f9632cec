package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/audit"
	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/edge"
	"github.com/federa/federa/internal/metrics"
	"github.com/federa/federa/internal/store"
)

// Operations wiring: the edge reports every answered request to observer,
// which counts it (metrics) and, when it is an administrative change or a
// refusal, queues it for the audit log. Authorization decisions are seen by
// wrapping the IAM authorizer the services share, so that neither the
// services nor the policy engine know of metrics or audit.

// DefaultAuditRetention is how long audit entries are kept when Options
// leave it zero.
const DefaultAuditRetention = 90 * 24 * time.Hour

// observer hands the edge's record of each request to the metrics and the
// audit log.
type observer struct {
	metrics *metrics.Metrics
	audit   *audit.Log
}

func (o observer) Observe(r *edge.Request) {
	o.metrics.Observe(r)
	ar := audit.Request{
		Time: r.Start, RequestID: r.ID, SourceIP: r.SourceIP, Service: r.Service.String(), Operation: r.Operation,
		Status: r.Status, Code: r.Code, AccessKeyID: r.AccessKeyID, Bucket: r.Bucket, Body: r.Body,
	}
	if p := r.Principal; p != nil && p.Kind != access.Anonymous {
		ar.Principal = p.ARN
	}
	if d, ok := r.Denial(); ok {
		ar.Denial = &audit.Denial{Action: d.Action, Resource: d.Resource, Reason: d.Reason}
	}
	o.audit.Observe(&ar)
}

// observedAuthorizer counts each policy decision and notes a refusal, with
// the rule that decided it (iam explains refusals in Decision.Reason), on
// the request for the audit log.
type observedAuthorizer struct {
	access.Authorizer
	metrics *metrics.Metrics
}

func (a observedAuthorizer) Authorize(ctx context.Context, c access.Check) (access.Decision, error) {
	d, err := a.Authorizer.Authorize(ctx, c)
	if err != nil {
		return d, err
	}
	a.metrics.Decision(d)
	if !d.Allowed {
		edge.NoteDenial(ctx, edge.Denial{Action: c.Action, Resource: c.Resource, Reason: d.Reason, Explicit: d.Explicit})
	}
	return d, nil
}

// storeReady asks the store a question that reaches the database and costs
// an index probe: the audit entry after the largest possible id.
func storeReady(st store.Audit) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := st.ListAudit(ctx, store.AuditFilter{AfterID: math.MaxInt64, Limit: 1})
		return err
	}
}

// blobReady writes, reads back and deletes a small blob under a name of
// this process's own, so that nodes sharing a backend do not collide and no
// object's bytes are ever touched.
func blobReady(bl blob.Store) func(context.Context) error {
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := "_federa/readyz/" + hex.EncodeToString(b[:])
	return func(ctx context.Context) error {
		want := []byte(time.Now().UTC().Format(time.RFC3339Nano))
		if _, err := bl.Put(ctx, id, bytes.NewReader(want)); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		defer func() { _ = bl.Delete(context.WithoutCancel(ctx), id) }()
		rc, _, err := bl.Open(ctx, id)
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		defer rc.Close()
		got, err := io.ReadAll(io.LimitReader(rc, int64(len(want))+1))
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("read back %d bytes that differ from the %d written", len(got), len(want))
		}
		return nil
	}
}
