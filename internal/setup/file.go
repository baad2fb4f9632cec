package setup

// The types below are the file format; FORMAT.md-style reference lives in
// their doc comments and in the README. Every resource is found by its name,
// and one resource names another by that name (a user pool, a client, a
// role), never by a generated id. A setting the file leaves out keeps the
// value the server has (its default on creation), so a file may describe
// only what it cares about.

// File is a whole setup file.
type File struct {
	OIDCProviders []OIDCProvider `yaml:"oidcProviders,omitempty"`
	UserPools     []UserPool     `yaml:"userPools,omitempty"`
	IdentityPools []IdentityPool `yaml:"identityPools,omitempty"`
	Policies      []Policy       `yaml:"policies,omitempty"`
	Roles         []Role         `yaml:"roles,omitempty"`
	Buckets       []Bucket       `yaml:"buckets,omitempty"`
	RestAPIs      []RestAPI      `yaml:"restApis,omitempty"`

	// name and lines place problems: the file's name, and the line of each
	// node by its path ("userPools[0].clients[1].name").
	name  string
	lines map[string]int
}

// UserPool is a Cognito user pool with what lives inside it.
type UserPool struct {
	Name string `yaml:"name"`
	// UsernameAttributes (email, phone_number) sign users in by those
	// attributes instead of a username; AliasAttributes (email,
	// phone_number, preferred_username) let them serve besides it. Both,
	// and CaseSensitiveUsernames, are fixed when the pool is created.
	UsernameAttributes     []string `yaml:"usernameAttributes,omitempty"`
	AliasAttributes        []string `yaml:"aliasAttributes,omitempty"`
	CaseSensitiveUsernames *bool    `yaml:"caseSensitiveUsernames,omitempty"`
	// AutoVerifiedAttributes (email, phone_number) are sent a code on
	// sign-up.
	AutoVerifiedAttributes []string        `yaml:"autoVerifiedAttributes,omitempty"`
	PasswordPolicy         *PasswordPolicy `yaml:"passwordPolicy,omitempty"`
	// MFA is OFF, OPTIONAL or ON; federa's second factor is a TOTP app.
	MFA                string `yaml:"mfa,omitempty"`
	DeletionProtection *bool  `yaml:"deletionProtection,omitempty"`
	// Schema lists custom attributes (custom:name), and standard ones whose
	// constraints differ from the defaults (email required, say). Custom
	// attributes can be added to an existing pool; nothing can change.
	Schema []Attribute `yaml:"schema,omitempty"`
	// Domain is the hosted UI's prefix domain.
	Domain          string           `yaml:"domain,omitempty"`
	ResourceServers []ResourceServer `yaml:"resourceServers,omitempty"`
	Clients         []Client         `yaml:"clients,omitempty"`
	Groups          []Group          `yaml:"groups,omitempty"`
	Users           []User           `yaml:"users,omitempty"`
}

// PasswordPolicy is a pool's password policy; each field left out keeps
// its current value (Cognito's default on creation).
type PasswordPolicy struct {
	MinimumLength                 *int  `yaml:"minimumLength,omitempty"`
	RequireUppercase              *bool `yaml:"requireUppercase,omitempty"`
	RequireLowercase              *bool `yaml:"requireLowercase,omitempty"`
	RequireNumbers                *bool `yaml:"requireNumbers,omitempty"`
	RequireSymbols                *bool `yaml:"requireSymbols,omitempty"`
	TemporaryPasswordValidityDays *int  `yaml:"temporaryPasswordValidityDays,omitempty"`
	PasswordHistorySize           *int  `yaml:"passwordHistorySize,omitempty"`
}

// Attribute is one schema attribute.
type Attribute struct {
	// Name is custom:name for a custom attribute (the prefix may be left
	// out) or a standard attribute's name.
	Name string `yaml:"name"`
	// Type is String (the default), Number, DateTime or Boolean.
	Type      string `yaml:"type,omitempty"`
	Required  *bool  `yaml:"required,omitempty"`
	Mutable   *bool  `yaml:"mutable,omitempty"`
	MinLength *int   `yaml:"minLength,omitempty"`
	MaxLength *int   `yaml:"maxLength,omitempty"`
	MinValue  *int   `yaml:"minValue,omitempty"`
	MaxValue  *int   `yaml:"maxValue,omitempty"`
}

