package demo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
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

// Setup creates the seed 004 example, or finds it when it exists already.
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
	r := &Result{Config: c}
	idp := cip.NewFromConfig(cfg)
	steps := []func(context.Context) error{
		func(ctx context.Context) error { return r.userPool(ctx, idp) },
		func(ctx context.Context) error { return r.identityPool(ctx, ci.NewFromConfig(cfg)) },
		func(ctx context.Context) error { return r.role(ctx, iam.NewFromConfig(cfg)) },
		func(ctx context.Context) error { return r.setRoles(ctx, ci.NewFromConfig(cfg)) },
		func(ctx context.Context) error {
			return r.bucket(ctx, s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }))
		},
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *Result) userPool(ctx context.Context, idp *cip.Client) error {
	var err error
	if r.UserPoolID, err = EnsureUserPool(ctx, idp, PoolName); err != nil {
		return err
	}
	if err := r.verifyEmail(ctx, idp); err != nil {
		return err
	}
	if r.ClientID, err = FindAppClient(ctx, idp, r.UserPoolID, ClientName); err != nil {
		return err
	}
	if r.ClientID == "" {
		out, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
			UserPoolId: &r.UserPoolID, ClientName: aws.String(ClientName),
			ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{ciptypes.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
				ciptypes.ExplicitAuthFlowsTypeAllowUserSrpAuth, ciptypes.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
			CallbackURLs: []string{r.AppOrigin}, LogoutURLs: []string{r.AppOrigin},
			AllowedOAuthFlows:               []ciptypes.OAuthFlowType{ciptypes.OAuthFlowTypeImplicit, ciptypes.OAuthFlowTypeCode},
			AllowedOAuthScopes:              []string{"openid", "email", "profile", "aws.cognito.signin.user.admin"},
			AllowedOAuthFlowsUserPoolClient: true,
			SupportedIdentityProviders:      []string{"COGNITO"},
		})
		if err != nil {
			return fmt.Errorf("create app client: %w", err)
		}
		r.ClientID = aws.ToString(out.UserPoolClient.ClientId)
	} else if err := r.retargetClient(ctx, idp); err != nil {
		return err
	}
	if _, err := idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: &r.UserPoolID, Domain: aws.String(DomainPrefix)}); err != nil && !IsCode(err, "InvalidParameterException", "ResourceConflictException") {
		return fmt.Errorf("create user pool domain: %w", err)
	}
	_, err = idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &r.UserPoolID, Username: aws.String(Username)})
	if IsCode(err, "UserNotFoundException") {
		_, err = idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId: &r.UserPoolID, Username: aws.String(Username), MessageAction: ciptypes.MessageActionTypeSuppress,
			UserAttributes: []ciptypes.AttributeType{{Name: aws.String("email"), Value: aws.String("demo@example.com")},
				{Name: aws.String("email_verified"), Value: aws.String("true")}},
		})
		if err == nil {
			_, err = idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &r.UserPoolID,
				Username: aws.String(Username), Password: aws.String(Password), Permanent: true})
		}
	}
	if err != nil {
		return fmt.Errorf("demo user: %w", err)
	}
	return nil
}

// verifyEmail makes the pool send a code to the email address of each user
// who signs up (AutoVerifiedAttributes email), as seed 004's pool does, so
// that hosted-UI sign-up ends with a code to confirm. UpdateUserPool resets
// what it is not given, so the pool's other settings are carried over.
func (r *Result) verifyEmail(ctx context.Context, idp *cip.Client) error {
	d, err := idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &r.UserPoolID})
	if err != nil {
		return fmt.Errorf("describe user pool: %w", err)
	}
	p := d.UserPool
	if slices.Contains(p.AutoVerifiedAttributes, ciptypes.VerifiedAttributeTypeEmail) {
		return nil
	}
	_, err = idp.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{
		UserPoolId: &r.UserPoolID, PoolName: p.Name,
		AutoVerifiedAttributes: append(p.AutoVerifiedAttributes, ciptypes.VerifiedAttributeTypeEmail),
		Policies:               p.Policies, LambdaConfig: p.LambdaConfig, MfaConfiguration: p.MfaConfiguration,
		SmsVerificationMessage: p.SmsVerificationMessage, EmailVerificationMessage: p.EmailVerificationMessage,
		EmailVerificationSubject: p.EmailVerificationSubject, VerificationMessageTemplate: p.VerificationMessageTemplate,
		SmsAuthenticationMessage: p.SmsAuthenticationMessage, UserAttributeUpdateSettings: p.UserAttributeUpdateSettings,
		DeviceConfiguration: p.DeviceConfiguration, EmailConfiguration: p.EmailConfiguration, SmsConfiguration: p.SmsConfiguration,
		UserPoolTags: p.UserPoolTags, AdminCreateUserConfig: p.AdminCreateUserConfig, UserPoolAddOns: p.UserPoolAddOns,
		AccountRecoverySetting: p.AccountRecoverySetting, DeletionProtection: p.DeletionProtection, UserPoolTier: p.UserPoolTier,
	})
	if err != nil {
		return fmt.Errorf("turn on email verification: %w", err)
	}
	return nil
}

