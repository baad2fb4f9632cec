package bench

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/big"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/federa/federa/internal/srp"
)

// signInSRP signs in as amazon-cognito-identity-js does: USER_SRP_AUTH with
// A, then PASSWORD_VERIFIER with the signature the shared key makes. The
// client's arithmetic runs here, on the load generator's share of the CPU.
func signInSRP(ctx context.Context, t *tally, idp *cip.Client, poolID, clientID, username string) error {
	cl := srp.NewClient()
	var start *cip.InitiateAuthOutput
	err := t.step("InitiateAuth", func() (err error) {
		start, err = idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: ciptypes.AuthFlowTypeUserSrpAuth,
			AuthParameters: map[string]string{"USERNAME": username, "SRP_A": cl.Public.Text(16)}})
		return err
	})
	if err != nil {
		return err
	}
	cp := start.ChallengeParameters
	salt, okSalt := new(big.Int).SetString(cp["SALT"], 16)
	B, okB := new(big.Int).SetString(cp["SRP_B"], 16)
	block, errBlock := base64.StdEncoding.DecodeString(cp["SECRET_BLOCK"])
	user := cp["USER_ID_FOR_SRP"]
	if !okSalt || !okB || errBlock != nil || user == "" {
		return fmt.Errorf("USER_SRP_AUTH answered a challenge without a usable SALT, SRP_B, SECRET_BLOCK and USER_ID_FOR_SRP")
	}
	key := cl.Key(poolID, user, userPassword, salt, B)
	if key == nil {
		return fmt.Errorf("USER_SRP_AUTH answered an unacceptable SRP_B")
	}
	ts := srp.Timestamp(time.Now())
	sig := srp.Signature(key, poolID, user, block, ts)
	return t.step("RespondToAuthChallenge", func() error {
		_, err := idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &clientID,
			ChallengeName: ciptypes.ChallengeNameTypePasswordVerifier,
			ChallengeResponses: map[string]string{"USERNAME": user, "PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"],
				"TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": base64.StdEncoding.EncodeToString(sig)}})
		return err
	})
}
