package setup

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

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
