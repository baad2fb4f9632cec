package store

import (
	"context"
	"time"
)

// RestAPI is an API Gateway REST API. Its whole definition — resources,
// methods, integrations, authorizers, deployments and stages — is the
// service's document in Spec, so that one read serves an invocation.
type RestAPI struct {
	ID        string
	Name      string
	CreatedAt time.Time
	Spec      []byte
}

// RestAPIs persists REST APIs.
type RestAPIs interface {
	// CreateRestAPI returns ErrExists when the id is taken.
	CreateRestAPI(ctx context.Context, a RestAPI) error
	GetRestAPI(ctx context.Context, id string) (RestAPI, error)
	// ListRestAPIs lists APIs ordered by id, those after the given one, at
	// most limit.
	ListRestAPIs(ctx context.Context, after string, limit int) ([]RestAPI, error)
	UpdateRestAPI(ctx context.Context, id string, fn func(*RestAPI) error) (RestAPI, error)
	DeleteRestAPI(ctx context.Context, id string) error
}
