package app

import (
	"context"
	"fmt"
	"net/http"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/edge"
	"github.com/federa/federa/internal/gateway"
	"github.com/federa/federa/internal/gateway/gatewayapi"
	"github.com/federa/federa/internal/gateway/invokeapi"
	"github.com/federa/federa/internal/userpool"
)

// gatewayEndpoints builds the API Gateway: the management API (SigV4
// scope apigateway) and the invocation path (invoke URLs), which reads
// the APIs from the service, authorizes AWS_IAM methods with the same
// authorizer as every other API, and COGNITO_USER_POOLS methods with the
// user pools' tokens.
func (o Options) gatewayEndpoints(st gateway.Store, authz access.Authorizer, up *userpool.Service) (mgmt, invoke edge.Endpoint) {
	svc := gateway.New(st, gateway.Options{Region: o.Region, AccountID: o.AccountID, Now: o.Now})
	inv := gateway.NewInvoker(svc, authz, gatewayTokens{up}, gateway.InvokeOptions{Region: o.Region, AccountID: o.AccountID, Now: o.Now})
	h := invokeapi.New(inv, invokeapi.Options{Logger: o.Logger, Target: func(r *http.Request) (invokeapi.Target, bool) {
		t, ok := edge.InvokeTargetFrom(r.Context())
		return invokeapi.Target{APIID: t.APIID, Stage: t.Stage, Path: t.Path}, ok
	}})
	return gatewayapi.New(svc, authz), h
}

// gatewayTokens lets the invoker verify user pool tokens without
// importing the user pool service; a refused token becomes
// gateway.ErrInvalidToken (401), anything else a failure (500).
type gatewayTokens struct{ up *userpool.Service }

func (g gatewayTokens) VerifyIDToken(ctx context.Context, poolID, token string) (gateway.TokenClaims, error) {
	t, err := g.up.VerifyIDToken(ctx, poolID, token)
	if err != nil {
		return gateway.TokenClaims{}, refused(err)
	}
	return gateway.TokenClaims{Subject: t.Subject, Username: t.Username, Claims: t.Claims}, nil
}

func (g gatewayTokens) VerifyAccessToken(ctx context.Context, poolID, token string) (gateway.TokenClaims, error) {
	t, err := g.up.VerifyAccessToken(ctx, poolID, token)
	if err != nil {
		return gateway.TokenClaims{}, refused(err)
	}
	return gateway.TokenClaims{Subject: t.Subject, Username: t.Username, Scopes: t.Scopes, Claims: t.Claims}, nil
}

func refused(err error) error {
	if userpool.ErrNotAuthorized.Is(err) {
		return fmt.Errorf("%w: %v", gateway.ErrInvalidToken, err)
	}
	return err
}
