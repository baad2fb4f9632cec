package audit

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/sqlstore"
)

var t0 = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

const rootARN = "arn:aws:iam::123456789012:root"

// memStore is a store.Audit in memory whose appends can be held, to fill
// the queue, or refused.
type memStore struct {
	mu     sync.Mutex
	events []store.AuditEvent
	hold   chan struct{} // appends wait on it when not nil
	fail   error
}

func (m *memStore) AppendAudit(_ context.Context, es ...store.AuditEvent) error {
	if m.hold != nil {
		<-m.hold
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	for _, e := range es {
		e.ID = int64(len(m.events) + 1)
		m.events = append(m.events, e)
	}
	return nil
}

func (m *memStore) ListAudit(context.Context, store.AuditFilter) ([]store.AuditEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]store.AuditEvent(nil), m.events...), nil
}

func (m *memStore) DeleteAuditBefore(_ context.Context, t time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	kept := m.events[:0]
	for _, e := range m.events {
		if !e.Time.Before(t) {
			kept = append(kept, e)
		}
	}
	n := len(m.events) - len(kept)
	m.events = kept
	return n, nil
}

func (m *memStore) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.events)
}

type counts struct {
	mu                        sync.Mutex
	recorded, dropped, failed int
}

func (c *counts) AuditRecorded(string) { c.mu.Lock(); c.recorded++; c.mu.Unlock() }
func (c *counts) AuditDropped(n int)   { c.mu.Lock(); c.dropped += n; c.mu.Unlock() }
func (c *counts) AuditWriteFailed()    { c.mu.Lock(); c.failed++; c.mu.Unlock() }

func newLog(t *testing.T, st store.Audit, o Options) *Log {
	t.Helper()
	o.Region, o.Account = "us-east-1", "123456789012"
	l := New(st, o)
	t.Cleanup(func() { l.Close() })
	return l
}

