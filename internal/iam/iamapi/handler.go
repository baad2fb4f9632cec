package iamapi

import (
	"context"
	"net/http"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/protocol/awsquery"
)

// Namespace is the xmlns of IAM responses.
const Namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

var (
	errMissingAuth  = awserr.Code("MissingAuthenticationToken", http.StatusForbidden)
	errAccessDenied = awserr.Code("AccessDenied", http.StatusForbidden)
	errValidation   = awserr.Code("ValidationError", http.StatusBadRequest)
)

// New returns the IAM endpoint. Every action needs a signed caller whose
// policies allow iam:<Action>.
func New(svc *iam.Service, authz access.Authorizer) *awsquery.Service {
	a := api{svc}
	return &awsquery.Service{
		Namespace: Namespace,
		Ops: awsquery.Table(
			op("CreateRole", a.createRole),
			op("GetRole", a.getRole),
			op("ListRoles", a.listRoles),
			op("UpdateRole", a.updateRole),
			op("UpdateAssumeRolePolicy", a.updateAssumeRolePolicy),
			op("DeleteRole", a.deleteRole),
			op("PutRolePolicy", a.putRolePolicy),
			op("GetRolePolicy", a.getRolePolicy),
			op("DeleteRolePolicy", a.deleteRolePolicy),
			op("ListRolePolicies", a.listRolePolicies),
			op("AttachRolePolicy", a.attachRolePolicy),
			op("DetachRolePolicy", a.detachRolePolicy),
			op("ListAttachedRolePolicies", a.listAttachedRolePolicies),
			op("CreatePolicy", a.createPolicy),
			op("GetPolicy", a.getPolicy),
			op("GetPolicyVersion", a.getPolicyVersion),
			op("ListPolicies", a.listPolicies),
			op("DeletePolicy", a.deletePolicy),
			op("PutRolePermissionsBoundary", a.putRolePermissionsBoundary),
			op("DeleteRolePermissionsBoundary", a.deleteRolePermissionsBoundary),
			op("CreateOpenIDConnectProvider", a.createOpenIDConnectProvider),
			op("GetOpenIDConnectProvider", a.getOpenIDConnectProvider),
			op("ListOpenIDConnectProviders", a.listOpenIDConnectProviders),
			op("DeleteOpenIDConnectProvider", a.deleteOpenIDConnectProvider),
			op("AddClientIDToOpenIDConnectProvider", a.addClientIDToOpenIDConnectProvider),
			op("RemoveClientIDFromOpenIDConnectProvider", a.removeClientIDFromOpenIDConnectProvider),
			op("UpdateOpenIDConnectProviderThumbprint", a.updateOpenIDConnectProviderThumbprint),
			op("SimulatePrincipalPolicy", a.simulatePrincipalPolicy),
			op("SimulateCustomPolicy", a.simulateCustomPolicy),
		),
		Before: func(ctx context.Context, o awsquery.Operation) error {
			// IAM actions are authorized on "*": federa's role and policy
			// ARNs are all in the one account, and the seeds grant IAM
			// access, if at all, account-wide.
			return access.Require(ctx, authz, "iam:"+o.Name, "*",
				errMissingAuth.New("Request is missing Authentication Token"),
				func(msg string) error { return errAccessDenied.New("%s", msg) })
		},
	}
}

func op(name string, fn func(context.Context, awsquery.Values) (any, error)) awsquery.Operation {
	return awsquery.Operation{Name: name, Auth: awsquery.SigV4, Fn: fn}
}

type api struct{ svc *iam.Service }

// required returns the named parameters, or the ValidationError IAM answers
// for the first one missing.
func required(q awsquery.Values, names ...string) ([]string, error) {
	out := make([]string, len(names))
	for i, name := range names {
		if !q.Has(name) {
			return nil, errValidation.New("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(name))
		}
		out[i] = q.Get(name)
	}
	return out, nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// paging reads Marker and MaxItems.
func paging(q awsquery.Values) (marker string, max int, err error) {
	n, ok, err := q.Int("MaxItems")
	if err != nil || (ok && (n < 1 || n > 1000)) {
		return "", 0, errValidation.New("1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000", q.Get("MaxItems"))
	}
	return q.Get("Marker"), n, nil
}
