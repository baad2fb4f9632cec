package userpoolapi

import (
	"context"

	"github.com/federa/federa/internal/userpool"
)

// updateDomainInput is UpdateUserPoolDomainRequest.
type updateDomainInput struct {
	Domain     string `json:"Domain"`
	UserPoolID string `json:"UserPoolId"`
	userpool.DomainSettings
}

// updateDomainOutput is UpdateUserPoolDomainResponse. CloudFrontDomain is
// left out: Cognito answers it only for custom domains, and federa's are
// prefix domains.
type updateDomainOutput struct {
	ManagedLoginVersion int `json:"ManagedLoginVersion"`
}

func (a api) updateUserPoolDomain(ctx context.Context, in *updateDomainInput) (*updateDomainOutput, error) {
	d, err := a.svc.UpdateUserPoolDomain(ctx, in.UserPoolID, in.Domain, in.DomainSettings)
	if err != nil {
		return nil, err
	}
	return &updateDomainOutput{ManagedLoginVersion: d.ManagedLoginVersion}, nil
}

func (a api) deleteUserPoolDomain(ctx context.Context, in *domainInput) (*struct{}, error) {
	return nil, a.svc.DeleteUserPoolDomain(ctx, in.UserPoolID, in.Domain)
}
