package setup

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// decodeDocument undoes IAM's URL encoding of policy documents (the
// AssumeRolePolicyDocument, GetRolePolicy and GetPolicyVersion members are
// RFC 3986 encoded on the wire, and the SDK hands them over as they came).
func decodeDocument(s *string) string {
	doc := aws.ToString(s)
	if d, err := url.QueryUnescape(doc); err == nil {
		return d
	}
	return doc
}

func (a *applier) oidcProviders(ctx context.Context) error {
	if len(a.f.OIDCProviders) == 0 {
		return nil
	}
	list, err := a.iam.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
	if err != nil {
		return fmt.Errorf("list OIDC providers: %w", err)
	}
	have := map[string]string{} // key → ARN
	for _, p := range list.OpenIDConnectProviderList {
		arn := aws.ToString(p.Arn)
		have[oidcKey(arn[strings.Index(arn, ":oidc-provider/")+len(":oidc-provider/"):])] = arn
	}
	for _, o := range a.f.OIDCProviders {
		key := oidcKey(o.URL)
		arn, exists := have[key]
		var d diff
		if !exists {
			arn = placeholder("OIDC provider", o.URL)
			err := a.write(func() error {
				out, err := a.iam.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(o.URL),
					ClientIDList: o.ClientIDs, ThumbprintList: o.Thumbprints})
				if err == nil {
					arn = aws.ToString(out.OpenIDConnectProviderArn)
				}
				return err
			})
			if err != nil {
				return fmt.Errorf("create OIDC provider %s: %w", o.URL, err)
			}
		} else {
			cur, err := a.iam.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn})
			if err != nil {
				return fmt.Errorf("OIDC provider %s: %w", o.URL, err)
			}
			for _, id := range o.ClientIDs {
				if slices.Contains(cur.ClientIDList, id) {
					continue
				}
				d.add("client ID " + id)
				if err := a.write(func() error {
					_, err := a.iam.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String(id)})
					return err
				}); err != nil {
					return fmt.Errorf("OIDC provider %s: add client ID: %w", o.URL, err)
				}
			}
			if o.Thumbprints != nil && !sameSet(o.Thumbprints, cur.ThumbprintList) {
				d.add("thumbprints")
				if err := a.write(func() error {
					_, err := a.iam.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: &arn, ThumbprintList: o.Thumbprints})
					return err
				}); err != nil {
					return fmt.Errorf("OIDC provider %s: thumbprints: %w", o.URL, err)
				}
			}
		}
		a.res.OIDCProviders[key] = arn
		a.record(!exists, "OIDC provider", o.URL, d)
	}
	return nil
}

// policies applies the customer managed policies.
func (a *applier) policies(ctx context.Context) error {
	if len(a.f.Policies) == 0 {
		return nil
	}
	have := map[string]types.Policy{}
	pg := iam.NewListPoliciesPaginator(a.iam, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list policies: %w", err)
		}
		for _, p := range page.Policies {
			have[strings.ToLower(aws.ToString(p.PolicyName))] = p
		}
	}
	for _, p := range a.f.Policies {
		doc, err := p.Document.JSON(a.resolve)
		if err != nil {
			return fmt.Errorf("policy %s: %w", p.Name, err)
		}
		cur, exists := have[strings.ToLower(p.Name)]
		var d diff
		if !exists {
			arn := a.policyARN(p.Name)
			err := a.write(func() error {
				out, err := a.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(p.Name), PolicyDocument: &doc,
					Path: aws.String(pathOr(p.Path)), Description: nonEmpty(p.Description)})
				if err == nil {
					arn = aws.ToString(out.Policy.Arn)
				}
				return err
			})
			if err != nil {
				return fmt.Errorf("create policy %s: %w", p.Name, err)
			}
			a.res.Policies[p.Name] = arn
			a.record(true, "managed policy", p.Name, nil)
			continue
		}
		arn := aws.ToString(cur.Arn)
		a.res.Policies[p.Name] = arn
		if p.Path != "" && p.Path != aws.ToString(cur.Path) {
			a.conflict("managed policy", p.Name, "its path is %s; a policy's path is fixed when it is created", aws.ToString(cur.Path))
		}
		if p.Description != "" && p.Description != aws.ToString(cur.Description) {
			a.conflict("managed policy", p.Name, "its description is %q; IAM cannot change a policy's description", aws.ToString(cur.Description))
		}
		v, err := a.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &arn, VersionId: cur.DefaultVersionId})
		if err != nil {
			return fmt.Errorf("policy %s: %w", p.Name, err)
		}
		if !sameJSON(decodeDocument(v.PolicyVersion.Document), doc) {
			d.add("document")
			if err := a.newPolicyVersion(ctx, arn, doc, p); err != nil {
				return fmt.Errorf("policy %s: %w", p.Name, err)
			}
		}
		a.record(false, "managed policy", p.Name, d)
	}
	return nil
}

