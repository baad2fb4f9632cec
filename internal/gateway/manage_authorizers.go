package gateway

import (
	"context"
	"slices"
	"sort"
	"strings"
)

// CreateAuthorizerInput is the body of CreateAuthorizer.
type CreateAuthorizerInput struct {
	Name           string   `json:"name"`
	Type           string   `json:"type"`
	ProviderARNs   []string `json:"providerARNs,omitempty"`
	IdentitySource string   `json:"identitySource,omitempty"`
}

// defaultIdentitySource is where a COGNITO_USER_POOLS authorizer reads the
// token unless told otherwise.
const defaultIdentitySource = "method.request.header.Authorization"

// CreateAuthorizer adds a COGNITO_USER_POOLS authorizer: tokens of the
// user pools named by providerARNs
// (arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>).
func (s *Service) CreateAuthorizer(ctx context.Context, apiID string, in CreateAuthorizerInput) (*Authorizer, error) {
	if strings.TrimSpace(in.Name) == "" {
		return nil, ErrBadRequest.New("Invalid authorizer name: give the authorizer a non-empty name")
	}
	switch in.Type {
	case AuthCognito:
	case "TOKEN", "REQUEST":
		return nil, ErrBadRequest.New("federa runs no Lambda functions, so %s (Lambda) authorizers are not supported; use type COGNITO_USER_POOLS, or AWS_IAM on the method", in.Type)
	default:
		return nil, ErrBadRequest.New("Invalid authorizer type specified: %q; use COGNITO_USER_POOLS", in.Type)
	}
	if len(in.ProviderARNs) == 0 {
		return nil, ErrBadRequest.New("A COGNITO_USER_POOLS authorizer needs providerARNs: the ARNs of the user pools whose tokens it accepts, arn:aws:cognito-idp:%s:%s:userpool/<poolId>", s.region, s.account)
	}
	for _, arn := range in.ProviderARNs {
		if _, err := s.PoolID(arn); err != nil {
			return nil, err
		}
	}
	src := in.IdentitySource
	if src == "" {
		src = defaultIdentitySource
	}
	if !strings.HasPrefix(src, "method.request.header.") {
		return nil, ErrBadRequest.New("Invalid identitySource %q: a COGNITO_USER_POOLS authorizer reads the token from a header, method.request.header.<Name>", src)
	}
	var out *Authorizer
	_, err := s.update(ctx, apiID, func(a *API) error {
		for _, other := range a.Authorizers {
			if other.Name == in.Name {
				return ErrConflict.New("Authorizer name %q is already used by authorizer %s of this API", in.Name, other.ID)
			}
		}
		out = &Authorizer{ID: newID(6), Name: in.Name, Type: in.Type, ProviderARNs: slices.Clone(in.ProviderARNs), IdentitySource: src}
		a.Authorizers[out.ID] = out
		return nil
	})
	return out, err
}

// PoolID returns the user pool id of a provider ARN,
// arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>.
func (s *Service) PoolID(providerARN string) (string, error) {
	parts := strings.SplitN(providerARN, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && parts[2] == "cognito-idp" && parts[3] != "" {
		if id, ok := strings.CutPrefix(parts[5], "userpool/"); ok && id != "" && !strings.Contains(id, "/") {
			return id, nil
		}
	}
	return "", ErrBadRequest.New("Invalid provider ARN %q: give a user pool's ARN, arn:aws:cognito-idp:%s:%s:userpool/<poolId>", providerARN, s.region, s.account)
}

// GetAuthorizers lists an API's authorizers by id.
func (s *Service) GetAuthorizers(ctx context.Context, apiID, position string, limit int) ([]*Authorizer, string, error) {
	a, err := s.Get(ctx, apiID)
	if err != nil {
		return nil, "", err
	}
	list := make([]*Authorizer, 0, len(a.Authorizers))
	for _, az := range a.Authorizers {
		list = append(list, az)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return pageAfter(list, func(az *Authorizer) string { return az.ID }, position, limit)
}

// GetAuthorizer returns one authorizer.
func (s *Service) GetAuthorizer(ctx context.Context, apiID, authorizerID string) (*Authorizer, error) {
	a, err := s.Get(ctx, apiID)
	if err != nil {
		return nil, err
	}
	az := a.Authorizers[authorizerID]
	if az == nil {
		return nil, ErrNotFound.New("Invalid Authorizer identifier specified: %s", authorizerID)
	}
	return az, nil
}

// DeleteAuthorizer deletes an authorizer no method uses. Deployments keep
// their own copies, so deployed stages go on accepting its tokens until
// redeployed, as in AWS.
func (s *Service) DeleteAuthorizer(ctx context.Context, apiID, authorizerID string) error {
	_, err := s.update(ctx, apiID, func(a *API) error {
		if a.Authorizers[authorizerID] == nil {
			return ErrNotFound.New("Invalid Authorizer identifier specified: %s", authorizerID)
		}
		for _, r := range sortedResources(a.Resources) {
			for verb, m := range r.Methods {
				if m.AuthorizerID == authorizerID {
					return ErrConflict.New("Cannot delete authorizer '%s', is referenced in method: %s %s; change or delete the method first", authorizerID, verb, r.Path)
				}
			}
		}
		delete(a.Authorizers, authorizerID)
		return nil
	})
	return err
}
