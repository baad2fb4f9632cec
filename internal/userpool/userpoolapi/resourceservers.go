package userpoolapi

import (
	"context"

	"github.com/federa/federa/internal/userpool"
)

// resourceServerJSON is the model's ResourceServerType. Scopes is always
// present, [] for a server without scopes, as Cognito answers.
type resourceServerJSON struct {
	UserPoolID string                         `json:"UserPoolId"`
	Identifier string                         `json:"Identifier"`
	Name       string                         `json:"Name"`
	Scopes     []userpool.ResourceServerScope `json:"Scopes"`
}

func encodeResourceServer(rs userpool.ResourceServer) resourceServerJSON {
	scopes := rs.Scopes
	if scopes == nil {
		scopes = []userpool.ResourceServerScope{}
	}
	return resourceServerJSON{UserPoolID: rs.PoolID, Identifier: rs.Identifier, Name: rs.Name, Scopes: scopes}
}

// resourceServerInput is the union of the five operations' requests.
type resourceServerInput struct {
	UserPoolID string                         `json:"UserPoolId"`
	Identifier string                         `json:"Identifier"`
	Name       string                         `json:"Name"`
	Scopes     []userpool.ResourceServerScope `json:"Scopes"`
	MaxResults *int                           `json:"MaxResults"`
	NextToken  string                         `json:"NextToken"`
}

func (in *resourceServerInput) server() userpool.ResourceServer {
	return userpool.ResourceServer{PoolID: in.UserPoolID, Identifier: in.Identifier, Name: in.Name, Scopes: in.Scopes}
}

type resourceServerOutput struct {
	ResourceServer resourceServerJSON `json:"ResourceServer"`
}

func (a api) createResourceServer(ctx context.Context, in *resourceServerInput) (*resourceServerOutput, error) {
	rs, err := a.svc.CreateResourceServer(ctx, in.server())
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{encodeResourceServer(rs)}, nil
}

func (a api) describeResourceServer(ctx context.Context, in *resourceServerInput) (*resourceServerOutput, error) {
	rs, err := a.svc.DescribeResourceServer(ctx, in.UserPoolID, in.Identifier)
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{encodeResourceServer(rs)}, nil
}

func (a api) updateResourceServer(ctx context.Context, in *resourceServerInput) (*resourceServerOutput, error) {
	rs, err := a.svc.UpdateResourceServer(ctx, in.server())
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{encodeResourceServer(rs)}, nil
}

func (a api) deleteResourceServer(ctx context.Context, in *resourceServerInput) (*struct{}, error) {
	return nil, a.svc.DeleteResourceServer(ctx, in.UserPoolID, in.Identifier)
}

type resourceServersOutput struct {
	ResourceServers []resourceServerJSON `json:"ResourceServers"`
	NextToken       string               `json:"NextToken,omitempty"`
}

func (a api) listResourceServers(ctx context.Context, in *resourceServerInput) (*resourceServersOutput, error) {
	page, next, err := a.svc.ListResourceServers(ctx, in.UserPoolID, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &resourceServersOutput{ResourceServers: make([]resourceServerJSON, 0, len(page)), NextToken: next}
	for _, rs := range page {
		out.ResourceServers = append(out.ResourceServers, encodeResourceServer(rs))
	}
	return out, nil
}
