package gateway

import "time"

// The model below is one REST API as API Gateway describes it, kept whole in
// the store (store.RestAPI.Spec as JSON). Field names follow the API model
// (apigateway 2015-07-09) so the wire adapter maps them one to one.

// API is a REST API with everything under it.
type API struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	CreatedDate time.Time `json:"createdDate"`
	// RootResourceID is the id of the "/" resource, created with the API.
	RootResourceID string                 `json:"rootResourceId"`
	Resources      map[string]*Resource   `json:"resources"`   // by id
	Authorizers    map[string]*Authorizer `json:"authorizers"` // by id
	Deployments    map[string]*Deployment `json:"deployments"` // by id
	Stages         map[string]*Stage      `json:"stages"`      // by name
	// CORS answers browsers for every route of the API; nil: no CORS.
	CORS *CORS `json:"cors,omitempty"`
}

// Resource is a path of the API: "/", "/notes", "/notes/{id}",
// "/{proxy+}".
type Resource struct {
	ID       string `json:"id"`
	ParentID string `json:"parentId,omitempty"`
	PathPart string `json:"pathPart,omitempty"`
	Path     string `json:"path"`
	// Methods by HTTP method ("GET", …, or "ANY").
	Methods map[string]*Method `json:"resourceMethods,omitempty"`
}

// Authorization types of a method.
const (
	AuthNone    = "NONE"
	AuthIAM     = "AWS_IAM"
	AuthCognito = "COGNITO_USER_POOLS"
)

// Method is how one HTTP method of a resource is authorized and served.
type Method struct {
	HTTPMethod        string `json:"httpMethod"`
	AuthorizationType string `json:"authorizationType"`
	// AuthorizerID names the COGNITO_USER_POOLS authorizer.
	AuthorizerID string `json:"authorizerId,omitempty"`
	// AuthorizationScopes, for COGNITO_USER_POOLS: an access token must
	// carry one of them; without scopes an ID token is expected.
	AuthorizationScopes []string     `json:"authorizationScopes,omitempty"`
	APIKeyRequired      bool         `json:"apiKeyRequired,omitempty"`
	Integration         *Integration `json:"methodIntegration,omitempty"`
}

// Integration types federa runs.
const (
	// IntegrationHTTPProxy forwards the request to URI, with the caller's
	// identity in headers.
	IntegrationHTTPProxy = "HTTP_PROXY"
	// IntegrationAWSProxy is the Lambda proxy integration: federa POSTs the
	// API Gateway proxy event (version 1.0) to URI, an http(s) URL of the
	// user's handler, and turns its proxy result into the response.
	IntegrationAWSProxy = "AWS_PROXY"
	// IntegrationMock answers 200 with no body (used for CORS preflights).
	IntegrationMock = "MOCK"
)

// Integration is where a method's requests go.
type Integration struct {
	Type       string `json:"type"`
	HTTPMethod string `json:"httpMethod,omitempty"`
	// URI is the upstream URL; {proxy} and other path parameters in it are
	// filled from the request path.
	URI             string `json:"uri,omitempty"`
	TimeoutInMillis int    `json:"timeoutInMillis,omitempty"`
}

// Authorizer is a COGNITO_USER_POOLS authorizer: the user pools whose
// tokens it accepts, and the header the token comes in.
type Authorizer struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Type           string   `json:"type"`
	ProviderARNs   []string `json:"providerARNs"`
	IdentitySource string   `json:"identitySource,omitempty"` // default method.request.header.Authorization
}

// Deployment is a snapshot of the API's resources and authorizers; stages
// serve deployments, so changes take effect when deployed, as in AWS.
type Deployment struct {
	ID          string                 `json:"id"`
	Description string                 `json:"description,omitempty"`
	CreatedDate time.Time              `json:"createdDate"`
	Resources   map[string]*Resource   `json:"resources"`
	Authorizers map[string]*Authorizer `json:"authorizers"`
}

// Stage is a named deployment: what an invoke URL's first path segment
// selects.
type Stage struct {
	StageName    string            `json:"stageName"`
	DeploymentID string            `json:"deploymentId"`
	Description  string            `json:"description,omitempty"`
	Variables    map[string]string `json:"variables,omitempty"`
	// ThrottleRate (requests per second) and ThrottleBurst bound the
	// stage's requests (methodSettings "*/*" throttling in AWS); zero means
	// no limit.
	ThrottleRate  float64   `json:"throttlingRateLimit,omitempty"`
	ThrottleBurst int       `json:"throttlingBurstLimit,omitempty"`
	CreatedDate   time.Time `json:"createdDate"`
	LastUpdated   time.Time `json:"lastUpdatedDate"`
}

// CORS is an API's answer to browsers.
type CORS struct {
	AllowOrigins  []string `json:"allowOrigins"`
	AllowMethods  []string `json:"allowMethods,omitempty"`
	AllowHeaders  []string `json:"allowHeaders,omitempty"`
	ExposeHeaders []string `json:"exposeHeaders,omitempty"`
	MaxAge        int      `json:"maxAge,omitempty"`
}
