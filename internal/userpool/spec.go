package userpool

import (
	"encoding/json"

	"github.com/federa/federa/internal/store"

	"github.com/federa/federa/internal/srp"
)

// userSpec is the service-owned state of a user kept in store.User.Spec:
// everything that is neither an attribute nor the password hash.
type userSpec struct {
	// SRP is the verifier of the current password; nil for users whose
	// password was set before federa spoke SRP (they sign in with
	// USER_PASSWORD_AUTH once, which creates it).
	SRP *srp.Credential `json:"srp,omitempty"`
	// Codes are the codes sent and not yet used, by purpose.
	Codes map[string]*pendingCode `json:"codes,omitempty"`
	// SignedOutAt revokes the access tokens issued before it (unix
	// seconds): GlobalSignOut.
	SignedOutAt int64 `json:"signedOut,omitempty"`
	// TOTP is the software-token MFA.
	TOTP totpState `json:"totp,omitempty"`
	// Lock counts wrong passwords for the brute-force defence.
	Lock lockState `json:"lock,omitempty"`
	// Revoked are the origin_jti of revoked refresh tokens, with the unix
	// time after which no access token of theirs can still be live.
	Revoked map[string]int64 `json:"revoked,omitempty"`
}

func readSpec(u store.User) userSpec {
	var sp userSpec
	if len(u.Spec) > 0 {
		_ = json.Unmarshal(u.Spec, &sp) // written only by writeSpec
	}
	return sp
}

func writeSpec(u *store.User, sp userSpec) {
	u.Spec, _ = json.Marshal(sp)
}

// passwordSecrets is what setting a password stores: the argon2id hash for
// password sign-in and the SRP verifier for USER_SRP_AUTH. It is computed
// before a store update so that the slow hashing runs outside it.
type passwordSecrets struct {
	hash string
	srp  srp.Credential
}

func newPasswordSecrets(poolID, username, password string) (passwordSecrets, error) {
	h, err := hashPassword(password)
	if err != nil {
		return passwordSecrets{}, err
	}
	return passwordSecrets{hash: h, srp: srp.NewCredential(poolID, username, password)}, nil
}

// apply stores the secrets on the user.
func (p passwordSecrets) apply(u *store.User) {
	u.PasswordHash = p.hash
	sp := readSpec(*u)
	c := p.srp
	sp.SRP = &c
	writeSpec(u, sp)
}
