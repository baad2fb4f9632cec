package gateway

import (
	"context"
	"net/url"
	"slices"
	"strings"
)

// GetResources lists an API's resources by path, limit at a time after
// position.
func (s *Service) GetResources(ctx context.Context, apiID, position string, limit int) ([]*Resource, string, error) {
	a, err := s.Get(ctx, apiID)
	if err != nil {
		return nil, "", err
	}
	return pageAfter(sortedResources(a.Resources), func(r *Resource) string { return r.ID }, position, limit)
}

// GetResource returns one resource.
func (s *Service) GetResource(ctx context.Context, apiID, resourceID string) (*Resource, error) {
	a, err := s.Get(ctx, apiID)
	if err != nil {
		return nil, err
	}
	return a.resource(resourceID)
}

func (a *API) resource(id string) (*Resource, error) {
	r := a.Resources[id]
	if r == nil {
		return nil, ErrNotFound.New("Invalid Resource identifier specified: %s is not a resource of API %s", id, a.ID)
	}
	return r, nil
}

// CreateResource adds the child pathPart under parentID. A path part is a
// literal ("notes"), a path parameter ("{id}") or, for a leaf only, a greedy
// one ("{proxy+}"); siblings have distinct path parts and at most one of
// them is a parameter, as in API Gateway.
func (s *Service) CreateResource(ctx context.Context, apiID, parentID, pathPart string) (*Resource, error) {
	var out *Resource
	_, err := s.update(ctx, apiID, func(a *API) error {
		parent, err := a.resource(parentID)
		if err != nil {
			return err
		}
		if err := checkPathPart(pathPart); err != nil {
			return err
		}
		if isGreedy(lastPart(parent.Path)) {
			return ErrBadRequest.New("Cannot create a child of %s: a greedy path variable {name+} matches the rest of the path, so it must be the last part", parent.Path)
		}
		for _, sib := range a.Resources {
			if sib.ParentID != parentID {
				continue
			}
			if sib.PathPart == pathPart {
				return ErrConflict.New("Another resource with the same parent already has this name: %s", pathPart)
			}
			if isVar(sib.PathPart) && isVar(pathPart) {
				return ErrBadRequest.New("A sibling (%s) of this resource already has a variable path part -- only one is allowed", sib.PathPart)
			}
		}
		p := parent.Path + "/" + pathPart
		if parent.Path == "/" {
			p = "/" + pathPart
		}
		out = &Resource{ID: newID(10), ParentID: parentID, PathPart: pathPart, Path: p}
		a.Resources[out.ID] = out
		return nil
	})
	return out, err
}

// checkPathPart applies API Gateway's rules to one path part.
func checkPathPart(p string) error {
	if p == "" || strings.Contains(p, "/") {
		return ErrBadRequest.New("Resource's path part must be a single non-empty segment without '/': got %q", p)
	}
	if strings.HasPrefix(p, "{") || strings.HasSuffix(p, "}") {
		name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(p, "{"), "}"), "+")
		if !isVar(p) || name == "" || strings.IndexFunc(name, func(r rune) bool { return !isNameRune(r) }) >= 0 {
			return ErrBadRequest.New("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace: got %q; write {name} or {name+}", p)
		}
		return nil
	}
	if strings.IndexFunc(p, func(r rune) bool { return !isNameRune(r) && !strings.ContainsRune(":@!$&'()*,;=~", r) }) >= 0 {
		return ErrBadRequest.New("Resource's path part only allow a-zA-Z0-9._-:@!$&'()*,;=~ and curly braces at the beginning and the end: got %q", p)
	}
	return nil
}

func isNameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.'
}

func isVar(p string) bool    { return len(p) > 2 && p[0] == '{' && p[len(p)-1] == '}' }
func isGreedy(p string) bool { return isVar(p) && strings.HasSuffix(p, "+}") }
func lastPart(path string) string {
	return path[strings.LastIndexByte(path, '/')+1:]
}

// DeleteResource deletes a resource and everything below it. The root
// resource stays as long as the API.
func (s *Service) DeleteResource(ctx context.Context, apiID, resourceID string) error {
	_, err := s.update(ctx, apiID, func(a *API) error {
		r, err := a.resource(resourceID)
		if err != nil {
			return err
		}
		if r.ID == a.RootResourceID {
			return ErrBadRequest.New("Cannot delete the root resource of API %s; delete the API instead", a.ID)
		}
		for id, other := range a.Resources {
			if other.Path == r.Path || strings.HasPrefix(other.Path, r.Path+"/") {
				delete(a.Resources, id)
			}
		}
		return nil
	})
	return err
}