// ResourceServer is an OAuth resource server and its custom scopes, which
// clients name as identifier/scope.
type ResourceServer struct {
	Identifier string  `yaml:"identifier"`
	Name       string  `yaml:"name"`
	Scopes     []Scope `yaml:"scopes,omitempty"`
}

// Scope is a resource server's scope.
type Scope struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description,omitempty"`
}

// Client is an app client.
type Client struct {
	Name string `yaml:"name"`
	// GenerateSecret makes a confidential client; fixed at creation.
	GenerateSecret bool `yaml:"generateSecret,omitempty"`
	// AuthFlows are the ExplicitAuthFlows (ALLOW_USER_SRP_AUTH, ...).
	AuthFlows []string `yaml:"authFlows,omitempty"`
	// OAuthFlows (code, implicit, client_credentials) turn on the hosted
	// UI and the OAuth endpoints for this client.
	OAuthFlows        []string `yaml:"oauthFlows,omitempty"`
	Scopes            []string `yaml:"scopes,omitempty"`
	CallbackURLs      []string `yaml:"callbackURLs,omitempty"`
	LogoutURLs        []string `yaml:"logoutURLs,omitempty"`
	DefaultRedirect   string   `yaml:"defaultRedirectURI,omitempty"`
	IdentityProviders []string `yaml:"identityProviders,omitempty"`
	ReadAttributes    []string `yaml:"readAttributes,omitempty"`
	WriteAttributes   []string `yaml:"writeAttributes,omitempty"`
	// TokenValidity gives lifetimes as 30s, 15m, 1h or 30d.
	TokenValidity *TokenValidity `yaml:"tokenValidity,omitempty"`
	// PreventUserExistenceErrors is ENABLED or LEGACY.
	PreventUserExistenceErrors string `yaml:"preventUserExistenceErrors,omitempty"`
	EnableTokenRevocation      *bool  `yaml:"enableTokenRevocation,omitempty"`
}

// TokenValidity are a client's token lifetimes.
type TokenValidity struct {
	Access  string `yaml:"access,omitempty"`
	ID      string `yaml:"id,omitempty"`
	Refresh string `yaml:"refresh,omitempty"`
}

// Group is a user pool group.
type Group struct {
	Name        string  `yaml:"name"`
	Description *string `yaml:"description,omitempty"`
	// Role is a role of this file by name, or a role ARN.
	Role       string `yaml:"role,omitempty"`
	Precedence *int   `yaml:"precedence,omitempty"`
}

// User is a user created by an administrator. Passwords are initial:
// apply sets one when it creates the user and never again.
type User struct {
	Username   string            `yaml:"username"`
	Attributes map[string]string `yaml:"attributes,omitempty"`
	// Password is permanent: the user signs in with it.
	Password string `yaml:"password,omitempty"`
	// TemporaryPassword must be changed at the first sign-in.
	TemporaryPassword string `yaml:"temporaryPassword,omitempty"`
	// Groups are groups of the same pool the user belongs to.
	Groups  []string `yaml:"groups,omitempty"`
	Enabled *bool    `yaml:"enabled,omitempty"`
}

// IdentityPool is a Cognito identity pool.
type IdentityPool struct {
	Name                 string `yaml:"name"`
	AllowUnauthenticated *bool  `yaml:"allowUnauthenticated,omitempty"`
	AllowClassicFlow     *bool  `yaml:"allowClassicFlow,omitempty"`
	// UserPoolClients are the user pool app clients whose ID tokens it
	// accepts.
	UserPoolClients []PoolProvider `yaml:"userPoolClients,omitempty"`
	// OIDCProviders are OIDC providers by URL (an oidcProviders entry) or
	// ARN.
	OIDCProviders []string `yaml:"oidcProviders,omitempty"`
	// LoginProviders are the public providers (graph.facebook.com: appId).
	LoginProviders        map[string]string `yaml:"loginProviders,omitempty"`
	DeveloperProviderName string            `yaml:"developerProviderName,omitempty"`
	// Roles are the default roles by name (of this file) or ARN.
	Roles        *PoolRoles    `yaml:"roles,omitempty"`
	RoleMappings []RoleMapping `yaml:"roleMappings,omitempty"`
}

