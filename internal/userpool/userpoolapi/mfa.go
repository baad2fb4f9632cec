package userpoolapi

import (
	"context"

	"github.com/federa/federa/internal/userpool"
)

type softwareTokenMfaConfig struct {
	Enabled bool `json:"Enabled"`
}

type mfaConfigJSON struct {
	UserPoolID                    string                  `json:"UserPoolId,omitempty"`
	MfaConfiguration              string                  `json:"MfaConfiguration,omitempty"`
	SoftwareTokenMfaConfiguration *softwareTokenMfaConfig `json:"SoftwareTokenMfaConfiguration,omitempty"`
	SmsMfaConfiguration           any                     `json:"SmsMfaConfiguration,omitempty"`
	EmailMfaConfiguration         any                     `json:"EmailMfaConfiguration,omitempty"`
}

func encodeMFAConfig(c userpool.MFAConfig) *mfaConfigJSON {
	return &mfaConfigJSON{MfaConfiguration: c.MfaConfiguration, SoftwareTokenMfaConfiguration: &softwareTokenMfaConfig{c.SoftwareTokenEnabled}}
}

func (a api) setUserPoolMfaConfig(ctx context.Context, in *mfaConfigJSON) (*mfaConfigJSON, error) {
	if in.SmsMfaConfiguration != nil || in.EmailMfaConfiguration != nil {
		return nil, userpool.ErrInvalidParameter.New("federa sends no SMS or email one-time codes: only SoftwareTokenMfaConfiguration is supported.")
	}
	cfg := userpool.MFAConfig{MfaConfiguration: in.MfaConfiguration}
	if in.SoftwareTokenMfaConfiguration != nil {
		cfg.SoftwareTokenEnabled = in.SoftwareTokenMfaConfiguration.Enabled
	}
	c, err := a.svc.SetUserPoolMfaConfig(ctx, in.UserPoolID, cfg)
	if err != nil {
		return nil, err
	}
	return encodeMFAConfig(c), nil
}

func (a api) getUserPoolMfaConfig(ctx context.Context, in *mfaConfigJSON) (*mfaConfigJSON, error) {
	c, err := a.svc.GetUserPoolMfaConfig(ctx, in.UserPoolID)
	if err != nil {
		return nil, err
	}
	return encodeMFAConfig(c), nil
}

type softwareTokenInput struct {
	AccessToken        string `json:"AccessToken"`
	Session            string `json:"Session"`
	UserCode           string `json:"UserCode"`
	FriendlyDeviceName string `json:"FriendlyDeviceName"`
}

type associateOutput struct {
	SecretCode string `json:"SecretCode"`
	Session    string `json:"Session,omitempty"`
}

func (a api) associateSoftwareToken(ctx context.Context, in *softwareTokenInput) (*associateOutput, error) {
	secret, session, err := a.svc.AssociateSoftwareToken(ctx, in.AccessToken, in.Session)
	if err != nil {
		return nil, err
	}
	return &associateOutput{SecretCode: secret, Session: session}, nil
}

type verifyOutput struct {
	Status  string `json:"Status"`
	Session string `json:"Session,omitempty"`
}

func (a api) verifySoftwareToken(ctx context.Context, in *softwareTokenInput) (*verifyOutput, error) {
	session, err := a.svc.VerifySoftwareToken(ctx, in.AccessToken, in.Session, in.UserCode)
	if err != nil {
		return nil, err
	}
	return &verifyOutput{Status: "SUCCESS", Session: session}, nil
}

type mfaSettings struct {
	Enabled      bool `json:"Enabled"`
	PreferredMfa bool `json:"PreferredMfa"`
}

type mfaPreferenceInput struct {
	AccessToken              string       `json:"AccessToken"`
	UserPoolID               string       `json:"UserPoolId"`
	Username                 string       `json:"Username"`
	SoftwareTokenMfaSettings *mfaSettings `json:"SoftwareTokenMfaSettings"`
	SMSMfaSettings           *mfaSettings `json:"SMSMfaSettings"`
	EmailMfaSettings         *mfaSettings `json:"EmailMfaSettings"`
}

func (in *mfaPreferenceInput) preference() (userpool.MFAPreference, error) {
	for _, other := range []*mfaSettings{in.SMSMfaSettings, in.EmailMfaSettings} {
		if other != nil && other.Enabled {
			return userpool.MFAPreference{}, userpool.ErrInvalidParameter.New("federa offers software-token (TOTP) MFA only.")
		}
	}
	if in.SoftwareTokenMfaSettings == nil {
		return userpool.MFAPreference{}, nil
	}
	return userpool.MFAPreference{Set: true, Enabled: in.SoftwareTokenMfaSettings.Enabled, Preferred: in.SoftwareTokenMfaSettings.PreferredMfa}, nil
}

func (a api) setUserMFAPreference(ctx context.Context, in *mfaPreferenceInput) (*struct{}, error) {
	p, err := in.preference()
	if err != nil {
		return nil, err
	}
	return nil, a.svc.SetUserMFAPreference(ctx, in.AccessToken, p)
}

func (a api) adminSetUserMFAPreference(ctx context.Context, in *mfaPreferenceInput) (*struct{}, error) {
	p, err := in.preference()
	if err != nil {
		return nil, err
	}
	return nil, a.svc.AdminSetUserMFAPreference(ctx, in.UserPoolID, in.Username, p)
}
