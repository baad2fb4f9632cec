package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/federa/federa/internal/store"
)

// ResourceServerScope is one custom scope of a resource server. Clients ask
// for it as "<identifier>/<ScopeName>". The JSON names are Cognito's: the
// scopes are stored in the record's Spec as given.
type ResourceServerScope struct {
	ScopeName        string `json:"ScopeName"`
	ScopeDescription string `json:"ScopeDescription"`
}

// ResourceServer is an OAuth 2.0 resource server of a pool, as
// DescribeResourceServer returns it and as Create and Update take it.
type ResourceServer struct {
	PoolID     string
	Identifier string
	Name       string
	// Scopes is never nil in what the service returns: Cognito lists an
	// empty array for a server without scopes.
	Scopes []ResourceServerScope
}

// resourceServerSpec is what ResourceServer.Spec holds. It is an object, not
// a bare array, so settings can be added later without a migration.
type resourceServerSpec struct {
	Scopes []ResourceServerScope `json:"Scopes"`
}

// Limits from the Cognito API model and its quotas page
// (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html).
const (
	maxResourceServers     = 25 // per user pool
	maxScopesPerServer     = 100
	maxResourceServerField = 256 // identifier, name, scope name and description
	// maxResourceServerPage bounds ListResourceServers' MaxResults, and is
	// its page size when MaxResults is not given.
	maxResourceServerPage = 50
)

// The patterns of the API model, anchored. An identifier may be a URL, so
// it allows '/' (a scope name does not: the first '/' of a requested scope
// separates the two); neither allows a space, '"' or '\'.
var (
	resourceServerIDPattern   = regexp.MustCompile(`^[\x21\x23-\x5B\x5D-\x7E]+$`)
	resourceServerNamePattern = regexp.MustCompile(`^[\w\s+=,.@-]+$`)
	scopeNamePattern          = regexp.MustCompile(`^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$`)
)

// violations collects the input constraints a request breaks, so that one
// answer names all of them, as AWS's "N validation errors detected" does.
type violations []string

// text checks a string member: its length and, when pattern is set, its
// characters. patternText is the pattern as the API model writes it.
func (v *violations) text(member, value string, pattern *regexp.Regexp, patternText string) {
	switch {
	case value == "":
		*v = append(*v, fmt.Sprintf("Value '' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", member))
	case len(value) > maxResourceServerField:
		*v = append(*v, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", member, maxResourceServerField))
	case pattern != nil && !pattern.MatchString(value):
		*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", value, member, patternText))
	}
}

// err is the InvalidParameterException naming every violation, or nil.
func (v violations) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return ErrInvalidParameter.New("1 validation error detected: %s", v[0])
	}
	return ErrInvalidParameter.New("%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}

const (
	resourceServerIDText   = `[\x21\x23-\x5B\x5D-\x7E]+`
	resourceServerNameText = `[\w\s+=,.@-]+`
	scopeNameText          = `[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+`
)

// validate checks a server's identifier, name and scopes as Cognito does
// before it looks anything up.
func (rs ResourceServer) validate() error {
	var v violations
	v.text("identifier", rs.Identifier, resourceServerIDPattern, resourceServerIDText)
	v.text("name", rs.Name, resourceServerNamePattern, resourceServerNameText)
	if len(rs.Scopes) > maxScopesPerServer {
		v = append(v, fmt.Sprintf("Value at 'scopes' failed to satisfy constraint: Member must have length less than or equal to %d", maxScopesPerServer))
	}
	seen := map[string]bool{}
	for i, sc := range rs.Scopes {
		at := fmt.Sprintf("scopes.%d.member.", i+1)
		v.text(at+"scopeName", sc.ScopeName, scopeNamePattern, scopeNameText)
		v.text(at+"scopeDescription", sc.ScopeDescription, nil, "")
		if seen[sc.ScopeName] && sc.ScopeName != "" {
			v = append(v, fmt.Sprintf("Value '%s' at '%sscopeName' failed to satisfy constraint: Member must be unique within the resource server: rename or remove one of the scopes", sc.ScopeName, at))
		}
		seen[sc.ScopeName] = true
	}
	return v.err()
}

// validIdentifier checks the identifier of Describe and Delete.
func validIdentifier(identifier string) error {
	var v violations
	v.text("identifier", identifier, resourceServerIDPattern, resourceServerIDText)
	return v.err()
}

// describeResourceServer decodes a stored server.
func describeResourceServer(r store.ResourceServer) (ResourceServer, error) {
	var spec resourceServerSpec
	if len(r.Spec) > 0 {
		if err := json.Unmarshal(r.Spec, &spec); err != nil {
			return ResourceServer{}, fmt.Errorf("resource server %s/%s: %w", r.PoolID, r.Identifier, err)
		}
	}
	if spec.Scopes == nil {
		spec.Scopes = []ResourceServerScope{}
	}
	return ResourceServer{PoolID: r.PoolID, Identifier: r.Identifier, Name: r.Name, Scopes: spec.Scopes}, nil
}

// record is what the store keeps of rs.
func (rs ResourceServer) record() store.ResourceServer {
	scopes := rs.Scopes
	if scopes == nil {
		scopes = []ResourceServerScope{}
	}
	spec, _ := json.Marshal(resourceServerSpec{Scopes: scopes}) // strings only: cannot fail
	return store.ResourceServer{PoolID: rs.PoolID, Identifier: rs.Identifier, Name: rs.Name, Spec: spec}
}

func errNoResourceServer(poolID, identifier string) error {
	return ErrResourceNotFound.New("Resource server %s does not exist in user pool %s.", identifier, poolID)
}

// CreateResourceServer creates a resource server and its custom scopes.
func (s *Service) CreateResourceServer(ctx context.Context, rs ResourceServer) (ResourceServer, error) {
	if err := rs.validate(); err != nil {
		return ResourceServer{}, err
	}
	if _, _, err := s.pool(ctx, rs.PoolID); err != nil {
		return ResourceServer{}, err
	}
	// The count and the insert are two steps, so concurrent creates can
	// overshoot the quota by a few; it is a quota, not a security bound.
	existing, err := s.st.ListResourceServers(ctx, rs.PoolID, "", maxResourceServers)
	if err != nil {
		return ResourceServer{}, err
	}
	if len(existing) >= maxResourceServers {
		return ResourceServer{}, ErrLimitExceeded.New("User pool %s already has %d resource servers, the most it may have; delete one first.", rs.PoolID, maxResourceServers)
	}
	rec := rs.record()
	if err := s.st.CreateResourceServer(ctx, rec); err != nil {
		if errors.Is(err, store.ErrExists) {
			return ResourceServer{}, ErrInvalidParameter.New("A resource server with identifier %s already exists in user pool %s; choose another identifier or update that one.", rs.Identifier, rs.PoolID)
		}
		return ResourceServer{}, err
	}
	return describeResourceServer(rec)
}

// resourceServer loads a server after checking the identifier and the pool.
func (s *Service) resourceServer(ctx context.Context, poolID, identifier string) (store.ResourceServer, error) {
	if err := validIdentifier(identifier); err != nil {
		return store.ResourceServer{}, err
	}
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return store.ResourceServer{}, err
	}
	r, err := s.st.GetResourceServer(ctx, poolID, identifier)
	if errors.Is(err, store.ErrNotFound) {
		return r, errNoResourceServer(poolID, identifier)
	}
	return r, err
}