// newPolicyVersion makes doc the policy's default version. IAM keeps five
// versions, so the oldest non-default one goes when that is full. A server
// without policy versions (federa, so far) gets the policy replaced: it is
// detached from its roles, deleted, created again under the same ARN and
// attached again.
func (a *applier) newPolicyVersion(ctx context.Context, arn, doc string, p Policy) error {
	create := func() error {
		_, err := a.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: &arn, PolicyDocument: &doc, SetAsDefault: true})
		return err
	}
	err := a.write(create)
	if isCode(err, "LimitExceeded") {
		vs, lerr := a.iam.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: &arn})
		if lerr != nil {
			return lerr
		}
		var oldest *types.PolicyVersion
		for i, v := range vs.Versions {
			if !v.IsDefaultVersion && (oldest == nil || aws.ToTime(v.CreateDate).Before(aws.ToTime(oldest.CreateDate))) {
				oldest = &vs.Versions[i]
			}
		}
		if oldest != nil {
			if err := a.write(func() error {
				_, err := a.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: &arn, VersionId: oldest.VersionId})
				return err
			}); err != nil {
				return err
			}
		}
		err = a.write(create)
	}
	if !isCode(err, "InvalidAction", "UnknownOperationException") {
		return err
	}
	roles, err := a.rolesWithPolicy(ctx, arn)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if err := a.write(func() error {
			_, err := a.iam.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: &r, PolicyArn: &arn})
			return err
		}); err != nil {
			return err
		}
	}
	if err := a.write(func() error { _, err := a.iam.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: &arn}); return err }); err != nil {
		return err
	}
	if err := a.write(func() error {
		_, err := a.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(p.Name), PolicyDocument: &doc,
			Path: aws.String(pathOr(p.Path)), Description: nonEmpty(p.Description)})
		return err
	}); err != nil {
		return err
	}
	for _, r := range roles {
		if err := a.write(func() error {
			_, err := a.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: &r, PolicyArn: &arn})
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// rolesWithPolicy lists the roles the managed policy arn is attached to.
func (a *applier) rolesWithPolicy(ctx context.Context, arn string) ([]string, error) {
	var out []string
	pg := iam.NewListRolesPaginator(a.iam, &iam.ListRolesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Roles {
			att, err := a.iam.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: r.RoleName})
			if err != nil {
				return nil, err
			}
			if slices.ContainsFunc(att.AttachedPolicies, func(p types.AttachedPolicy) bool { return aws.ToString(p.PolicyArn) == arn }) {
				out = append(out, aws.ToString(r.RoleName))
			}
		}
	}
	return out, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// trustPolicy is the role's trust policy: the file's, or the one the
// Cognito console writes for an identity pool's role.
func (a *applier) trustPolicy(r *Role) (string, error) {
	if r.AssumedBy != nil {
		return cognitoTrust(a.res.IdentityPools[r.AssumedBy.IdentityPool], r.AssumedBy.AMR), nil
	}
	return r.TrustPolicy.JSON(a.resolve)
}

// cognitoTrust is the Cognito console's trust policy for a role of an
// identity pool's authenticated (or unauthenticated) identities.
func cognitoTrust(poolID, amr string) string {
	if amr == "" {
		amr = "authenticated"
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"` + poolID + `"},` +
		`"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"` + amr + `"}}}]}`
}

func (a *applier) roles(ctx context.Context) error {
	if len(a.f.Roles) == 0 {
		return nil
	}
	have := map[string]types.Role{}
	pg := iam.NewListRolesPaginator(a.iam, &iam.ListRolesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list roles: %w", err)
		}
		for _, r := range page.Roles {
			have[strings.ToLower(aws.ToString(r.RoleName))] = r
		}
	}
	for i := range a.f.Roles {
		r := &a.f.Roles[i]
		listed, exists := have[strings.ToLower(r.Name)]
		if err := a.role(ctx, r, listed, exists); err != nil {
			return fmt.Errorf("role %s: %w", r.Name, err)
		}
	}
	return nil
}

