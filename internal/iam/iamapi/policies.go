package iamapi

import (
	"context"

	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/protocol/awsquery"
)

type policyResult struct {
	Policy policyXML `xml:"Policy"`
}

func (a api) createPolicy(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "PolicyName", "PolicyDocument")
	if err != nil {
		return nil, err
	}
	name, doc := params[0], params[1]
	p, err := a.svc.CreatePolicy(ctx, iam.CreatePolicyInput{Name: name, Path: q.Get("Path"), Description: q.Get("Description"), Document: doc})
	if err != nil {
		return nil, err
	}
	return policyResult{encodePolicy(p)}, nil
}

func (a api) getPolicy(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "PolicyArn")
	if err != nil {
		return nil, err
	}
	arn := params[0]
	p, err := a.svc.GetPolicy(ctx, arn)
	if err != nil {
		return nil, err
	}
	return policyResult{encodePolicy(p)}, nil
}

type policyVersionResult struct {
	PolicyVersion struct {
		Document         string `xml:"Document"`
		VersionID        string `xml:"VersionId"`
		IsDefaultVersion bool   `xml:"IsDefaultVersion"`
		CreateDate       string `xml:"CreateDate"`
	} `xml:"PolicyVersion"`
}

func (a api) getPolicyVersion(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "PolicyArn", "VersionId")
	if err != nil {
		return nil, err
	}
	arn, version := params[0], params[1]
	v, isDefault, err := a.svc.GetPolicyVersion(ctx, arn, version)
	if err != nil {
		return nil, err
	}
	var res policyVersionResult
	res.PolicyVersion.Document = encodeDocument(v.Document)
	res.PolicyVersion.VersionID = v.ID
	res.PolicyVersion.IsDefaultVersion = isDefault
	res.PolicyVersion.CreateDate = isoTime(v.CreatedAt)
	return res, nil
}

type listPoliciesResult struct {
	Policies    []policyXML `xml:"Policies>member"`
	IsTruncated bool        `xml:"IsTruncated"`
	Marker      string      `xml:"Marker,omitempty"`
}

func (a api) listPolicies(ctx context.Context, q awsquery.Values) (any, error) {
	marker, max, err := paging(q)
	if err != nil {
		return nil, err
	}
	list, next, err := a.svc.ListPolicies(ctx, iam.ListPoliciesInput{Scope: q.Get("Scope"), OnlyAttached: q.Get("OnlyAttached") == "true",
		PathPrefix: q.Get("PathPrefix"), Marker: marker, MaxItems: max})
	if err != nil {
		return nil, err
	}
	res := listPoliciesResult{Policies: []policyXML{}, IsTruncated: next != "", Marker: next}
	for _, p := range list {
		res.Policies = append(res.Policies, encodePolicy(p))
	}
	return res, nil
}

func (a api) deletePolicy(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "PolicyArn")
	if err != nil {
		return nil, err
	}
	arn := params[0]
	return nil, a.svc.DeletePolicy(ctx, arn)
}
