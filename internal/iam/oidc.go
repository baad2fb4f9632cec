package iam

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/federa/federa/internal/store"
)

// OIDCProvider is an IAM OpenID Connect provider.
type OIDCProvider = store.OIDCProvider

var thumbprintPattern = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// oidcProviderName is what the provider's ARN and condition keys call it:
// the URL without https://.
func oidcProviderName(u *url.URL) string {
	return u.Host + strings.TrimSuffix(u.Path, "/")
}

// CreateOpenIDConnectProvider registers an issuer. The URL must be https
// (http is accepted for loopback addresses, for development); client ids
// are the audiences its tokens may have. Thumbprints are stored and
// returned; federa verifies the issuer's certificate the usual way.
func (s *Service) CreateOpenIDConnectProvider(ctx context.Context, rawURL string, clientIDs, thumbprints []string, tags map[string]string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || len(rawURL) > 255 {
		return "", ErrInvalidInput.New("The Url %q is not valid: it must be an https URL of at most 255 characters, without query or fragment.", rawURL)
	}
	loopback := u.Hostname() == "127.0.0.1" || u.Hostname() == "localhost"
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback) {
		return "", ErrInvalidInput.New("The Url %s must begin with https://.", rawURL)
	}
	if len(clientIDs) > 100 {
		return "", ErrLimitExceeded.New("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100")
	}
	if err := checkThumbprints(thumbprints); err != nil {
		return "", err
	}
	arn := "arn:aws:iam::" + s.account + ":oidc-provider/" + oidcProviderName(u)
	p := store.OIDCProvider{ARN: arn, URL: strings.TrimSuffix(rawURL, "/"), ClientIDs: dedupe(clientIDs), Thumbprints: thumbprints, Tags: tags, CreatedAt: s.clock()}
	if err := s.st.CreateOIDCProvider(ctx, p); err != nil {
		if errors.Is(err, store.ErrExists) {
			return "", ErrEntityAlreadyExists.New("Provider with url %s already exists.", rawURL)
		}
		return "", err
	}
	return arn, nil
}

func checkThumbprints(list []string) error {
	if len(list) > 5 {
		return ErrInvalidInput.New("ThumbprintList holds at most 5 thumbprints.")
	}
	for _, t := range list {
		if !thumbprintPattern.MatchString(t) {
			return ErrInvalidInput.New("Thumbprint %q must be 40 hexadecimal characters (a SHA-1 fingerprint).", t)
		}
	}
	return nil
}

func dedupe(list []string) []string {
	out := []string{}
	for _, v := range list {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// GetOpenIDConnectProvider returns a provider.
func (s *Service) GetOpenIDConnectProvider(ctx context.Context, arn string) (OIDCProvider, error) {
	p, err := s.st.GetOIDCProvider(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return p, ErrNoSuchEntity.New("OpenIDConnect Provider not found for arn %s", arn)
	}
	return p, err
}

// ListOpenIDConnectProviders lists the account's providers.
func (s *Service) ListOpenIDConnectProviders(ctx context.Context) ([]OIDCProvider, error) {
	return s.st.ListOIDCProviders(ctx)
}

// DeleteOpenIDConnectProvider removes a provider; its tokens stop working.
func (s *Service) DeleteOpenIDConnectProvider(ctx context.Context, arn string) error {
	err := s.st.DeleteOIDCProvider(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchEntity.New("OpenIDConnect Provider not found for arn %s", arn)
	}
	return err
}

// UpdateOpenIDConnectProvider adds or removes a client id, or replaces the
// thumbprints.
func (s *Service) UpdateOpenIDConnectProvider(ctx context.Context, arn string, addClient, removeClient string, thumbprints []string) error {
	if thumbprints != nil {
		if err := checkThumbprints(thumbprints); err != nil {
			return err
		}
	}
	_, err := s.st.UpdateOIDCProvider(ctx, arn, func(p *store.OIDCProvider) error {
		if addClient != "" && !slices.Contains(p.ClientIDs, addClient) {
			if len(p.ClientIDs) >= 100 {
				return ErrLimitExceeded.New("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100")
			}
			p.ClientIDs = append(p.ClientIDs, addClient)
		}
		if removeClient != "" {
			p.ClientIDs = slices.DeleteFunc(p.ClientIDs, func(c string) bool { return c == removeClient })
		}
		if thumbprints != nil {
			p.Thumbprints = thumbprints
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchEntity.New("OpenIDConnect Provider not found for arn %s", arn)
	}
	return err
}

// OIDCProviderByIssuer finds the provider registered for a token's iss.
func (s *Service) OIDCProviderByIssuer(ctx context.Context, iss string) (OIDCProvider, error) {
	u, err := url.Parse(iss)
	if err != nil || u.Host == "" {
		return OIDCProvider{}, ErrNoSuchEntity.New("No OpenIDConnect provider found in your account for %s", iss)
	}
	return s.GetOpenIDConnectProvider(ctx, "arn:aws:iam::"+s.account+":oidc-provider/"+oidcProviderName(u))
}
