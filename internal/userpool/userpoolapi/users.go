package userpoolapi

import (
	"context"

	"github.com/federa/federa/internal/userpool"
)

type userJSON struct {
	Username             string               `json:"Username"`
	Attributes           []userpool.Attribute `json:"Attributes"`
	UserCreateDate       float64              `json:"UserCreateDate"`
	UserLastModifiedDate float64              `json:"UserLastModifiedDate"`
	Enabled              bool                 `json:"Enabled"`
	UserStatus           string               `json:"UserStatus"`
}

func encodeUser(u userpool.User) userJSON {
	return userJSON{Username: u.Username, Attributes: u.Attributes, UserCreateDate: epoch(u.CreatedAt),
		UserLastModifiedDate: epoch(u.UpdatedAt), Enabled: u.Enabled, UserStatus: u.Status}
}

type adminCreateUserInput struct {
	UserPoolID             string               `json:"UserPoolId"`
	Username               string               `json:"Username"`
	UserAttributes         []userpool.Attribute `json:"UserAttributes"`
	TemporaryPassword      string               `json:"TemporaryPassword"`
	MessageAction          string               `json:"MessageAction"`
	DesiredDeliveryMediums []string             `json:"DesiredDeliveryMediums"`
}

type adminCreateUserOutput struct {
	User userJSON `json:"User"`
}

func (a api) adminCreateUser(ctx context.Context, in *adminCreateUserInput) (*adminCreateUserOutput, error) {
	u, err := a.svc.AdminCreateUser(ctx, userpool.AdminCreateUserInput{PoolID: in.UserPoolID, Username: in.Username,
		TemporaryPassword: in.TemporaryPassword, MessageAction: in.MessageAction, Attributes: in.UserAttributes})
	if err != nil {
		return nil, err
	}
	return &adminCreateUserOutput{encodeUser(u)}, nil
}

type adminSetUserPasswordInput struct {
	UserPoolID string `json:"UserPoolId"`
	Username   string `json:"Username"`
	Password   string `json:"Password"`
	Permanent  bool   `json:"Permanent"`
}

func (a api) adminSetUserPassword(ctx context.Context, in *adminSetUserPasswordInput) (*struct{}, error) {
	return nil, a.svc.AdminSetUserPassword(ctx, in.UserPoolID, in.Username, in.Password, in.Permanent)
}

type userNameInput struct {
	UserPoolID string `json:"UserPoolId"`
	Username   string `json:"Username"`
}

type adminGetUserOutput struct {
	Username             string               `json:"Username"`
	UserAttributes       []userpool.Attribute `json:"UserAttributes"`
	UserCreateDate       float64              `json:"UserCreateDate"`
	UserLastModifiedDate float64              `json:"UserLastModifiedDate"`
	Enabled              bool                 `json:"Enabled"`
	UserStatus           string               `json:"UserStatus"`
	UserMFASettingList   []string             `json:"UserMFASettingList,omitempty"`
	PreferredMfaSetting  string               `json:"PreferredMfaSetting,omitempty"`
}

func (a api) adminGetUser(ctx context.Context, in *userNameInput) (*adminGetUserOutput, error) {
	u, err := a.svc.AdminGetUser(ctx, in.UserPoolID, in.Username)
	if err != nil {
		return nil, err
	}
	return &adminGetUserOutput{Username: u.Username, UserAttributes: u.Attributes, UserCreateDate: epoch(u.CreatedAt),
		UserLastModifiedDate: epoch(u.UpdatedAt), Enabled: u.Enabled, UserStatus: u.Status,
		UserMFASettingList: u.MFASettings, PreferredMfaSetting: u.PreferredMFA}, nil
}

func (a api) adminDeleteUser(ctx context.Context, in *userNameInput) (*struct{}, error) {
	return nil, a.svc.AdminDeleteUser(ctx, in.UserPoolID, in.Username)
}

type listUsersInput struct {
	UserPoolID      string   `json:"UserPoolId"`
	AttributesToGet []string `json:"AttributesToGet"`
	Limit           int      `json:"Limit"`
	PaginationToken string   `json:"PaginationToken"`
	Filter          string   `json:"Filter"`
}

type listUsersOutput struct {
	Users           []userJSON `json:"Users"`
	PaginationToken string     `json:"PaginationToken,omitempty"`
}

func (a api) listUsers(ctx context.Context, in *listUsersInput) (*listUsersOutput, error) {
	users, next, err := a.svc.ListUsers(ctx, in.UserPoolID, in.Filter, in.PaginationToken, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &listUsersOutput{Users: []userJSON{}, PaginationToken: next}
	for _, u := range users {
		j := encodeUser(u)
		if in.AttributesToGet != nil {
			j.Attributes = pick(u.Attributes, in.AttributesToGet)
		}
		out.Users = append(out.Users, j)
	}
	return out, nil
}

func pick(attrs []userpool.Attribute, names []string) []userpool.Attribute {
	out := []userpool.Attribute{}
	for _, a := range attrs {
		for _, n := range names {
			if a.Name == n {
				out = append(out, a)
			}
		}
	}
	return out
}

type accessTokenInput struct {
	AccessToken string `json:"AccessToken"`
}

type getUserOutput struct {
	Username            string               `json:"Username"`
	UserAttributes      []userpool.Attribute `json:"UserAttributes"`
	UserMFASettingList  []string             `json:"UserMFASettingList,omitempty"`
	PreferredMfaSetting string               `json:"PreferredMfaSetting,omitempty"`
}

func (a api) getUser(ctx context.Context, in *accessTokenInput) (*getUserOutput, error) {
	u, err := a.svc.GetUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return &getUserOutput{Username: u.Username, UserAttributes: u.Attributes, UserMFASettingList: u.MFASettings, PreferredMfaSetting: u.PreferredMFA}, nil
}
