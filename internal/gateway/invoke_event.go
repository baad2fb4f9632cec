package gateway

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/federa/federa/internal/access"
)

// Identity is requestContext.identity of the proxy event: who called. For
// an identity pool session the cognito fields come from the session's
// condition keys (cognito-identity.amazonaws.com:sub, :aud, :amr), as API
// Gateway fills them from the Cognito credentials.
type Identity struct {
	CognitoIdentityPoolID         string  `json:"cognitoIdentityPoolId"`
	AccountID                     *string `json:"accountId"`
	CognitoIdentityID             string  `json:"cognitoIdentityId"`
	Caller                        string  `json:"caller"`
	SourceIP                      string  `json:"sourceIp"`
	Principal                     string  `json:"principalOrgId"`
	AccessKey                     string  `json:"accessKey"`
	CognitoAuthenticationType     string  `json:"cognitoAuthenticationType"`
	CognitoAuthenticationProvider string  `json:"cognitoAuthenticationProvider"`
	UserArn                       string  `json:"userArn"`
	UserAgent                     string  `json:"userAgent"`
	User                          string  `json:"user"`
}

const cognitoIdentity = "cognito-identity.amazonaws.com"

// fromPrincipal fills the caller's fields from a signed request's
// principal.
func (id *Identity) fromPrincipal(p *access.Principal) {
	acct := p.Account
	id.AccountID = &acct
	id.UserArn, id.User, id.Caller, id.AccessKey = p.ARN, p.UserID, p.UserID, p.AccessKeyID
	if p.Kind == access.Root {
		id.User, id.Caller = p.Account, p.Account
	}
	if v := p.Context[cognitoIdentity+":sub"]; len(v) > 0 {
		id.CognitoIdentityID = v[0]
	}
	if v := p.Context[cognitoIdentity+":aud"]; len(v) > 0 {
		id.CognitoIdentityPoolID = v[0]
	}
	// amr is ["authenticated", "cognito-idp.<region>.amazonaws.com/<pool>",
	// "cognito-idp.<region>.amazonaws.com/<pool>:CognitoSignIn:<sub>"] for a
	// signed-in user, ["unauthenticated"] for a guest; API Gateway sends the
	// first as the type and joins the rest with "," as the provider.
	if amr := p.Context[cognitoIdentity+":amr"]; len(amr) > 0 {
		id.CognitoAuthenticationType = amr[0]
		id.CognitoAuthenticationProvider = strings.Join(amr[1:], ",")
	}
}

