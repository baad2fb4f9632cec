package userpoolapi

import (
	"context"
	"encoding/json"

	"github.com/federa/federa/internal/userpool"
)

type userPoolJSON struct {
	ID                     string  `json:"Id"`
	Name                   string  `json:"Name"`
	Arn                    string  `json:"Arn"`
	CreationDate           float64 `json:"CreationDate"`
	LastModifiedDate       float64 `json:"LastModifiedDate"`
	Domain                 string  `json:"Domain,omitempty"`
	EstimatedNumberOfUsers int     `json:"EstimatedNumberOfUsers"`
	// SchemaAttributes is what CreateUserPool took as Schema: the output
	// shape (UserPoolType) names it differently. Schema shadows the
	// embedded settings' field so that it is not sent under the input name.
	SchemaAttributes json.RawMessage `json:"SchemaAttributes,omitempty"`
	Schema           json.RawMessage `json:"Schema,omitempty"`
	userpool.PoolSettings
}

func encodePool(p userpool.Pool) userPoolJSON {
	return userPoolJSON{ID: p.ID, Name: p.Name, Arn: p.ARN, CreationDate: epoch(p.CreatedAt), LastModifiedDate: epoch(p.UpdatedAt),
		Domain: p.Domain, EstimatedNumberOfUsers: p.EstimatedNumberOfUsers, SchemaAttributes: p.Settings.Schema, PoolSettings: p.Settings}
}

type createUserPoolInput struct {
	PoolName string `json:"PoolName"`
	userpool.PoolSettings
}

type userPoolOutput struct {
	UserPool userPoolJSON `json:"UserPool"`
}

func (a api) createUserPool(ctx context.Context, in *createUserPoolInput) (*userPoolOutput, error) {
	p, err := a.svc.CreateUserPool(ctx, in.PoolName, in.PoolSettings)
	if err != nil {
		return nil, err
	}
	return &userPoolOutput{encodePool(p)}, nil
}

type poolIDInput struct {
	UserPoolID string `json:"UserPoolId"`
}

func (a api) describeUserPool(ctx context.Context, in *poolIDInput) (*userPoolOutput, error) {
	p, err := a.svc.DescribeUserPool(ctx, in.UserPoolID)
	if err != nil {
		return nil, err
	}
	return &userPoolOutput{encodePool(p)}, nil
}

type listUserPoolsInput struct {
	MaxResults int    `json:"MaxResults"`
	NextToken  string `json:"NextToken"`
}

type poolDescription struct {
	ID               string          `json:"Id"`
	Name             string          `json:"Name"`
	LambdaConfig     json.RawMessage `json:"LambdaConfig,omitempty"`
	CreationDate     float64         `json:"CreationDate"`
	LastModifiedDate float64         `json:"LastModifiedDate"`
}

type listUserPoolsOutput struct {
	UserPools []poolDescription `json:"UserPools"`
	NextToken string            `json:"NextToken,omitempty"`
}

func (a api) listUserPools(ctx context.Context, in *listUserPoolsInput) (*listUserPoolsOutput, error) {
	pools, next, err := a.svc.ListUserPools(ctx, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &listUserPoolsOutput{UserPools: []poolDescription{}, NextToken: next}
	for _, p := range pools {
		out.UserPools = append(out.UserPools, poolDescription{ID: p.ID, Name: p.Name, LambdaConfig: p.Settings.LambdaConfig,
			CreationDate: epoch(p.CreatedAt), LastModifiedDate: epoch(p.UpdatedAt)})
	}
	return out, nil
}

func (a api) deleteUserPool(ctx context.Context, in *poolIDInput) (*struct{}, error) {
	return nil, a.svc.DeleteUserPool(ctx, in.UserPoolID)
}

type domainInput struct {
	Domain     string `json:"Domain"`
	UserPoolID string `json:"UserPoolId"`
}

type createDomainOutput struct {
	ManagedLoginVersion int `json:"ManagedLoginVersion"`
}

func (a api) createUserPoolDomain(ctx context.Context, in *domainInput) (*createDomainOutput, error) {
	if err := a.svc.CreateUserPoolDomain(ctx, in.UserPoolID, in.Domain); err != nil {
		return nil, err
	}
	return &createDomainOutput{ManagedLoginVersion: 1}, nil
}

type domainDescription struct {
	UserPoolID   string `json:"UserPoolId,omitempty"`
	AWSAccountID string `json:"AWSAccountId,omitempty"`
	Domain       string `json:"Domain,omitempty"`
	Status       string `json:"Status,omitempty"`
	Version      string `json:"Version,omitempty"`
	// ManagedLoginVersion 1 is the classic hosted UI, the one federa serves.
	ManagedLoginVersion int `json:"ManagedLoginVersion,omitempty"`
}

type describeDomainOutput struct {
	DomainDescription domainDescription `json:"DomainDescription"`
}

func (a api) describeUserPoolDomain(ctx context.Context, in *domainInput) (*describeDomainOutput, error) {
	d, ok, err := a.svc.DescribeUserPoolDomain(ctx, in.Domain)
	if err != nil || !ok {
		return &describeDomainOutput{}, err
	}
	return &describeDomainOutput{domainDescription{UserPoolID: d.PoolID, Domain: d.Domain, Status: d.Status, Version: "1",
		ManagedLoginVersion: d.ManagedLoginVersion}}, nil
}

type updateUserPoolInput struct {
	UserPoolID string `json:"UserPoolId"`
	userpool.PoolSettings
}

func (a api) updateUserPool(ctx context.Context, in *updateUserPoolInput) (*struct{}, error) {
	return nil, a.svc.UpdateUserPool(ctx, in.UserPoolID, in.PoolSettings)
}

type addCustomAttributesInput struct {
	UserPoolID       string          `json:"UserPoolId"`
	CustomAttributes json.RawMessage `json:"CustomAttributes"`
}

func (a api) addCustomAttributes(ctx context.Context, in *addCustomAttributesInput) (*struct{}, error) {
	return nil, a.svc.AddCustomAttributes(ctx, in.UserPoolID, in.CustomAttributes)
}

// rotateSigningKey is federa's own operation, RotateSigningKey.
func (a api) rotateSigningKey(ctx context.Context, in *poolIDInput) (*struct{}, error) {
	return nil, a.svc.RotateSigningKey(ctx, in.UserPoolID)
}
