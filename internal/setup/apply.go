package setup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// Options change how Apply works.
type Options struct {
	// DryRun reads and compares, and reports what Apply would do, but
	// writes nothing.
	DryRun bool
	// Log receives a line per resource as it is handled; nil discards.
	Log io.Writer
}

// Action is what Apply did to a resource, or would do in a dry run.
type Action string

// The actions.
const (
	Created   Action = "create"
	Updated   Action = "update"
	Unchanged Action = "unchanged"
)

// Change is the outcome for one resource.
type Change struct {
	Action Action
	// Kind is the resource's kind ("user pool", "app client", ...) and
	// Name its name ("notes-users/notes-app" below a pool).
	Kind, Name string
	// Detail says what an update changes, or what was created with it.
	Detail string
}

// String is the change as apply prints it: action, kind, name, detail.
func (c Change) String() string {
	s := fmt.Sprintf("%-9s  %-19s %s", c.Action, c.Kind, c.Name)
	if c.Detail != "" {
		s += " (" + c.Detail + ")"
	}
	return s
}

// Result is what Apply did and the ids the file's names resolved to.
type Result struct {
	Changes []Change
	// Conflicts are differences Apply cannot resolve without deleting
	// (a pool's username attributes, a client's secret); Apply returns an
	// error when there are any.
	Conflicts []string
	// UserPools, Clients ("pool/client") and IdentityPools map names to
	// ids; Roles, Policies and OIDCProviders (by URL without https://)
	// map names to ARNs.
	UserPools, Clients, IdentityPools map[string]string
	Roles, Policies, OIDCProviders    map[string]string
	// RestAPIs maps REST API names to ids.
	RestAPIs map[string]string
	// Writes counts the write calls made: none in a dry run, and none when
	// the server already matches.
	Writes int
}

// Count counts the changes with action a.
func (r *Result) Count(a Action) int {
	n := 0
	for _, c := range r.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// Summary is a one-line account of the changes.
func (r *Result) Summary(dryRun bool) string {
	if dryRun {
		return fmt.Sprintf("dry run: would create %d, update %d; %d unchanged", r.Count(Created), r.Count(Updated), r.Count(Unchanged))
	}
	return fmt.Sprintf("%d created, %d updated, %d unchanged", r.Count(Created), r.Count(Updated), r.Count(Unchanged))
}

// Apply makes the account at cfg (signed with an administrator's key)
// match f: it finds each resource of f by name, creates what is missing and
// updates what differs, and leaves alone what f does not mention. Run twice
// with the same file, the second run writes nothing.
func Apply(ctx context.Context, cfg aws.Config, f *File, opts Options) (*Result, error) {
	a := newApplier(cfg, f, opts)
	if opts.Log == nil {
		a.opts.Log = io.Discard
	}
	id, err := a.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("who am I (sts GetCallerIdentity): %w", err)
	}
	a.account = aws.ToString(id.Account)
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"OIDC providers", a.oidcProviders},
		{"user pools", a.userPools},
		{"identity pools", a.identityPools},
		// Before the roles, whose policies may name an API by its id.
		{"REST APIs", a.restAPIs},
		{"managed policies", a.policies},
		{"roles", a.roles},
		{"identity pool roles", a.identityPoolRoles},
		{"groups and users", a.groupsAndUsers},
		{"buckets", a.buckets},
	}
	for _, s := range steps {
		if err := s.fn(ctx); err != nil {
			return a.res, err
		}
	}
	if len(a.res.Conflicts) > 0 {
		return a.res, fmt.Errorf("%d conflicts the file cannot resolve without deleting:\n  %s", len(a.res.Conflicts), strings.Join(a.res.Conflicts, "\n  "))
	}
	return a.res, nil
}

// applier holds one Apply's clients and what it has found so far.
type applier struct {
	f       *File
	cfg     aws.Config
	opts    Options
	res     *Result
	idp     *cip.Client
	cid     *ci.Client
	iam     *iam.Client
	s3      *s3.Client
	sts     *sts.Client
	region  string
	account string
}

func newApplier(cfg aws.Config, f *File, opts Options) *applier {
	return &applier{
		f: f, cfg: cfg, opts: opts, region: cfg.Region,
		res: &Result{UserPools: map[string]string{}, Clients: map[string]string{}, IdentityPools: map[string]string{},
			Roles: map[string]string{}, Policies: map[string]string{}, OIDCProviders: map[string]string{}, RestAPIs: map[string]string{}},
		idp: cip.NewFromConfig(cfg), cid: ci.NewFromConfig(cfg), iam: iam.NewFromConfig(cfg), sts: sts.NewFromConfig(cfg),
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
	}
}

