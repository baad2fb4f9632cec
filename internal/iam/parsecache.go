package iam

import (
	"strconv"
	"sync"

	"github.com/federa/federa/internal/policy"
)

// parseCache keeps parsed policy documents by their text, so a request does
// not re-parse the same JSON. Documents are immutable values: a changed
// policy is a different key, so the cache never serves a stale decision.
type parseCache struct {
	mu  sync.RWMutex
	max int
	m   map[string]*policy.Policy
}

func newParseCache(max int) *parseCache {
	return &parseCache{max: max, m: map[string]*policy.Policy{}}
}

func (c *parseCache) get(doc string, kind policy.Kind) (*policy.Policy, error) {
	key := strconv.Itoa(int(kind)) + doc
	c.mu.RLock()
	p, ok := c.m[key]
	c.mu.RUnlock()
	if ok {
		return p, nil
	}
	p, err := policy.Parse(doc, kind)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		// Dropping everything is crude but bounded; the working set of
		// policies of one server is small.
		c.m = map[string]*policy.Policy{}
	}
	c.m[key] = p
	c.mu.Unlock()
	return p, nil
}
