// Package store defines federa's persistence contract: plain record types and
// one small interface per domain, embedded into Store. Services take only the
// interface they need. Implementations live in sub-packages (sqlstore) and all
// pass the conformance suite in storetest.
//
// Conventions every implementation keeps:
//   - every method takes a context; times are stored and returned in UTC;
//   - Get of a missing record returns ErrNotFound, Create of an existing key
//     returns ErrExists, and a refused state change returns ErrConflict, always
//     wrapped so errors.Is works;
//   - updates are compare-and-swap closures (UpdateX(ctx, key, fn)): fn sees the
//     current record and its changes are written atomically, or not at all when
//     fn returns an error (which Update returns unchanged);
//   - List methods return records ordered by their key (byte order), those with
//     key > after, at most limit of them (limit <= 0 means all).
//
// Fields named Spec hold a service-owned JSON document: the store keeps the
// bytes and never looks inside, so an AWS shape can grow without a migration.
//
// store is a leaf: it imports nothing of federa's.
package store