// ProxyEvent is the Lambda proxy integration's input, payload version 1.0
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format).
type ProxyEvent struct {
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	RequestContext                  RequestContext      `json:"requestContext"`
	Body                            *string             `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

// RequestContext is the event's requestContext.
type RequestContext struct {
	AccountID        string           `json:"accountId"`
	APIID            string           `json:"apiId"`
	Stage            string           `json:"stage"`
	ResourceID       string           `json:"resourceId"`
	ResourcePath     string           `json:"resourcePath"`
	HTTPMethod       string           `json:"httpMethod"`
	RequestID        string           `json:"requestId"`
	ExtendedID       string           `json:"extendedRequestId"`
	Path             string           `json:"path"`
	Protocol         string           `json:"protocol"`
	RequestTime      string           `json:"requestTime"`
	RequestTimeEpoch int64            `json:"requestTimeEpoch"`
	DomainName       string           `json:"domainName"`
	Identity         Identity         `json:"identity"`
	Authorizer       *EventAuthorizer `json:"authorizer,omitempty"`
}

// EventAuthorizer is requestContext.authorizer: the user pool token's
// claims, every value a string as API Gateway sends them.
type EventAuthorizer struct {
	Claims map[string]string `json:"claims"`
}

// EventInput is what BuildEvent needs beyond the plan and the request.
type EventInput struct {
	// FullPath is the path as the client sent it (with the stage for the
	// host form), the event's requestContext.path.
	FullPath   string
	DomainName string
	Protocol   string
	Body       []byte
}

// BuildEvent builds the proxy event of a planned request.
func (iv *Invoker) BuildEvent(p *Plan, req *InvokeRequest, in EventInput) *ProxyEvent {
	now := iv.o.Now().UTC()
	ev := &ProxyEvent{
		Resource: p.Resource.Path, Path: req.Path, HTTPMethod: req.Method,
		StageVariables: nilIfEmpty(p.Stage.Variables),
		PathParameters: nilIfEmpty(p.PathParams),
	}
	if len(req.Header) > 0 {
		ev.Headers, ev.MultiValueHeaders = map[string]string{}, map[string][]string{}
		for k, v := range req.Header {
			if len(v) == 0 {
				continue
			}
			ev.Headers[k] = v[len(v)-1] // the last value, as API Gateway
			ev.MultiValueHeaders[k] = v
		}
	}
	if len(req.Query) > 0 {
		ev.QueryStringParameters, ev.MultiValueQueryStringParameters = map[string]string{}, map[string][]string{}
		for k, v := range req.Query {
			if len(v) == 0 {
				continue
			}
			ev.QueryStringParameters[k] = v[len(v)-1]
			ev.MultiValueQueryStringParameters[k] = v
		}
	}
	if len(in.Body) > 0 {
		var s string
		if utf8.Valid(in.Body) && !strings.ContainsRune(string(in.Body), 0) {
			s = string(in.Body)
		} else {
			s, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(in.Body), true
		}
		ev.Body = &s
	}
	ev.RequestContext = RequestContext{
		AccountID: iv.o.AccountID, APIID: p.API.ID, Stage: p.Stage.StageName, ResourceID: p.Resource.ID,
		ResourcePath: p.Resource.Path, HTTPMethod: req.Method, RequestID: req.RequestID, ExtendedID: req.RequestID,
		Path: in.FullPath, Protocol: in.Protocol, DomainName: in.DomainName,
		RequestTime: now.Format("02/Jan/2006:15:04:05 -0700"), RequestTimeEpoch: now.UnixMilli(),
		Identity: p.Identity,
	}
	if p.Claims != nil {
		ev.RequestContext.Authorizer = &EventAuthorizer{Claims: stringClaims(p.Claims)}
	}
	return ev
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// stringClaims renders claims as strings: numbers without exponent,
// lists joined by spaces (API Gateway REST APIs flatten claims so).
func stringClaims(c map[string]any) map[string]string {
	out := make(map[string]string, len(c))
	for k, v := range c {
		switch v := v.(type) {
		case string:
			out[k] = v
		case float64:
			out[k] = strconv.FormatFloat(v, 'f', -1, 64)
		case []any:
			parts := make([]string, len(v))
			for i, x := range v {
				parts[i] = fmt.Sprint(x)
			}
			out[k] = strings.Join(parts, " ")
		default:
			b, _ := json.Marshal(v)
			out[k] = string(b)
		}
	}
	return out
}

// ProxyResult is the Lambda proxy integration's output.
type ProxyResult struct {
	StatusCode        int
	Headers           map[string]string
	MultiValueHeaders map[string][]string
	// Body is decoded from base64 when isBase64Encoded was set.
	Body []byte
}

// ParseProxyResult reads a proxy result; a malformed one is an error (API
// Gateway answers it with 502 "Internal server error").
func ParseProxyResult(b []byte) (*ProxyResult, error) {
	var raw struct {
		StatusCode        *json.Number        `json:"statusCode"`
		Headers           map[string]string   `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		Body              *string             `json:"body"`
		IsBase64Encoded   bool                `json:"isBase64Encoded"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("malformed Lambda proxy response: %w", err)
	}
	if raw.StatusCode == nil {
		return nil, errors.New("malformed Lambda proxy response: no statusCode")
	}
	code, err := strconv.Atoi(raw.StatusCode.String())
	if err != nil || code < 100 || code > 599 {
		return nil, fmt.Errorf("malformed Lambda proxy response: statusCode %s", raw.StatusCode)
	}
	r := &ProxyResult{StatusCode: code, Headers: raw.Headers, MultiValueHeaders: raw.MultiValueHeaders}
	if raw.Body != nil {
		r.Body = []byte(*raw.Body)
		if raw.IsBase64Encoded {
			if r.Body, err = base64.StdEncoding.DecodeString(*raw.Body); err != nil {
				return nil, fmt.Errorf("malformed Lambda proxy response: body is not base64: %w", err)
			}
		}
	}
	return r, nil
}

// Identity headers sent to HTTP_PROXY upstreams: the caller federa
// verified, so a plain HTTP service can trust them when only federa can
// reach it. Client-sent headers with these names are removed first.
const (
	HeaderIdentityID     = "X-Federa-Cognito-Identity-Id"
	HeaderIdentityPoolID = "X-Federa-Cognito-Identity-Pool-Id"
	HeaderAuthType       = "X-Federa-Cognito-Authentication-Type"
	HeaderAuthProvider   = "X-Federa-Cognito-Authentication-Provider"
	HeaderUserArn        = "X-Federa-User-Arn"
	HeaderCaller         = "X-Federa-Caller"
	HeaderAccountID      = "X-Federa-Account-Id"
	HeaderSourceIP       = "X-Federa-Source-Ip"
	HeaderRequestID      = "X-Federa-Request-Id"
	HeaderStage          = "X-Federa-Stage"
	HeaderClaimSub       = "X-Federa-Claim-Sub"
	HeaderClaimUsername  = "X-Federa-Claim-Cognito-Username"
	// HeaderPrefix starts every identity header.
	HeaderPrefix = "X-Federa-"
)

// IdentityHeaders are the headers an HTTP_PROXY upstream gets about the
// caller; empty values are left out.
func IdentityHeaders(p *Plan, requestID string) map[string]string {
	h := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			h[k] = v
		}
	}
	id := p.Identity
	set(HeaderIdentityID, id.CognitoIdentityID)
	set(HeaderIdentityPoolID, id.CognitoIdentityPoolID)
	set(HeaderAuthType, id.CognitoAuthenticationType)
	set(HeaderAuthProvider, id.CognitoAuthenticationProvider)
	set(HeaderUserArn, id.UserArn)
	set(HeaderCaller, id.Caller)
	if id.AccountID != nil {
		set(HeaderAccountID, *id.AccountID)
	}
	set(HeaderSourceIP, id.SourceIP)
	set(HeaderRequestID, requestID)
	if p.Stage != nil {
		set(HeaderStage, p.Stage.StageName)
	}
	if p.Claims != nil {
		c := stringClaims(p.Claims)
		set(HeaderClaimSub, c["sub"])
		set(HeaderClaimUsername, c["cognito:username"])
		if h[HeaderClaimUsername] == "" {
			set(HeaderClaimUsername, c["username"])
		}
	}
	return h
}
