package iamapi

import (
	"time"

	"github.com/federa/federa/internal/iam"
	"github.com/federa/federa/internal/sigv4"
)

// encodeDocument percent-encodes a policy document as IAM returns it; both
// url.QueryUnescape and Python's urllib.parse.unquote (the aws CLI) restore it.
func encodeDocument(doc string) string { return sigv4.URIEncode(doc) }

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

type tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type roleXML struct {
	Path                     string `xml:"Path"`
	RoleName                 string `xml:"RoleName"`
	RoleID                   string `xml:"RoleId"`
	Arn                      string `xml:"Arn"`
	CreateDate               string `xml:"CreateDate"`
	AssumeRolePolicyDocument string `xml:"AssumeRolePolicyDocument,omitempty"`
	Description              string `xml:"Description,omitempty"`
	MaxSessionDuration       int    `xml:"MaxSessionDuration,omitempty"`
	// PermissionsBoundary is IAM's AttachedPermissionsBoundary.
	PermissionsBoundary *boundaryXML `xml:"PermissionsBoundary,omitempty"`
	Tags                []tag        `xml:"Tags>member,omitempty"`
}

type boundaryXML struct {
	PermissionsBoundaryType string `xml:"PermissionsBoundaryType"`
	PermissionsBoundaryArn  string `xml:"PermissionsBoundaryArn"`
}

func encodeRole(r iam.Role) roleXML {
	x := roleXML{Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: r.ARN, CreateDate: isoTime(r.CreatedAt),
		AssumeRolePolicyDocument: encodeDocument(r.TrustPolicy), Description: r.Description, MaxSessionDuration: r.MaxSessionDuration}
	if r.PermissionsBoundary != "" {
		x.PermissionsBoundary = &boundaryXML{"PermissionsBoundaryPolicy", r.PermissionsBoundary}
	}
	x.Tags = encodeTags(r.Tags)
	return x
}

type policyXML struct {
	PolicyName                    string `xml:"PolicyName"`
	PolicyID                      string `xml:"PolicyId"`
	Arn                           string `xml:"Arn"`
	Path                          string `xml:"Path"`
	DefaultVersionID              string `xml:"DefaultVersionId"`
	AttachmentCount               int    `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int    `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool   `xml:"IsAttachable"`
	Description                   string `xml:"Description,omitempty"`
	CreateDate                    string `xml:"CreateDate"`
	UpdateDate                    string `xml:"UpdateDate"`
}

func encodePolicy(p iam.ManagedPolicy) policyXML {
	return policyXML{PolicyName: p.Name, PolicyID: p.ID, Arn: p.ARN, Path: p.Path, DefaultVersionID: p.DefaultVersionID,
		AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount, IsAttachable: true, Description: p.Description,
		CreateDate: isoTime(p.CreatedAt), UpdateDate: isoTime(p.UpdatedAt)}
}
