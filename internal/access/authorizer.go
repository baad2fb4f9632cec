package access

import (
	"context"
	"fmt"
)

// Check is one authorization question: may Principal perform Action on Resource?
type Check struct {
	Principal *Principal
	// Action is "service:Operation", e.g. "s3:GetObject".
	Action string
	// Resource is the ARN acted on, or "*" for actions without a resource type.
	Resource string
	// Context holds the request's condition keys (aws:SourceIp, s3:prefix, …).
	// The session's own keys are added by the Authorizer.
	Context map[string][]string
	// ResourcePolicy is the resource's policy document (a bucket policy), or "".
	ResourcePolicy string
}

// Decision is the outcome of a Check.
type Decision struct {
	Allowed bool
	// Explicit is true when a Deny statement matched.
	Explicit bool
	// Reason explains the decision in words, e.g. which policy allowed it.
	Reason string
}

// Authorizer evaluates checks against IAM policies. iam.Service satisfies it.
// The error is for infrastructure failures only; a refusal is a Decision.
type Authorizer interface {
	Authorize(ctx context.Context, c Check) (Decision, error)
}

// DenyMessage phrases a refusal the way AWS does, so users can search for it.
func DenyMessage(c Check, d Decision) string {
	who := "anonymous caller"
	if c.Principal != nil && c.Principal.ARN != "" {
		who = c.Principal.ARN
	}
	why := "because no identity-based policy allows the " + c.Action + " action"
	if d.Explicit {
		why = "with an explicit deny in a policy"
	}
	return fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s %s", who, c.Action, c.Resource, why)
}

// CredentialSource turns an access key id (and session token, when present)
// into the principal it belongs to and the secret the request must be signed
// with. Errors wrap the sigv4 sentinel errors (unknown key, expired or invalid
// token) so each protocol can answer with its own code.
type CredentialSource interface {
	Lookup(ctx context.Context, accessKeyID, sessionToken string) (*Principal, string, error)
}

// Permit decides whether the caller in ctx may perform action on resource:
// the root key always may, a session may when its policies allow it, and an
// anonymous caller never may (callers check for Anonymous first to answer
// with their protocol's "missing authentication" code). When ok is false,
// message is the AWS-style refusal text.
func Permit(ctx context.Context, a Authorizer, action, resource string) (ok bool, message string, err error) {
	p := FromContext(ctx)
	c := Check{Principal: p, Action: action, Resource: resource}
	switch p.Kind {
	case Root:
		return true, "", nil
	case Anonymous:
		return false, DenyMessage(c, Decision{}), nil
	}
	d, err := a.Authorize(ctx, c)
	if err != nil {
		return false, "", err
	}
	if !d.Allowed {
		return false, DenyMessage(c, d), nil
	}
	return true, "", nil
}

// Require is the check every administrative API makes before an operation:
// an unsigned caller gets missing (each protocol has its own code), a caller
// whose policies refuse gets denied(message), and an allowed caller nil.
func Require(ctx context.Context, a Authorizer, action, resource string, missing error, denied func(message string) error) error {
	if FromContext(ctx).Kind == Anonymous {
		return missing
	}
	ok, msg, err := Permit(ctx, a, action, resource)
	if err != nil {
		return err
	}
	if !ok {
		return denied(msg)
	}
	return nil
}
