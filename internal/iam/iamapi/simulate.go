package iamapi

import (
	"context"
	"strconv"
	"strings"

	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/protocol/awsquery"
)

type positionXML struct {
	Line   int `xml:"Line"`
	Column int `xml:"Column"`
}

type statementXML struct {
	SourcePolicyID   string      `xml:"SourcePolicyId"`
	SourcePolicyType string      `xml:"SourcePolicyType"`
	StartPosition    positionXML `xml:"StartPosition"`
	EndPosition      positionXML `xml:"EndPosition"`
}

type boundaryDetailXML struct {
	AllowedByPermissionsBoundary bool `xml:"AllowedByPermissionsBoundary"`
}

type evaluationResultXML struct {
	EvalActionName                    string             `xml:"EvalActionName"`
	EvalResourceName                  string             `xml:"EvalResourceName"`
	EvalDecision                      string             `xml:"EvalDecision"`
	MatchedStatements                 []statementXML     `xml:"MatchedStatements>member"`
	MissingContextValues              []string           `xml:"MissingContextValues>member"`
	PermissionsBoundaryDecisionDetail *boundaryDetailXML `xml:"PermissionsBoundaryDecisionDetail,omitempty"`
}

type simulateResult struct {
	EvaluationResults []evaluationResultXML `xml:"EvaluationResults>member"`
	IsTruncated       bool                  `xml:"IsTruncated"`
	Marker            string                `xml:"Marker,omitempty"`
}

func (a api) simulatePrincipalPolicy(ctx context.Context, q awsquery.Values) (any, error) {
	params, err := required(q, "PolicySourceArn")
	if err != nil {
		return nil, err
	}
	return a.simulate(ctx, q, params[0])
}

func (a api) simulateCustomPolicy(ctx context.Context, q awsquery.Values) (any, error) {
	if len(q.Strings("PolicyInputList")) == 0 {
		return nil, errValidation.New("1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null")
	}
	return a.simulate(ctx, q, "")
}

// simulate runs either simulation; they differ only in where the identity
// policies come from.
func (a api) simulate(ctx context.Context, q awsquery.Values, source string) (any, error) {
	in := iam.SimulationInput{
		PolicySourceARN: source,
		Policies:        q.Strings("PolicyInputList"),
		Boundaries:      q.Strings("PermissionsBoundaryPolicyInputList"),
		Actions:         q.Strings("ActionNames"),
		Resources:       q.Strings("ResourceArns"),
		ResourcePolicy:  q.Get("ResourcePolicy"),
		ResourceOwner:   q.Get("ResourceOwner"),
		CallerARN:       q.Get("CallerArn"),
	}
	if len(in.Actions) == 0 {
		return nil, errValidation.New("1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null")
	}
	for i, e := range q.Members("ContextEntries") {
		name := e.Get("ContextKeyName")
		if name == "" {
			return nil, iam.ErrInvalidInput.New("ContextEntries.member.%d needs a ContextKeyName.", i+1)
		}
		typ := e.Get("ContextKeyType")
		vals := e.Strings("ContextKeyValues")
		if !strings.HasSuffix(typ, "List") && len(vals) > 1 {
			return nil, iam.ErrInvalidInput.New("Context key %s of type %s takes one value, not %d; use a …List type for several.", name, typ, len(vals))
		}
		if in.Context == nil {
			in.Context = map[string][]string{}
		}
		in.Context[name] = vals
	}
	marker, max, err := paging(q)
	if err != nil {
		return nil, err
	}
	results, err := a.svc.Simulate(ctx, in)
	if err != nil {
		return nil, err
	}
	start := 0
	if marker != "" {
		if start, err = strconv.Atoi(marker); err != nil || start < 0 || start > len(results) {
			return nil, iam.ErrInvalidInput.New("Marker %q is not one this operation returned.", marker)
		}
	}
	if max == 0 {
		max = 100
	}
	var out simulateResult
	end := min(start+max, len(results))
	for _, r := range results[start:end] {
		x := evaluationResultXML{EvalActionName: r.Action, EvalResourceName: r.Resource, EvalDecision: r.Decision,
			MissingContextValues: r.Missing}
		for _, m := range r.Matched {
			x.MatchedStatements = append(x.MatchedStatements, statementXML{SourcePolicyID: m.SourcePolicyID, SourcePolicyType: m.SourcePolicyType,
				StartPosition: positionXML{m.Start.Line, m.Start.Column}, EndPosition: positionXML{m.End.Line, m.End.Column}})
		}
		if r.AllowedByBoundary != nil {
			x.PermissionsBoundaryDecisionDetail = &boundaryDetailXML{*r.AllowedByBoundary}
		}
		out.EvaluationResults = append(out.EvaluationResults, x)
	}
	if end < len(results) {
		out.IsTruncated, out.Marker = true, strconv.Itoa(end)
	}
	return out, nil
}
