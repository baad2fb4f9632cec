package gateway

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
)

// The invocation path: an invoke request names an API, a stage and a path;
// the Invoker resolves the route from the stage's deployment, throttles,
// authorizes (AWS_IAM, COGNITO_USER_POOLS or NONE) and returns a Plan that
// the wire side (invokeapi) carries out. No HTTP here: the wire side
// translates requests and answers.

// APISource finds an API by id; gateway.Service satisfies it. A not-found
// error is an awserr.Error with status 404.
type APISource interface {
	Get(ctx context.Context, apiID string) (*API, error)
}

// TokenVerifier verifies user pool tokens for COGNITO_USER_POOLS methods;
// the composition root adapts userpool. A refused token is an error
// wrapping ErrInvalidToken; any other error is a failure of federa.
type TokenVerifier interface {
	VerifyIDToken(ctx context.Context, poolID, token string) (TokenClaims, error)
	VerifyAccessToken(ctx context.Context, poolID, token string) (TokenClaims, error)
}

// ErrInvalidToken marks a token refused by a TokenVerifier (invalid,
// expired, revoked, another pool's).
var ErrInvalidToken = errors.New("gateway: invalid token")

// TokenClaims is what a verified user pool token says.
type TokenClaims struct {
	Subject, Username string
	// Scopes are an access token's scopes (nil for an ID token).
	Scopes []string
	// Claims are every claim, for requestContext.authorizer.claims.
	Claims map[string]any
}

