package userpoolapi

import (
	"context"

	"github.com/federa/federa/internal/userpool"
)

type codeDeliveryJSON struct {
	Destination    string `json:"Destination,omitempty"`
	DeliveryMedium string `json:"DeliveryMedium,omitempty"`
	AttributeName  string `json:"AttributeName,omitempty"`
}

func encodeDelivery(d userpool.CodeDelivery) *codeDeliveryJSON {
	return &codeDeliveryJSON{Destination: d.Destination, DeliveryMedium: d.DeliveryMedium, AttributeName: d.AttributeName}
}

type signUpInput struct {
	ClientID       string               `json:"ClientId"`
	SecretHash     string               `json:"SecretHash"`
	Username       string               `json:"Username"`
	Password       string               `json:"Password"`
	UserAttributes []userpool.Attribute `json:"UserAttributes"`
}

type signUpOutput struct {
	UserConfirmed       bool              `json:"UserConfirmed"`
	UserSub             string            `json:"UserSub"`
	CodeDeliveryDetails *codeDeliveryJSON `json:"CodeDeliveryDetails,omitempty"`
}

func (a api) signUp(ctx context.Context, in *signUpInput) (*signUpOutput, error) {
	r, err := a.svc.SignUp(ctx, in.ClientID, in.Username, in.Password, in.SecretHash, in.UserAttributes)
	if err != nil {
		return nil, err
	}
	out := &signUpOutput{UserConfirmed: r.UserConfirmed, UserSub: r.UserSub}
	if r.Delivery != nil {
		out.CodeDeliveryDetails = encodeDelivery(*r.Delivery)
	}
	return out, nil
}

// clientUserInput is the shape of the client-side operations that name a
// user (and perhaps a code and a new password).
type clientUserInput struct {
	ClientID         string `json:"ClientId"`
	SecretHash       string `json:"SecretHash"`
	Username         string `json:"Username"`
	ConfirmationCode string `json:"ConfirmationCode"`
	Password         string `json:"Password"`
}

func (a api) confirmSignUp(ctx context.Context, in *clientUserInput) (*struct{}, error) {
	return nil, a.svc.ConfirmSignUp(ctx, in.ClientID, in.Username, in.ConfirmationCode, in.SecretHash)
}

type deliveryOutput struct {
	CodeDeliveryDetails *codeDeliveryJSON `json:"CodeDeliveryDetails"`
}

