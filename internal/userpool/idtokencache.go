package userpool

import (
	"context"
	"crypto/sha256"
	"sync"

	"github.com/federa/federa/internal/jwtkeys"
)

// maxVerifiedTokens bounds the memory of verified ID tokens (a few KiB
// each); past it the memory starts empty again.
const maxVerifiedTokens = 20_000

// verifiedTokens remembers the ID tokens whose signature, issuer and use
// were checked, by the SHA-256 of the token. An app presents the same ID
// token to GetId and to GetCredentialsForIdentity and again at every
// refresh of its credentials until the token expires; an RS256
// verification and three JSON decodings each time were a third of the cost
// of vending credentials. What can change after the first check is checked
// again on every use: the pool still exists, its key still signs, the token
// has not expired.
type verifiedTokens struct {
	mu sync.Mutex
	m  map[[32]byte]rememberedToken
}

type rememberedToken struct {
	poolID, kid string
	exp         int64
	token       VerifiedToken
}

func (v *verifiedTokens) lookup(poolID, token string) (rememberedToken, [32]byte, bool) {
	h := sha256.Sum256([]byte(token))
	v.mu.Lock()
	r, ok := v.m[h]
	v.mu.Unlock()
	return r, h, ok && r.poolID == poolID
}

func (v *verifiedTokens) remember(h [32]byte, r rememberedToken) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil || len(v.m) >= maxVerifiedTokens {
		v.m = map[[32]byte]rememberedToken{}
	}
	v.m[h] = r
}

// rememberedIDToken returns a remembered token that is still good.
func (s *Service) rememberedIDToken(ctx context.Context, poolID, token string) (VerifiedToken, [32]byte, bool) {
	r, h, ok := s.verified.lookup(poolID, token)
	if !ok || s.now().Unix() >= r.exp {
		return VerifiedToken{}, h, false
	}
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return VerifiedToken{}, h, false
	}
	if has, err := s.keys.HasKey(ctx, keyPurpose(poolID), r.kid); err != nil || !has {
		return VerifiedToken{}, h, false
	}
	return r.token, h, true
}

func (s *Service) rememberIDToken(h [32]byte, poolID, token string, exp int64, v VerifiedToken) {
	if kid := jwtkeys.KeyID(token); kid != "" {
		s.verified.remember(h, rememberedToken{poolID: poolID, kid: kid, exp: exp, token: v})
	}
}
