package store

// Store is everything federa persists. Implementations must be safe for
// concurrent use.
type Store interface {
	UserPools
	AppClients
	Domains
	ResourceServers
	AuthCodes
	Users
	RefreshTokens
	Outbox
	Groups
	Keys
	IdentityPools
	Identities
	Roles
	Policies
	OIDCProviders
	Buckets
	Objects
	Uploads
	Audit
	RestAPIs
	// Close releases the store's resources.
	Close() error
}