// write makes one write call, unless this is a dry run.
func (a *applier) write(fn func() error) error {
	if a.opts.DryRun {
		return nil
	}
	a.res.Writes++
	return fn()
}

// record notes and prints one resource's outcome: created when isNew,
// updated when anything changed, unchanged otherwise.
func (a *applier) record(isNew bool, kind, name string, changed []string) {
	c := Change{Action: Unchanged, Kind: kind, Name: name}
	switch {
	case isNew:
		c.Action = Created
	case len(changed) > 0:
		c.Action, c.Detail = Updated, strings.Join(changed, ", ")
	}
	a.res.Changes = append(a.res.Changes, c)
	fmt.Fprintln(a.opts.Log, c.String())
}

// conflict notes a difference Apply will not resolve.
func (a *applier) conflict(kind, name, format string, args ...any) {
	msg := fmt.Sprintf("%s %s: ", kind, name) + fmt.Sprintf(format, args...)
	a.res.Conflicts = append(a.res.Conflicts, msg)
	fmt.Fprintln(a.opts.Log, "CONFLICT   "+msg)
}

// placeholder stands, in a dry run, for the id of a resource not created.
func placeholder(kind, name string) string { return "(new " + kind + " " + name + ")" }

func isPlaceholder(id string) bool { return strings.HasPrefix(id, "(new ") }

// resolve answers a document's reference with an id or ARN.
func (a *applier) resolve(kind, name string) string {
	switch kind {
	case "userPool":
		return a.res.UserPools[name]
	case "client":
		return a.res.Clients[name]
	case "identityPool":
		return a.res.IdentityPools[name]
	case "role":
		return a.roleARN(name)
	case "policy":
		return a.policyARN(name)
	case "oidcProvider":
		return a.res.OIDCProviders[oidcKey(name)]
	case "restApi":
		return a.res.RestAPIs[name]
	}
	return ""
}

// roleARN is the ARN of a role named by ref: an ARN, or a role of the file,
// whose ARN follows from its name (so a reference needs no lookup order).
func (a *applier) roleARN(ref string) string {
	if ref == "" || strings.HasPrefix(ref, "arn:") {
		return ref
	}
	for _, r := range a.f.Roles {
		if strings.EqualFold(r.Name, ref) {
			if arn, ok := a.res.Roles[r.Name]; ok {
				return arn
			}
			return "arn:aws:iam::" + a.account + ":role" + pathOr(r.Path) + r.Name
		}
	}
	return ref
}

// policyARN is the ARN of a managed policy named by ref, as roleARN.
func (a *applier) policyARN(ref string) string {
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	for _, p := range a.f.Policies {
		if strings.EqualFold(p.Name, ref) {
			if arn, ok := a.res.Policies[p.Name]; ok {
				return arn
			}
			return "arn:aws:iam::" + a.account + ":policy" + pathOr(p.Path) + p.Name
		}
	}
	return ref
}

func pathOr(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// providerName is the identity-pool provider name of a user pool.
func (a *applier) providerName(poolID string) string {
	return "cognito-idp." + a.region + ".amazonaws.com/" + poolID
}

// isCode reports whether err is an AWS error with one of the codes.
func isCode(err error, codes ...string) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && slices.Contains(codes, ae.ErrorCode())
}

// diff collects the names of the settings that differ.
type diff []string

func (d *diff) add(name string) { *d = append(*d, name) }

// strs converts a list of SDK enum values to strings.
func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// enums converts strings to a list of SDK enum values.
func enums[T ~string](xs []string) []T {
	if xs == nil {
		return nil
	}
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = T(x)
	}
	return out
}

// sameSet compares lists as sets: the order of flows, scopes or URLs
// carries no meaning, and a server may keep them in its own order.
func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

// setList compares the file's list want (nil: not given) with cur, noting
// a difference as name, and returns the list to send.
func (d *diff) setList(name string, cur, want []string) []string {
	if want == nil {
		return cur
	}
	if !sameSet(cur, want) {
		d.add(name)
	}
	return want
}

// str is setList for a string ("" in the file: not given).
func (d *diff) str(name, cur, want string) string {
	if want == "" {
		return cur
	}
	if cur != want {
		d.add(name)
	}
	return want
}
