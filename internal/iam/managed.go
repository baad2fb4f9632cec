package iam

import (
	_ "embed"
	"encoding/json"
	"sort"
	"time"
)

// ManagedPolicy is a managed policy as IAM describes it (AWS's or the
// customer's), with its default document.
type ManagedPolicy struct {
	ARN, Name, ID, Path, Description, DefaultVersionID string
	Document                                           string
	AWSManaged                                         bool
	CreatedAt, UpdatedAt                               time.Time
	AttachmentCount                                    int
	PermissionsBoundaryUsageCount                      int
}

//go:embed managed_policies.json
var managedJSON []byte

// catalog holds the AWS managed policies federa knows, by ARN.
type catalog map[string]ManagedPolicy

func loadCatalog() catalog {
	var entries []struct {
		Name, ID, Version, Description, Created, Updated string
		Document                                         json.RawMessage
	}
	if err := json.Unmarshal(managedJSON, &entries); err != nil {
		panic("iam: managed_policies.json: " + err.Error())
	}
	c := catalog{}
	for _, e := range entries {
		created, _ := time.Parse(time.RFC3339, e.Created)
		updated, _ := time.Parse(time.RFC3339, e.Updated)
		arn := "arn:aws:iam::aws:policy/" + e.Name
		c[arn] = ManagedPolicy{ARN: arn, Name: e.Name, ID: e.ID, Path: "/", Description: e.Description,
			DefaultVersionID: e.Version, Document: string(e.Document), AWSManaged: true, CreatedAt: created, UpdatedAt: updated}
	}
	return c
}

func (c catalog) sorted() []ManagedPolicy {
	out := make([]ManagedPolicy, 0, len(c))
	for _, p := range c {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
