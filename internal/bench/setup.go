package bench

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/federa/federa/internal/demo"
)

// Names of the benchmark's resources; a second run finds the first's.
const (
	poolName          = "federa-bench"
	clientName        = "federa-bench"
	identityPoolName  = "federa_bench"
	developerProvider = "bench.federa.invalid"
	roleName          = "federa-bench-auth"
	policyName        = "federa-bench-per-identity"
	bucketName        = "federa-bench"
	userPassword      = "Bench-passw0rd!"
)

// env is what every scenario shares: SDK configurations, the resources'
// ids, and the users signed in so far.
type env struct {
	opts                       Options
	root, anon                 aws.Config
	account                    string
	poolID, clientID, idPoolID string
	roleARN                    string
	users                      map[string]*user
}

// user is a user pool user with what signing in gave it.
type user struct {
	name                  string
	idToken, refreshToken string
	identityID            string
	creds                 aws.Credentials
}

// newEnv builds SDK configurations that share one HTTP transport with an
// idle connection for every worker (the SDK's default keeps ten per host,
// which makes more workers than that dial anew for most requests) and no
// retries.
func newEnv(o Options) *env {
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = 2*o.Concurrency + 16
		t.MaxIdleConnsPerHost = 2*o.Concurrency + 16
	}).WithTimeout(5 * time.Minute)
	base := aws.Config{
		Region:       o.Region,
		BaseEndpoint: aws.String(o.Endpoint),
		HTTPClient:   hc,
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
	e := &env{opts: o, anon: base, root: base, users: map[string]*user{}}
	e.anon.Credentials = aws.AnonymousCredentials{}
	e.root.Credentials = credentials.NewStaticCredentialsProvider(o.AccessKeyID, o.SecretAccessKey, "")
	return e
}

func (e *env) idp() *cip.Client { return cip.NewFromConfig(e.anon) }
func (e *env) ci() *ci.Client   { return ci.NewFromConfig(e.anon) }

// s3For is an S3 client signing with c (path-style, as the seeds use it).
func (e *env) s3For(c aws.Credentials) *s3.Client {
	cfg := e.root.Copy()
	cfg.Credentials = credentials.StaticCredentialsProvider{Value: c}
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

func (e *env) rootS3() *s3.Client {
	return s3.NewFromConfig(e.root, func(o *s3.Options) { o.UsePathStyle = true })
}

// setUp finds or creates the benchmark's resources. Against the floor it
// only names them.
func (e *env) setUp(ctx context.Context) error {
	if e.opts.Floor {
		e.account, e.poolID, e.clientID = "000000000000", e.opts.Region+"_Floor0000", "floorclient0000000000000000"
		e.idPoolID = e.opts.Region + ":00000000-0000-4000-8000-000000000000"
		return nil
	}
	who, err := sts.NewFromConfig(e.root).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("the root key does not work against %s: %w", e.opts.Endpoint, err)
	}
	e.account = aws.ToString(who.Account)
	for _, step := range []func(context.Context) error{e.userPool, e.identityPool, e.role, e.bucket} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (e *env) userPool(ctx context.Context) error {
	idp := cip.NewFromConfig(e.root)
	var err error
	if e.poolID, err = demo.EnsureUserPool(ctx, idp, poolName); err != nil {
		return err
	}
	if e.clientID, err = demo.FindAppClient(ctx, idp, e.poolID, clientName); err != nil || e.clientID != "" {
		return err
	}
	out, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: &e.poolID, ClientName: aws.String(clientName),
		ExplicitAuthFlows: []ciptypes.ExplicitAuthFlowsType{ciptypes.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			ciptypes.ExplicitAuthFlowsTypeAllowUserSrpAuth, ciptypes.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		return fmt.Errorf("create app client: %w", err)
	}
	e.clientID = aws.ToString(out.UserPoolClient.ClientId)
	return nil
}

func (e *env) providerName() string { return demo.ProviderName(e.opts.Region, e.poolID) }

func (e *env) identityPool(ctx context.Context) error {
	c := ci.NewFromConfig(e.root)
	pools, err := c.ListIdentityPools(ctx, &ci.ListIdentityPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil {
		return fmt.Errorf("list identity pools: %w", err)
	}
	for _, p := range pools.IdentityPools {
		if aws.ToString(p.IdentityPoolName) == identityPoolName {
			e.idPoolID = aws.ToString(p.IdentityPoolId)
		}
	}
	providers := []citypes.CognitoIdentityProvider{{ProviderName: aws.String(e.providerName()), ClientId: aws.String(e.clientID)}}
	if e.idPoolID != "" {
		// The user pool may be new (a data directory wiped and kept the
		// pool's name elsewhere), so the pool is pointed at it again.
		_, err = c.UpdateIdentityPool(ctx, &ci.UpdateIdentityPoolInput{IdentityPoolId: &e.idPoolID,
			IdentityPoolName: aws.String(identityPoolName), DeveloperProviderName: aws.String(developerProvider),
			CognitoIdentityProviders: providers})
		if err != nil {
			return fmt.Errorf("update identity pool: %w", err)
		}
		return nil
	}
	out, err := c.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{
		IdentityPoolName: aws.String(identityPoolName), DeveloperProviderName: aws.String(developerProvider),
		CognitoIdentityProviders: providers,
	})
	if err != nil {
		return fmt.Errorf("create identity pool: %w", err)
	}
	e.idPoolID = aws.ToString(out.IdentityPoolId)
	return nil
}

func (e *env) role(ctx context.Context) error {
	var err error
	e.roleARN, err = demo.EnsureRole(ctx, iam.NewFromConfig(e.root), e.account, roleName, demo.TrustPolicy(e.idPoolID),
		policyName, demo.PerIdentityPolicy(bucketName))
	if err != nil {
		return err
	}
	_, err = ci.NewFromConfig(e.root).SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: &e.idPoolID,
		Roles: map[string]string{"authenticated": e.roleARN}})
	if err != nil {
		return fmt.Errorf("set identity pool roles: %w", err)
	}
	return nil
}