func TestAuditClassify(t *testing.T) {
	l := newLog(t, &memStore{}, Options{})
	base := Request{Time: t0, RequestID: "r", SourceIP: "192.0.2.1", Status: 200, Principal: rootARN}
	cases := []struct {
		name string
		edit func(*Request)
		want *store.AuditEvent // nil: no entry
	}{
		{"iam write", func(r *Request) {
			r.Service, r.Operation, r.Body = "iam", "PutRolePolicy", []byte("Action=PutRolePolicy&RoleName=app&PolicyName=p&PolicyDocument=%7B%7D")
		}, &store.AuditEvent{Kind: "change", Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::123456789012:role/app", Detail: "PolicyName=p"}},
		{"iam read", func(r *Request) { r.Service, r.Operation = "iam", "GetRolePolicy" }, nil},
		{"iam simulate", func(r *Request) { r.Service, r.Operation = "iam", "SimulatePrincipalPolicy" }, nil},
		{"failed write", func(r *Request) {
			r.Service, r.Operation, r.Status, r.Code = "iam", "CreateRole", 409, "EntityAlreadyExists"
		}, nil},
		{"pool write", func(r *Request) {
			r.Service, r.Operation, r.Body = "cognito-idp", "AdminDeleteUser", []byte(`{"UserPoolId":"us-east-1_A","Username":"bob","Password":"secret"}`)
		}, &store.AuditEvent{Kind: "change", Action: "cognito-idp:AdminDeleteUser", Resource: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_A", Detail: "Username=bob"}},
		{"admin sign-in", func(r *Request) { r.Service, r.Operation = "cognito-idp", "AdminInitiateAuth" }, nil},
		{"admin read", func(r *Request) { r.Service, r.Operation = "cognito-idp", "AdminListGroupsForUser" }, nil},
		{"end-user write, unsigned", func(r *Request) { r.Service, r.Operation, r.Principal = "cognito-idp", "ChangePassword", "" }, nil},
		{"identity pool write", func(r *Request) {
			r.Service, r.Operation, r.Body = "cognito-identity", "SetIdentityPoolRoles", []byte(`{"IdentityPoolId":"us-east-1:abc"}`)
		}, &store.AuditEvent{Kind: "change", Action: "cognito-identity:SetIdentityPoolRoles", Resource: "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:abc"}},
		{"vend", func(r *Request) { r.Service, r.Operation = "cognito-identity", "GetCredentialsForIdentity" }, nil},
		{"bucket policy", func(r *Request) { r.Service, r.Operation, r.Bucket = "s3", "PutBucketPolicy", "b" },
			&store.AuditEvent{Kind: "change", Action: "s3:PutBucketPolicy", Resource: "arn:aws:s3:::b"}},
		{"object write", func(r *Request) { r.Service, r.Operation, r.Bucket = "s3", "PutObject", "b" }, nil},
		{"sts", func(r *Request) { r.Service, r.Operation = "sts", "AssumeRole" }, nil},
		{"policy denial", func(r *Request) {
			r.Service, r.Operation, r.Bucket, r.Status, r.Code, r.Principal = "s3", "GetObject", "b", 403, "AccessDenied", ""
			r.Denial = &Denial{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Reason: `statement "X" (Deny) of the resource policy`}
		}, &store.AuditEvent{Kind: "denied", Principal: "anonymous", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Code: "AccessDenied", Status: 403,
			Detail: `statement "X" (Deny) of the resource policy`}},
		{"admin denial keeps the parameters", func(r *Request) {
			r.Service, r.Operation, r.Status, r.Code = "iam", "DeleteRole", 403, "AccessDenied"
			r.Body = []byte("Action=DeleteRole&RoleName=app")
			r.Denial = &Denial{Action: "iam:DeleteRole", Resource: "*", Reason: "no statement allows iam:DeleteRole on *"}
		}, &store.AuditEvent{Kind: "denied", Action: "iam:DeleteRole", Resource: "arn:aws:iam::123456789012:role/app", Code: "AccessDenied", Status: 403,
			Detail: "no statement allows iam:DeleteRole on *"}},
		{"refusal without a policy", func(r *Request) {
			r.Service, r.Operation, r.Bucket, r.Status, r.Code = "s3", "GetObject", "b", 403, "AccessDenied"
		}, &store.AuditEvent{Kind: "denied", Action: "s3:GetObject", Resource: "arn:aws:s3:::b", Code: "AccessDenied", Status: 403,
			Detail: "refused without a policy evaluation (by the service's own rule)"}},
		{"bad signature", func(r *Request) {
			r.Service, r.Operation, r.Status, r.Code, r.Principal, r.AccessKeyID = "sts", "GetCallerIdentity", 403, "SignatureDoesNotMatch", "", "AKIAX"
		}, &store.AuditEvent{Kind: "denied", Principal: "anonymous", Action: "sts:GetCallerIdentity", Code: "SignatureDoesNotMatch", Status: 403,
			Detail: "authentication failed (access key AKIAX)"}},
		{"wrong password", func(r *Request) {
			r.Service, r.Operation, r.Status, r.Code, r.Principal = "cognito-idp", "InitiateAuth", 400, "NotAuthorizedException", ""
			r.Body = []byte(`{"ClientId":"c1","AuthParameters":{"PASSWORD":"hunter2"}}`)
		}, &store.AuditEvent{Kind: "denied", Principal: "anonymous", Action: "cognito-idp:InitiateAuth", Code: "NotAuthorizedException", Status: 400,
			Detail: "refused without a policy evaluation (by the service's own rule); ClientId=c1"}},
	}
	for _, tc := range cases {
		r := base
		tc.edit(&r)
		got, ok := l.Classify(&r)
		if tc.want == nil {
			if ok {
				t.Errorf("%s: unexpected entry %+v", tc.name, got)
			}
			continue
		}
		want := *tc.want
		want.Time, want.RequestID, want.SourceIP, want.Service = t0, "r", "192.0.2.1", r.Service
		if want.Principal == "" {
			want.Principal = rootARN
		}
		if want.Status == 0 {
			want.Status = 200
		}
		if !ok || got != want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, want)
		}
	}
}

// TestRecordNeverBlocks: with the store stuck, entries past the queue's
// size are dropped and counted, and Record returns at once.
func TestAuditRecordNeverBlocks(t *testing.T) {
	st := &memStore{hold: make(chan struct{})}
	c := &counts{}
	l := newLog(t, st, Options{QueueSize: 4, BatchSize: 1, Counters: c})
	start := time.Now()
	for range 50 {
		l.Record(store.AuditEvent{Kind: "change", Time: t0})
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Record took %v with the store stuck", d)
	}
	c.mu.Lock()
	recorded, dropped := c.recorded, c.dropped
	c.mu.Unlock()
	if dropped == 0 || recorded+dropped != 50 || recorded > 4+2 {
		t.Errorf("recorded %d, dropped %d of 50 with a queue of 4", recorded, dropped)
	}
	close(st.hold)
	if err := l.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st.len() != recorded {
		t.Errorf("stored %d, recorded %d", st.len(), recorded)
	}
}

// TestFlushAndClose: Flush stores what is queued; Close stores the rest;
// a refused batch is counted.
func TestAuditFlushAndClose(t *testing.T) {
	st := &memStore{}
	c := &counts{}
	l := New(st, Options{FlushEvery: time.Hour, Counters: c})
	l.Record(store.AuditEvent{Kind: "change"})
	if err := l.Flush(context.Background()); err != nil || st.len() != 1 {
		t.Fatalf("after Flush: %d stored, %v", st.len(), err)
	}
	l.Record(store.AuditEvent{Kind: "denied"})
	l.Close()
	if st.len() != 2 {
		t.Errorf("after Close: %d stored", st.len())
	}
	if err := l.Flush(context.Background()); err != nil {
		t.Errorf("Flush after Close: %v", err)
	}

	st = &memStore{fail: errors.New("disk full")}
	l = newLog(t, st, Options{Counters: c})
	l.Record(store.AuditEvent{Kind: "change"})
	if err := l.Flush(context.Background()); err == nil {
		t.Error("a refused batch is not reported")
	}
	if c.failed != 1 {
		t.Errorf("write failures counted %d", c.failed)
	}
}

func TestAuditPrune(t *testing.T) {
	st := &memStore{}
	now := t0
	l := newLog(t, st, Options{Retention: 24 * time.Hour, Now: func() time.Time { return now }})
	l.Record(store.AuditEvent{Time: t0.Add(-48 * time.Hour)})
	l.Record(store.AuditEvent{Time: t0.Add(-time.Hour)})
	if err := l.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	n, err := l.Prune(context.Background())
	if err != nil || n != 1 || st.len() != 1 {
		t.Errorf("pruned %d (%v), %d left", n, err, st.len())
	}
	forever := newLog(t, st, Options{Retention: -1})
	if n, err := forever.Prune(context.Background()); n != 0 || err != nil {
		t.Errorf("no retention pruned %d, %v", n, err)
	}
}

// TestList pages through a real store, validates its input and sees the
// entries still queued.
func TestAuditList(t *testing.T) {
	sq, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "federa.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sq.Close() })
	l := newLog(t, sq, Options{FlushEvery: time.Hour})
	for i := range 5 {
		kind := "change"
		if i%2 == 1 {
			kind = "denied"
		}
		l.Record(store.AuditEvent{Time: t0.Add(time.Duration(i) * time.Minute), Kind: kind, Principal: rootARN, Action: "iam:X"})
	}
	ctx := context.Background()
	var all []AuditEvent
	in := &ListAuditEventsInput{MaxResults: 2}
	for {
		out, err := l.List(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, out.Events...)
		if out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(all) != 5 || all[0].Time != float64(t0.Unix()) || all[4].ID != "5" {
		t.Errorf("paged through %+v", all)
	}
	out, err := l.List(ctx, &ListAuditEventsInput{Kind: "denied", StartTime: float64(t0.Add(2 * time.Minute).Unix())})
	if err != nil || len(out.Events) != 1 || out.Events[0].ID != "4" {
		t.Errorf("denied since t0+2m: %+v %v", out, err)
	}
	for _, bad := range []*ListAuditEventsInput{{Kind: "all"}, {MaxResults: 5000}, {NextToken: "x"}} {
		if _, err := l.List(ctx, bad); !ErrInvalidParameter.Is(err) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

// BenchmarkObserveNoEntry is the audit log's cost for the common request:
// neither a change nor a refusal.
func BenchmarkObserveNoEntry(b *testing.B) {
	l := New(&memStore{}, Options{})
	defer l.Close()
	r := &Request{Service: "s3", Operation: "GetObject", Status: 200, Principal: rootARN, Bucket: "b"}
	b.ReportAllocs()
	for b.Loop() {
		l.Observe(r)
	}
}
