package identitypoolapi

import (
	"context"

	"github.com/federa/federa/internal/identitypool"
)

type identityJSON struct {
	IdentityID       string   `json:"IdentityId"`
	Logins           []string `json:"Logins"`
	CreationDate     float64  `json:"CreationDate"`
	LastModifiedDate float64  `json:"LastModifiedDate"`
}

func encodeIdentity(d identitypool.IdentityDescription) identityJSON {
	return identityJSON{IdentityID: d.IdentityID, Logins: d.Logins, CreationDate: epoch(d.CreatedAt), LastModifiedDate: epoch(d.UpdatedAt)}
}

type identityIDInput struct {
	IdentityID     string            `json:"IdentityId"`
	Logins         map[string]string `json:"Logins"`
	LoginsToRemove []string          `json:"LoginsToRemove"`
}

func (a api) describeIdentity(ctx context.Context, in *identityIDInput) (*identityJSON, error) {
	d, err := a.svc.DescribeIdentity(ctx, in.IdentityID)
	if err != nil {
		return nil, err
	}
	out := encodeIdentity(d)
	return &out, nil
}

type listIdentitiesInput struct {
	IdentityPoolID string `json:"IdentityPoolId"`
	MaxResults     int    `json:"MaxResults"`
	NextToken      string `json:"NextToken"`
	HideDisabled   bool   `json:"HideDisabled"`
}

type listIdentitiesOutput struct {
	IdentityPoolID string         `json:"IdentityPoolId"`
	Identities     []identityJSON `json:"Identities"`
	NextToken      string         `json:"NextToken,omitempty"`
}

func (a api) listIdentities(ctx context.Context, in *listIdentitiesInput) (*listIdentitiesOutput, error) {
	ds, next, err := a.svc.ListIdentities(ctx, in.IdentityPoolID, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &listIdentitiesOutput{IdentityPoolID: in.IdentityPoolID, Identities: []identityJSON{}, NextToken: next}
	for _, d := range ds {
		out.Identities = append(out.Identities, encodeIdentity(d))
	}
	return out, nil
}

type deleteIdentitiesInput struct {
	IdentityIDsToDelete []string `json:"IdentityIdsToDelete"`
}

type unprocessed struct {
	IdentityID string `json:"IdentityId"`
	ErrorCode  string `json:"ErrorCode"`
}

type deleteIdentitiesOutput struct {
	UnprocessedIdentityIDs []unprocessed `json:"UnprocessedIdentityIds"`
}

func (a api) deleteIdentities(ctx context.Context, in *deleteIdentitiesInput) (*deleteIdentitiesOutput, error) {
	failed, err := a.svc.DeleteIdentities(ctx, in.IdentityIDsToDelete)
	if err != nil {
		return nil, err
	}
	out := &deleteIdentitiesOutput{UnprocessedIdentityIDs: []unprocessed{}}
	for _, id := range in.IdentityIDsToDelete {
		if code, ok := failed[id]; ok {
			out.UnprocessedIdentityIDs = append(out.UnprocessedIdentityIDs, unprocessed{id, code})
		}
	}
	return out, nil
}

func (a api) unlinkIdentity(ctx context.Context, in *identityIDInput) (*struct{}, error) {
	return nil, a.svc.UnlinkIdentity(ctx, in.IdentityID, in.Logins, in.LoginsToRemove)
}
