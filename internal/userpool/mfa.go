package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/federa/federa/internal/store"
)

// totpState is a user's software-token MFA in their spec.
type totpState struct {
	Pending   string `json:"pending,omitempty"` // secret handed out, not yet verified
	Secret    string `json:"secret,omitempty"`  // verified secret
	Enabled   bool   `json:"enabled,omitempty"`
	Preferred bool   `json:"preferred,omitempty"`
	LastStep  int64  `json:"last,omitempty"` // newest step used, against replay
}

// MFAConfig is a pool's MFA setting (SetUserPoolMfaConfig).
type MFAConfig struct {
	MfaConfiguration     string // OFF, ON, OPTIONAL
	SoftwareTokenEnabled bool
}

// SetUserPoolMfaConfig turns MFA on, off or optional and enables TOTP.
func (s *Service) SetUserPoolMfaConfig(ctx context.Context, poolID string, cfg MFAConfig) (MFAConfig, error) {
	switch cfg.MfaConfiguration {
	case "":
		cfg.MfaConfiguration = "OFF"
	case "OFF", "ON", "OPTIONAL":
	default:
		return MFAConfig{}, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]", cfg.MfaConfiguration)
	}
	if cfg.MfaConfiguration != "OFF" && !cfg.SoftwareTokenEnabled {
		return MFAConfig{}, ErrInvalidParameter.New("federa offers software-token (TOTP) MFA only: enable SoftwareTokenMfaConfiguration to turn MFA on.")
	}
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return MFAConfig{}, err
	}
	_, err := s.st.UpdateUserPool(ctx, poolID, func(p *store.UserPool) error {
		var set PoolSettings
		if err := json.Unmarshal(p.Spec, &set); err != nil {
			return err
		}
		set.MfaConfiguration, set.SoftwareTokenMfaEnabled = cfg.MfaConfiguration, cfg.SoftwareTokenEnabled
		spec, err := json.Marshal(set)
		p.Spec, p.UpdatedAt = spec, s.clock()
		return err
	})
	return cfg, err
}

// GetUserPoolMfaConfig returns the pool's MFA setting.
func (s *Service) GetUserPoolMfaConfig(ctx context.Context, poolID string) (MFAConfig, error) {
	_, set, err := s.pool(ctx, poolID)
	if err != nil {
		return MFAConfig{}, err
	}
	return MFAConfig{MfaConfiguration: set.MfaConfiguration, SoftwareTokenEnabled: set.SoftwareTokenMfaEnabled}, nil
}

// mfaUser is the user of AssociateSoftwareToken and VerifySoftwareToken:
// the signed-in one (access token) or the one signing in (the Session of
// an MFA_SETUP challenge).
func (s *Service) mfaUser(ctx context.Context, accessToken, session string) (store.User, *challengeState, error) {
	if accessToken != "" {
		u, err := s.accessTokenUser(ctx, accessToken)
		return u, nil, err
	}
	if session == "" {
		return store.User{}, nil, ErrInvalidParameter.New("Either AccessToken or Session is required.")
	}
	st, err := s.openState(ctx, session, "MFA_SETUP", anyClient)
	if err != nil {
		return store.User{}, nil, err
	}
	u, err := s.st.GetUser(ctx, st.Pool, st.UserKey)
	if err != nil {
		return store.User{}, nil, ErrNotAuthorized.New("Invalid session for the user.")
	}
	return u, &st, nil
}

// AssociateSoftwareToken hands a user a new TOTP secret to put in an
// authenticator app; it takes effect once VerifySoftwareToken sees a code
// from it. During MFA_SETUP it also returns a fresh Session.
func (s *Service) AssociateSoftwareToken(ctx context.Context, accessToken, session string) (secret, next string, err error) {
	u, st, err := s.mfaUser(ctx, accessToken, session)
	if err != nil {
		return "", "", err
	}
	if st != nil {
		if next, err = s.sealState(ctx, *st); err != nil {
			return "", "", err
		}
	}
	if _, set, err := s.pool(ctx, u.PoolID); err != nil {
		return "", "", err
	} else if !set.SoftwareTokenMfaEnabled {
		return "", "", ErrSoftwareTokenMFANotFound.New("Software Token MFA is not enabled for the user pool.")
	}
	secret = newTOTPSecret()
	_, err = s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		sp := readSpec(*u)
		sp.TOTP.Pending = secret
		writeSpec(u, sp)
		return nil
	})
	return secret, next, err
}

// VerifySoftwareToken checks a code from the pending secret and makes it
// the user's. During MFA_SETUP it also turns TOTP on (it is the user's only
// way in) and returns a fresh Session for the MFA_SETUP answer.
func (s *Service) VerifySoftwareToken(ctx context.Context, accessToken, session, code string) (string, error) {
	u, st, err := s.mfaUser(ctx, accessToken, session)
	if err != nil {
		return "", err
	}
	var outcome error
	_, err = s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		sp := readSpec(*u)
		if sp.TOTP.Pending == "" {
			outcome = ErrInvalidParameter.New("Call AssociateSoftwareToken first: the user has no software token to verify.")
			return nil
		}
		step := checkTOTP(sp.TOTP.Pending, code, s.clock(), 0)
		if step == 0 {
			outcome = ErrEnableSoftwareTokenMFA.New("Code mismatch")
			return nil
		}
		sp.TOTP.Secret, sp.TOTP.Pending, sp.TOTP.LastStep = sp.TOTP.Pending, "", step
		if st != nil {
			sp.TOTP.Enabled, sp.TOTP.Preferred = true, true
		}
		writeSpec(u, sp)
		return nil
	})
	if err != nil || outcome != nil || st == nil {
		return "", errors.Join(err, outcome)
	}
	return s.sealState(ctx, *st)
}

