package audit

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/federa/federa/internal/store"
)

// The kinds of entry.
const (
	KindChange = "change"
	KindDenied = "denied"
)

// Request is what the audit log needs to know of an answered request; app
// fills it from the edge's record.
type Request struct {
	Time      time.Time
	RequestID string
	SourceIP  string
	// Service is the SigV4 service name: iam, s3, cognito-idp, …
	Service string
	// Operation is the API operation, e.g. PutRolePolicy.
	Operation string
	Status    int
	Code      string
	// Principal is the caller's ARN, "" when anonymous or unauthenticated.
	Principal string
	// AccessKeyID is the key the request claimed (verified or not).
	AccessKeyID string
	// Bucket is the S3 bucket addressed.
	Bucket string
	// Body is the request body when known (JSON or a Query form).
	Body []byte
	// Denial is the authorization refusal noted while serving, if any.
	Denial *Denial
}

// Denial is the refusal an authorizer recorded: the action and resource it
// evaluated and the rule that decided.
type Denial struct {
	Action, Resource, Reason string
}

// deniedCodes are the AWS codes of a refusal: authorization, then
// authentication (a bad, unknown or expired key, or none where one is
// needed).
var deniedCodes = map[string]string{
	"AccessDenied": "", "AccessDeniedException": "", "NotAuthorizedException": "", "UnauthorizedOperation": "",
	"SignatureDoesNotMatch": "authentication", "InvalidAccessKeyId": "authentication", "InvalidClientTokenId": "authentication",
	"UnrecognizedClientException": "authentication", "InvalidSignatureException": "authentication",
	"IncompleteSignature": "authentication", "IncompleteSignatureException": "authentication",
	"ExpiredToken": "authentication", "ExpiredTokenException": "authentication",
	"MissingAuthenticationToken": "authentication", "MissingAuthenticationTokenException": "authentication",
}

// s3Changes are the bucket configuration writes of S3. Object writes are
// data, not administration.
var s3Changes = map[string]bool{
	"CreateBucket": true, "DeleteBucket": true, "PutBucketPolicy": true, "DeleteBucketPolicy": true,
	"PutBucketCors": true, "DeleteBucketCors": true, "PutPublicAccessBlock": true, "DeletePublicAccessBlock": true,
}

// signIns are signed operations that sign a user in rather than change
// anything administrative.
var signIns = map[string]bool{"AdminInitiateAuth": true, "AdminRespondToAuthChallenge": true}

// isChange reports whether a successful operation is an administrative
// change. The admin APIs' reads all start with one of a few verbs; their
// end-user operations (SignUp, ChangePassword, GetId, …) are unsigned, so a
// change must also come from a signed caller.
func isChange(r *Request) bool {
	switch r.Service {
	case "s3":
		return s3Changes[r.Operation]
	case "iam", "cognito-idp", "cognito-identity":
		if r.Principal == "" || signIns[r.Operation] || r.Operation == "" || r.Operation == "unknown" {
			return false
		}
		// AdminGetUser and AdminListGroupsForUser read too.
		op := strings.TrimPrefix(r.Operation, "Admin")
		for _, read := range []string{"Get", "List", "Describe", "Simulate", "Lookup"} {
			if strings.HasPrefix(op, read) {
				return false
			}
		}
		return true
	}
	return false
}