// httpMethods are the methods a resource may have; ANY serves every
// method the resource does not name.
var httpMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"}

// PutMethodInput is the body of PutMethod.
type PutMethodInput struct {
	AuthorizationType   string   `json:"authorizationType"`
	AuthorizerID        string   `json:"authorizerId,omitempty"`
	AuthorizationScopes []string `json:"authorizationScopes,omitempty"`
	APIKeyRequired      bool     `json:"apiKeyRequired,omitempty"`
}

// PutMethod sets how httpMethod of a resource is authorized, replacing any
// method there (and its integration), as API Gateway does.
func (s *Service) PutMethod(ctx context.Context, apiID, resourceID, httpMethod string, in PutMethodInput) (*Method, error) {
	var out *Method
	_, err := s.update(ctx, apiID, func(a *API) error {
		r, err := a.resource(resourceID)
		if err != nil {
			return err
		}
		if !slices.Contains(httpMethods, httpMethod) {
			return ErrBadRequest.New("Invalid HttpMethod specified: %q; use one of %s", httpMethod, strings.Join(httpMethods, ", "))
		}
		m := &Method{HTTPMethod: httpMethod, AuthorizationType: in.AuthorizationType, AuthorizerID: in.AuthorizerID,
			AuthorizationScopes: in.AuthorizationScopes, APIKeyRequired: in.APIKeyRequired}
		if err := a.checkAuthorization(m); err != nil {
			return err
		}
		if r.Methods == nil {
			r.Methods = map[string]*Method{}
		}
		r.Methods[httpMethod] = m
		out = m
		return nil
	})
	return out, err
}

func (a *API) checkAuthorization(m *Method) error {
	switch m.AuthorizationType {
	case AuthNone, AuthIAM:
		if m.AuthorizerID != "" || len(m.AuthorizationScopes) > 0 {
			return ErrBadRequest.New("authorizerId and authorizationScopes apply to COGNITO_USER_POOLS methods only, not %s", m.AuthorizationType)
		}
	case AuthCognito:
		if m.AuthorizerID == "" {
			return ErrBadRequest.New("A COGNITO_USER_POOLS method needs an authorizerId: create the authorizer with CreateAuthorizer and pass its id")
		}
		if a.Authorizers[m.AuthorizerID] == nil {
			return ErrBadRequest.New("Invalid authorizer ID specified: %s is not an authorizer of API %s", m.AuthorizerID, a.ID)
		}
	case "CUSTOM":
		return ErrBadRequest.New("federa does not run Lambda authorizers, so authorizationType CUSTOM is not supported; use NONE, AWS_IAM or COGNITO_USER_POOLS")
	default:
		return ErrBadRequest.New("Invalid authorization type specified: %q; use NONE, AWS_IAM or COGNITO_USER_POOLS", m.AuthorizationType)
	}
	return nil
}

// method returns the method httpMethod of resourceID.
func (a *API) method(resourceID, httpMethod string) (*Method, error) {
	r, err := a.resource(resourceID)
	if err != nil {
		return nil, err
	}
	m := r.Methods[httpMethod]
	if m == nil {
		return nil, ErrNotFound.New("Invalid Method identifier specified: %s has no %s method", r.Path, httpMethod)
	}
	return m, nil
}

// GetMethod returns one method with its integration.
func (s *Service) GetMethod(ctx context.Context, apiID, resourceID, httpMethod string) (*Method, error) {
	a, err := s.Get(ctx, apiID)
	if err != nil {
		return nil, err
	}
	return a.method(resourceID, httpMethod)
}

// DeleteMethod deletes a method with its integration.
func (s *Service) DeleteMethod(ctx context.Context, apiID, resourceID, httpMethod string) error {
	_, err := s.update(ctx, apiID, func(a *API) error {
		if _, err := a.method(resourceID, httpMethod); err != nil {
			return err
		}
		delete(a.Resources[resourceID].Methods, httpMethod)
		return nil
	})
	return err
}

