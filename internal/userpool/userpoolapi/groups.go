package userpoolapi

import (
	"context"

	"github.com/federa/federa/internal/userpool"
)

type groupJSON struct {
	GroupName        string  `json:"GroupName"`
	UserPoolID       string  `json:"UserPoolId"`
	Description      string  `json:"Description,omitempty"`
	RoleArn          string  `json:"RoleArn,omitempty"`
	Precedence       *int    `json:"Precedence,omitempty"`
	CreationDate     float64 `json:"CreationDate"`
	LastModifiedDate float64 `json:"LastModifiedDate"`
}

func encodeGroup(g userpool.Group) groupJSON {
	return groupJSON{GroupName: g.Name, UserPoolID: g.PoolID, Description: g.Description, RoleArn: g.RoleARN, Precedence: g.Precedence,
		CreationDate: epoch(g.CreatedAt), LastModifiedDate: epoch(g.UpdatedAt)}
}

type groupInput struct {
	UserPoolID  string  `json:"UserPoolId"`
	GroupName   string  `json:"GroupName"`
	Username    string  `json:"Username"`
	Description *string `json:"Description"`
	RoleArn     *string `json:"RoleArn"`
	Precedence  *int    `json:"Precedence"`
	NextToken   string  `json:"NextToken"`
	Limit       int     `json:"Limit"`
}

func (in *groupInput) settings() userpool.GroupInput {
	out := userpool.GroupInput{Precedence: in.Precedence}
	if in.Description != nil {
		out.Description = *in.Description
	}
	if in.RoleArn != nil {
		out.RoleARN = *in.RoleArn
	}
	return out
}

type groupOutput struct {
	Group groupJSON `json:"Group"`
}

func (a api) createGroup(ctx context.Context, in *groupInput) (*groupOutput, error) {
	g, err := a.svc.CreateGroup(ctx, in.UserPoolID, in.GroupName, in.settings())
	if err != nil {
		return nil, err
	}
	return &groupOutput{encodeGroup(g)}, nil
}

func (a api) getGroup(ctx context.Context, in *groupInput) (*groupOutput, error) {
	g, err := a.svc.GetGroup(ctx, in.UserPoolID, in.GroupName)
	if err != nil {
		return nil, err
	}
	return &groupOutput{encodeGroup(g)}, nil
}

func (a api) updateGroup(ctx context.Context, in *groupInput) (*groupOutput, error) {
	g, err := a.svc.UpdateGroup(ctx, in.UserPoolID, in.GroupName, in.settings(), in.Description != nil, in.RoleArn != nil)
	if err != nil {
		return nil, err
	}
	return &groupOutput{encodeGroup(g)}, nil
}

func (a api) deleteGroup(ctx context.Context, in *groupInput) (*struct{}, error) {
	return nil, a.svc.DeleteGroup(ctx, in.UserPoolID, in.GroupName)
}

type groupsOutput struct {
	Groups    []groupJSON `json:"Groups"`
	NextToken string      `json:"NextToken,omitempty"`
}

// pageLimit reads Limit: Cognito's default and maximum page is 60.
func pageLimit(n int) int {
	if n <= 0 || n > 60 {
		return 60
	}
	return n
}

func (a api) listGroups(ctx context.Context, in *groupInput) (*groupsOutput, error) {
	gs, next, err := a.svc.ListGroups(ctx, in.UserPoolID, in.NextToken, pageLimit(in.Limit))
	if err != nil {
		return nil, err
	}
	out := &groupsOutput{Groups: []groupJSON{}, NextToken: next}
	for _, g := range gs {
		out.Groups = append(out.Groups, encodeGroup(g))
	}
	return out, nil
}

func (a api) adminAddUserToGroup(ctx context.Context, in *groupInput) (*struct{}, error) {
	return nil, a.svc.AdminAddUserToGroup(ctx, in.UserPoolID, in.Username, in.GroupName)
}

func (a api) adminRemoveUserFromGroup(ctx context.Context, in *groupInput) (*struct{}, error) {
	return nil, a.svc.AdminRemoveUserFromGroup(ctx, in.UserPoolID, in.Username, in.GroupName)
}

func (a api) adminListGroupsForUser(ctx context.Context, in *groupInput) (*groupsOutput, error) {
	gs, err := a.svc.AdminListGroupsForUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return nil, err
	}
	out := &groupsOutput{Groups: []groupJSON{}}
	for _, g := range gs {
		out.Groups = append(out.Groups, encodeGroup(g))
	}
	return out, nil
}

type usersOutput struct {
	Users     []userJSON `json:"Users"`
	NextToken string     `json:"NextToken,omitempty"`
}

func (a api) listUsersInGroup(ctx context.Context, in *groupInput) (*usersOutput, error) {
	us, next, err := a.svc.ListUsersInGroup(ctx, in.UserPoolID, in.GroupName, in.NextToken, pageLimit(in.Limit))
	if err != nil {
		return nil, err
	}
	out := &usersOutput{Users: []userJSON{}, NextToken: next}
	for _, u := range us {
		out.Users = append(out.Users, encodeUser(u))
	}
	return out, nil
}
