package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/store"
)

func auditEvent(at time.Time, kind, principal, action string) store.AuditEvent {
	return store.AuditEvent{Time: at, Kind: kind, Principal: principal, Service: "iam", Action: action,
		Resource: "arn:aws:iam::123456789012:role/r", Status: 200, RequestID: "req-" + action, SourceIP: "192.0.2.1"}
}

// testAudit covers the audit log: append in batches, filters, paging by
// id, pruning by age, and ids that keep increasing after a prune.
func testAudit(t *testing.T, s store.Store) {
	root, role := "arn:aws:iam::123456789012:root", "arn:aws:sts::123456789012:assumed-role/r/s"
	local := time.FixedZone("UTC+5", 5*3600)
	check(t, s.AppendAudit(ctx,
		auditEvent(t0, "change", root, "iam:CreateRole"),
		auditEvent(t0.Add(time.Minute).In(local), "denied", role, "s3:GetObject"),
		auditEvent(t0.Add(2*time.Minute), "change", root, "iam:PutRolePolicy"),
	))
	check(t, s.AppendAudit(ctx)) // an empty batch is nothing to do
	denied := auditEvent(t0.Add(3*time.Minute), "denied", "anonymous", "s3:PutObject")
	denied.Status, denied.Code, denied.Detail = 403, "AccessDenied", `statement "Deny✓" (Deny) of the bucket policy`
	check(t, s.AppendAudit(ctx, denied))

	all, err := s.ListAudit(ctx, store.AuditFilter{})
	check(t, err)
	if len(all) != 4 {
		t.Fatalf("listed %d events, want 4", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID <= all[i-1].ID {
			t.Fatalf("ids not increasing: %d then %d", all[i-1].ID, all[i].ID)
		}
	}
	if got := all[1]; !got.Time.Equal(t0.Add(time.Minute)) || got.Time.Location() != time.UTC || got.Principal != role || got.Action != "s3:GetObject" {
		t.Errorf("round trip: %+v", got)
	}
	if got := all[3]; got.Status != 403 || got.Code != "AccessDenied" || got.Detail != denied.Detail || got.SourceIP != "192.0.2.1" ||
		got.RequestID != "req-s3:PutObject" || got.Service != "iam" || got.Resource != denied.Resource {
		t.Errorf("round trip: %+v", got)
	}

	actions := func(f store.AuditFilter) []string {
		t.Helper()
		es, err := s.ListAudit(ctx, f)
		check(t, err)
		return ids(es, func(e store.AuditEvent) string { return e.Action })
	}
	for _, tc := range []struct {
		name string
		f    store.AuditFilter
		want string
	}{
		{"kind", store.AuditFilter{Kind: "denied"}, "[s3:GetObject s3:PutObject]"},
		{"principal", store.AuditFilter{Principal: root}, "[iam:CreateRole iam:PutRolePolicy]"},
		{"since is inclusive", store.AuditFilter{Since: t0.Add(2 * time.Minute)}, "[iam:PutRolePolicy s3:PutObject]"},
		{"until is exclusive", store.AuditFilter{Until: t0.Add(2 * time.Minute)}, "[iam:CreateRole s3:GetObject]"},
		{"all filters", store.AuditFilter{Kind: "change", Principal: root, Since: t0.Add(time.Second), Until: t0.Add(time.Hour)}, "[iam:PutRolePolicy]"},
		{"limit", store.AuditFilter{Limit: 2}, "[iam:CreateRole s3:GetObject]"},
		{"after id", store.AuditFilter{AfterID: all[1].ID, Limit: 1}, "[iam:PutRolePolicy]"},
		{"past the end", store.AuditFilter{AfterID: all[3].ID}, "[]"},
	} {
		if got := fmt.Sprint(actions(tc.f)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}

	n, err := s.DeleteAuditBefore(ctx, t0.Add(2*time.Minute))
	check(t, err)
	if n != 2 {
		t.Errorf("pruned %d, want 2", n)
	}
	if got := fmt.Sprint(actions(store.AuditFilter{})); got != "[iam:PutRolePolicy s3:PutObject]" {
		t.Errorf("after pruning: %s", got)
	}
	// Pruning everything must not let ids start again: readers page by id.
	n, err = s.DeleteAuditBefore(ctx, t0.Add(time.Hour))
	check(t, err)
	if n != 2 {
		t.Errorf("pruned %d, want 2", n)
	}
	check(t, s.AppendAudit(ctx, auditEvent(t0.Add(time.Hour), "change", root, "iam:DeleteRole")))
	es, err := s.ListAudit(ctx, store.AuditFilter{})
	check(t, err)
	if len(es) != 1 || es[0].ID <= all[3].ID {
		t.Errorf("after pruning all: %+v (last id before %d)", es, all[3].ID)
	}
}

// testAuditConcurrentAppends appends batches from several goroutines, as
// several nodes' audit writers do: every event lands, each with its own id.
func testAuditConcurrentAppends(t *testing.T, s store.Store) {
	const writers, batches, size = 8, 5, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*batches)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := 0; b < batches; b++ {
				batch := make([]store.AuditEvent, size)
				for i := range batch {
					batch[i] = auditEvent(t0, "change", fmt.Sprintf("w%d", w), fmt.Sprintf("a%d-%d", b, i))
				}
				errs <- s.AppendAudit(ctx, batch...)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		check(t, err)
	}
	es, err := s.ListAudit(ctx, store.AuditFilter{})
	check(t, err)
	seen := map[int64]bool{}
	for _, e := range es {
		seen[e.ID] = true
	}
	if len(es) != writers*batches*size || len(seen) != len(es) {
		t.Fatalf("%d events with %d distinct ids, want %d", len(es), len(seen), writers*batches*size)
	}
}

// testAuditPagingUnderAppends reads the log page by page (AfterID = the
// last id seen, as federa audit pages) while several writers append: the
// pages together must hold every event, none skipped because a lower id
// committed after a higher one had been read.
func testAuditPagingUnderAppends(t *testing.T, s store.Store) {
	const writers, batches, size = 4, 10, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*batches)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := 0; b < batches; b++ {
				batch := make([]store.AuditEvent, size)
				for i := range batch {
					batch[i] = auditEvent(t0, "denied", fmt.Sprintf("p%d", w), fmt.Sprintf("x%d-%d", b, i))
				}
				errs <- s.AppendAudit(ctx, batch...)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[int64]bool{}
	var after int64
	read := func() int {
		page, err := s.ListAudit(ctx, store.AuditFilter{AfterID: after, Limit: 7})
		check(t, err)
		for _, e := range page {
			seen[e.ID] = true
			after = e.ID
		}
		return len(page)
	}
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
			read()
		}
	}
	for read() > 0 {
	}
	close(errs)
	for err := range errs {
		check(t, err)
	}
	all, err := s.ListAudit(ctx, store.AuditFilter{})
	check(t, err)
	for _, e := range all {
		if !seen[e.ID] {
			t.Fatalf("paging skipped event %d (of %d): a lower id committed after a higher one was read", e.ID, len(all))
		}
	}
}
