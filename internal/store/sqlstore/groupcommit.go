package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"
)

// committer runs the transactions that arrive while another commits as one
// SQLite transaction: group commit. Every commit of SQLite in WAL mode with
// synchronous=FULL is an fsync, and SQLite commits one writer at a time, so
// without grouping the writes per second are capped at the fsyncs per
// second of the disk; grouped, one fsync makes a whole batch durable.
//
// Each transaction of a batch runs inside its own SAVEPOINT: one that
// fails is rolled back alone and its caller gets its error, as if it had
// run by itself; the others see each other's writes in arrival order, as
// if they had run one after another. A caller returns only after the
// commit that made its writes durable, or with the error that stopped it.
type committer struct {
	s *Store

	mu      sync.Mutex
	pending []*txRequest
	leading bool
}

type txRequest struct {
	ctx  context.Context
	fn   func(*sql.Tx) error
	done chan error
	// lead tells a waiting request to run the next batch.
	lead chan struct{}
}

// maxBatch bounds a batch, so that one slow batch does not hold many
// callers.
const maxBatch = 128

// do runs fn in the next batch and returns its outcome.
func (c *committer) do(ctx context.Context, fn func(*sql.Tx) error) error {
	r := &txRequest{ctx: ctx, fn: fn, done: make(chan error, 1), lead: make(chan struct{}, 1)}
	c.mu.Lock()
	c.pending = append(c.pending, r)
	if !c.leading {
		c.leading = true
		r.lead <- struct{}{}
	}
	c.mu.Unlock()
	for {
		select {
		case err := <-r.done:
			return err
		case <-r.lead:
			c.runNext()
		}
	}
}

// runNext runs one batch of what is pending, then hands leadership to the
// first request still waiting, so no caller leads for ever.
func (c *committer) runNext() {
	c.mu.Lock()
	n := min(len(c.pending), maxBatch)
	batch := c.pending[:n:n]
	c.pending = c.pending[n:]
	c.mu.Unlock()

	if len(batch) > 0 {
		c.s.writer <- struct{}{}
		c.run(batch)
		<-c.s.writer
	}

	c.mu.Lock()
	if len(c.pending) > 0 {
		c.pending[0].lead <- struct{}{}
	} else {
		c.leading = false
	}
	c.mu.Unlock()
}

// run commits batch, retrying the whole of it when SQLite reports a
// transient lock (each fn is written to be run again, as tx retries it).
func (c *committer) run(batch []*txRequest) {
	var errs []error
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		errs, err = c.run1(batch)
		if !c.s.d.isBusy(err) {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
	for i, r := range batch {
		switch {
		case errs != nil && errs[i] != nil:
			r.done <- errs[i]
		default:
			r.done <- err
		}
	}
}

// run1 runs each request in a savepoint of one transaction and commits.
// errs holds each request's own failure; err is what failed the batch.
func (c *committer) run1(batch []*txRequest) (errs []error, err error) {
	// The transaction belongs to no single caller: one caller giving up
	// must not roll back the others' writes.
	ctx := context.Background()
	tx, err := c.s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	errs = make([]error, len(batch))
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT grouped`); err != nil {
			_ = tx.Rollback()
			return nil, err
		}
		if errs[i] = r.fn(tx); errs[i] != nil {
			_, err = tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT grouped`)
		}
		if err == nil {
			_, err = tx.ExecContext(ctx, `RELEASE SAVEPOINT grouped`)
		}
		if err != nil {
			// The transaction itself is broken (SQLite rolls back a whole
			// transaction on some errors): nothing of the batch stands.
			_ = tx.Rollback()
			return nil, errors.Join(errors.New("sqlstore: a grouped transaction failed"), err)
		}
	}
	return errs, tx.Commit()
}
