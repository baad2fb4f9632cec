package identitypoolapi

import (
	"context"
	"time"
)

type getIDInput struct {
	AccountID      string            `json:"AccountId"`
	IdentityPoolID string            `json:"IdentityPoolId"`
	Logins         map[string]string `json:"Logins"`
}

type getIDOutput struct {
	IdentityID string `json:"IdentityId"`
}

func (a api) getID(ctx context.Context, in *getIDInput) (*getIDOutput, error) {
	id, err := a.svc.GetId(ctx, in.IdentityPoolID, in.AccountID, in.Logins)
	if err != nil {
		return nil, err
	}
	return &getIDOutput{id}, nil
}

type getCredentialsInput struct {
	IdentityID    string            `json:"IdentityId"`
	Logins        map[string]string `json:"Logins"`
	CustomRoleArn string            `json:"CustomRoleArn"`
}

type credentialsJSON struct {
	AccessKeyID  string  `json:"AccessKeyId"`
	SecretKey    string  `json:"SecretKey"`
	SessionToken string  `json:"SessionToken"`
	Expiration   float64 `json:"Expiration"`
}

type getCredentialsOutput struct {
	IdentityID  string          `json:"IdentityId"`
	Credentials credentialsJSON `json:"Credentials"`
}

func (a api) getCredentialsForIdentity(ctx context.Context, in *getCredentialsInput) (*getCredentialsOutput, error) {
	r, err := a.svc.GetCredentialsForIdentity(ctx, in.IdentityID, in.Logins, in.CustomRoleArn)
	if err != nil {
		return nil, err
	}
	c := r.Credentials
	return &getCredentialsOutput{IdentityID: r.IdentityID, Credentials: credentialsJSON{AccessKeyID: c.AccessKeyID,
		SecretKey: c.SecretKey, SessionToken: c.SessionToken, Expiration: epoch(c.Expiration)}}, nil
}

// epoch is how Cognito's JSON encodes dates: seconds since 1970.
func epoch(t time.Time) float64 { return float64(t.Unix()) }

type openIDTokenInput struct {
	IdentityID string            `json:"IdentityId"`
	Logins     map[string]string `json:"Logins"`
}

type openIDTokenOutput struct {
	IdentityID string `json:"IdentityId"`
	Token      string `json:"Token"`
}

func (a api) getOpenIDToken(ctx context.Context, in *openIDTokenInput) (*openIDTokenOutput, error) {
	tok, err := a.svc.GetOpenIdToken(ctx, in.IdentityID, in.Logins)
	if err != nil {
		return nil, err
	}
	return &openIDTokenOutput{IdentityID: in.IdentityID, Token: tok}, nil
}
