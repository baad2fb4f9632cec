package userpool

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/federa/federa/internal/sealbox"
)

// challengeState is what a sign-in carries from one step to the next. It
// travels sealed (SRP's SECRET_BLOCK, a challenge's Session), so federa
// remembers nothing between the steps and any node can take the next one.
type challengeState struct {
	Kind      string `json:"k"` // "srp" or the challenge a Session answers
	Pool      string `json:"p"`
	Client    string `json:"c"`
	UserKey   string `json:"u"`
	Username  string `json:"n"`
	Fake      bool   `json:"f,omitempty"` // the user does not exist
	SRPb      string `json:"b,omitempty"` // hex
	SRPB      string `json:"B,omitempty"` // hex
	SRPA      string `json:"A,omitempty"` // hex
	AuthTime  int64  `json:"t"`
	ExpiresAt int64  `json:"e"`
}

// sealState returns the opaque form of st: base64 of key id and sealed JSON.
func (s *Service) sealState(ctx context.Context, st challengeState) (string, error) {
	plain, err := json.Marshal(st)
	if err != nil {
		return "", err
	}
	id, sealed, err := s.box.Seal(ctx, plain, []byte(st.Kind))
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(append([]byte(id), sealed...)), nil
}

// anyClient opens a state whoever's it is: AssociateSoftwareToken and
// VerifySoftwareToken name no client.
const anyClient = "\x00any"

// maxState bounds what we try to open.
const maxState = 4 << 10

// openState opens a sealed state of the given kind for a client; an
// expired, foreign or tampered one is the NotAuthorizedException Cognito
// gives for a bad session.
func (s *Service) openState(ctx context.Context, token, kind, clientID string) (challengeState, error) {
	invalid := ErrNotAuthorized.New("Invalid session for the user.")
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil || len(token) > maxState || len(raw) < 9 {
		return challengeState{}, invalid
	}
	plain, err := s.box.Open(ctx, string(raw[:8]), raw[8:], []byte(kind))
	if errors.Is(err, sealbox.ErrInvalid) {
		return challengeState{}, invalid
	}
	if err != nil {
		return challengeState{}, err
	}
	var st challengeState
	if json.Unmarshal(plain, &st) != nil || st.Kind != kind || (clientID != anyClient && st.Client != clientID) {
		return challengeState{}, invalid
	}
	if !s.clock().Before(time.Unix(st.ExpiresAt, 0)) {
		return challengeState{}, ErrNotAuthorized.New("Invalid session for the user, session is expired.")
	}
	return st, nil
}