// PoolProvider is a user pool and app client by name.
type PoolProvider struct {
	UserPool             string `yaml:"userPool"`
	Client               string `yaml:"client"`
	ServerSideTokenCheck *bool  `yaml:"serverSideTokenCheck,omitempty"`
}

// PoolRoles are an identity pool's default roles.
type PoolRoles struct {
	Authenticated   string `yaml:"authenticated,omitempty"`
	Unauthenticated string `yaml:"unauthenticated,omitempty"`
}

// RoleMapping picks the role of a provider's users from their token.
type RoleMapping struct {
	// Either UserPool and Client name a provider of this identity pool,
	// or Provider is a provider name (an OIDC host, accounts.google.com).
	UserPool string `yaml:"userPool,omitempty"`
	Client   string `yaml:"client,omitempty"`
	Provider string `yaml:"provider,omitempty"`
	// Type is Token (the token's cognito:preferred_role) or Rules.
	Type string `yaml:"type"`
	// AmbiguousRoleResolution is AuthenticatedRole or Deny.
	AmbiguousRoleResolution string        `yaml:"ambiguousRoleResolution,omitempty"`
	Rules                   []MappingRule `yaml:"rules,omitempty"`
}

// MappingRule maps a claim's value to a role.
type MappingRule struct {
	Claim string `yaml:"claim"`
	// MatchType is Equals, Contains, StartsWith or NotEqual.
	MatchType string `yaml:"matchType"`
	Value     string `yaml:"value"`
	Role      string `yaml:"role"`
}

// Role is an IAM role.
type Role struct {
	Name               string  `yaml:"name"`
	Path               string  `yaml:"path,omitempty"`
	Description        *string `yaml:"description,omitempty"`
	MaxSessionDuration *int    `yaml:"maxSessionDuration,omitempty"`
	// AssumedBy writes the trust policy the Cognito console writes for an
	// identity pool's role; TrustPolicy gives one in full. One is needed.
	AssumedBy   *AssumedBy `yaml:"assumedBy,omitempty"`
	TrustPolicy *Document  `yaml:"trustPolicy,omitempty"`
	// Policies are inline policies.
	Policies []InlinePolicy `yaml:"policies,omitempty"`
	// ManagedPolicies are attached managed policies: policies of this file
	// by name, or ARNs (arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess).
	ManagedPolicies []string `yaml:"managedPolicies,omitempty"`
}

// AssumedBy trusts an identity pool's identities.
type AssumedBy struct {
	IdentityPool string `yaml:"identityPool"`
	// AMR is authenticated (the default) or unauthenticated.
	AMR string `yaml:"amr,omitempty"`
}

// InlinePolicy is a role's inline policy.
type InlinePolicy struct {
	Name     string   `yaml:"name"`
	Document Document `yaml:"document"`
}

// Policy is a customer managed policy.
type Policy struct {
	Name        string   `yaml:"name"`
	Path        string   `yaml:"path,omitempty"`
	Description string   `yaml:"description,omitempty"`
	Document    Document `yaml:"document"`
}

// OIDCProvider is an IAM OpenID Connect provider, found by its URL.
type OIDCProvider struct {
	URL         string   `yaml:"url"`
	ClientIDs   []string `yaml:"clientIDs,omitempty"`
	Thumbprints []string `yaml:"thumbprints,omitempty"`
}

// Bucket is an S3 bucket.
type Bucket struct {
	Name   string     `yaml:"name"`
	CORS   []CORSRule `yaml:"cors,omitempty"`
	Policy *Document  `yaml:"policy,omitempty"`
}

// CORSRule is one rule of a bucket's CORS configuration.
type CORSRule struct {
	ID             string   `yaml:"id,omitempty"`
	AllowedOrigins []string `yaml:"allowedOrigins"`
	AllowedMethods []string `yaml:"allowedMethods"`
	AllowedHeaders []string `yaml:"allowedHeaders,omitempty"`
	ExposeHeaders  []string `yaml:"exposeHeaders,omitempty"`
	MaxAgeSeconds  *int     `yaml:"maxAgeSeconds,omitempty"`
}
