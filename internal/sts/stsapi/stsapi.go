// Package stsapi serves the STS Query API over the sts service:
// GetCallerIdentity and AssumeRoleWithWebIdentity.
package stsapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/protocol/awsquery"
	"github.com/federa/federa/internal/sts"
)

// Namespace is the xmlns of STS responses.
const Namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

var (
	errMissingAuth = awserr.Code("MissingAuthenticationToken", http.StatusForbidden)
	errValidation  = awserr.Code("ValidationError", http.StatusBadRequest)
)

type api struct {
	svc   *sts.Service
	authz access.Authorizer
}

// New returns the STS endpoint.
func New(svc *sts.Service, authz access.Authorizer) *awsquery.Service {
	a := api{svc, authz}
	return &awsquery.Service{
		Namespace: Namespace,
		Ops: awsquery.Table(
			awsquery.Operation{Name: "GetCallerIdentity", Auth: awsquery.SigV4, Fn: getCallerIdentity},
			awsquery.Operation{Name: "AssumeRoleWithWebIdentity", Auth: awsquery.None, Fn: a.assumeRoleWithWebIdentity},
			awsquery.Operation{Name: "AssumeRole", Auth: awsquery.SigV4, Fn: a.assumeRole},
		),
		Before: func(ctx context.Context, o awsquery.Operation) error {
			if o.Auth == awsquery.SigV4 && access.FromContext(ctx).Kind == access.Anonymous {
				return errMissingAuth.New("Request is missing Authentication Token")
			}
			return nil
		},
	}
}

type callerIdentity struct {
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
	Arn     string `xml:"Arn"`
}

// getCallerIdentity needs no permission, as on AWS: it tells the caller who
// its credentials say it is.
func getCallerIdentity(ctx context.Context, _ awsquery.Values) (any, error) {
	p := access.FromContext(ctx)
	return callerIdentity{UserID: p.UserID, Account: p.Account, Arn: p.ARN}, nil
}

type credentialsXML struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

type assumedRoleUserXML struct {
	Arn           string `xml:"Arn"`
	AssumedRoleID string `xml:"AssumedRoleId"`
}

func toCredentialsXML(c sts.Credentials) credentialsXML {
	return credentialsXML{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Expiration: c.Expiration.UTC().Format("2006-01-02T15:04:05Z")}
}

func toAssumedRoleUserXML(u sts.AssumedRoleUser) assumedRoleUserXML {
	return assumedRoleUserXML{Arn: u.ARN, AssumedRoleID: u.AssumedRoleID}
}

type assumeRoleWithWebIdentityResult struct {
	SubjectFromWebIdentityToken string             `xml:"SubjectFromWebIdentityToken"`
	Audience                    string             `xml:"Audience"`
	AssumedRoleUser             assumedRoleUserXML `xml:"AssumedRoleUser"`
	Credentials                 credentialsXML     `xml:"Credentials"`
	Provider                    string             `xml:"Provider"`
}

// assumeRoleWithWebIdentity needs no signature: the web identity token is
// the credential.
func (a api) assumeRoleWithWebIdentity(ctx context.Context, q awsquery.Values) (any, error) {
	common, err := assumeParams(q, "RoleArn", "RoleSessionName", "WebIdentityToken")
	if err != nil {
		return nil, err
	}
	out, err := a.svc.AssumeRoleWithWebIdentity(ctx, sts.AssumeRoleWithWebIdentityInput{
		RoleARN: common.RoleARN, RoleSessionName: common.RoleSessionName, WebIdentityToken: q.Get("WebIdentityToken"),
		DurationSeconds: common.DurationSeconds, Policy: common.Policy, PolicyARNs: common.PolicyARNs,
	})
	if err != nil {
		return nil, err
	}
	return assumeRoleWithWebIdentityResult{
		SubjectFromWebIdentityToken: out.Identity.Subject, Audience: out.Identity.Audience, Provider: out.Identity.Issuer,
		AssumedRoleUser: toAssumedRoleUserXML(out.AssumedRoleUser),
		Credentials:     toCredentialsXML(out.Credentials),
	}, nil
}

// assumeParams checks the required members and reads the parameters every
// AssumeRole* action shares.
func assumeParams(q awsquery.Values, required ...string) (sts.AssumeRoleInput, error) {
	for _, name := range required {
		if !q.Has(name) {
			return sts.AssumeRoleInput{}, errValidation.New("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(name))
		}
	}
	d, _, err := q.Int("DurationSeconds")
	if err != nil {
		return sts.AssumeRoleInput{}, errValidation.New("DurationSeconds must be a number of seconds, not %q.", q.Get("DurationSeconds"))
	}
	var arns []string
	for _, m := range q.Members("PolicyArns") {
		arns = append(arns, m.Get("arn"))
	}
	return sts.AssumeRoleInput{RoleARN: q.Get("RoleArn"), RoleSessionName: q.Get("RoleSessionName"),
		DurationSeconds: d, Policy: q.Get("Policy"), PolicyARNs: arns}, nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

type assumeRoleResult struct {
	AssumedRoleUser assumedRoleUserXML `xml:"AssumedRoleUser"`
	Credentials     credentialsXML     `xml:"Credentials"`
}

func (a api) assumeRole(ctx context.Context, q awsquery.Values) (any, error) {
	in, err := assumeParams(q, "RoleArn", "RoleSessionName")
	if err != nil {
		return nil, err
	}
	c, user, err := a.svc.AssumeRole(ctx, access.FromContext(ctx), in, a.authz)
	if err != nil {
		return nil, err
	}
	return assumeRoleResult{AssumedRoleUser: toAssumedRoleUserXML(user), Credentials: toCredentialsXML(c)}, nil
}