// mfaSetup finishes an MFA_SETUP challenge once the user has verified a
// software token.
func (s *Service) mfaSetup(ctx context.Context, c Client, session string) (AuthResult, error) {
	st, err := s.openState(ctx, session, "MFA_SETUP", c.ID)
	if err != nil {
		return AuthResult{}, err
	}
	u, err := s.st.GetUser(ctx, st.Pool, st.UserKey)
	if err != nil {
		return AuthResult{}, ErrNotAuthorized.New("Invalid session for the user.")
	}
	if readSpec(u).TOTP.Secret == "" {
		return AuthResult{}, ErrInvalidParameter.New("Set up a software token first: AssociateSoftwareToken and VerifySoftwareToken with this Session.")
	}
	return s.signedIn(ctx, c, u, time.Unix(st.AuthTime, 0))
}

// MFAPreference is SetUserMFAPreference's SoftwareTokenMfaSettings.
type MFAPreference struct {
	Set                bool // false: leave as is
	Enabled, Preferred bool
}

// SetUserMFAPreference enables or disables the signed-in user's TOTP MFA.
func (s *Service) SetUserMFAPreference(ctx context.Context, accessToken string, pref MFAPreference) error {
	u, err := s.accessTokenUser(ctx, accessToken)
	if err != nil {
		return err
	}
	return s.setMFAPreference(ctx, u, pref)
}

// AdminSetUserMFAPreference is SetUserMFAPreference for an administrator.
func (s *Service) AdminSetUserMFAPreference(ctx context.Context, poolID, username string, pref MFAPreference) error {
	u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	return s.setMFAPreference(ctx, u, pref)
}

func (s *Service) setMFAPreference(ctx context.Context, u store.User, pref MFAPreference) error {
	if !pref.Set {
		return nil
	}
	if _, set, err := s.pool(ctx, u.PoolID); err != nil {
		return err
	} else if pref.Enabled && set.MfaConfiguration == "OFF" {
		return ErrInvalidParameter.New("The user pool's MFA configuration is OFF; turn it on with SetUserPoolMfaConfig.")
	}
	var outcome error
	_, err := s.st.UpdateUser(ctx, u.PoolID, u.Key, func(u *store.User) error {
		sp := readSpec(*u)
		if pref.Enabled && sp.TOTP.Secret == "" {
			outcome = ErrInvalidParameter.New("User has not verified software token mfa")
			return nil
		}
		sp.TOTP.Enabled, sp.TOTP.Preferred = pref.Enabled, pref.Enabled && pref.Preferred
		writeSpec(u, sp)
		return nil
	})
	if err != nil {
		return err
	}
	return outcome
}

// mfaRequired reports whether a sign-in must pass the TOTP challenge.
func mfaRequired(set PoolSettings, u store.User) bool {
	t := readSpec(u).TOTP
	return set.MfaConfiguration != "OFF" && t.Enabled && t.Secret != ""
}

// softwareTokenMFA answers the SOFTWARE_TOKEN_MFA challenge.
func (s *Service) softwareTokenMFA(ctx context.Context, c Client, session string, r map[string]string) (AuthResult, error) {
	if session == "" {
		return AuthResult{}, ErrInvalidParameter.New("Missing required parameter Session")
	}
	if r["SOFTWARE_TOKEN_MFA_CODE"] == "" {
		return AuthResult{}, ErrInvalidParameter.New("Missing required parameter SOFTWARE_TOKEN_MFA_CODE")
	}
	st, err := s.openState(ctx, session, "SOFTWARE_TOKEN_MFA", c.ID)
	if err != nil {
		return AuthResult{}, err
	}
	if err := checkSecretHash(c, r["USERNAME"], r["SECRET_HASH"]); err != nil {
		return AuthResult{}, err
	}
	var outcome error
	u, err := s.st.UpdateUser(ctx, st.Pool, st.UserKey, func(u *store.User) error {
		sp := readSpec(*u)
		step := checkTOTP(sp.TOTP.Secret, r["SOFTWARE_TOKEN_MFA_CODE"], s.clock(), sp.TOTP.LastStep)
		if step == 0 {
			outcome = ErrCodeMismatch.New("Invalid code received for user")
			return nil
		}
		sp.TOTP.LastStep = step
		writeSpec(u, sp)
		return nil
	})
	if err != nil {
		return AuthResult{}, err
	}
	if outcome != nil {
		return AuthResult{}, outcome
	}
	return s.signedIn(ctx, c, u, time.Unix(st.AuthTime, 0))
}
