// Package stsapi serves the STS Query API over the sts service. For now it
// answers GetCallerIdentity; AssumeRoleWithWebIdentity and the other actions
// come with issue 5.
package stsapi

import (
	"context"
	"net/http"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/protocol/awsquery"
	"github.com/federa/federa/internal/sts"
)

// Namespace is the xmlns of STS responses.
const Namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

var errMissingAuth = awserr.Code("MissingAuthenticationToken", http.StatusForbidden)

// New returns the STS endpoint.
func New(svc *sts.Service) *awsquery.Service {
	_ = svc // the actions of issue 5 call it
	return &awsquery.Service{
		Namespace: Namespace,
		Ops: awsquery.Table(
			awsquery.Operation{Name: "GetCallerIdentity", Auth: awsquery.SigV4, Fn: getCallerIdentity},
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