// PutIntegrationInput is the body of PutIntegration.
type PutIntegrationInput struct {
	Type string `json:"type"`
	// HTTPMethod is the method used toward the upstream
	// (integrationHttpMethod, sent as "httpMethod").
	HTTPMethod      string `json:"httpMethod,omitempty"`
	URI             string `json:"uri,omitempty"`
	TimeoutInMillis int    `json:"timeoutInMillis,omitempty"`
}

// PutIntegration sets where a method's requests go. federa runs HTTP_PROXY,
// AWS_PROXY (with the URL of the handler that takes the proxy event, where
// AWS has a Lambda ARN) and MOCK.
func (s *Service) PutIntegration(ctx context.Context, apiID, resourceID, httpMethod string, in PutIntegrationInput) (*Integration, error) {
	var out *Integration
	_, err := s.update(ctx, apiID, func(a *API) error {
		m, err := a.method(resourceID, httpMethod)
		if err != nil {
			return err
		}
		ig := &Integration{Type: in.Type, HTTPMethod: in.HTTPMethod, URI: in.URI, TimeoutInMillis: in.TimeoutInMillis}
		if err := checkIntegration(ig); err != nil {
			return err
		}
		m.Integration = ig
		out = ig
		return nil
	})
	return out, err
}

// checkIntegration applies the rules of the integration types federa runs.
func checkIntegration(ig *Integration) error {
	if ig.TimeoutInMillis != 0 && (ig.TimeoutInMillis < 50 || ig.TimeoutInMillis > 29000) {
		return ErrBadRequest.New("Timeout should be between 50 ms and 29000 ms: got %d", ig.TimeoutInMillis)
	}
	switch ig.Type {
	case IntegrationMock:
		return nil
	case IntegrationHTTPProxy:
		if ig.HTTPMethod == "" {
			return ErrBadRequest.New("Enumeration value for HttpMethod must be non-empty: an HTTP_PROXY integration needs the upstream's method (integrationHttpMethod), e.g. ANY or GET")
		}
		return checkUpstream(ig.URI, "HTTP_PROXY")
	case IntegrationAWSProxy:
		if strings.HasPrefix(ig.URI, "arn:") {
			return ErrBadRequest.New("federa runs no Lambda functions, so an AWS_PROXY integration's uri is the http(s) URL of your handler, which receives the API Gateway proxy event (version 1.0) as a POST and answers with the proxy result; got the ARN %q", ig.URI)
		}
		if ig.HTTPMethod == "" {
			ig.HTTPMethod = "POST" // Lambda proxy integrations are invoked with POST
		}
		return checkUpstream(ig.URI, "AWS_PROXY")
	case "HTTP", "AWS":
		return ErrBadRequest.New("federa runs proxy integrations only: integration type %s (with mapping templates) is not supported; use HTTP_PROXY, AWS_PROXY (your handler's URL) or MOCK", ig.Type)
	default:
		return ErrBadRequest.New("Invalid integration type specified: %q; use HTTP_PROXY, AWS_PROXY or MOCK", ig.Type)
	}
}

func checkUpstream(uri, typ string) error {
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ErrBadRequest.New("Invalid HTTP endpoint specified for URI: an %s integration's uri is an absolute http(s) URL, e.g. http://localhost:8080/notes/{id}; got %q", typ, uri)
	}
	return nil
}

// GetIntegration returns a method's integration.
func (s *Service) GetIntegration(ctx context.Context, apiID, resourceID, httpMethod string) (*Integration, error) {
	m, err := s.GetMethod(ctx, apiID, resourceID, httpMethod)
	if err != nil {
		return nil, err
	}
	if m.Integration == nil {
		return nil, ErrNotFound.New("No integration defined for method %s", httpMethod)
	}
	return m.Integration, nil
}

// DeleteIntegration removes a method's integration.
func (s *Service) DeleteIntegration(ctx context.Context, apiID, resourceID, httpMethod string) error {
	_, err := s.update(ctx, apiID, func(a *API) error {
		m, err := a.method(resourceID, httpMethod)
		if err != nil {
			return err
		}
		if m.Integration == nil {
			return ErrNotFound.New("No integration defined for method %s", httpMethod)
		}
		m.Integration = nil
		return nil
	})
	return err
}
