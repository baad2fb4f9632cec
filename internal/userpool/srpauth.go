package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"time"

	"github.com/federa/federa/internal/store"

	"github.com/federa/federa/internal/srp"
)

// srpWindow is how long a PASSWORD_VERIFIER challenge can be answered, and
// how far the client's TIMESTAMP may be from the server's clock.
const srpWindow = 5 * time.Minute

// srpAuth answers USER_SRP_AUTH with the PASSWORD_VERIFIER challenge: the
// user's salt, the server's public value B, and a SECRET_BLOCK that seals
// what the server must remember (b, A, B, the user) until the answer.
func (s *Service) srpAuth(ctx context.Context, c Client, params map[string]string) (AuthResult, error) {
	if !c.Settings.allows("ALLOW_USER_SRP_AUTH") {
		return AuthResult{}, ErrInvalidParameter.New("USER_SRP_AUTH is not enabled for the client.")
	}
	username, hexA := params["USERNAME"], params["SRP_A"]
	if username == "" {
		return AuthResult{}, ErrInvalidParameter.New("Missing required parameter USERNAME")
	}
	if hexA == "" {
		return AuthResult{}, ErrInvalidParameter.New("Missing required parameter SRP_A")
	}
	A, ok := new(big.Int).SetString(hexA, 16)
	if !ok || len(hexA) > 2048 || new(big.Int).Mod(A, srp.N).Sign() == 0 {
		return AuthResult{}, ErrInvalidParameter.New("SRP_A must be the client's SRP public value in hexadecimal, not 0 modulo N.")
	}
	if err := checkSecretHash(c, username, params["SECRET_HASH"]); err != nil {
		return AuthResult{}, err
	}
	_, set, err := s.pool(ctx, c.PoolID)
	if err != nil {
		return AuthResult{}, err
	}
	now := s.clock()
	st := challengeState{Kind: "srp", Pool: c.PoolID, Client: c.ID, Username: username, AuthTime: now.Unix(), ExpiresAt: now.Add(srpWindow).Unix()}
	var salt string
	var v *big.Int
	u, err := s.user(ctx, c.PoolID, set, username)
	switch {
	case ErrUserNotFound.Is(err):
		if c.Settings.PreventUserExistenceErrors == "LEGACY" {
			return AuthResult{}, err
		}
		// Answer as for a real user, with a salt that stays the same for
		// the name, so probing cannot tell who exists; the answer fails.
		st.Fake = true
		mac := hmac.New(sha256.New, []byte(s.dummyHash))
		mac.Write([]byte(c.PoolID + "\x00" + userKey(set, username)))
		salt = hex.EncodeToString(mac.Sum(nil)[:16])
		raw := make([]byte, 384)
		_, _ = rand.Read(raw)
		v = new(big.Int).SetBytes(raw)
	case err != nil:
		return AuthResult{}, err
	default:
		cred := readSpec(u).SRP
		if cred == nil {
			return AuthResult{}, ErrNotAuthorized.New("This user's password predates SRP support: sign in once with USER_PASSWORD_AUTH, or have an administrator set the password again.")
		}
		salt = cred.Salt
		v, _ = new(big.Int).SetString(cred.Verifier, 16)
		st.Username, st.UserKey = u.Username, u.Key
	}
	srv := srp.NewServer(v)
	st.SRPb, st.SRPB, st.SRPA = srv.Secret.Text(16), srv.Public.Text(16), A.Text(16)
	block, err := s.sealState(ctx, st)
	if err != nil {
		return AuthResult{}, err
	}
	return AuthResult{ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: map[string]string{
		"SALT": salt, "SECRET_BLOCK": block, "SRP_B": srv.Public.Text(16), "USERNAME": st.Username, "USER_ID_FOR_SRP": st.Username,
	}}, nil
}

