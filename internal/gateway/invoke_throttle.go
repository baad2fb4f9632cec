package gateway

import (
	"sync"
	"time"
)

// throttles keeps one token bucket per API stage. API Gateway's stage
// throttling (methodSettings "*/*") is a token bucket: burst is its
// capacity, rate its refill per second
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html).
// Buckets are per process; with several nodes each allows the limit.
type throttles struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

// bucket is a token bucket; rate and burst are remembered so a stage
// update replaces it.
type bucket struct {
	rate   float64
	burst  int
	tokens float64
	last   time.Time
}

// allow takes a token from the bucket of key, creating or resizing it.
// A zero rate or burst means no limit.
func (t *throttles) allow(key string, rate float64, burst int, now time.Time) bool {
	if rate <= 0 && burst <= 0 {
		return true
	}
	if burst <= 0 {
		// A rate without a burst: API Gateway requires both; allow at
		// least one request at a time.
		burst = max(1, int(rate))
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.buckets == nil {
		t.buckets = map[string]*bucket{}
	}
	b := t.buckets[key]
	if b == nil || b.rate != rate || b.burst != burst {
		b = &bucket{rate: rate, burst: burst, tokens: float64(burst), last: now}
		t.buckets[key] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(float64(b.burst), b.tokens+d.Seconds()*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
