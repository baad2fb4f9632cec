package store

import "errors"

var (
	// ErrNotFound means the record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrExists means a record with the same unique key already exists.
	ErrExists = errors.New("store: already exists")
	// ErrConflict means the change was refused because of other records (for
	// example deleting a bucket that still holds objects).
	ErrConflict = errors.New("store: conflict")
)
