package gateway

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/federa/federa/internal/store"
)

// CreateRestApiInput is the body of CreateRestApi (members federa keeps).
type CreateRestApiInput struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// CreateRestApi creates an API with its root resource "/".
func (s *Service) CreateRestApi(ctx context.Context, in CreateRestApiInput) (*API, error) {
	if strings.TrimSpace(in.Name) == "" {
		return nil, ErrBadRequest.New("Invalid REST API name specified: give the API a non-empty name")
	}
	now := s.now().UTC()
	root := &Resource{ID: newID(10), Path: "/"}
	a := &API{Name: in.Name, Description: in.Description, CreatedDate: now, RootResourceID: root.ID,
		Resources: map[string]*Resource{root.ID: root}}
	a.ensureMaps()
	for try := 0; ; try++ {
		a.ID = newID(10)
		err := s.st.CreateRestAPI(ctx, store.RestAPI{ID: a.ID, Name: a.Name, CreatedAt: now, Spec: mustJSON(a)})
		if err == nil {
			return a, nil
		}
		if !errors.Is(err, store.ErrExists) || try == 3 {
			return nil, err
		}
	}
}

// RestAPIPage is one page of GetRestApis.
type RestAPIPage struct {
	Items    []*API
	Position string // "" on the last page
}

// maxLimit is the largest page API Gateway serves; 25 is its default.
const (
	defaultLimit = 25
	maxLimit     = 500
)

func pageLimit(limit int) (int, error) {
	switch {
	case limit == 0:
		return defaultLimit, nil
	case limit < 0 || limit > maxLimit:
		return 0, ErrBadRequest.New("Invalid limit %d: give a limit from 1 to %d", limit, maxLimit)
	}
	return limit, nil
}

// GetRestApis lists APIs by id, limit at a time after position (the
// position a previous page returned).
func (s *Service) GetRestApis(ctx context.Context, position string, limit int) (*RestAPIPage, error) {
	n, err := pageLimit(limit)
	if err != nil {
		return nil, err
	}
	recs, err := s.st.ListRestAPIs(ctx, position, n+1)
	if err != nil {
		return nil, err
	}
	page := &RestAPIPage{}
	if len(recs) > n {
		recs = recs[:n]
		page.Position = recs[n-1].ID
	}
	for _, rec := range recs {
		a, err := decode(rec)
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, a)
	}
	return page, nil
}

// GetRestApi returns one API.
func (s *Service) GetRestApi(ctx context.Context, id string) (*API, error) { return s.Get(ctx, id) }

// DeleteRestApi deletes an API with everything under it.
func (s *Service) DeleteRestApi(ctx context.Context, id string) error {
	return s.apiErr(id, s.st.DeleteRestAPI(ctx, id))
}

// PatchOperation is one change of an Update* call (RFC 6902 style, as API
// Gateway takes them).
type PatchOperation struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value string `json:"value,omitempty"`
	From  string `json:"from,omitempty"`
}

// UpdateRestApi applies patch operations to an API. Besides /name and
// /description, federa takes its CORS here (AWS has no such member: there
// CORS is built from OPTIONS methods with MOCK integrations):
//
//	replace /cors/allowOrigins   "https://app.example.com,http://localhost:3000"
//	replace /cors/allowMethods   "GET,POST"
//	replace /cors/allowHeaders   "authorization,content-type"
//	replace /cors/exposeHeaders  "x-request-id"
//	replace /cors/maxAge         "600"
//	remove  /cors                (no CORS)
//
// Lists are comma-separated. Setting any list member turns CORS on.
func (s *Service) UpdateRestApi(ctx context.Context, id string, ops []PatchOperation) (*API, error) {
	return s.update(ctx, id, func(a *API) error {
		for _, op := range ops {
			if err := patchAPI(a, op); err != nil {
				return err
			}
		}
		return nil
	})
}

func patchAPI(a *API, op PatchOperation) error {
	if op.Op == "remove" && op.Path == "/cors" {
		a.CORS = nil
		return nil
	}
	if op.Op != "replace" && op.Op != "add" {
		return badPatch(op, "/name, /description and /cors/... take op replace; /cors takes op remove")
	}
	switch op.Path {
	case "/name":
		if strings.TrimSpace(op.Value) == "" {
			return ErrBadRequest.New("Invalid REST API name specified: give the API a non-empty name")
		}
		a.Name = op.Value
		return nil
	case "/description":
		a.Description = op.Value
		return nil
	}
	member, ok := strings.CutPrefix(op.Path, "/cors/")
	if !ok {
		return badPatch(op, "federa updates /name, /description and /cors/{allowOrigins,allowMethods,allowHeaders,exposeHeaders,maxAge}")
	}
	if a.CORS == nil {
		a.CORS = &CORS{}
	}
	switch member {
	case "allowOrigins":
		a.CORS.AllowOrigins = splitList(op.Value)
	case "allowMethods":
		a.CORS.AllowMethods = splitList(op.Value)
	case "allowHeaders":
		a.CORS.AllowHeaders = splitList(op.Value)
	case "exposeHeaders":
		a.CORS.ExposeHeaders = splitList(op.Value)
	case "maxAge":
		n, err := strconv.Atoi(op.Value)
		if err != nil || n < 0 {
			return ErrBadRequest.New("Invalid value for /cors/maxAge: %q; give a number of seconds", op.Value)
		}
		a.CORS.MaxAge = n
	default:
		return badPatch(op, "the CORS members are allowOrigins, allowMethods, allowHeaders, exposeHeaders and maxAge")
	}
	return nil
}

func badPatch(op PatchOperation, hint string) error {
	return ErrBadRequest.New("Invalid patch operation specified: op %q on path %q is not supported; %s", op.Op, op.Path, hint)
}

func splitList(v string) []string {
	var out []string
	for f := range strings.SplitSeq(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// sortedResources returns the API's resources ordered by path, the order
// GetResources pages through.
func sortedResources(m map[string]*Resource) []*Resource {
	out := make([]*Resource, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// pageAfter returns the items after the one whose key is position, at most
// limit, and the position of the next page ("" on the last).
func pageAfter[T any](items []T, key func(T) string, position string, limit int) ([]T, string, error) {
	n, err := pageLimit(limit)
	if err != nil {
		return nil, "", err
	}
	start := 0
	if position != "" {
		start = -1
		for i, it := range items {
			if key(it) == position {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, "", ErrBadRequest.New("Invalid position %q: pass the position the previous page returned", position)
		}
	}
	items = items[start:]
	if len(items) > n {
		return items[:n], key(items[n-1]), nil
	}
	return items, "", nil
}
