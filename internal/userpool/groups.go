package userpool

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/federa/federa/internal/store"
)

// Group is a user pool group as Cognito describes it.
type Group struct {
	PoolID, Name, Description, RoleARN string
	Precedence                         *int
	CreatedAt, UpdatedAt               time.Time
}

func describeGroup(g store.Group) Group {
	return Group{PoolID: g.PoolID, Name: g.Name, Description: g.Description, RoleARN: g.RoleARN, Precedence: g.Precedence,
		CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt}
}

var (
	groupNamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)
	roleARNPattern   = regexp.MustCompile(`^arn:[\w+=/,.@-]+:iam::\d{12}:role/[\w+=/,.@-]+$`)
)

// GroupInput is what CreateGroup and UpdateGroup set.
type GroupInput struct {
	Description, RoleARN string
	Precedence           *int
}

func (in GroupInput) validate() error {
	if len(in.Description) > 2048 {
		return ErrInvalidParameter.New("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048")
	}
	if in.RoleARN != "" && !roleARNPattern.MatchString(in.RoleARN) {
		return ErrInvalidParameter.New("RoleArn %s is not the ARN of an IAM role.", in.RoleARN)
	}
	if in.Precedence != nil && *in.Precedence < 0 {
		return ErrInvalidParameter.New("1 validation error detected: Value '%d' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0", *in.Precedence)
	}
	return nil
}

// CreateGroup creates a group in a pool.
func (s *Service) CreateGroup(ctx context.Context, poolID, name string, in GroupInput) (Group, error) {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return Group{}, err
	}
	if name == "" || len(name) > 128 || !groupNamePattern.MatchString(name) {
		return Group{}, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+ and have length between 1 and 128", name)
	}
	if err := in.validate(); err != nil {
		return Group{}, err
	}
	now := s.clock()
	g := store.Group{PoolID: poolID, Name: name, Description: in.Description, RoleARN: in.RoleARN, Precedence: in.Precedence, CreatedAt: now, UpdatedAt: now}
	if err := s.st.CreateGroup(ctx, g); err != nil {
		if errors.Is(err, store.ErrExists) {
			return Group{}, ErrGroupExists.New("A group with the name %s already exists.", name)
		}
		return Group{}, err
	}
	return describeGroup(g), nil
}

// group loads a group of a pool.
func (s *Service) group(ctx context.Context, poolID, name string) (store.Group, error) {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return store.Group{}, err
	}
	g, err := s.st.GetGroup(ctx, poolID, name)
	if errors.Is(err, store.ErrNotFound) {
		return g, ErrResourceNotFound.New("Group not found.")
	}
	return g, err
}

// GetGroup returns a group.
func (s *Service) GetGroup(ctx context.Context, poolID, name string) (Group, error) {
	g, err := s.group(ctx, poolID, name)
	if err != nil {
		return Group{}, err
	}
	return describeGroup(g), nil
}

// UpdateGroup changes what the request sets: Cognito leaves out what is
// not given.
func (s *Service) UpdateGroup(ctx context.Context, poolID, name string, in GroupInput, setDescription, setRole bool) (Group, error) {
	if _, err := s.group(ctx, poolID, name); err != nil {
		return Group{}, err
	}
	if err := in.validate(); err != nil {
		return Group{}, err
	}
	g, err := s.st.UpdateGroup(ctx, poolID, name, func(g *store.Group) error {
		if setDescription {
			g.Description = in.Description
		}
		if setRole {
			g.RoleARN = in.RoleARN
		}
		if in.Precedence != nil {
			g.Precedence = in.Precedence
		}
		g.UpdatedAt = s.clock()
		return nil
	})
	if err != nil {
		return Group{}, err
	}
	return describeGroup(g), nil
}

// DeleteGroup deletes a group; its users stay.
func (s *Service) DeleteGroup(ctx context.Context, poolID, name string) error {
	if _, err := s.group(ctx, poolID, name); err != nil {
		return err
	}
	return s.st.DeleteGroup(ctx, poolID, name)
}

