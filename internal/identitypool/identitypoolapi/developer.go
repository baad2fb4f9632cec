package identitypoolapi

import (
	"context"
	"time"
)

type developerTokenInput struct {
	IdentityPoolID string            `json:"IdentityPoolId"`
	IdentityID     string            `json:"IdentityId"`
	Logins         map[string]string `json:"Logins"`
	TokenDuration  int64             `json:"TokenDuration"`
}

type developerTokenOutput struct {
	IdentityID string `json:"IdentityId"`
	Token      string `json:"Token"`
}

func (a api) getOpenIDTokenForDeveloperIdentity(ctx context.Context, in *developerTokenInput) (*developerTokenOutput, error) {
	id, tok, err := a.svc.GetOpenIdTokenForDeveloperIdentity(ctx, in.IdentityPoolID, in.IdentityID, in.Logins, time.Duration(in.TokenDuration)*time.Second)
	if err != nil {
		return nil, err
	}
	return &developerTokenOutput{IdentityID: id, Token: tok}, nil
}

type developerInput struct {
	IdentityPoolID            string `json:"IdentityPoolId"`
	IdentityID                string `json:"IdentityId"`
	DeveloperUserIdentifier   string `json:"DeveloperUserIdentifier"`
	DeveloperProviderName     string `json:"DeveloperProviderName"`
	SourceUserIdentifier      string `json:"SourceUserIdentifier"`
	DestinationUserIdentifier string `json:"DestinationUserIdentifier"`
	MaxResults                int    `json:"MaxResults"`
	NextToken                 string `json:"NextToken"`
}

type lookupOutput struct {
	IdentityID                  string   `json:"IdentityId"`
	DeveloperUserIdentifierList []string `json:"DeveloperUserIdentifierList"`
}

func (a api) lookupDeveloperIdentity(ctx context.Context, in *developerInput) (*lookupOutput, error) {
	id, users, err := a.svc.LookupDeveloperIdentity(ctx, in.IdentityPoolID, in.IdentityID, in.DeveloperUserIdentifier)
	if err != nil {
		return nil, err
	}
	return &lookupOutput{IdentityID: id, DeveloperUserIdentifierList: users}, nil
}

type identityIDOutput struct {
	IdentityID string `json:"IdentityId"`
}

func (a api) mergeDeveloperIdentities(ctx context.Context, in *developerInput) (*identityIDOutput, error) {
	id, err := a.svc.MergeDeveloperIdentities(ctx, in.IdentityPoolID, in.DeveloperProviderName, in.SourceUserIdentifier, in.DestinationUserIdentifier)
	if err != nil {
		return nil, err
	}
	return &identityIDOutput{id}, nil
}

func (a api) unlinkDeveloperIdentity(ctx context.Context, in *developerInput) (*struct{}, error) {
	return nil, a.svc.UnlinkDeveloperIdentity(ctx, in.IdentityPoolID, in.IdentityID, in.DeveloperProviderName, in.DeveloperUserIdentifier)
}
