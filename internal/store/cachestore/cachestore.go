// Package cachestore keeps the records that every request reads (user
// pools, app clients, identity pools, identities, roles, managed policies,
// buckets) in memory in front of another store.Store, so that the hot paths
// (vending credentials, authorizing an S3 request) read no database when
// nothing changed.
//
// A write through this store drops what it may have changed before it
// returns, so one process never reads its own stale data. Other processes
// sharing the database cannot tell it of their writes, so every entry
// also expires after TTL: with several nodes, a change made on one is seen
// by the others within TTL.
//
// cachestore imports only the store contract, like a backend.
package cachestore

import (
	"sync"
	"time"

	"github.com/federa/federa/internal/store"
)

// TTL is how long an entry is trusted without a write through this store.
const TTL = time.Second

// maxEntries bounds memory: past it the cache starts empty again, which
// costs a database read per record, never a wrong answer.
const maxEntries = 100_000

// Store is a store.Store that caches reads of the records above.
type Store struct {
	store.Store
	now func() time.Time

	mu sync.RWMutex
	// gen counts invalidations, so that a read which raced a write does not
	// put what it read before the write into the cache after it.
	gen     uint64
	idGen   uint64
	entries map[key]entry
}

var _ store.Store = (*Store)(nil)

// family groups records by what invalidates them: identities change on the
// hot path (a first GetId, a login linked, a touch) and only drop
// identities; anything else drops everything, since a deletion cascades
// (a pool's app clients, an identity pool's identities).
type family int

const (
	config family = iota
	identities
)

type key struct {
	kind string
	id   string
}

type entry struct {
	v   any
	at  time.Time
	fam family
}

// New wraps st.
func New(st store.Store) *Store {
	return &Store{Store: st, now: time.Now, entries: map[key]entry{}}
}

// get returns the cached value of k, or reads it with load and caches it.
// clone copies what the caller receives, so a caller that changes a slice
// or map of its record cannot change the cached one.
func get[T any](s *Store, fam family, k key, clone func(T) T, load func() (T, error)) (T, error) {
	now := s.now()
	s.mu.RLock()
	e, ok := s.entries[k]
	gen, idGen := s.gen, s.idGen
	s.mu.RUnlock()
	if ok && now.Sub(e.at) < TTL && now.Sub(e.at) >= 0 {
		return clone(e.v.(T)), nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	s.mu.Lock()
	if s.gen == gen && s.idGen == idGen {
		if len(s.entries) >= maxEntries {
			s.entries = map[key]entry{}
		}
		s.entries[k] = entry{v: clone(v), at: now, fam: fam}
	}
	s.mu.Unlock()
	return v, nil
}

// invalidate drops what a write of fam may have changed. It runs after the
// write, whether or not it succeeded (a failed write may have half-happened
// on a remote database).
func (s *Store) invalidate(fam family) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fam == identities {
		s.idGen++
		for k, e := range s.entries {
			if e.fam == identities {
				delete(s.entries, k)
			}
		}
		return
	}
	s.gen++
	s.entries = map[key]entry{}
}