// ListGroups lists a pool's groups by name.
func (s *Service) ListGroups(ctx context.Context, poolID, token string, limit int) ([]Group, string, error) {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return nil, "", err
	}
	page, err := s.st.ListGroups(ctx, poolID, token, limit+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(page) > limit {
		page, next = page[:limit], page[limit-1].Name
	}
	out := make([]Group, 0, len(page))
	for _, g := range page {
		out = append(out, describeGroup(g))
	}
	return out, next, nil
}

// AdminAddUserToGroup adds a user to a group.
func (s *Service) AdminAddUserToGroup(ctx context.Context, poolID, username, group string) error {
	u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	if _, err := s.group(ctx, poolID, group); err != nil {
		return err
	}
	return s.st.AddGroupMember(ctx, poolID, group, u.Key)
}

// AdminRemoveUserFromGroup removes a user from a group.
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, poolID, username, group string) error {
	u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	if _, err := s.group(ctx, poolID, group); err != nil {
		return err
	}
	return s.st.RemoveGroupMember(ctx, poolID, group, u.Key)
}

// AdminListGroupsForUser lists a user's groups.
func (s *Service) AdminListGroupsForUser(ctx context.Context, poolID, username string) ([]Group, error) {
	u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return nil, err
	}
	gs, err := s.userGroups(ctx, u)
	if err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(gs))
	for _, g := range gs {
		out = append(out, describeGroup(g))
	}
	return out, nil
}

// ListUsersInGroup lists a group's users.
func (s *Service) ListUsersInGroup(ctx context.Context, poolID, group, token string, limit int) ([]User, string, error) {
	if _, err := s.group(ctx, poolID, group); err != nil {
		return nil, "", err
	}
	keys, err := s.st.ListGroupMembers(ctx, poolID, group, token, limit+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(keys) > limit {
		keys, next = keys[:limit], keys[limit-1]
	}
	out := make([]User, 0, len(keys))
	for _, k := range keys {
		u, err := s.st.GetUser(ctx, poolID, k)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		out = append(out, describeUser(u))
	}
	return out, next, nil
}

// userGroups loads a user's groups ordered as tokens list them: by
// precedence (lowest first, none last), then name.
func (s *Service) userGroups(ctx context.Context, u store.User) ([]store.Group, error) {
	names, err := s.st.ListUserGroups(ctx, u.PoolID, u.Key)
	if err != nil {
		return nil, err
	}
	var gs []store.Group
	for _, n := range names {
		g, err := s.st.GetGroup(ctx, u.PoolID, n)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		gs = append(gs, g)
	}
	sort.SliceStable(gs, func(i, j int) bool {
		pi, pj := gs[i].Precedence, gs[j].Precedence
		switch {
		case pi != nil && pj != nil && *pi != *pj:
			return *pi < *pj
		case (pi == nil) != (pj == nil):
			return pi != nil
		}
		return strings.Compare(gs[i].Name, gs[j].Name) < 0
	})
	return gs, nil
}

// groupClaims are the cognito:groups, cognito:roles and
// cognito:preferred_role claims of a user's tokens; nil when the user is in
// no group.
func (s *Service) groupClaims(ctx context.Context, u store.User) (map[string]any, error) {
	gs, err := s.userGroups(ctx, u)
	if err != nil || len(gs) == 0 {
		return nil, err
	}
	claims := map[string]any{}
	names := make([]string, 0, len(gs))
	var roles []string
	preferred := ""
	for _, g := range gs {
		names = append(names, g.Name)
		if g.RoleARN != "" {
			roles = append(roles, g.RoleARN)
			if preferred == "" {
				preferred = g.RoleARN
			}
		}
	}
	claims["cognito:groups"] = names
	if len(roles) > 0 {
		claims["cognito:roles"] = roles
		claims["cognito:preferred_role"] = preferred
	}
	return claims, nil
}