// InvokeOptions configure an Invoker.
type InvokeOptions struct {
	Region, AccountID string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Invoker decides what an invoke request gets.
type Invoker struct {
	apis   APISource
	authz  access.Authorizer
	tokens TokenVerifier
	o      InvokeOptions
	limits throttles
}

// NewInvoker builds the invocation path's decision side.
func NewInvoker(apis APISource, authz access.Authorizer, tokens TokenVerifier, o InvokeOptions) *Invoker {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Invoker{apis: apis, authz: authz, tokens: tokens, o: o}
}

// DefaultTimeout is API Gateway's integration timeout (29 s).
const DefaultTimeout = 29 * time.Second

// InvokeRequest is what the wire side read of an invoke request.
type InvokeRequest struct {
	APIID, Stage string
	// Method is the HTTP method; Path the decoded path below the stage,
	// starting with "/".
	Method, Path string
	// Header holds the request headers by canonical name (as
	// net/http.Header); Query the query parameters.
	Header map[string][]string
	Query  map[string][]string
	// Principal is who signed the request (Anonymous when unsigned).
	Principal *access.Principal
	SourceIP  string
	RequestID string
}

// header returns the first value of a canonical header name.
func (r *InvokeRequest) header(name string) string {
	if v := r.Header[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Plan is what to do with an invoke request that passed: answer a CORS
// preflight, or call the integration.
type Plan struct {
	API   *API
	Stage *Stage
	// Preflight, when set, are the headers answering a CORS preflight with
	// 204 (no integration is called).
	Preflight map[string]string
	// CORS are the headers to add to the integration's answer (allow
	// origin, exposed headers); nil without CORS.
	CORS map[string]string
	Match
	Integration *Integration
	// URL is the integration URI with path parameters filled in.
	URL     string
	Timeout time.Duration
	// Identity is the caller, for the proxy event and identity headers.
	Identity Identity
	// Claims are the verified token's claims (COGNITO_USER_POOLS).
	Claims map[string]any
}

// Prepare resolves, throttles and authorizes req. The error is an
// *InvokeError to answer as it is.
func (iv *Invoker) Prepare(ctx context.Context, req *InvokeRequest) (*Plan, error) {
	api, err := iv.apis.Get(ctx, req.APIID)
	if err != nil {
		if e, ok := awserr.As(err); ok && e.Status == 404 {
			return nil, errAPINotFound()
		}
		return nil, ErrInternal(err)
	}
	stage := api.Stages[req.Stage]
	if stage == nil {
		return nil, errStageNotFound()
	}
	dep := api.Deployments[stage.DeploymentID]
	if dep == nil {
		return nil, errStageNotFound()
	}
	p := &Plan{API: api, Stage: stage}
	origin := req.header("Origin")
	if api.CORS != nil && origin != "" {
		if req.Method == "OPTIONS" && req.header("Access-Control-Request-Method") != "" {
			p.Preflight = preflightHeaders(api.CORS, origin, req.header("Access-Control-Request-Headers"))
			return p, nil
		}
		p.CORS = responseCORS(api.CORS, origin)
	}
	m, ok := MatchRoute(dep.Resources, req.Method, req.Path)
	if !ok {
		return p, errMissingToken()
	}
	p.Match = m
	if !iv.limits.allow(api.ID+"/"+stage.StageName, stage.ThrottleRate, stage.ThrottleBurst, iv.o.Now()) {
		return p, errThrottled()
	}
	p.Identity = Identity{SourceIP: req.SourceIP, UserAgent: req.header("User-Agent")}
	switch m.Method.AuthorizationType {
	case AuthIAM:
		if err := iv.authorizeIAM(ctx, req, p); err != nil {
			return p, err
		}
	case AuthCognito:
		if err := iv.authorizeCognito(ctx, req, dep, p); err != nil {
			return p, err
		}
	case AuthNone, "":
	default:
		return p, ErrInternal(fmt.Errorf("unknown authorization type %q", m.Method.AuthorizationType))
	}
	in := m.Method.Integration
	if in == nil || (in.Type != IntegrationMock && in.URI == "") {
		// API Gateway refuses to deploy such a method; a snapshot holding
		// one answers as a misconfigured integration does.
		return p, ErrIntegration(errors.New("method has no integration"))
	}
	p.Integration = in
	p.URL = SubstitutePath(in.URI, m.PathParams)
	p.Timeout = DefaultTimeout
	if in.TimeoutInMillis > 0 {
		p.Timeout = time.Duration(in.TimeoutInMillis) * time.Millisecond
	}
	return p, nil
}

// InvokeARN is the resource execute-api:Invoke is evaluated on:
// arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>,
// the request path without its leading slash
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html).
func InvokeARN(region, account, apiID, stage, method, path string) string {
	return "arn:aws:execute-api:" + region + ":" + account + ":" + apiID + "/" + stage + "/" + strings.ToUpper(method) + "/" + strings.TrimPrefix(path, "/")
}

func (iv *Invoker) authorizeIAM(ctx context.Context, req *InvokeRequest, p *Plan) error {
	pr := req.Principal
	if pr == nil || pr.Kind == access.Anonymous {
		return errMissingToken()
	}
	p.Identity.fromPrincipal(pr)
	resource := InvokeARN(iv.o.Region, iv.o.AccountID, req.APIID, req.Stage, req.Method, req.Path)
	if pr.Kind == access.Root {
		return nil
	}
	c := access.Check{Principal: pr, Action: "execute-api:Invoke", Resource: resource}
	if req.SourceIP != "" {
		c.Context = map[string][]string{"aws:SourceIp": {req.SourceIP}}
	}
	d, err := iv.authz.Authorize(ctx, c)
	if err != nil {
		return ErrInternal(err)
	}
	if !d.Allowed {
		msg := "User: " + pr.ARN + " is not authorized to perform: execute-api:Invoke on resource: " + resource
		if d.Explicit {
			msg += " with an explicit deny"
		}
		return errAccessDenied(msg)
	}
	return nil
}

func (iv *Invoker) authorizeCognito(ctx context.Context, req *InvokeRequest, dep *Deployment, p *Plan) error {
	m := p.Match.Method
	az := dep.Authorizers[m.AuthorizerID]
	if az == nil {
		return ErrInternal(fmt.Errorf("authorizer %q is not in the deployment", m.AuthorizerID))
	}
	header := "Authorization"
	if src, ok := strings.CutPrefix(az.IdentitySource, "method.request.header."); ok && src != "" {
		header = canonicalHeader(src)
	}
	token := strings.TrimSpace(req.header(header))
	if t, ok := cutPrefixFold(token, "Bearer "); ok {
		token = strings.TrimSpace(t)
	}
	if token == "" {
		return errUnauthorized(errors.New("no token"))
	}
	var lastErr error
	for _, arn := range az.ProviderARNs {
		pool := arn[strings.LastIndexByte(arn, '/')+1:]
		var (
			c   TokenClaims
			err error
		)
		if len(m.AuthorizationScopes) == 0 {
			c, err = iv.tokens.VerifyIDToken(ctx, pool, token)
		} else {
			c, err = iv.tokens.VerifyAccessToken(ctx, pool, token)
		}
		if errors.Is(err, ErrInvalidToken) {
			lastErr = err
			continue
		}
		if err != nil {
			return ErrInternal(err)
		}
		if len(m.AuthorizationScopes) > 0 && !slices.ContainsFunc(c.Scopes, func(s string) bool { return slices.Contains(m.AuthorizationScopes, s) }) {
			return errScopeForbidden()
		}
		p.Claims = c.Claims
		return nil
	}
	return errUnauthorized(lastErr)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// canonicalHeader is textproto's canonical form of a header name.
func canonicalHeader(s string) string {
	b := []byte(strings.ToLower(s))
	upper := true
	for i, c := range b {
		if upper && 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		upper = c == '-'
	}
	return string(b)
}
