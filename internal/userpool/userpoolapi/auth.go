package userpoolapi

import (
	"context"

	"github.com/federa/federa/internal/userpool"
)

type initiateAuthInput struct {
	AuthFlow       string            `json:"AuthFlow"`
	AuthParameters map[string]string `json:"AuthParameters"`
	ClientID       string            `json:"ClientId"`
	UserPoolID     string            `json:"UserPoolId"`
}

type authenticationResult struct {
	AccessToken  string `json:"AccessToken"`
	ExpiresIn    int    `json:"ExpiresIn"`
	TokenType    string `json:"TokenType"`
	RefreshToken string `json:"RefreshToken,omitempty"`
	IDToken      string `json:"IdToken"`
}

type initiateAuthOutput struct {
	AuthenticationResult *authenticationResult `json:"AuthenticationResult,omitempty"`
	ChallengeName        string                `json:"ChallengeName,omitempty"`
	Session              string                `json:"Session,omitempty"`
	ChallengeParameters  map[string]string     `json:"ChallengeParameters"`
}

func encodeAuth(r userpool.AuthResult) *initiateAuthOutput {
	out := &initiateAuthOutput{ChallengeName: r.ChallengeName, Session: r.Session, ChallengeParameters: r.ChallengeParameters}
	if out.ChallengeParameters == nil {
		out.ChallengeParameters = map[string]string{}
	}
	if t := r.Tokens; t != nil {
		out.AuthenticationResult = &authenticationResult{AccessToken: t.AccessToken, ExpiresIn: t.ExpiresIn, TokenType: "Bearer",
			RefreshToken: t.RefreshToken, IDToken: t.IDToken}
	}
	return out
}

func (a api) initiateAuth(ctx context.Context, in *initiateAuthInput) (*initiateAuthOutput, error) {
	r, err := a.svc.InitiateAuth(ctx, in.ClientID, in.AuthFlow, in.AuthParameters)
	if err != nil {
		return nil, err
	}
	return encodeAuth(r), nil
}

func (a api) adminInitiateAuth(ctx context.Context, in *initiateAuthInput) (*initiateAuthOutput, error) {
	r, err := a.svc.AdminInitiateAuth(ctx, in.UserPoolID, in.ClientID, in.AuthFlow, in.AuthParameters)
	if err != nil {
		return nil, err
	}
	return encodeAuth(r), nil
}

type respondInput struct {
	ChallengeName      string            `json:"ChallengeName"`
	ChallengeResponses map[string]string `json:"ChallengeResponses"`
	ClientID           string            `json:"ClientId"`
	Session            string            `json:"Session"`
	UserPoolID         string            `json:"UserPoolId"`
}

func (a api) respondToAuthChallenge(ctx context.Context, in *respondInput) (*initiateAuthOutput, error) {
	r, err := a.svc.RespondToAuthChallenge(ctx, in.ClientID, in.ChallengeName, in.Session, in.ChallengeResponses)
	if err != nil {
		return nil, err
	}
	return encodeAuth(r), nil
}

func (a api) adminRespondToAuthChallenge(ctx context.Context, in *respondInput) (*initiateAuthOutput, error) {
	r, err := a.svc.AdminRespondToAuthChallenge(ctx, in.UserPoolID, in.ClientID, in.ChallengeName, in.Session, in.ChallengeResponses)
	if err != nil {
		return nil, err
	}
	return encodeAuth(r), nil
}
