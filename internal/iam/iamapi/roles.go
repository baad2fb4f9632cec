package iamapi

import (
	"context"

	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/protocol/awsquery"
)

type roleResult struct {
	Role roleXML `xml:"Role"`
}

func (a api) createRole(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName", "AssumeRolePolicyDocument")
	if err != nil {
		return nil, err
	}
	name, doc := params[0], params[1]
	max, _, err := q.Int("MaxSessionDuration")
	if err != nil {
		return nil, errValidation.New("MaxSessionDuration must be a number of seconds, not %q.", q.Get("MaxSessionDuration"))
	}
	tags := tagsOf(q)
	r, err := a.svc.CreateRole(ctx, iam.CreateRoleInput{Name: name, Path: q.Get("Path"), Description: q.Get("Description"),
		TrustPolicy: doc, MaxSessionDuration: max, Tags: tags, PermissionsBoundary: q.Get("PermissionsBoundary")})
	if err != nil {
		return nil, err
	}
	return roleResult{encodeRole(r)}, nil
}

func (a api) getRole(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName")
	if err != nil {
		return nil, err
	}
	name := params[0]
	r, err := a.svc.GetRole(ctx, name)
	if err != nil {
		return nil, err
	}
	return roleResult{encodeRole(r)}, nil
}

func (a api) putRolePermissionsBoundary(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName", "PermissionsBoundary")
	if err != nil {
		return nil, err
	}
	return struct{}{}, a.svc.PutRolePermissionsBoundary(ctx, params[0], params[1])
}

func (a api) deleteRolePermissionsBoundary(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName")
	if err != nil {
		return nil, err
	}
	return struct{}{}, a.svc.DeleteRolePermissionsBoundary(ctx, params[0])
}

type listRolesResult struct {
	Roles       []roleXML `xml:"Roles>member"`
	IsTruncated bool      `xml:"IsTruncated"`
	Marker      string    `xml:"Marker,omitempty"`
}

func (a api) listRoles(ctx context.Context, q awsquery.Values) (any, error) {
	marker, max, err := paging(q)
	if err != nil {
		return nil, err
	}
	roles, next, err := a.svc.ListRoles(ctx, q.Get("PathPrefix"), marker, max)
	if err != nil {
		return nil, err
	}
	res := listRolesResult{Roles: []roleXML{}, IsTruncated: next != "", Marker: next}
	for _, r := range roles {
		x := encodeRole(r)
		x.Tags = nil // ListRoles does not return tags
		res.Roles = append(res.Roles, x)
	}
	return res, nil
}

func (a api) updateRole(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName")
	if err != nil {
		return nil, err
	}
	name := params[0]
	var desc *string
	if q.Has("Description") {
		d := q.Get("Description")
		desc = &d
	}
	max, _, err := q.Int("MaxSessionDuration")
	if err != nil {
		return nil, errValidation.New("MaxSessionDuration must be a number of seconds, not %q.", q.Get("MaxSessionDuration"))
	}
	return struct{}{}, a.svc.UpdateRole(ctx, name, desc, max)
}

func (a api) updateAssumeRolePolicy(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName", "PolicyDocument")
	if err != nil {
		return nil, err
	}
	name, doc := params[0], params[1]
	return nil, a.svc.UpdateAssumeRolePolicy(ctx, name, doc)
}

func (a api) deleteRole(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName")
	if err != nil {
		return nil, err
	}
	name := params[0]
	return nil, a.svc.DeleteRole(ctx, name)
}

func (a api) putRolePolicy(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName", "PolicyName", "PolicyDocument")
	if err != nil {
		return nil, err
	}
	role, name, doc := params[0], params[1], params[2]
	return nil, a.svc.PutRolePolicy(ctx, role, name, doc)
}

type rolePolicyResult struct {
	RoleName       string `xml:"RoleName"`
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

func (a api) getRolePolicy(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName", "PolicyName")
	if err != nil {
		return nil, err
	}
	role, name := params[0], params[1]
	doc, err := a.svc.GetRolePolicy(ctx, role, name)
	if err != nil {
		return nil, err
	}
	return rolePolicyResult{role, name, encodeDocument(doc)}, nil
}

func (a api) deleteRolePolicy(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName", "PolicyName")
	if err != nil {
		return nil, err
	}
	role, name := params[0], params[1]
	return nil, a.svc.DeleteRolePolicy(ctx, role, name)
}

type listRolePoliciesResult struct {
	PolicyNames []string `xml:"PolicyNames>member"`
	IsTruncated bool     `xml:"IsTruncated"`
}

func (a api) listRolePolicies(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName")
	if err != nil {
		return nil, err
	}
	role := params[0]
	names, err := a.svc.ListRolePolicies(ctx, role)
	if err != nil {
		return nil, err
	}
	return listRolePoliciesResult{PolicyNames: append([]string{}, names...)}, nil
}

func (a api) attachRolePolicy(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName", "PolicyArn")
	if err != nil {
		return nil, err
	}
	role, arn := params[0], params[1]
	return nil, a.svc.AttachRolePolicy(ctx, role, arn)
}

func (a api) detachRolePolicy(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName", "PolicyArn")
	if err != nil {
		return nil, err
	}
	role, arn := params[0], params[1]
	return nil, a.svc.DetachRolePolicy(ctx, role, arn)
}

type attachedPolicyXML struct {
	PolicyName string `xml:"PolicyName"`
	PolicyArn  string `xml:"PolicyArn"`
}

type listAttachedResult struct {
	AttachedPolicies []attachedPolicyXML `xml:"AttachedPolicies>member"`
	IsTruncated      bool                `xml:"IsTruncated"`
}

func (a api) listAttachedRolePolicies(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "RoleName")
	if err != nil {
		return nil, err
	}
	role := params[0]
	list, err := a.svc.ListAttachedRolePolicies(ctx, role)
	if err != nil {
		return nil, err
	}
	res := listAttachedResult{AttachedPolicies: []attachedPolicyXML{}}
	for _, p := range list {
		res.AttachedPolicies = append(res.AttachedPolicies, attachedPolicyXML{p.Name, p.ARN})
	}
	return res, nil
}
