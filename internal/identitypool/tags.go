package identitypool

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/federa/federa/internal/store"
)

// TagMap maps a provider's token claims to session tags (attributes for
// access control): each tag takes the value of its claim, and policies
// read it as aws:PrincipalTag/<tag>.
type TagMap struct {
	UseDefaults bool              `json:"UseDefaults"`
	Tags        map[string]string `json:"PrincipalTags,omitempty"` // tag -> claim
}

// defaultTags is Cognito's default map for user pools.
var defaultTags = map[string]string{"username": "sub", "client": "aud"}

// SetPrincipalTagAttributeMap sets a provider's claim-to-tag map.
func (s *Service) SetPrincipalTagAttributeMap(ctx context.Context, poolID, provider string, m TagMap) (TagMap, error) {
	sp, err := s.pool(ctx, poolID)
	if err != nil {
		return TagMap{}, err
	}
	if !providerConfigured(sp.Settings, provider) {
		return TagMap{}, ErrInvalidParameter.New("Identity provider %s is not configured for this identity pool.", provider)
	}
	if len(m.Tags) > 50 {
		return TagMap{}, ErrInvalidParameter.New("At most 50 principal tags.")
	}
	for tag, claim := range m.Tags {
		if tag == "" || len(tag) > 128 || claim == "" || len(claim) > 256 {
			return TagMap{}, ErrInvalidParameter.New("Principal tag names are 1 to 128 characters and claims 1 to 256: %q -> %q.", tag, claim)
		}
	}
	_, err = s.st.UpdateIdentityPool(ctx, poolID, func(p *store.IdentityPool) error {
		var sp spec
		if err := json.Unmarshal(p.Spec, &sp); err != nil {
			return err
		}
		if sp.PrincipalTags == nil {
			sp.PrincipalTags = map[string]TagMap{}
		}
		sp.PrincipalTags[provider] = m
		b, err := json.Marshal(sp)
		p.Spec, p.UpdatedAt = b, s.clock()
		return err
	})
	return m, err
}

// GetPrincipalTagAttributeMap returns a provider's claim-to-tag map.
func (s *Service) GetPrincipalTagAttributeMap(ctx context.Context, poolID, provider string) (TagMap, error) {
	sp, err := s.pool(ctx, poolID)
	if err != nil {
		return TagMap{}, err
	}
	if !providerConfigured(sp.Settings, provider) {
		return TagMap{}, ErrInvalidParameter.New("Identity provider %s is not configured for this identity pool.", provider)
	}
	return sp.PrincipalTags[provider], nil
}

func providerConfigured(set Settings, name string) bool {
	for _, p := range set.CognitoIdentityProviders {
		if p.ProviderName == name {
			return true
		}
	}
	for _, arn := range set.OpenIDConnectProviderARNs {
		if oidcProviderName(arn) == name {
			return true
		}
	}
	return false
}

// sessionTags computes the tags of the logins' claims under the pool's maps.
func sessionTags(maps map[string]TagMap, logins []verifiedLogin) map[string]string {
	tags := map[string]string{}
	for _, l := range logins {
		m, ok := maps[l.Provider]
		if !ok {
			continue
		}
		use := m.Tags
		if m.UseDefaults {
			use = defaultTags
		}
		names := make([]string, 0, len(use))
		for t := range use {
			names = append(names, t)
		}
		sort.Strings(names)
		for _, tag := range names {
			if v, ok := l.claims[use[tag]].(string); ok && v != "" {
				tags[tag] = v
			}
		}
	}
	return tags
}

// poolOfARN reads an identity pool's id from its ARN.
func (s *Service) poolOfARN(arn string) (string, error) {
	prefix := "arn:aws:cognito-identity:" + s.region + ":" + s.account + ":identitypool/"
	id, ok := strings.CutPrefix(arn, prefix)
	if !ok || checkPoolID(id) != nil {
		return "", ErrInvalidParameter.New("%s is not the ARN of an identity pool of this account (%sREGION:GUID).", arn, prefix)
	}
	return id, nil
}

// TagResource adds or replaces tags of an identity pool.
func (s *Service) TagResource(ctx context.Context, arn string, tags map[string]string) error {
	return s.retag(ctx, arn, func(cur map[string]string) (map[string]string, error) {
		if cur == nil {
			cur = map[string]string{}
		}
		for k, v := range tags {
			if k == "" || len(k) > 128 || len(v) > 256 {
				return nil, ErrInvalidParameter.New("Tag keys are 1 to 128 characters and values at most 256: %q.", k)
			}
			cur[k] = v
		}
		if len(cur) > 50 {
			return nil, ErrLimitExceeded.New("An identity pool can have at most 50 tags.")
		}
		return cur, nil
	})
}

// UntagResource removes tags of an identity pool.
func (s *Service) UntagResource(ctx context.Context, arn string, keys []string) error {
	return s.retag(ctx, arn, func(cur map[string]string) (map[string]string, error) {
		for _, k := range keys {
			delete(cur, k)
		}
		return cur, nil
	})
}

// ListTagsForResource returns an identity pool's tags.
func (s *Service) ListTagsForResource(ctx context.Context, arn string) (map[string]string, error) {
	id, err := s.poolOfARN(arn)
	if err != nil {
		return nil, err
	}
	sp, err := s.pool(ctx, id)
	if err != nil {
		return nil, err
	}
	if sp.Settings.IdentityPoolTags == nil {
		return map[string]string{}, nil
	}
	return sp.Settings.IdentityPoolTags, nil
}

func (s *Service) retag(ctx context.Context, arn string, fn func(map[string]string) (map[string]string, error)) error {
	id, err := s.poolOfARN(arn)
	if err != nil {
		return err
	}
	if _, err := s.pool(ctx, id); err != nil {
		return err
	}
	_, err = s.st.UpdateIdentityPool(ctx, id, func(p *store.IdentityPool) error {
		var sp spec
		if err := json.Unmarshal(p.Spec, &sp); err != nil {
			return err
		}
		tags, err := fn(sp.Settings.IdentityPoolTags)
		if err != nil {
			return err
		}
		sp.Settings.IdentityPoolTags = tags
		b, err := json.Marshal(sp)
		p.Spec, p.UpdatedAt = b, s.clock()
		return err
	})
	return err
}
