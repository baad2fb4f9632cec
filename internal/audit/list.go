package audit

import (
	"context"
	"math"
	"strconv"
	"time"

	"github.com/federa/federa/internal/store"
)

// ListAuditEventsInput is federa's ListAuditEvents request. Times are
// seconds since the epoch, as Cognito's JSON writes dates.
type ListAuditEventsInput struct {
	StartTime  float64 `json:"StartTime"`
	EndTime    float64 `json:"EndTime"`
	Kind       string  `json:"Kind"`
	Principal  string  `json:"Principal"`
	MaxResults int     `json:"MaxResults"`
	NextToken  string  `json:"NextToken"`
}

// AuditEvent is one entry as ListAuditEvents returns it.
type AuditEvent struct {
	ID        string  `json:"Id"`
	Time      float64 `json:"Time"`
	Kind      string  `json:"Kind"`
	Principal string  `json:"Principal"`
	Service   string  `json:"Service"`
	Action    string  `json:"Action"`
	Resource  string  `json:"Resource,omitempty"`
	Status    int     `json:"Status"`
	Code      string  `json:"Code,omitempty"`
	Detail    string  `json:"Detail,omitempty"`
	RequestID string  `json:"RequestId"`
	SourceIP  string  `json:"SourceIp"`
}

// ListAuditEventsOutput is federa's ListAuditEvents answer.
type ListAuditEventsOutput struct {
	Events    []AuditEvent `json:"Events"`
	NextToken string       `json:"NextToken,omitempty"`
}

const maxResults = 1000

// List answers ListAuditEvents: the matching entries, oldest first, a page
// at a time. It flushes this node's queue first, so a caller sees the
// entries of the requests it was already answered.
func (l *Log) List(ctx context.Context, in *ListAuditEventsInput) (*ListAuditEventsOutput, error) {
	f := store.AuditFilter{Kind: in.Kind, Principal: in.Principal, Since: epoch(in.StartTime), Until: epoch(in.EndTime)}
	switch in.Kind {
	case "", KindChange, KindDenied:
	default:
		return nil, ErrInvalidParameter.New("Kind must be %q or %q, not %q.", KindChange, KindDenied, in.Kind)
	}
	switch {
	case in.MaxResults < 0 || in.MaxResults > maxResults:
		return nil, ErrInvalidParameter.New("MaxResults must be between 1 and %d.", maxResults)
	case in.MaxResults == 0:
		f.Limit = 100
	default:
		f.Limit = in.MaxResults
	}
	if in.NextToken != "" {
		id, err := strconv.ParseInt(in.NextToken, 10, 64)
		if err != nil || id < 0 {
			return nil, ErrInvalidParameter.New("NextToken is not a token ListAuditEvents returned.")
		}
		f.AfterID = id
	}
	if err := l.Flush(ctx); err != nil {
		// The entries are lost or late; the stored ones still answer.
		l.log.Warn("audit log: flush before listing failed", "err", err)
	}
	limit := f.Limit
	f.Limit++
	es, err := l.st.ListAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &ListAuditEventsOutput{Events: make([]AuditEvent, 0, min(len(es), limit))}
	if len(es) > limit {
		es = es[:limit]
		out.NextToken = strconv.FormatInt(es[limit-1].ID, 10)
	}
	for _, e := range es {
		out.Events = append(out.Events, AuditEvent{ID: strconv.FormatInt(e.ID, 10), Time: float64(e.Time.UnixNano()) / 1e9,
			Kind: e.Kind, Principal: e.Principal, Service: e.Service, Action: e.Action, Resource: e.Resource, Status: e.Status,
			Code: e.Code, Detail: e.Detail, RequestID: e.RequestID, SourceIP: e.SourceIP})
	}
	return out, nil
}

// epoch turns JSON seconds into a time; 0 is no bound.
func epoch(s float64) time.Time {
	if s <= 0 || math.IsNaN(s) || math.IsInf(s, 0) {
		return time.Time{}
	}
	sec, frac := math.Modf(s)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}
