package userpoolapi

import (
	"context"

	"github.com/federa/federa/internal/userpool"
)

type clientJSON struct {
	UserPoolID       string  `json:"UserPoolId"`
	ClientName       string  `json:"ClientName"`
	ClientID         string  `json:"ClientId"`
	CreationDate     float64 `json:"CreationDate"`
	LastModifiedDate float64 `json:"LastModifiedDate"`
	userpool.ClientSettings
}

func encodeClient(c userpool.Client) clientJSON {
	return clientJSON{UserPoolID: c.PoolID, ClientName: c.Name, ClientID: c.ID, CreationDate: epoch(c.CreatedAt),
		LastModifiedDate: epoch(c.UpdatedAt), ClientSettings: c.Settings}
}

type createClientInput struct {
	UserPoolID string `json:"UserPoolId"`
	ClientName string `json:"ClientName"`
	userpool.ClientSettings
}

type clientOutput struct {
	UserPoolClient clientJSON `json:"UserPoolClient"`
}

func (a api) createUserPoolClient(ctx context.Context, in *createClientInput) (*clientOutput, error) {
	c, err := a.svc.CreateUserPoolClient(ctx, in.UserPoolID, in.ClientName, in.ClientSettings)
	if err != nil {
		return nil, err
	}
	return &clientOutput{encodeClient(c)}, nil
}

type clientIDInput struct {
	UserPoolID string `json:"UserPoolId"`
	ClientID   string `json:"ClientId"`
}

func (a api) describeUserPoolClient(ctx context.Context, in *clientIDInput) (*clientOutput, error) {
	c, err := a.svc.DescribeUserPoolClient(ctx, in.UserPoolID, in.ClientID)
	if err != nil {
		return nil, err
	}
	return &clientOutput{encodeClient(c)}, nil
}

type listClientsInput struct {
	UserPoolID string `json:"UserPoolId"`
	MaxResults int    `json:"MaxResults"`
	NextToken  string `json:"NextToken"`
}

type clientDescription struct {
	ClientID   string `json:"ClientId"`
	UserPoolID string `json:"UserPoolId"`
	ClientName string `json:"ClientName"`
}

type listClientsOutput struct {
	UserPoolClients []clientDescription `json:"UserPoolClients"`
	NextToken       string              `json:"NextToken,omitempty"`
}

func (a api) listUserPoolClients(ctx context.Context, in *listClientsInput) (*listClientsOutput, error) {
	list, next, err := a.svc.ListUserPoolClients(ctx, in.UserPoolID, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &listClientsOutput{UserPoolClients: []clientDescription{}, NextToken: next}
	for _, c := range list {
		out.UserPoolClients = append(out.UserPoolClients, clientDescription{c.ID, c.PoolID, c.Name})
	}
	return out, nil
}

type updateClientInput struct {
	UserPoolID string `json:"UserPoolId"`
	ClientID   string `json:"ClientId"`
	ClientName string `json:"ClientName"`
	userpool.ClientSettings
}

func (a api) updateUserPoolClient(ctx context.Context, in *updateClientInput) (*clientOutput, error) {
	c, err := a.svc.UpdateUserPoolClient(ctx, in.UserPoolID, in.ClientID, in.ClientName, in.ClientSettings)
	if err != nil {
		return nil, err
	}
	return &clientOutput{encodeClient(c)}, nil
}

func (a api) deleteUserPoolClient(ctx context.Context, in *clientIDInput) (*struct{}, error) {
	return nil, a.svc.DeleteUserPoolClient(ctx, in.UserPoolID, in.ClientID)
}
