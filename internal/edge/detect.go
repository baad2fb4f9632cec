package edge

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/federa/federa/internal/protocol/awsquery"
)

// Service names the destination of a request.
type Service int

// The services behind the one listener.
const (
	S3 Service = iota
	CognitoIDP
	CognitoIdentity
	STS
	IAM
	WellKnown
	HostedUI
	// Federa is federa's own administrative API (X-Amz-Target
	// FederaAdmin.*, SigV4 service "federa"), e.g. ListAuditEvents.
	Federa
	// Gateway is the API Gateway management API (SigV4 service
	// "apigateway": CreateRestApi, PutMethod, CreateDeployment, …).
	Gateway
	// ExecuteAPI is an invocation of one of the gateway's APIs, found by
	// its URL (executeapi.go); signed ones use SigV4 service
	// "execute-api".
	ExecuteAPI
)

var serviceNames = [...]string{"s3", "cognito-idp", "cognito-identity", "sts", "iam", "well-known", "hosted-ui", "federa", "apigateway", "execute-api"}

// FederaTargetPrefix is the X-Amz-Target prefix of federa's own API.
const FederaTargetPrefix = "FederaAdmin"

// String returns the SigV4 service name (credential scope) of s.
func (s Service) String() string { return serviceNames[s] }

// wellKnownPath matches /<userPoolId>/.well-known/… and the identity pools'
// /_cognito-identity/.well-known/…; both contain '_', which no bucket name
// may, so the paths cannot shadow a bucket.
var wellKnownPath = regexp.MustCompile(`^/([a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+|_cognito-identity)/\.well-known/`)

// unsignedSTSActions are the STS actions AWS accepts without a signature.
var unsignedSTSActions = map[string]bool{"AssumeRoleWithWebIdentity": true, "AssumeRoleWithSAML": true}

// Detect decides which service r is for, in the order STYLE.md fixes: fixed
// paths, X-Amz-Target, the SigV4 credential scope, the form Action of unsigned
// STS calls, then S3. scope is the credential scope's service ("" when the
// request is unsigned).
func Detect(r *http.Request, scope string) Service {
	svc, _ := detect(r, scope)
	return svc
}

// detect is Detect that also returns the form's Action when it had to
// read the form of an unsigned request (so that the edge need not read it
// again to name the operation).
func detect(r *http.Request, scope string) (Service, string) {
	if wellKnownPath.MatchString(r.URL.Path) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		return WellKnown, ""
	}
	switch t := r.Header.Get("X-Amz-Target"); {
	case strings.HasPrefix(t, "AWSCognitoIdentityProviderService."):
		return CognitoIDP, ""
	case strings.HasPrefix(t, "AWSCognitoIdentityService."):
		return CognitoIdentity, ""
	case strings.HasPrefix(t, FederaTargetPrefix+"."):
		return Federa, ""
	}
	switch scope {
	case "sts":
		return STS, ""
	case "iam":
		return IAM, ""
	case "cognito-idp":
		return CognitoIDP, ""
	case "cognito-identity":
		return CognitoIdentity, ""
	case "federa":
		return Federa, ""
	case "apigateway":
		return Gateway, ""
	case "s3":
		return S3, ""
	}
	if scope == "" && r.Method == http.MethodPost && r.URL.Path == "/" && isForm(r) {
		// Reading the form restores the body, so S3 still sees it when the
		// request turns out not to be STS.
		if vals, err := awsquery.ParseForm(r, awsquery.DefaultMaxBody); err == nil && vals.Get("Action") != "" {
			action := vals.Get("Action")
			// An unsigned Query call names its API by Version; routing it
			// there lets the API answer MissingAuthenticationToken itself.
			switch vals.Get("Version") {
			case "2011-06-15":
				return STS, action
			case "2010-05-08":
				return IAM, action
			}
			if unsignedSTSActions[action] {
				return STS, action
			}
		}
	}
	return S3, ""
}

func isForm(r *http.Request) bool {
	return strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "application/x-www-form-urlencoded")
}
