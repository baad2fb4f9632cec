package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// totp is an authenticator app: RFC 6238, SHA-1, 30 s, 6 digits, for a
// time step (unix seconds / 30). Tests fix the step once, so that a step
// boundary passing mid-test cannot change which code they mean.
func totp(t *testing.T, secret string, step int64) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	must(t, err)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	o := sum[19] & 15
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[o:])&0x7fffffff)%1000000)
}

// TestSoftwareTokenMFA sets up TOTP for a signed-in user of an OPTIONAL
// pool and signs in with it; then a user of an ON pool sets it up during
// sign-in (MFA_SETUP).
func TestSoftwareTokenMFA(t *testing.T) {
	ctx := context.Background()
	p := newSRPPool(t)
	c := p.c
	signIn := func(user, pw string) *cip.InitiateAuthOutput {
		t.Helper()
		out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &p.client, AuthFlow: "USER_PASSWORD_AUTH",
			AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": pw}})
		must(t, err)
		return out
	}
	access := signIn("alice", password).AuthenticationResult.AccessToken
	if _, err := c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: access}); !isCode(err, "SoftwareTokenMFANotFoundException") {
		t.Errorf("TOTP before the pool enables it: %v", err)
	}
	_, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: &p.poolID, MfaConfiguration: "OPTIONAL",
		SoftwareTokenMfaConfiguration: &ciptypes.SoftwareTokenMfaConfigType{Enabled: true}})
	must(t, err)
	cfg, err := c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: &p.poolID})
	must(t, err)
	if cfg.MfaConfiguration != "OPTIONAL" || !cfg.SoftwareTokenMfaConfiguration.Enabled {
		t.Errorf("GetUserPoolMfaConfig = %+v", cfg)
	}
	if _, err := c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: access,
		SoftwareTokenMfaSettings: &ciptypes.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}); !isCode(err, "InvalidParameterException") {
		t.Errorf("enabling TOTP before verifying a token: %v", err)
	}
	assoc, err := c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: access})
	must(t, err)
	secret := aws.ToString(assoc.SecretCode)
	if len(secret) != 32 {
		t.Errorf("secret %q", secret)
	}
	if _, err := c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String("000000")}); !isCode(err, "EnableSoftwareTokenMFAException") {
		t.Errorf("wrong code: %v", err)
	}
	step := time.Now().Unix() / 30
	v, err := c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String(totp(t, secret, step))})
	must(t, err)
	if v.Status != "SUCCESS" {
		t.Errorf("status %s", v.Status)
	}
	_, err = c.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: access,
		SoftwareTokenMfaSettings: &ciptypes.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}})
	must(t, err)
	me, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: access})
	must(t, err)
	if aws.ToString(me.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" || len(me.UserMFASettingList) != 1 {
		t.Errorf("GetUser MFA = %v %v", me.PreferredMfaSetting, me.UserMFASettingList)
	}

	ch := signIn("alice", password)
	if ch.ChallengeName != "SOFTWARE_TOKEN_MFA" || ch.AuthenticationResult != nil {
		t.Fatalf("sign-in with TOTP on: %s", ch.ChallengeName)
	}
	answer := func(session *string, code string) (*cip.RespondToAuthChallengeOutput, error) {
		return c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &p.client, ChallengeName: "SOFTWARE_TOKEN_MFA", Session: session,
			ChallengeResponses: map[string]string{"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": code}})
	}
	if _, err := answer(ch.Session, "123456"); !isCode(err, "CodeMismatchException") {
		t.Errorf("wrong TOTP: %v", err)
	}
	if _, err := answer(ch.Session, totp(t, secret, step)); !isCode(err, "CodeMismatchException") {
		t.Errorf("the code used to verify, again: %v", err)
	}
	next := totp(t, secret, step+1)
	out, err := answer(ch.Session, next)
	must(t, err)
	if out.AuthenticationResult == nil {
		t.Fatal("no tokens after TOTP")
	}
	if _, err := answer(signIn("alice", password).Session, next); !isCode(err, "CodeMismatchException") {
		t.Errorf("a TOTP code replayed: %v", err)
	}

	// MFA required: a user without a token sets one up while signing in.
	_, err = c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: &p.poolID, MfaConfiguration: "ON",
		SoftwareTokenMfaConfiguration: &ciptypes.SoftwareTokenMfaConfigType{Enabled: true}})
	must(t, err)
	_, err = c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &p.poolID, Username: aws.String("temp"), Password: aws.String("Temp-pass-9!"), Permanent: true})
	must(t, err)
	setup := signIn("temp", "Temp-pass-9!")
	if setup.ChallengeName != "MFA_SETUP" {
		t.Fatalf("MFA ON, no token: %s", setup.ChallengeName)
	}
	a2, err := c.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: setup.Session})
	must(t, err)
	v2, err := c.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: a2.Session, UserCode: aws.String(totp(t, aws.ToString(a2.SecretCode), time.Now().Unix()/30))})
	must(t, err)
	done, err := c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &p.client, ChallengeName: "MFA_SETUP", Session: v2.Session,
		ChallengeResponses: map[string]string{"USERNAME": "temp"}})
	must(t, err)
	if done.AuthenticationResult == nil {
		t.Fatal("no tokens after MFA_SETUP")
	}
	if again := signIn("temp", "Temp-pass-9!"); again.ChallengeName != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("after setup, sign-in asks %s", again.ChallengeName)
	}
}