func (e *env) bucket(ctx context.Context) error {
	_, err := e.rootS3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucketName)})
	if err != nil && !isCode(err, "BucketAlreadyOwnedByYou") {
		return fmt.Errorf("create bucket: %w", err)
	}
	return nil
}

// ensureUser creates a user with the benchmark's password unless it exists.
func (e *env) ensureUser(ctx context.Context, idp *cip.Client, name string) error {
	if e.opts.Floor {
		return nil
	}
	_, err := idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &e.poolID, Username: &name})
	if err == nil || !isCode(err, "UserNotFoundException") {
		return err
	}
	_, err = idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &e.poolID, Username: &name,
		MessageAction: ciptypes.MessageActionTypeSuppress})
	if err != nil && !isCode(err, "UsernameExistsException") {
		return fmt.Errorf("create user %s: %w", name, err)
	}
	_, err = idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &e.poolID, Username: &name,
		Password: aws.String(userPassword), Permanent: true})
	if err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	return nil
}

// signedIn returns the worker's user, created and signed in with a
// password, with its identity and credentials when withCredentials.
func (e *env) signedIn(ctx context.Context, name string, withCredentials bool) (*user, error) {
	if u, ok := e.users[name]; ok && (!withCredentials || u.identityID != "") {
		return u, nil
	}
	if err := e.ensureUser(ctx, cip.NewFromConfig(e.root), name); err != nil {
		return nil, err
	}
	out, err := e.idp().InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &e.clientID, AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": userPassword}})
	if err != nil {
		return nil, fmt.Errorf("sign in %s: %w", name, err)
	}
	if out.AuthenticationResult == nil {
		return nil, fmt.Errorf("sign in %s: a challenge (%s) instead of tokens", name, out.ChallengeName)
	}
	u := &user{name: name, idToken: aws.ToString(out.AuthenticationResult.IdToken),
		refreshToken: aws.ToString(out.AuthenticationResult.RefreshToken)}
	e.users[name] = u
	if withCredentials {
		logins := map[string]string{e.providerName(): u.idToken}
		id, err := e.ci().GetId(ctx, &ci.GetIdInput{IdentityPoolId: &e.idPoolID, Logins: logins})
		if err != nil {
			return nil, fmt.Errorf("GetId for %s: %w", name, err)
		}
		u.identityID = aws.ToString(id.IdentityId)
		cr, err := e.ci().GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
		if err != nil {
			return nil, fmt.Errorf("GetCredentialsForIdentity for %s: %w", name, err)
		}
		u.creds = aws.Credentials{AccessKeyID: aws.ToString(cr.Credentials.AccessKeyId), SecretAccessKey: aws.ToString(cr.Credentials.SecretKey),
			SessionToken: aws.ToString(cr.Credentials.SessionToken), Source: "federa bench", CanExpire: true,
			Expires: aws.ToTime(cr.Credentials.Expiration)}
	}
	return u, nil
}

func isCode(err error, codes ...string) bool { return demo.IsCode(err, codes...) }