// Classify returns the audit entry for r, or false when r is neither an
// administrative change nor a refusal. Most requests are neither, and
// Classify answers them without allocating.
func (l *Log) Classify(r *Request) (store.AuditEvent, bool) {
	why, denied := deniedCodes[r.Code]
	if !denied && (r.Status >= 300 || !isChange(r)) {
		return store.AuditEvent{}, false
	}
	e := store.AuditEvent{
		Time: r.Time.UTC(), Kind: KindChange, Principal: r.Principal, Service: r.Service, Action: r.Service + ":" + r.Operation,
		Status: r.Status, Code: r.Code, RequestID: r.RequestID, SourceIP: r.SourceIP,
	}
	if e.Principal == "" {
		e.Principal = "anonymous"
	}
	params := l.parameters(r)
	e.Resource, e.Detail = params.resource, params.detail
	if !denied {
		return e, true
	}
	e.Kind = KindDenied
	switch {
	case r.Denial != nil:
		e.Action = r.Denial.Action
		if r.Denial.Resource != "" && r.Denial.Resource != "*" {
			e.Resource = r.Denial.Resource
		}
		e.Detail = join(r.Denial.Reason, e.Detail)
	case why == "authentication":
		who := "no key"
		if r.AccessKeyID != "" {
			who = "access key " + r.AccessKeyID
		}
		e.Detail = join("authentication failed ("+who+")", e.Detail)
	default:
		e.Detail = join("refused without a policy evaluation (by the service's own rule)", e.Detail)
	}
	return e, true
}

func join(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}

// described is an entry's resource and the parameters worth keeping.
type described struct{ resource, detail string }

// jsonParams are the members of a JSON request that say what it was
// about, in the order they are shown. Secrets (passwords, codes, tokens)
// and documents are never among them.
var jsonParams = []string{"UserPoolId", "IdentityPoolId", "ClientId", "Username", "GroupName", "Domain", "Identifier",
	"PoolName", "ClientName", "IdentityPoolName", "ProviderName", "IdentityId"}

// queryParams are the same for IAM's Query forms.
var queryParams = []string{"RoleName", "UserName", "PolicyName", "PolicyArn", "OpenIDConnectProviderArn", "Url",
	"InstanceProfileName", "VersionId", "Path"}

// parameters names the resource of r and keeps its identifying parameters.
func (l *Log) parameters(r *Request) described {
	var d described
	switch r.Service {
	case "s3":
		if r.Bucket != "" {
			d.resource = "arn:aws:s3:::" + r.Bucket
		}
		return d
	case "cognito-idp", "cognito-identity", "federa":
		var m map[string]any
		if len(r.Body) == 0 || json.Unmarshal(r.Body, &m) != nil {
			return d
		}
		get := func(k string) string { s, _ := m[k].(string); return s }
		used := ""
		if id := get("UserPoolId"); id != "" {
			d.resource, used = "arn:aws:cognito-idp:"+l.region+":"+l.account+":userpool/"+id, "UserPoolId"
		} else if id := get("IdentityPoolId"); id != "" {
			d.resource, used = "arn:aws:cognito-identity:"+l.region+":"+l.account+":identitypool/"+id, "IdentityPoolId"
		}
		d.detail = pairs(jsonParams, get, used)
	case "iam", "sts":
		form, err := url.ParseQuery(string(r.Body))
		if err != nil {
			return d
		}
		get := form.Get
		used := ""
		switch {
		case get("RoleName") != "":
			d.resource, used = "arn:aws:iam::"+l.account+":role/"+get("RoleName"), "RoleName"
		case get("PolicyArn") != "":
			d.resource, used = get("PolicyArn"), "PolicyArn"
		case get("OpenIDConnectProviderArn") != "":
			d.resource, used = get("OpenIDConnectProviderArn"), "OpenIDConnectProviderArn"
		case get("UserName") != "":
			d.resource, used = "arn:aws:iam::"+l.account+":user/"+get("UserName"), "UserName"
		case get("RoleArn") != "":
			d.resource = get("RoleArn")
		case r.Operation == "CreatePolicy" && get("PolicyName") != "":
			path := get("Path")
			if path == "" {
				path = "/"
			}
			d.resource, used = "arn:aws:iam::"+l.account+":policy"+path+get("PolicyName"), "PolicyName"
		}
		d.detail = pairs(queryParams, get, used)
	}
	return d
}

// pairs formats the parameters present as "Name=value, …", leaving out
// the one the resource already names.
func pairs(names []string, get func(string) string, used string) string {
	var b strings.Builder
	for _, n := range names {
		v := get(n)
		if v == "" || n == used {
			continue
		}
		if len(v) > 200 {
			v = v[:200] + "…"
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(n + "=" + v)
	}
	return b.String()
}