func (a api) resendConfirmationCode(ctx context.Context, in *clientUserInput) (*deliveryOutput, error) {
	d, err := a.svc.ResendConfirmationCode(ctx, in.ClientID, in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	return &deliveryOutput{encodeDelivery(d)}, nil
}

func (a api) forgotPassword(ctx context.Context, in *clientUserInput) (*deliveryOutput, error) {
	d, err := a.svc.ForgotPassword(ctx, in.ClientID, in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	return &deliveryOutput{encodeDelivery(d)}, nil
}

func (a api) confirmForgotPassword(ctx context.Context, in *clientUserInput) (*struct{}, error) {
	return nil, a.svc.ConfirmForgotPassword(ctx, in.ClientID, in.Username, in.ConfirmationCode, in.Password, in.SecretHash)
}

// tokenInput is the shape of the operations a signed-in user calls with
// an access token.
type tokenInput struct {
	AccessToken      string               `json:"AccessToken"`
	PreviousPassword string               `json:"PreviousPassword"`
	ProposedPassword string               `json:"ProposedPassword"`
	UserAttributes   []userpool.Attribute `json:"UserAttributes"`
	AttributeName    string               `json:"AttributeName"`
	Code             string               `json:"Code"`
}

func (a api) changePassword(ctx context.Context, in *tokenInput) (*struct{}, error) {
	return nil, a.svc.ChangePassword(ctx, in.AccessToken, in.PreviousPassword, in.ProposedPassword)
}

type updateAttributesOutput struct {
	CodeDeliveryDetailsList []*codeDeliveryJSON `json:"CodeDeliveryDetailsList"`
}

func (a api) updateUserAttributes(ctx context.Context, in *tokenInput) (*updateAttributesOutput, error) {
	ds, err := a.svc.UpdateUserAttributes(ctx, in.AccessToken, in.UserAttributes)
	if err != nil {
		return nil, err
	}
	out := &updateAttributesOutput{CodeDeliveryDetailsList: []*codeDeliveryJSON{}}
	for _, d := range ds {
		out.CodeDeliveryDetailsList = append(out.CodeDeliveryDetailsList, encodeDelivery(d))
	}
	return out, nil
}

func (a api) getUserAttributeVerificationCode(ctx context.Context, in *tokenInput) (*deliveryOutput, error) {
	d, err := a.svc.GetUserAttributeVerificationCode(ctx, in.AccessToken, in.AttributeName)
	if err != nil {
		return nil, err
	}
	return &deliveryOutput{encodeDelivery(d)}, nil
}

func (a api) verifyUserAttribute(ctx context.Context, in *tokenInput) (*struct{}, error) {
	return nil, a.svc.VerifyUserAttribute(ctx, in.AccessToken, in.AttributeName, in.Code)
}

func (a api) deleteUser(ctx context.Context, in *tokenInput) (*struct{}, error) {
	return nil, a.svc.DeleteUser(ctx, in.AccessToken)
}

func (a api) globalSignOut(ctx context.Context, in *tokenInput) (*struct{}, error) {
	return nil, a.svc.GlobalSignOut(ctx, in.AccessToken)
}

type revokeTokenInput struct {
	Token        string `json:"Token"`
	ClientID     string `json:"ClientId"`
	ClientSecret string `json:"ClientSecret"`
}

func (a api) revokeToken(ctx context.Context, in *revokeTokenInput) (*struct{}, error) {
	return nil, a.svc.RevokeToken(ctx, in.ClientID, in.ClientSecret, in.Token)
}

// Admin operations on one user.

func (a api) adminConfirmSignUp(ctx context.Context, in *userNameInput) (*struct{}, error) {
	return nil, a.svc.AdminConfirmSignUp(ctx, in.UserPoolID, in.Username)
}

func (a api) adminDisableUser(ctx context.Context, in *userNameInput) (*struct{}, error) {
	return nil, a.svc.AdminSetUserEnabled(ctx, in.UserPoolID, in.Username, false)
}

func (a api) adminEnableUser(ctx context.Context, in *userNameInput) (*struct{}, error) {
	return nil, a.svc.AdminSetUserEnabled(ctx, in.UserPoolID, in.Username, true)
}

func (a api) adminResetUserPassword(ctx context.Context, in *userNameInput) (*struct{}, error) {
	return nil, a.svc.AdminResetUserPassword(ctx, in.UserPoolID, in.Username)
}

func (a api) adminUserGlobalSignOut(ctx context.Context, in *userNameInput) (*struct{}, error) {
	return nil, a.svc.AdminUserGlobalSignOut(ctx, in.UserPoolID, in.Username)
}

type adminAttributesInput struct {
	UserPoolID         string               `json:"UserPoolId"`
	Username           string               `json:"Username"`
	UserAttributes     []userpool.Attribute `json:"UserAttributes"`
	UserAttributeNames []string             `json:"UserAttributeNames"`
}

func (a api) adminUpdateUserAttributes(ctx context.Context, in *adminAttributesInput) (*struct{}, error) {
	return nil, a.svc.AdminUpdateUserAttributes(ctx, in.UserPoolID, in.Username, in.UserAttributes)
}

func (a api) adminDeleteUserAttributes(ctx context.Context, in *adminAttributesInput) (*struct{}, error) {
	return nil, a.svc.AdminDeleteUserAttributes(ctx, in.UserPoolID, in.Username, in.UserAttributeNames)
}

// listOutboxInput is federa's own operation, ListOutboxMessages: what the
// pool's users were sent.
type listOutboxInput struct {
	UserPoolID string `json:"UserPoolId"`
	NextToken  string `json:"NextToken"`
	MaxResults int    `json:"MaxResults"`
}

type outboxMessageJSON struct {
	Username    string  `json:"Username"`
	Destination string  `json:"Destination"`
	Medium      string  `json:"DeliveryMedium"`
	Purpose     string  `json:"Purpose"`
	Subject     string  `json:"Subject"`
	Body        string  `json:"Body"`
	CreatedDate float64 `json:"CreatedDate"`
}

type listOutboxOutput struct {
	Messages  []outboxMessageJSON `json:"Messages"`
	NextToken string              `json:"NextToken,omitempty"`
}

func (a api) listOutboxMessages(ctx context.Context, in *listOutboxInput) (*listOutboxOutput, error) {
	limit := in.MaxResults
	if limit <= 0 || limit > 60 {
		limit = 60
	}
	ms, err := a.svc.ListOutbox(ctx, in.UserPoolID, in.NextToken, limit+1)
	if err != nil {
		return nil, err
	}
	out := &listOutboxOutput{Messages: []outboxMessageJSON{}}
	if len(ms) > limit {
		ms = ms[:limit]
		out.NextToken = ms[limit-1].ID
	}
	for _, m := range ms {
		out.Messages = append(out.Messages, outboxMessageJSON{Username: m.Username, Destination: m.Destination, Medium: m.Medium,
			Purpose: m.Purpose, Subject: m.Subject, Body: m.Body, CreatedDate: epoch(m.CreatedAt)})
	}
	return out, nil
}
