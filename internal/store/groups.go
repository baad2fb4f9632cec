package store

import (
	"context"
	"time"
)

// Group is a user pool group. Names are unique within a pool, with case.
type Group struct {
	PoolID      string
	Name        string
	Description string
	RoleARN     string
	Precedence  *int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Groups persists user pool groups and their members (by user key).
type Groups interface {
	// CreateGroup returns ErrExists when the pool has a group of that name.
	CreateGroup(ctx context.Context, g Group) error
	GetGroup(ctx context.Context, poolID, name string) (Group, error)
	// ListGroups lists one pool's groups ordered by name.
	ListGroups(ctx context.Context, poolID, after string, limit int) ([]Group, error)
	UpdateGroup(ctx context.Context, poolID, name string, fn func(*Group) error) (Group, error)
	// DeleteGroup removes the group and its memberships.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// AddGroupMember is idempotent.
	AddGroupMember(ctx context.Context, poolID, group, userKey string) error
	RemoveGroupMember(ctx context.Context, poolID, group, userKey string) error
	// ListGroupMembers lists a group's user keys in order.
	ListGroupMembers(ctx context.Context, poolID, group, after string, limit int) ([]string, error)
	// ListUserGroups lists the names of a user's groups in order.
	ListUserGroups(ctx context.Context, poolID, userKey string) ([]string, error)
}