// retargetClient points an existing app client's callback and sign-out
// URLs at the app's origin, which moves when demo restarts with another
// --app-listen port. UpdateUserPoolClient resets every field it is not
// given, so the update carries the client's other settings over.
func (r *Result) retargetClient(ctx context.Context, idp *cip.Client) error {
	d, err := idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &r.UserPoolID, ClientId: &r.ClientID})
	if err != nil {
		return fmt.Errorf("describe app client: %w", err)
	}
	c := d.UserPoolClient
	want := []string{r.AppOrigin}
	if slices.Equal(c.CallbackURLs, want) && slices.Equal(c.LogoutURLs, want) {
		return nil
	}
	_, err = idp.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{
		UserPoolId: &r.UserPoolID, ClientId: &r.ClientID, ClientName: c.ClientName,
		CallbackURLs: want, LogoutURLs: want,
		ExplicitAuthFlows: c.ExplicitAuthFlows, AllowedOAuthFlows: c.AllowedOAuthFlows,
		AllowedOAuthScopes: c.AllowedOAuthScopes, AllowedOAuthFlowsUserPoolClient: aws.ToBool(c.AllowedOAuthFlowsUserPoolClient),
		SupportedIdentityProviders: c.SupportedIdentityProviders, ReadAttributes: c.ReadAttributes, WriteAttributes: c.WriteAttributes,
		RefreshTokenValidity: c.RefreshTokenValidity, AccessTokenValidity: c.AccessTokenValidity, IdTokenValidity: c.IdTokenValidity,
		TokenValidityUnits: c.TokenValidityUnits, PreventUserExistenceErrors: c.PreventUserExistenceErrors,
		EnableTokenRevocation: c.EnableTokenRevocation, EnablePropagateAdditionalUserContextData: c.EnablePropagateAdditionalUserContextData,
		AuthSessionValidity: c.AuthSessionValidity, RefreshTokenRotation: c.RefreshTokenRotation, AnalyticsConfiguration: c.AnalyticsConfiguration,
	})
	if err != nil {
		return fmt.Errorf("update app client URLs to %s: %w", r.AppOrigin, err)
	}
	return nil
}

func (r *Result) identityPool(ctx context.Context, c *ci.Client) error {
	pools, err := c.ListIdentityPools(ctx, &ci.ListIdentityPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil {
		return fmt.Errorf("list identity pools: %w", err)
	}
	for _, p := range pools.IdentityPools {
		if aws.ToString(p.IdentityPoolName) == IdentityPoolName {
			r.IdentityPoolID = aws.ToString(p.IdentityPoolId)
			return nil
		}
	}
	out, err := c.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{
		IdentityPoolName:               aws.String(IdentityPoolName),
		AllowUnauthenticatedIdentities: false,
		CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{
			ProviderName: aws.String(ProviderName(r.Region, r.UserPoolID)), ClientId: aws.String(r.ClientID)}},
	})
	if err != nil {
		return fmt.Errorf("create identity pool: %w", err)
	}
	r.IdentityPoolID = aws.ToString(out.IdentityPoolId)
	return nil
}

func (r *Result) role(ctx context.Context, c *iam.Client) error {
	var err error
	r.AuthRoleARN, err = EnsureRole(ctx, c, r.AccountID, AuthRoleName, TrustPolicy(r.IdentityPoolID), PolicyName, PerIdentityPolicy(Bucket))
	r.PolicyARN = "arn:aws:iam::" + r.AccountID + ":policy/" + PolicyName
	return err
}

func (r *Result) setRoles(ctx context.Context, c *ci.Client) error {
	_, err := c.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: &r.IdentityPoolID,
		Roles: map[string]string{"authenticated": r.AuthRoleARN}})
	if err != nil {
		return fmt.Errorf("set identity pool roles: %w", err)
	}
	return nil
}

func (r *Result) bucket(ctx context.Context, c *s3.Client) error {
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(Bucket)}); err != nil && !IsCode(err, "BucketAlreadyOwnedByYou") {
		return fmt.Errorf("create bucket: %w", err)
	}
	_, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(Bucket), CORSConfiguration: &s3types.CORSConfiguration{
		CORSRules: []s3types.CORSRule{{AllowedHeaders: []string{"*"}, AllowedMethods: []string{"GET", "PUT", "POST", "DELETE"},
			AllowedOrigins: []string{r.AppOrigin}, ExposeHeaders: []string{}}}}})
	if err != nil {
		return fmt.Errorf("bucket CORS: %w", err)
	}
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
