// Package auditapi serves federa's own administrative JSON 1.1 API
// (X-Amz-Target: FederaAdmin.*, SigV4 service "federa"), which holds
// ListAuditEvents: `federa audit` reads the audit log through it, signed
// like any AWS call, so that it works against a remote, multi-node
// deployment without access to the database.
//
// auditapi imports the audit service, protocol/awsjson, access and awserr;
// never the store.
package auditapi

import (
	"context"
	"net/http"

	"github.com/federa/federa/internal/access"
	"github.com/federa/federa/internal/audit"
	"github.com/federa/federa/internal/awserr"
	"github.com/federa/federa/internal/protocol/awsjson"
)

// TargetPrefix is the X-Amz-Target prefix of the API (edge routes it by
// the same name).
const TargetPrefix = "FederaAdmin"

var (
	errMissingAuth  = awserr.Code("MissingAuthenticationTokenException", http.StatusBadRequest)
	errAccessDenied = awserr.Code("AccessDeniedException", http.StatusBadRequest)
)

// New returns the endpoint. Every operation needs a signed caller allowed
// federa:<Operation> (the root key always is; a role needs a policy
// granting, say, federa:ListAuditEvents): the audit log shows who did
// what, which is itself sensitive.
func New(log *audit.Log, authz access.Authorizer) *awsjson.Service {
	return &awsjson.Service{
		TargetPrefix: TargetPrefix,
		Ops: awsjson.Table(
			awsjson.Op("ListAuditEvents", awsjson.SigV4, log.List),
		),
		Before: func(ctx context.Context, op awsjson.Operation) error {
			return access.Require(ctx, authz, "federa:"+op.Name, "*",
				errMissingAuth.New("Missing Authentication Token"),
				func(msg string) error { return errAccessDenied.New("%s", msg) })
		},
	}
}
