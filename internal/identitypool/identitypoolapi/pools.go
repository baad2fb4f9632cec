package identitypoolapi

import (
	"context"
	"encoding/json"

	"github.com/federa/federa/internal/identitypool"
)

// poolJSON is IdentityPool: the id and the settings.
type poolJSON struct {
	IdentityPoolID string `json:"IdentityPoolId"`
	identitypool.Settings
}

// createPoolInput decodes AllowUnauthenticatedIdentities as a pointer: the
// model makes it required.
type createPoolInput struct {
	identitypool.Settings
	AllowUnauthenticatedIdentities *bool `json:"AllowUnauthenticatedIdentities"`
}

func (in *createPoolInput) settings() (identitypool.Settings, error) {
	if in.AllowUnauthenticatedIdentities == nil {
		return identitypool.Settings{}, errInvalidParam.New("1 validation error detected: Value null at 'allowUnauthenticatedIdentities' failed to satisfy constraint: Member must not be null")
	}
	set := in.Settings
	set.AllowUnauthenticatedIdentities = *in.AllowUnauthenticatedIdentities
	return set, nil
}

func (a api) createIdentityPool(ctx context.Context, in *createPoolInput) (*poolJSON, error) {
	set, err := in.settings()
	if err != nil {
		return nil, err
	}
	p, err := a.svc.CreateIdentityPool(ctx, set)
	if err != nil {
		return nil, err
	}
	return &poolJSON{p.ID, p.Settings}, nil
}

type poolIDInput struct {
	IdentityPoolID string `json:"IdentityPoolId"`
}

func (a api) describeIdentityPool(ctx context.Context, in *poolIDInput) (*poolJSON, error) {
	p, err := a.svc.DescribeIdentityPool(ctx, in.IdentityPoolID)
	if err != nil {
		return nil, err
	}
	return &poolJSON{p.ID, p.Settings}, nil
}

type listPoolsInput struct {
	MaxResults int    `json:"MaxResults"`
	NextToken  string `json:"NextToken"`
}

type poolShort struct {
	IdentityPoolID   string `json:"IdentityPoolId"`
	IdentityPoolName string `json:"IdentityPoolName"`
}

type listPoolsOutput struct {
	IdentityPools []poolShort `json:"IdentityPools"`
	NextToken     string      `json:"NextToken,omitempty"`
}

func (a api) listIdentityPools(ctx context.Context, in *listPoolsInput) (*listPoolsOutput, error) {
	list, next, err := a.svc.ListIdentityPools(ctx, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &listPoolsOutput{IdentityPools: []poolShort{}, NextToken: next}
	for _, p := range list {
		out.IdentityPools = append(out.IdentityPools, poolShort{p.ID, p.IdentityPoolName})
	}
	return out, nil
}

type updatePoolInput struct {
	IdentityPoolID string `json:"IdentityPoolId"`
	createPoolInput
}

func (a api) updateIdentityPool(ctx context.Context, in *updatePoolInput) (*poolJSON, error) {
	set, err := in.settings()
	if err != nil {
		return nil, err
	}
	p, err := a.svc.UpdateIdentityPool(ctx, in.IdentityPoolID, set)
	if err != nil {
		return nil, err
	}
	return &poolJSON{p.ID, p.Settings}, nil
}

func (a api) deleteIdentityPool(ctx context.Context, in *poolIDInput) (*struct{}, error) {
	return nil, a.svc.DeleteIdentityPool(ctx, in.IdentityPoolID)
}

type rolesInput struct {
	IdentityPoolID string                     `json:"IdentityPoolId"`
	Roles          map[string]string          `json:"Roles"`
	RoleMappings   map[string]json.RawMessage `json:"RoleMappings"`
}

func (a api) setIdentityPoolRoles(ctx context.Context, in *rolesInput) (*struct{}, error) {
	return nil, a.svc.SetIdentityPoolRoles(ctx, in.IdentityPoolID, identitypool.Roles{Roles: in.Roles, RoleMappings: in.RoleMappings})
}

type rolesOutput struct {
	IdentityPoolID string                     `json:"IdentityPoolId"`
	Roles          map[string]string          `json:"Roles,omitempty"`
	RoleMappings   map[string]json.RawMessage `json:"RoleMappings,omitempty"`
}

func (a api) getIdentityPoolRoles(ctx context.Context, in *poolIDInput) (*rolesOutput, error) {
	r, err := a.svc.GetIdentityPoolRoles(ctx, in.IdentityPoolID)
	if err != nil {
		return nil, err
	}
	return &rolesOutput{in.IdentityPoolID, r.Roles, r.RoleMappings}, nil
}

type tagMapInput struct {
	IdentityPoolID       string            `json:"IdentityPoolId"`
	IdentityProviderName string            `json:"IdentityProviderName"`
	UseDefaults          *bool             `json:"UseDefaults,omitempty"`
	PrincipalTags        map[string]string `json:"PrincipalTags,omitempty"`
}

func (a api) setPrincipalTagAttributeMap(ctx context.Context, in *tagMapInput) (*tagMapInput, error) {
	m := identitypool.TagMap{Tags: in.PrincipalTags}
	if in.UseDefaults != nil {
		m.UseDefaults = *in.UseDefaults
	}
	got, err := a.svc.SetPrincipalTagAttributeMap(ctx, in.IdentityPoolID, in.IdentityProviderName, m)
	if err != nil {
		return nil, err
	}
	return &tagMapInput{IdentityPoolID: in.IdentityPoolID, IdentityProviderName: in.IdentityProviderName, UseDefaults: &got.UseDefaults, PrincipalTags: got.Tags}, nil
}

func (a api) getPrincipalTagAttributeMap(ctx context.Context, in *tagMapInput) (*tagMapInput, error) {
	got, err := a.svc.GetPrincipalTagAttributeMap(ctx, in.IdentityPoolID, in.IdentityProviderName)
	if err != nil {
		return nil, err
	}
	return &tagMapInput{IdentityPoolID: in.IdentityPoolID, IdentityProviderName: in.IdentityProviderName, UseDefaults: &got.UseDefaults, PrincipalTags: got.Tags}, nil
}

type tagsInput struct {
	ResourceArn string            `json:"ResourceArn,omitempty"`
	Tags        map[string]string `json:"Tags,omitempty"`
	TagKeys     []string          `json:"TagKeys,omitempty"`
}

func (a api) tagResource(ctx context.Context, in *tagsInput) (*struct{}, error) {
	return nil, a.svc.TagResource(ctx, in.ResourceArn, in.Tags)
}

func (a api) untagResource(ctx context.Context, in *tagsInput) (*struct{}, error) {
	return nil, a.svc.UntagResource(ctx, in.ResourceArn, in.TagKeys)
}

func (a api) listTagsForResource(ctx context.Context, in *tagsInput) (*tagsInput, error) {
	tags, err := a.svc.ListTagsForResource(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	return &tagsInput{Tags: tags}, nil
}
