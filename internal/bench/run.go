package bench

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// Run sets up, then runs each scenario of o in turn and returns their
// figures. It stops early when ctx ends, returning what finished.
func Run(ctx context.Context, o Options) ([]Result, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	e := newEnv(o)
	if err := e.setUp(ctx); err != nil {
		return nil, err
	}
	var results []Result
	for _, name := range o.Scenarios {
		r, err := e.run(ctx, name)
		if err != nil {
			return results, fmt.Errorf("%s: %w", name, err)
		}
		results = append(results, r)
	}
	return results, nil
}

// run prepares one scenario and runs its workers for the duration.
func (e *env) run(ctx context.Context, name string) (Result, error) {
	p, err := prepare(ctx, e, name)
	if err != nil {
		return Result{}, err
	}
	rss := sampleRSS(e.opts.ServerPID)
	var counts live
	tallies := make([]*tally, len(p.ops))
	runCtx, cancel := context.WithTimeout(ctx, e.opts.Duration)
	defer cancel()
	stop := e.progress(func(elapsed time.Duration) string {
		ops := counts.ops.Load()
		return fmt.Sprintf("%s: %.0fs/%.0fs %d ops (%.0f/s) %d errors", name, elapsed.Seconds(), e.opts.Duration.Seconds(),
			ops, float64(ops)/elapsed.Seconds(), counts.errors.Load())
	})
	start := time.Now()
	var wg sync.WaitGroup
	for i, op := range p.ops {
		t := newTally()
		tallies[i] = t
		wg.Go(func() {
			for runCtx.Err() == nil {
				began := time.Now()
				err := op(runCtx, t)
				if runCtx.Err() != nil {
					return // cut off by the end of the run: neither a result nor an error
				}
				if err != nil {
					t.errors[errorCode(err)]++
					counts.errors.Add(1)
					continue
				}
				t.ops = append(t.ops, time.Since(began))
				counts.ops.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	stop()
	return e.summarize(name, p, tallies, elapsed, rss()), nil
}

// summarize merges the workers' tallies into one Result.
func (e *env) summarize(name string, p prepared, tallies []*tally, elapsed time.Duration, peakRSS float64) Result {
	r := Result{Scenario: name, Endpoint: e.opts.Endpoint, Floor: e.opts.Floor, Concurrency: e.opts.Concurrency,
		Seconds: elapsed.Seconds(), Populated: p.populated, ErrorsByCode: map[string]int64{}, ServerPeakRSSMiB: peakRSS}
	if name == "s3-put" || name == "s3-get" || name == "s3-list" {
		r.Size = e.opts.Size
	}
	var all []time.Duration
	steps := map[string][]time.Duration{}
	var bytes int64
	for _, t := range tallies {
		all = append(all, t.ops...)
		for k, v := range t.steps {
			steps[k] = append(steps[k], v...)
		}
		for k, v := range t.errors {
			r.ErrorsByCode[k] += v
			r.Errors += v
		}
		bytes += t.bytes
	}
	r.Ops = int64(len(all))
	r.OpsPerSec = float64(r.Ops) / elapsed.Seconds()
	if bytes > 0 && name != "s3-list" {
		r.MBPerSec = float64(bytes) / 1e6 / elapsed.Seconds()
	}
	r.Percentiles = percentiles(all)
	for _, k := range slices.Sorted(maps.Keys(steps)) {
		r.Steps = append(r.Steps, Step{Name: k, Count: len(steps[k]), Percentiles: percentiles(steps[k])})
	}
	if len(r.ErrorsByCode) == 0 {
		r.ErrorsByCode = nil
	}
	return r
}

// progress prints line(elapsed) every second until the returned stop is
// called.
func (e *env) progress(line func(time.Duration) string) (stop func()) {
	if e.opts.Progress == nil {
		return func() {}
	}
	start := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				fmt.Fprintln(e.opts.Progress, line(time.Since(start)))
			}
		}
	})
	// A last line when the run ends, so that a run of a second or less,
	// which ends as the first tick is due, still shows its progress.
	return func() { close(done); wg.Wait(); fmt.Fprintln(e.opts.Progress, line(time.Since(start))) }
}
