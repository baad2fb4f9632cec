package audit

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/federa/federa/internal/store"
)

// Counters is where the log reports what happens to entries; app wires it
// to the metrics. Services never see it.
type Counters interface {
	// AuditRecorded counts an entry queued.
	AuditRecorded(kind string)
	// AuditDropped counts entries lost to a full queue.
	AuditDropped(n int)
	// AuditWriteFailed counts a batch the store refused.
	AuditWriteFailed()
}

// Options configure the log. Zero values take the defaults.
type Options struct {
	// Region and Account build the ARNs of resources named by id.
	Region, Account string
	// Retention is how long entries are kept; 0 keeps them forever.
	Retention time.Duration
	// QueueSize bounds the entries waiting for the store (8192).
	QueueSize int
	// BatchSize is the most entries written in one transaction (256).
	BatchSize int
	// FlushEvery is the longest an entry waits in the queue (1 s).
	FlushEvery time.Duration
	// PruneEvery is how often old entries are pruned (1 h); the first
	// prune runs at start.
	PruneEvery time.Duration
	// Now is the clock retention is measured by (time.Now when nil).
	Now func() time.Time
	// Logger receives write and prune failures (slog.Default when nil).
	Logger *slog.Logger
	// Counters, when set, counts queued, dropped and failed entries.
	Counters Counters
}

// Log is the audit log. Its methods are safe for concurrent use.
type Log struct {
	st              store.Audit
	region, account string
	retention       time.Duration
	batchSize       int
	flushEvery      time.Duration
	pruneEvery      time.Duration
	now             func() time.Time
	log             *slog.Logger
	counters        Counters

	queue   chan store.AuditEvent
	flushes chan chan error
	stop    chan struct{}
	done    sync.WaitGroup
	once    sync.Once
}

// New starts the log's writer and pruner; Close stops them.
func New(st store.Audit, o Options) *Log {
	l := &Log{st: st, region: o.Region, account: o.Account, retention: o.Retention, batchSize: o.BatchSize,
		flushEvery: o.FlushEvery, pruneEvery: o.PruneEvery, now: o.Now, log: o.Logger, counters: o.Counters}
	if o.QueueSize <= 0 {
		o.QueueSize = 8192
	}
	if l.batchSize <= 0 {
		l.batchSize = 256
	}
	if l.flushEvery <= 0 {
		l.flushEvery = time.Second
	}
	if l.pruneEvery <= 0 {
		l.pruneEvery = time.Hour
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	if l.counters == nil {
		l.counters = noCounters{}
	}
	l.queue = make(chan store.AuditEvent, o.QueueSize)
	l.flushes = make(chan chan error)
	l.stop = make(chan struct{})
	l.done.Add(2)
	go l.write()
	go l.prune()
	return l
}

// Observe records the entry for r, if it calls for one. It never blocks.
func (l *Log) Observe(r *Request) {
	if e, ok := l.Classify(r); ok {
		l.Record(e)
	}
}

// Record queues e for the store. It never blocks: when the queue is full
// (the store is slower than the entries coming in) e is dropped and
// counted, so that a slow database cannot slow requests down.
func (l *Log) Record(e store.AuditEvent) {
	select {
	case l.queue <- e:
		l.counters.AuditRecorded(e.Kind)
	default:
		l.counters.AuditDropped(1)
	}
}

// Flush writes what is queued now and returns once it is stored, so that
// a reader on this node sees the entries of requests already answered.
func (l *Log) Flush(ctx context.Context) error {
	ack := make(chan error, 1)
	select {
	case l.flushes <- ack:
	case <-l.stop:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-ack:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close writes what is queued and stops the writer and pruner. Entries
// recorded afterwards are dropped.
func (l *Log) Close() error {
	l.once.Do(func() { close(l.stop) })
	l.done.Wait()
	return nil
}

// write is the one goroutine that writes to the store: entries go out when
// a batch is full, when the oldest has waited FlushEvery, on Flush, and
// at Close.
func (l *Log) write() {
	defer l.done.Done()
	t := time.NewTicker(l.flushEvery)
	defer t.Stop()
	batch := make([]store.AuditEvent, 0, l.batchSize)
	flush := func() error {
		var errs []error
		for i := 0; i < len(batch); i += l.batchSize {
			errs = append(errs, l.store(batch[i:min(i+l.batchSize, len(batch))]))
		}
		batch = batch[:0]
		return errors.Join(errs...)
	}
	drain := func() {
		for {
			select {
			case e := <-l.queue:
				batch = append(batch, e)
			default:
				return
			}
		}
	}
	for {
		select {
		case e := <-l.queue:
			batch = append(batch, e)
			if len(batch) >= l.batchSize {
				_ = flush()
			}
		case <-t.C:
			_ = flush()
		case ack := <-l.flushes:
			drain()
			ack <- flush()
		case <-l.stop:
			drain()
			_ = flush()
			return
		}
	}
}

// store writes one batch. A batch the store refuses is logged, counted and
// given up: holding it would only grow the queue behind a failing database.
func (l *Log) store(batch []store.AuditEvent) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := l.st.AppendAudit(ctx, batch...)
	if err != nil {
		l.counters.AuditWriteFailed()
		l.log.Error("audit log: entries lost, the store refused them", "count", len(batch), "err", err)
	}
	return err
}

// prune deletes entries older than the retention, at start and every
// PruneEvery. Every node prunes; deleting what another node deleted is
// harmless.
func (l *Log) prune() {
	defer l.done.Done()
	if l.retention <= 0 {
		return
	}
	t := time.NewTicker(l.pruneEvery)
	defer t.Stop()
	for {
		if n, err := l.Prune(context.Background()); err != nil {
			l.log.Warn("audit log: pruning failed", "err", err)
		} else if n > 0 {
			l.log.Info("audit log: pruned entries past the retention", "count", n, "retention", l.retention.String())
		}
		select {
		case <-t.C:
		case <-l.stop:
			return
		}
	}
}

// Prune deletes the entries older than the retention now and says how
// many; with no retention it deletes nothing.
func (l *Log) Prune(ctx context.Context) (int, error) {
	if l.retention <= 0 {
		return 0, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	return l.st.DeleteAuditBefore(ctx, l.now().Add(-l.retention))
}

type noCounters struct{}

func (noCounters) AuditRecorded(string) {}
func (noCounters) AuditDropped(int)     {}
func (noCounters) AuditWriteFailed()    {}
