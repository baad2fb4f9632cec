package setup

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"gopkg.in/yaml.v3"
)

// exportHeader opens every exported file.
const exportHeader = `# federa setup, written by ` + "`federa export`" + `; apply it with ` + "`federa apply -f FILE`" + `.
# Not exported: client secrets (apply makes new ones for clients with
# generateSecret) and user passwords (apply creates these users without one:
# set it with admin-set-user-password, or add password: to the user).
`

// Export reads the account at cfg into a File: everything Apply can set up,
// named by name, with ids in policy documents written as references, so
// that applying the file to a fresh server reproduces the setup. notes are
// what could not be written that way.
func Export(ctx context.Context, cfg aws.Config) (f *File, notes []string, err error) {
	e := &exporter{applier: newApplier(cfg, &File{}, Options{}), refs: map[string]string{}}
	id, err := e.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, nil, fmt.Errorf("who am I (sts GetCallerIdentity): %w", err)
	}
	e.account = aws.ToString(id.Account)
	// Names first, so that what refers to them can be written by name.
	for _, step := range []func(context.Context) error{
		e.exportOIDC, e.exportUserPools, e.exportIdentityPools, e.exportPolicies, e.exportRoles,
		e.exportIdentityPoolRoles, e.exportGroupRoles, e.exportBuckets,
	} {
		if err := step(ctx); err != nil {
			return nil, nil, err
		}
	}
	return e.f, e.notes, nil
}

// WriteExport writes f as Export's file: the header, then f.
func WriteExport(f *File, notes []string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(exportHeader)
	for _, n := range notes {
		buf.WriteString("# NOTE: " + n + "\n")
	}
	body, err := f.encode()
	if err != nil {
		return nil, err
	}
	buf.WriteString("\n")
	buf.Write(body)
	return buf.Bytes(), nil
}

// encode writes f with its strings escaped and short lists on one line.
func (f *File) encode() ([]byte, error) {
	c := *f
	escapeStrings(reflect.ValueOf(&c).Elem())
	var n yaml.Node
	if err := n.Encode(&c); err != nil {
		return nil, err
	}
	flowScalarLists(&n)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return sectionBreaks(buf.Bytes()), nil
}

// sectionBreaks puts a blank line before each top-level key after the
// first, so that the sections stand apart.
func sectionBreaks(b []byte) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	var out bytes.Buffer
	for i, l := range lines {
		if i > 0 && len(l) > 0 && l[0] != ' ' && l[0] != '-' && l[0] != '#' && l[0] != '\n' {
			out.WriteByte('\n')
		}
		out.Write(l)
	}
	return out.Bytes()
}