// passwordVerifier checks the client's proof that it knows the password:
// the signature over the secret block and timestamp with the key only the
// password's holder can derive.
func (s *Service) passwordVerifier(ctx context.Context, c Client, r map[string]string) (AuthResult, error) {
	for _, k := range []string{"PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP", "USERNAME"} {
		if r[k] == "" {
			return AuthResult{}, ErrInvalidParameter.New("Missing required parameter %s", k)
		}
	}
	block := r["PASSWORD_CLAIM_SECRET_BLOCK"]
	st, err := s.openState(ctx, block, "srp", c.ID)
	if err != nil {
		return AuthResult{}, err
	}
	if err := checkSecretHash(c, r["USERNAME"], r["SECRET_HASH"]); err != nil {
		return AuthResult{}, err
	}
	ts, ok := srp.ParseTimestamp(r["TIMESTAMP"])
	if !ok {
		return AuthResult{}, ErrInvalidParameter.New("TIMESTAMP must look like \"Tue Nov 3 09:05:07 UTC 2026\".")
	}
	if d := s.clock().Sub(ts); d > srpWindow || d < -srpWindow {
		return AuthResult{}, ErrNotAuthorized.New("TIMESTAMP is too far from the server's time; check the device clock.")
	}
	wrong := ErrNotAuthorized.New("Incorrect username or password.")
	A, _ := new(big.Int).SetString(st.SRPA, 16)
	B, _ := new(big.Int).SetString(st.SRPB, 16)
	b, _ := new(big.Int).SetString(st.SRPb, 16)
	if st.Fake {
		// The same work as for a real user, so the answer's timing does
		// not tell that the user does not exist.
		srp.ServerKey(A, B, b, B)
		return AuthResult{}, wrong
	}
	if r["USERNAME"] != st.Username {
		return AuthResult{}, wrong
	}
	u, err := s.st.GetUser(ctx, st.Pool, st.UserKey)
	if err != nil {
		return AuthResult{}, wrong
	}
	if err := s.lockedOut(u); err != nil {
		return AuthResult{}, err
	}
	cred := readSpec(u).SRP
	sig, err := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SIGNATURE"])
	if cred == nil || err != nil {
		return AuthResult{}, wrong
	}
	v, _ := new(big.Int).SetString(cred.Verifier, 16)
	key := srp.ServerKey(A, B, b, v)
	raw, _ := base64.StdEncoding.DecodeString(block)
	if key == nil || !hmac.Equal(sig, srp.Signature(key, st.Pool, st.Username, raw, r["TIMESTAMP"])) {
		if err := s.passwordFailed(ctx, u); err != nil {
			return AuthResult{}, err
		}
		return AuthResult{}, wrong
	}
	if u, err = s.passwordSucceeded(ctx, u); err != nil {
		return AuthResult{}, err
	}
	return s.afterPassword(ctx, c, u, time.Unix(st.AuthTime, 0))
}

// afterPassword is what follows a correct password in every flow: refusal
// for disabled, unconfirmed or reset users, the NEW_PASSWORD_REQUIRED
// challenge for a temporary password, else tokens.
func (s *Service) afterPassword(ctx context.Context, c Client, u store.User, authTime time.Time) (AuthResult, error) {
	if !u.Enabled {
		return AuthResult{}, ErrNotAuthorized.New("User is disabled.")
	}
	switch u.Status {
	case "UNCONFIRMED":
		return AuthResult{}, ErrUserNotConfirmed.New("User is not confirmed.")
	case "RESET_REQUIRED":
		return AuthResult{}, ErrPasswordResetRequired.New("Password reset required for the user")
	case "FORCE_CHANGE_PASSWORD":
		return s.challenge(ctx, c, u, authTime, "NEW_PASSWORD_REQUIRED", map[string]string{
			"USER_ID_FOR_SRP":    u.Username,
			"requiredAttributes": "[]",
			"userAttributes":     challengeAttributes(u),
		})
	}
	_, set, err := s.pool(ctx, u.PoolID)
	if err != nil {
		return AuthResult{}, err
	}
	if mfaRequired(set, u) {
		return s.challenge(ctx, c, u, authTime, "SOFTWARE_TOKEN_MFA", map[string]string{"USER_ID_FOR_SRP": u.Username})
	}
	if set.MfaConfiguration == "ON" {
		// MFA is required and this user has none: set it up first.
		return s.challenge(ctx, c, u, authTime, "MFA_SETUP", map[string]string{"MFAS_CAN_SETUP": `["SOFTWARE_TOKEN_MFA"]`})
	}
	return s.signedIn(ctx, c, u, authTime)
}

// challenge seals a Session for the named challenge, valid for the client's
// AuthSessionValidity minutes.
func (s *Service) challenge(ctx context.Context, c Client, u store.User, authTime time.Time, name string, params map[string]string) (AuthResult, error) {
	now := s.clock()
	minutes := c.Settings.AuthSessionValidity
	if minutes == 0 {
		minutes = 3
	}
	session, err := s.sealState(ctx, challengeState{Kind: name, Pool: c.PoolID, Client: c.ID, UserKey: u.Key, Username: u.Username,
		AuthTime: authTime.Unix(), ExpiresAt: now.Add(time.Duration(minutes) * time.Minute).Unix()})
	if err != nil {
		return AuthResult{}, err
	}
	return AuthResult{ChallengeName: name, Session: session, ChallengeParameters: params}, nil
}

// challengeAttributes is the userAttributes parameter of
// NEW_PASSWORD_REQUIRED: the user's attributes as JSON, without sub.
func challengeAttributes(u store.User) string {
	m := map[string]string{}
	for k, v := range u.Attributes {
		if k != "sub" {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}