// DescribeResourceServer returns one resource server.
func (s *Service) DescribeResourceServer(ctx context.Context, poolID, identifier string) (ResourceServer, error) {
	r, err := s.resourceServer(ctx, poolID, identifier)
	if err != nil {
		return ResourceServer{}, err
	}
	return describeResourceServer(r)
}

// ListResourceServers lists a pool's resource servers ordered by
// identifier. maxResults is optional (nil: the largest page, 50); the
// token returned is "" on the last page.
func (s *Service) ListResourceServers(ctx context.Context, poolID, nextToken string, maxResults *int) ([]ResourceServer, string, error) {
	limit := maxResourceServerPage
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > maxResourceServerPage {
			return nil, "", ErrInvalidParameter.New("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and %d", *maxResults, maxResourceServerPage)
		}
		limit = *maxResults
	}
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return nil, "", err
	}
	// One more than asked tells whether another page follows, so the last
	// page carries no token.
	page, err := s.st.ListResourceServers(ctx, poolID, nextToken, limit+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(page) > limit {
		page, next = page[:limit], page[limit-1].Identifier
	}
	out := make([]ResourceServer, 0, len(page))
	for _, r := range page {
		rs, err := describeResourceServer(r)
		if err != nil {
			return nil, "", err
		}
		out = append(out, rs)
	}
	return out, next, nil
}

// UpdateResourceServer replaces a server's name and scopes. As in Cognito,
// what the request leaves out is reset: no Scopes removes every scope.
func (s *Service) UpdateResourceServer(ctx context.Context, rs ResourceServer) (ResourceServer, error) {
	if err := rs.validate(); err != nil {
		return ResourceServer{}, err
	}
	if _, err := s.resourceServer(ctx, rs.PoolID, rs.Identifier); err != nil {
		return ResourceServer{}, err
	}
	want := rs.record()
	r, err := s.st.UpdateResourceServer(ctx, rs.PoolID, rs.Identifier, func(r *store.ResourceServer) error {
		r.Name, r.Spec = want.Name, want.Spec
		return nil
	})
	if errors.Is(err, store.ErrNotFound) { // deleted since the check above
		return ResourceServer{}, errNoResourceServer(rs.PoolID, rs.Identifier)
	}
	if err != nil {
		return ResourceServer{}, err
	}
	return describeResourceServer(r)
}

// DeleteResourceServer deletes a resource server. Its scopes leave
// CustomScopes with it, so they can no longer be granted.
func (s *Service) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	if _, err := s.resourceServer(ctx, poolID, identifier); err != nil {
		return err
	}
	err := s.st.DeleteResourceServer(ctx, poolID, identifier)
	if errors.Is(err, store.ErrNotFound) {
		return errNoResourceServer(poolID, identifier)
	}
	return err
}

// CustomScopes returns every custom scope the pool defines, as the
// "<identifier>/<scopeName>" strings clients request, for checking a
// client's allowed scopes and a token request's scope parameter. It does not
// check that the pool exists: its callers already hold one of its clients.
func (s *Service) CustomScopes(ctx context.Context, poolID string) (map[string]bool, error) {
	all, err := s.st.ListResourceServers(ctx, poolID, "", 0)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range all {
		rs, err := describeResourceServer(r)
		if err != nil {
			return nil, err
		}
		for _, sc := range rs.Scopes {
			out[rs.Identifier+"/"+sc.ScopeName] = true
		}
	}
	return out, nil
}
