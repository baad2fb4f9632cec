package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"

	"github.com/federa/federa/internal/setup"
)

// Names of the example's resources, as in seed 004.
const (
	PoolName         = "notes-users"
	ClientName       = "notes-app"
	DomainPrefix     = "notes-demo"
	IdentityPoolName = "notes_identities"
	AuthRoleName     = "Cognito_notesAuth_Role"
	PolicyName       = "notes-uploads-per-identity"
	Bucket           = "notes-uploads"
	Username         = "demo"
	Password         = "Demo-passw0rd!"
	// DefaultAppOrigin is where seed 004's app runs: its redirect_uri and
	// logout_uri, and the origin its bucket's CORS rule allows.
	DefaultAppOrigin = "http://localhost:3000"
)

// Config says where federa is and which root key to use.
type Config struct {
	Endpoint, Region, AccountID  string
	AccessKeyID, SecretAccessKey string
	// AppOrigin is the origin the browser app is served from; it becomes
	// the app client's only callback and sign-out URL and the bucket's CORS
	// origin. DefaultAppOrigin when empty.
	AppOrigin string
	// BrowserEndpoint is federa's URL as a browser on this machine writes it
	// (http://localhost:4566); Endpoint when empty.
	BrowserEndpoint string
	// AuthBase is the base URL of the pool's hosted UI on its domain
	// (http://notes-demo.auth.localhost:4566); see HostedUIBase.
	AuthBase string
	// AppServed says that federa demo serves the upload app at AppOrigin,
	// so the walkthrough tells the user to open it.
	AppServed bool
	// HTTPClient makes Setup's calls (the SDK's default when nil); over
	// TLS with a self-made certificate it is one that trusts it.
	HTTPClient *http.Client
}

// Result holds the ids of what Setup created or found.
type Result struct {
	Config
	UserPoolID, ClientID, IdentityPoolID, AuthRoleARN, PolicyARN string
}

// HostedUIBase is the base URL of the demo pool's hosted UI in the
// host-based form <domain>.auth.<base domain>, for federa at endpoint
// (whose scheme and port it keeps). Browsers resolve every *.localhost name
// to loopback, so with the base domain localhost this needs no DNS.
func HostedUIBase(endpoint, baseDomain string) string {
	scheme, rest, ok := strings.Cut(endpoint, "://")
	if !ok {
		scheme, rest = "http", endpoint
	}
	hostport, _, _ := strings.Cut(rest, "/")
	port := ""
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.HasSuffix(hostport, "]") {
		port = hostport[i:]
	}
	return scheme + "://" + DomainPrefix + ".auth." + baseDomain + port
}

// seedFile is examples/seed004.yaml, which a test keeps identical: go:embed
// cannot reach outside this package's directory.
//
//go:embed seed004.yaml
var seedFile []byte

// SeedFile returns seed 004's setup file, the one Setup applies.
func SeedFile() []byte { return slices.Clone(seedFile) }

// Setup applies seed 004's setup file, creating what is missing and
// updating what differs, with the app client's callback and sign-out URL
// and the bucket's CORS origin moved to c.AppOrigin, where the app runs.
func Setup(ctx context.Context, c Config) (*Result, error) {
	cfg := aws.Config{
		Region:       c.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, ""),
		BaseEndpoint: aws.String(c.Endpoint),
	}
	if c.HTTPClient != nil {
		cfg.HTTPClient = c.HTTPClient
	}
	if c.AppOrigin == "" {
		c.AppOrigin = DefaultAppOrigin
	}
	if c.BrowserEndpoint == "" {
		c.BrowserEndpoint = c.Endpoint
	}
	// No environment: the walkthrough prints the file's default password.
	f, err := setup.Load("examples/seed004.yaml", seedFile, nil)
	if err != nil {
		return nil, err
	}
	if err := retarget(f, c.AppOrigin); err != nil {
		return nil, err
	}
	res, err := setup.Apply(ctx, cfg, f, setup.Options{})
	if err != nil {
		return nil, err
	}
	return &Result{Config: c, UserPoolID: res.UserPools[PoolName], ClientID: res.Clients[PoolName+"/"+ClientName],
		IdentityPoolID: res.IdentityPools[IdentityPoolName], AuthRoleARN: res.Roles[AuthRoleName], PolicyARN: res.Policies[PolicyName]}, nil
}

// retarget points the seed's app client and bucket CORS rule at origin:
// the seed's app runs at http://localhost:3000, demo's copy wherever
// --app-listen puts it, and redirect URIs and origins are compared exactly.
func retarget(f *setup.File, origin string) error {
	var client *setup.Client
	for i := range f.UserPools {
		for j := range f.UserPools[i].Clients {
			if f.UserPools[i].Name == PoolName && f.UserPools[i].Clients[j].Name == ClientName {
				client = &f.UserPools[i].Clients[j]
			}
		}
	}
	var cors *setup.CORSRule
	for i := range f.Buckets {
		if b := &f.Buckets[i]; b.Name == Bucket && len(b.CORS) == 1 {
			cors = &b.CORS[0]
		}
	}
	if client == nil || cors == nil {
		return fmt.Errorf("seed 004's file lacks the client %s/%s or the CORS rule of bucket %s", PoolName, ClientName, Bucket)
	}
	client.CallbackURLs, client.LogoutURLs = []string{origin}, []string{origin}
	cors.AllowedOrigins = []string{origin}
	return nil
}

// ProviderName is the identity-pool provider name of a user pool.
func ProviderName(region, userPoolID string) string {
	return "cognito-idp." + region + ".amazonaws.com/" + userPoolID
}

// IsCode reports whether err is an AWS error with one of the codes.
func IsCode(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}
