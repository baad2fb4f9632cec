package edge

import (
	"context"
	"sync"
	"time"

	"github.com/federa/federa/internal/access"
)

// Request is what the edge saw of one request, handed to the Observer once
// the request is answered. It is the one place metrics and the audit log
// learn about requests, so that services stay unaware of both: the edge
// knows the service, the operation, the caller, the status and the AWS error
// code; an authorizer adds, through the context, why a request was refused
// (NoteDenial).
type Request struct {
	// ID is the request id sent back to the client.
	ID string
	// Start is when the edge received the request; Duration how long it
	// took to answer, body included.
	Start    time.Time
	Duration time.Duration
	Service  Service
	// Operation is the AWS operation: the X-Amz-Target operation, the Query
	// Action, the S3 operation named from method, path and subresource, or
	// the hosted UI endpoint. Unknown names are "unknown", so a client
	// cannot mint label values.
	Operation string
	Method    string
	// Status is the HTTP status answered; Code the AWS error code ("" on
	// success), read from the protocol's error (X-Amzn-ErrorType, or the
	// <Code> of an XML error).
	Status int
	Code   string
	// Bytes is the size of the response body.
	Bytes int64
	// Principal is the authenticated caller, or nil when the signature did
	// not verify. AccessKeyID is the key the request claimed, verified or not.
	Principal   *access.Principal
	AccessKeyID string
	// SourceIP is the client's address (the TCP peer; proxies' headers are
	// not trusted).
	SourceIP string
	// Bucket is the S3 bucket addressed, path or virtual-host style.
	Bucket string
	// Body is the request body when the edge read it whole: signed JSON
	// and Query requests (to hash them) and sign-ins. nil otherwise, and
	// always for S3. Observers must not change it.
	Body []byte
	// SignIn is set for sign-in operations.
	SignIn *SignIn

	mu     sync.Mutex
	denial *Denial
}

// SignIn describes a sign-in attempt: InitiateAuth and friends, and the
// hosted UI's sign-in form and token endpoint.
type SignIn struct {
	// Flow is the AuthFlow, the ChallengeName answered, or the hosted UI
	// step (HOSTED_UI, HOSTED_UI_CHALLENGE, OAUTH2_<GRANT_TYPE>), from a
	// fixed set ("OTHER" otherwise).
	Flow string
	// Result is "success" (tokens or a code issued), "challenge" (another
	// step asked for) or "failure".
	Result string
}

// Denial is an authorization refusal noted while serving a request: the
// action and resource that were checked and the rule that decided.
type Denial struct {
	Action, Resource string
	// Reason names the deciding statement, or says that none allowed.
	Reason string
	// Explicit is true when a Deny statement matched.
	Explicit bool
}

// Observer receives every request the edge routed to a service, once it
// is answered. It runs on the request's goroutine, so it must be quick:
// count, or queue.
type Observer interface {
	Observe(r *Request)
}

type requestKey struct{}

// NoteDenial records on the request in ctx that an authorization check
// refused d.Action. The last refusal wins: it is the one that ended the
// request. Outside a request observed by the edge it does nothing.
func NoteDenial(ctx context.Context, d Denial) {
	r, ok := ctx.Value(requestKey{}).(*Request)
	if !ok {
		return
	}
	r.mu.Lock()
	r.denial = &d
	r.mu.Unlock()
}

// Denial returns the last refusal noted for r, if any.
func (r *Request) Denial() (Denial, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.denial == nil {
		return Denial{}, false
	}
	return *r.denial, true
}