func (a *applier) role(ctx context.Context, r *Role, listed types.Role, exists bool) error {
	trust, err := a.trustPolicy(r)
	if err != nil {
		return err
	}
	var d diff
	name := r.Name
	if !exists {
		arn := a.roleARN(r.Name)
		if err := a.write(func() error {
			out, err := a.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: &name, AssumeRolePolicyDocument: &trust,
				Path: aws.String(pathOr(r.Path)), Description: r.Description, MaxSessionDuration: int32p(r.MaxSessionDuration)})
			if err == nil {
				arn = aws.ToString(out.Role.Arn)
			}
			return err
		}); err != nil {
			return fmt.Errorf("create: %w", err)
		}
		a.res.Roles[r.Name] = arn
	} else {
		name = aws.ToString(listed.RoleName)
		got, err := a.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: &name})
		if err != nil {
			return err
		}
		cur := got.Role
		a.res.Roles[r.Name] = aws.ToString(cur.Arn)
		if r.Path != "" && r.Path != aws.ToString(cur.Path) {
			a.conflict("role", r.Name, "its path is %s; a role's path is fixed when it is created", aws.ToString(cur.Path))
		}
		if !sameJSON(decodeDocument(cur.AssumeRolePolicyDocument), trust) {
			d.add("trust policy")
			if err := a.write(func() error {
				_, err := a.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: &name, PolicyDocument: &trust})
				return err
			}); err != nil {
				return fmt.Errorf("update trust policy: %w", err)
			}
		}
		var settings diff
		upd := &iam.UpdateRoleInput{RoleName: &name, Description: cur.Description, MaxSessionDuration: cur.MaxSessionDuration}
		if r.Description != nil && *r.Description != aws.ToString(cur.Description) {
			settings.add("description")
			upd.Description = r.Description
		}
		if m := r.MaxSessionDuration; m != nil && int32(*m) != aws.ToInt32(cur.MaxSessionDuration) {
			settings.add("maxSessionDuration")
			upd.MaxSessionDuration = int32p(m)
		}
		if len(settings) > 0 {
			if err := a.write(func() error { _, err := a.iam.UpdateRole(ctx, upd); return err }); err != nil {
				return fmt.Errorf("update: %w", err)
			}
			d = append(d, settings...)
		}
	}
	if err := a.inlinePolicies(ctx, r, name, exists, &d); err != nil {
		return err
	}
	if err := a.attachPolicies(ctx, r, name, exists, &d); err != nil {
		return err
	}
	a.record(!exists, "role", r.Name, d)
	return nil
}

func (a *applier) inlinePolicies(ctx context.Context, r *Role, name string, exists bool, d *diff) error {
	var have []string
	if exists && len(r.Policies) > 0 {
		pg := iam.NewListRolePoliciesPaginator(a.iam, &iam.ListRolePoliciesInput{RoleName: &name})
		for pg.HasMorePages() {
			page, err := pg.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("list inline policies: %w", err)
			}
			have = append(have, page.PolicyNames...)
		}
	}
	for _, p := range r.Policies {
		doc, err := p.Document.JSON(a.resolve)
		if err != nil {
			return fmt.Errorf("inline policy %s: %w", p.Name, err)
		}
		if slices.Contains(have, p.Name) {
			cur, err := a.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &name, PolicyName: aws.String(p.Name)})
			if err != nil {
				return fmt.Errorf("inline policy %s: %w", p.Name, err)
			}
			if sameJSON(decodeDocument(cur.PolicyDocument), doc) {
				continue
			}
		}
		if exists {
			d.add("inline policy " + p.Name)
		}
		if err := a.write(func() error {
			_, err := a.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &name, PolicyName: aws.String(p.Name), PolicyDocument: &doc})
			return err
		}); err != nil {
			return fmt.Errorf("put inline policy %s: %w", p.Name, err)
		}
	}
	return nil
}

func (a *applier) attachPolicies(ctx context.Context, r *Role, name string, exists bool, d *diff) error {
	var have []string
	if exists && len(r.ManagedPolicies) > 0 {
		pg := iam.NewListAttachedRolePoliciesPaginator(a.iam, &iam.ListAttachedRolePoliciesInput{RoleName: &name})
		for pg.HasMorePages() {
			page, err := pg.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("list attached policies: %w", err)
			}
			for _, p := range page.AttachedPolicies {
				have = append(have, aws.ToString(p.PolicyArn))
			}
		}
	}
	for _, m := range r.ManagedPolicies {
		arn := a.policyARN(m)
		if slices.Contains(have, arn) {
			continue
		}
		if exists {
			d.add("attach " + m)
		}
		if err := a.write(func() error {
			_, err := a.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: &name, PolicyArn: &arn})
			return err
		}); err != nil {
			return fmt.Errorf("attach %s: %w", m, err)
		}
	}
	return nil
}

func int32p(n *int) *int32 {
	if n == nil {
		return nil
	}
	return aws.Int32(int32(*n))
}