// plainWord is a list item that needs no quotes in flow style.
var plainWord = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.@/-]*$`)

// escapeStrings escapes, in place, every string below v that Load would
// otherwise expand. Documents are skipped: they were escaped as read.
func escapeStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(escape(v.String(), false))
	case reflect.Pointer:
		if !v.IsNil() {
			// Copy before writing: the pointer may be shared.
			c := reflect.New(v.Elem().Type())
			c.Elem().Set(v.Elem())
			escapeStrings(c.Elem())
			v.Set(c)
		}
	case reflect.Struct:
		if v.Type() == documentType {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				escapeStrings(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		for i := 0; i < c.Len(); i++ {
			escapeStrings(c.Index(i))
		}
		v.Set(c)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		c := reflect.MakeMap(v.Type())
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			escapeStrings(e)
			c.SetMapIndex(k, e)
		}
		v.Set(c)
	}
}

// flowScalarLists writes short lists of words in flow style: [a, b].
// Lists of anything else stay in block style, where nothing needs quotes.
func flowScalarLists(n *yaml.Node) {
	if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
		width, words := 0, true
		for _, c := range n.Content {
			words = words && c.Kind == yaml.ScalarNode && c.ShortTag() == "!!str" && plainWord.MatchString(c.Value)
			width += len(c.Value) + 2
		}
		if words && width <= 72 {
			n.Style = yaml.FlowStyle
		} else {
			n.Style = 0
		}
	}
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
		// Quotes a first encoding chose are dropped: the encoder adds
		// them again where the value needs them ("", "true", ": ").
		n.Style = 0
	}
	for _, c := range n.Content {
		flowScalarLists(c)
	}
}

type exporter struct {
	*applier
	// refs maps ids and ARNs to the references that name them.
	refs  map[string]string
	notes []string
	// policyDocs are the managed policies' documents, as read.
	policyDocs []string
	// names of ARNs, ids and provider keys, for structured references.
	roleNames, policyNames, oidcURLs map[string]string
	poolNames                        map[string]string // pool id → name
	clientNames                      map[string]string // client id → pool/client
}

func (e *exporter) note(format string, args ...any) {
	e.notes = append(e.notes, fmt.Sprintf(format, args...))
}

// doc turns a server's policy document into the file's.
func (e *exporter) doc(raw string) (Document, error) {
	return documentFromJSON(raw, func(s string) string {
		if ref, ok := e.refs[s]; ok {
			return ref
		}
		return escape(s, true)
	})
}

func (e *exporter) exportOIDC(ctx context.Context) error {
	e.oidcURLs = map[string]string{}
	list, err := e.iam.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
	if err != nil {
		return fmt.Errorf("list OIDC providers: %w", err)
	}
	for _, p := range list.OpenIDConnectProviderList {
		o, err := e.iam.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: p.Arn})
		if err != nil {
			return fmt.Errorf("OIDC provider %s: %w", aws.ToString(p.Arn), err)
		}
		u := "https://" + strings.TrimPrefix(aws.ToString(o.Url), "https://")
		e.f.OIDCProviders = append(e.f.OIDCProviders, OIDCProvider{URL: u, ClientIDs: o.ClientIDList, Thumbprints: o.ThumbprintList})
		e.oidcURLs[aws.ToString(p.Arn)] = u
		e.refs[aws.ToString(p.Arn)] = "${oidcProvider:" + u + "}"
	}
	slices.SortFunc(e.f.OIDCProviders, func(a, b OIDCProvider) int { return strings.Compare(a.URL, b.URL) })
	return nil
}

func (e *exporter) exportIdentityPools(ctx context.Context) error {
	pools, err := listIdentityPools(ctx, e.cid)
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(pools) {
		if len(pools[name]) > 1 {
			e.note("%d identity pools are named %q; only the first is exported", len(pools[name]), name)
		}
		id := pools[name][0]
		d, err := e.cid.DescribeIdentityPool(ctx, &ci.DescribeIdentityPoolInput{IdentityPoolId: &id})
		if err != nil {
			return fmt.Errorf("identity pool %s: %w", name, err)
		}
		p := IdentityPool{Name: name, LoginProviders: d.SupportedLoginProviders, DeveloperProviderName: aws.ToString(d.DeveloperProviderName)}
		if d.AllowUnauthenticatedIdentities {
			p.AllowUnauthenticated = aws.Bool(true)
		}
		if aws.ToBool(d.AllowClassicFlow) {
			p.AllowClassicFlow = aws.Bool(true)
		}
		for _, cp := range d.CognitoIdentityProviders {
			client, ok := e.clientNames[aws.ToString(cp.ClientId)]
			pool, _, _ := strings.Cut(client, "/")
			if !ok || e.providerName(e.res.UserPools[pool]) != aws.ToString(cp.ProviderName) {
				e.note("identity pool %s: provider %s client %s is not a user pool client here; left out", name, aws.ToString(cp.ProviderName), aws.ToString(cp.ClientId))
				continue
			}
			pc := PoolProvider{UserPool: pool, Client: strings.TrimPrefix(client, pool+"/")}
			if aws.ToBool(cp.ServerSideTokenCheck) {
				pc.ServerSideTokenCheck = aws.Bool(true)
			}
			p.UserPoolClients = append(p.UserPoolClients, pc)
		}
		for _, arn := range d.OpenIdConnectProviderARNs {
			if u, ok := e.oidcURLs[arn]; ok {
				arn = u
			}
			p.OIDCProviders = append(p.OIDCProviders, arn)
		}
		e.res.IdentityPools[name] = id
		e.refs[id] = "${identityPool:" + name + "}"
		e.f.IdentityPools = append(e.f.IdentityPools, p)
	}
	return nil
}

// exportIdentityPoolRoles adds the identity pools' roles, once the roles'
// names are known.
func (e *exporter) exportIdentityPoolRoles(ctx context.Context) error {
	for i := range e.f.IdentityPools {
		p := &e.f.IdentityPools[i]
		id := e.res.IdentityPools[p.Name]
		r, err := e.cid.GetIdentityPoolRoles(ctx, &ci.GetIdentityPoolRolesInput{IdentityPoolId: &id})
		if err != nil {
			return fmt.Errorf("identity pool %s roles: %w", p.Name, err)
		}
		if auth, unauth := r.Roles["authenticated"], r.Roles["unauthenticated"]; auth != "" || unauth != "" {
			p.Roles = &PoolRoles{Authenticated: e.roleName(auth), Unauthenticated: e.roleName(unauth)}
		}
		for _, key := range sortedKeys(r.RoleMappings) {
			rm := r.RoleMappings[key]
			m := RoleMapping{Provider: key, Type: string(rm.Type), AmbiguousRoleResolution: string(rm.AmbiguousRoleResolution)}
			if provider, clientID, ok := strings.Cut(key, ":"); ok {
				if client, found := e.clientNames[clientID]; found {
					pool, name, _ := strings.Cut(client, "/")
					if e.providerName(e.res.UserPools[pool]) == provider {
						m.Provider, m.UserPool, m.Client = "", pool, name
					}
				}
			}
			if rm.RulesConfiguration != nil {
				for _, rule := range rm.RulesConfiguration.Rules {
					m.Rules = append(m.Rules, MappingRule{Claim: aws.ToString(rule.Claim), MatchType: string(rule.MatchType),
						Value: aws.ToString(rule.Value), Role: e.roleName(aws.ToString(rule.RoleARN))})
				}
			}
			p.RoleMappings = append(p.RoleMappings, m)
		}
	}
	return nil
}

// exportGroupRoles names the groups' roles by name, now that they are known.
func (e *exporter) exportGroupRoles(context.Context) error {
	for i := range e.f.UserPools {
		for j := range e.f.UserPools[i].Groups {
			g := &e.f.UserPools[i].Groups[j]
			g.Role = e.roleName(g.Role)
		}
	}
	return nil
}

// roleName is a role ARN as the file names it: the role's name when the
// role is exported, else the ARN.
func (e *exporter) roleName(arn string) string {
	if n, ok := e.roleNames[arn]; ok {
		return n
	}
	return arn
}

func (e *exporter) exportPolicies(ctx context.Context) error {
	e.policyNames = map[string]string{}
	pg := iam.NewListPoliciesPaginator(e.iam, &iam.ListPoliciesInput{Scope: "Local"})
	var list []Policy
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list policies: %w", err)
		}
		for _, p := range page.Policies {
			v, err := e.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: p.DefaultVersionId})
			if err != nil {
				return fmt.Errorf("policy %s: %w", aws.ToString(p.PolicyName), err)
			}
			pol := Policy{Name: aws.ToString(p.PolicyName), Description: aws.ToString(p.Description)}
			if path := aws.ToString(p.Path); path != "/" {
				pol.Path = path
			}
			// The document is converted once every role's and policy's
			// reference is known (exportRoles).
			e.policyDocs = append(e.policyDocs, decodeDocument(v.PolicyVersion.Document))
			list = append(list, pol)
			e.policyNames[aws.ToString(p.Arn)] = pol.Name
			e.refs[aws.ToString(p.Arn)] = "${policy:" + pol.Name + "}"
		}
	}
	e.f.Policies = list
	return nil
}

func (e *exporter) exportRoles(ctx context.Context) error {
	e.roleNames = map[string]string{}
	var roles []Role
	var listed []string
	pg := iam.NewListRolesPaginator(e.iam, &iam.ListRolesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list roles: %w", err)
		}
		for _, r := range page.Roles {
			e.roleNames[aws.ToString(r.Arn)] = aws.ToString(r.RoleName)
			e.refs[aws.ToString(r.Arn)] = "${role:" + aws.ToString(r.RoleName) + "}"
			listed = append(listed, aws.ToString(r.RoleName))
		}
	}
	// Every reference is known now: convert the policies' documents.
	for i := range e.f.Policies {
		d, err := e.doc(e.policyDocs[i])
		if err != nil {
			return fmt.Errorf("policy %s: %w", e.f.Policies[i].Name, err)
		}
		e.f.Policies[i].Document = d
	}
	slices.SortFunc(e.f.Policies, func(a, b Policy) int { return strings.Compare(a.Name, b.Name) })
	slices.Sort(listed)
	for _, name := range listed {
		r, err := e.exportRole(ctx, name)
		if err != nil {
			return fmt.Errorf("role %s: %w", name, err)
		}
		roles = append(roles, r)
	}
	e.f.Roles = roles
	return nil
}

func (e *exporter) exportRole(ctx context.Context, name string) (Role, error) {
	got, err := e.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: &name})
	if err != nil {
		return Role{}, err
	}
	cur := got.Role
	r := Role{Name: name}
	if path := aws.ToString(cur.Path); path != "/" {
		r.Path = path
	}
	if desc := aws.ToString(cur.Description); desc != "" {
		r.Description = &desc
	}
	if m := aws.ToInt32(cur.MaxSessionDuration); m != 0 && m != 3600 {
		n := int(m)
		r.MaxSessionDuration = &n
	}
	trust := decodeDocument(cur.AssumeRolePolicyDocument)
	for pool, id := range e.res.IdentityPools {
		for _, amr := range []string{"authenticated", "unauthenticated"} {
			if sameJSON(trust, cognitoTrust(id, amr)) {
				r.AssumedBy = &AssumedBy{IdentityPool: pool}
				if amr != "authenticated" {
					r.AssumedBy.AMR = amr
				}
			}
		}
	}
	if r.AssumedBy == nil {
		d, err := e.doc(trust)
		if err != nil {
			return r, fmt.Errorf("trust policy: %w", err)
		}
		r.TrustPolicy = &d
	}
	inline := iam.NewListRolePoliciesPaginator(e.iam, &iam.ListRolePoliciesInput{RoleName: &name})
	var names []string
	for inline.HasMorePages() {
		page, err := inline.NextPage(ctx)
		if err != nil {
			return r, err
		}
		names = append(names, page.PolicyNames...)
	}
	slices.Sort(names)
	for _, pn := range names {
		p, err := e.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &name, PolicyName: aws.String(pn)})
		if err != nil {
			return r, err
		}
		d, err := e.doc(decodeDocument(p.PolicyDocument))
		if err != nil {
			return r, fmt.Errorf("inline policy %s: %w", pn, err)
		}
		r.Policies = append(r.Policies, InlinePolicy{Name: pn, Document: d})
	}
	att := iam.NewListAttachedRolePoliciesPaginator(e.iam, &iam.ListAttachedRolePoliciesInput{RoleName: &name})
	for att.HasMorePages() {
		page, err := att.NextPage(ctx)
		if err != nil {
			return r, err
		}
		for _, p := range page.AttachedPolicies {
			arn := aws.ToString(p.PolicyArn)
			if n, ok := e.policyNames[arn]; ok {
				arn = n
			}
			r.ManagedPolicies = append(r.ManagedPolicies, arn)
		}
	}
	return r, nil
}

func (e *exporter) exportBuckets(ctx context.Context) error {
	list, err := e.s3.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		return fmt.Errorf("list buckets: %w", err)
	}
	for _, lb := range list.Buckets {
		name := aws.ToString(lb.Name)
		b := Bucket{Name: name}
		cors, err := e.s3.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: &name})
		if err != nil && !isCode(err, "NoSuchCORSConfiguration") {
			return fmt.Errorf("bucket %s CORS: %w", name, err)
		}
		if err == nil {
			for _, r := range cors.CORSRules {
				rule := CORSRule{ID: aws.ToString(r.ID), AllowedOrigins: r.AllowedOrigins, AllowedMethods: r.AllowedMethods,
					AllowedHeaders: r.AllowedHeaders, ExposeHeaders: r.ExposeHeaders}
				if r.MaxAgeSeconds != nil {
					n := int(*r.MaxAgeSeconds)
					rule.MaxAgeSeconds = &n
				}
				b.CORS = append(b.CORS, rule)
			}
		}
		pol, err := e.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &name})
		if err != nil && !isCode(err, "NoSuchBucketPolicy") {
			return fmt.Errorf("bucket %s policy: %w", name, err)
		}
		if err == nil && aws.ToString(pol.Policy) != "" {
			d, err := e.doc(aws.ToString(pol.Policy))
			if err != nil {
				return fmt.Errorf("bucket %s policy: %w", name, err)
			}
			b.Policy = &d
		}
		e.f.Buckets = append(e.f.Buckets, b)
	}
	slices.SortFunc(e.f.Buckets, func(a, b Bucket) int { return strings.Compare(a.Name, b.Name) })
	return nil
}
