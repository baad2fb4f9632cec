package demo

import (
	"context"
	"errors"
	"fmt"

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
	AppOrigin        = "http://localhost:3000"
)

// Config says where federa is and which root key to use.
type Config struct {
	Endpoint, Region, AccountID  string
	AccessKeyID, SecretAccessKey string
}

// Result holds the ids of what Setup created or found.
type Result struct {
	Config
	UserPoolID, ClientID, IdentityPoolID, AuthRoleARN, PolicyARN string
}

// Setup creates the seed 004 example, or finds it when it exists already.
func Setup(ctx context.Context, c Config) (*Result, error) {
	cfg := aws.Config{
		Region:       c.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, ""),
		BaseEndpoint: aws.String(c.Endpoint),
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
	if r.ClientID, err = FindAppClient(ctx, idp, r.UserPoolID, ClientName); err != nil {
		return err
	}
	if r.ClientID == "" {
		out, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
			UserPoolId: &r.UserPoolID, ClientName: aws.String(ClientName),
			ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{ciptypes.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
				ciptypes.ExplicitAuthFlowsTypeAllowUserSrpAuth, ciptypes.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
			CallbackURLs: []string{AppOrigin}, LogoutURLs: []string{AppOrigin},
			AllowedOAuthFlows:               []ciptypes.OAuthFlowType{ciptypes.OAuthFlowTypeImplicit, ciptypes.OAuthFlowTypeCode},
			AllowedOAuthScopes:              []string{"openid", "email", "profile", "aws.cognito.signin.user.admin"},
			AllowedOAuthFlowsUserPoolClient: true,
			SupportedIdentityProviders:      []string{"COGNITO"},
		})
		if err != nil {
			return fmt.Errorf("create app client: %w", err)
		}
		r.ClientID = aws.ToString(out.UserPoolClient.ClientId)
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
			AllowedOrigins: []string{AppOrigin}, ExposeHeaders: []string{}}}}})
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
