package bench

import (
	"context"
	"errors"
	"net"
	"slices"
	"sync/atomic"
	"time"

	"github.com/aws/smithy-go"
)

// tally is one worker's record. Workers never share one, so recording takes
// no lock; Run merges them when the scenario ends.
type tally struct {
	ops    []time.Duration            // latency of each whole operation
	steps  map[string][]time.Duration // latency of each request within one
	errors map[string]int64           // by AWS error code
	bytes  int64
}

func newTally() *tally {
	return &tally{steps: map[string][]time.Duration{}, errors: map[string]int64{}}
}

// step times one request of an operation under its API name, so that a
// two-request operation (GetId then GetCredentialsForIdentity) reports each.
func (t *tally) step(name string, fn func() error) error {
	start := time.Now()
	err := fn()
	if err == nil {
		t.steps[name] = append(t.steps[name], time.Since(start))
	}
	return err
}

// live counts what every worker has done so far, for the progress line.
type live struct {
	ops, errors atomic.Int64
}

// errorCode names an error as the report counts it: the AWS error code when
// the server answered one, else what went wrong on the way.
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "Timeout"
	case errors.As(err, &ne):
		return "NetworkError"
	}
	return "ClientError"
}

// Percentiles holds latency figures in milliseconds.
type Percentiles struct {
	P50  float64 `json:"p50_ms"`
	P99  float64 `json:"p99_ms"`
	P999 float64 `json:"p99_9_ms"`
}

// percentiles sorts d in place and reads the nearest-rank percentiles.
func percentiles(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	slices.Sort(d)
	at := func(p float64) float64 {
		i := int(p*float64(len(d))+0.999999) - 1
		i = max(0, min(i, len(d)-1))
		return float64(d[i]) / float64(time.Millisecond)
	}
	return Percentiles{P50: at(0.50), P99: at(0.99), P999: at(0.999)}
}
