package setup

// RestAPI is an API Gateway REST API: its routes, the Cognito authorizers
// they name, its CORS answer and its stages. The file lists routes as
// method + path; apply builds the tree of resources ("/notes",
// "/notes/{id}") they need, puts each method and its integration, and
// deploys to every stage when a route or authorizer changed.
type RestAPI struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description,omitempty"`
	// CORS answers browsers' preflights for every route of the API.
	CORS        *APICORS        `yaml:"cors,omitempty"`
	Authorizers []APIAuthorizer `yaml:"authorizers,omitempty"`
	Routes      []Route         `yaml:"routes,omitempty"`
	Stages      []Stage         `yaml:"stages,omitempty"`
}

// APICORS is a REST API's CORS answer.
type APICORS struct {
	AllowOrigins  []string `yaml:"allowOrigins"`
	AllowMethods  []string `yaml:"allowMethods,omitempty"`
	AllowHeaders  []string `yaml:"allowHeaders,omitempty"`
	ExposeHeaders []string `yaml:"exposeHeaders,omitempty"`
	MaxAge        *int     `yaml:"maxAge,omitempty"`
}

// APIAuthorizer is a COGNITO_USER_POOLS authorizer: the user pools whose
// tokens it accepts.
type APIAuthorizer struct {
	Name string `yaml:"name"`
	// UserPools are user pools of this file by name, or user pool ARNs.
	UserPools []string `yaml:"userPools"`
	// IdentitySource is where the token comes from; the default is
	// method.request.header.Authorization.
	IdentitySource string `yaml:"identitySource,omitempty"`
}

// Route is one method of one path, how it is authorized and where its
// requests go.
type Route struct {
	// Method is GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY.
	Method string `yaml:"method"`
	// Path is /, /notes, /notes/{id} or /files/{proxy+}.
	Path string `yaml:"path"`
	// Auth is NONE (the default), AWS_IAM or COGNITO_USER_POOLS.
	Auth string `yaml:"auth,omitempty"`
	// Authorizer names one of the API's authorizers (COGNITO_USER_POOLS
	// only); Scopes, when given, ask for an access token with one of them.
	Authorizer  string           `yaml:"authorizer,omitempty"`
	Scopes      []string         `yaml:"scopes,omitempty"`
	Integration RouteIntegration `yaml:"integration"`
}

// RouteIntegration is where a route's requests go.
type RouteIntegration struct {
	// Type is HTTP_PROXY (the request, with the caller's identity in
	// headers), AWS_PROXY (the Lambda proxy event, POSTed to an http(s)
	// handler URL) or MOCK.
	Type string `yaml:"type"`
	// URI is the upstream URL (not for MOCK); {name} path parameters in it
	// are filled from the request.
	URI string `yaml:"uri,omitempty"`
	// HTTPMethod is the method the upstream is called with: the route's by
	// default for HTTP_PROXY, POST for AWS_PROXY.
	HTTPMethod    string `yaml:"httpMethod,omitempty"`
	TimeoutMillis *int   `yaml:"timeoutMillis,omitempty"`
}

// Stage is a named deployment of the API: the first path segment of its
// invoke URL.
type Stage struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description,omitempty"`
	// Throttling bounds the stage's requests; beyond it, 429.
	Throttling *Throttling `yaml:"throttling,omitempty"`
}

// Throttling is a stage's request rate (per second) and burst.
type Throttling struct {
	Rate  float64 `yaml:"rate"`
	Burst int     `yaml:"burst"`
}
