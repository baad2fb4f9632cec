package gatewayapi

import (
	"time"

	"github.com/federa/federa/internal/gateway"
)

// The JSON shapes of the answers, named and spelled as in the apigateway
// model. rest-json sends timestamps as epoch seconds.

func epoch(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// restAPI is RestApi, plus federa's "cors" member (see
// gateway.Service.UpdateRestApi).
type restAPI struct {
	ID                    string        `json:"id"`
	Name                  string        `json:"name"`
	Description           string        `json:"description,omitempty"`
	CreatedDate           float64       `json:"createdDate"`
	RootResourceID        string        `json:"rootResourceId"`
	APIKeySource          string        `json:"apiKeySource"`
	EndpointConfiguration endpointTypes `json:"endpointConfiguration"`
	CORS                  *gateway.CORS `json:"cors,omitempty"`
}

type endpointTypes struct {
	Types []string `json:"types"`
}

func toRestAPI(a *gateway.API) restAPI {
	return restAPI{ID: a.ID, Name: a.Name, Description: a.Description, CreatedDate: epoch(a.CreatedDate),
		RootResourceID: a.RootResourceID, APIKeySource: "HEADER", EndpointConfiguration: endpointTypes{Types: []string{"REGIONAL"}}, CORS: a.CORS}
}

// page is the shape of every paged list: {"item": [...], "position": …}.
type page[T any] struct {
	Items    []T    `json:"item"`
	Position string `json:"position,omitempty"`
}

func newPage[T any](items []T, position string) page[T] {
	if items == nil {
		items = []T{}
	}
	return page[T]{Items: items, Position: position}
}

// deployment is Deployment: its snapshot stays inside federa.
type deployment struct {
	ID          string  `json:"id"`
	Description string  `json:"description,omitempty"`
	CreatedDate float64 `json:"createdDate"`
}

func toDeployment(d *gateway.Deployment) deployment {
	return deployment{ID: d.ID, Description: d.Description, CreatedDate: epoch(d.CreatedDate)}
}

// stage is Stage; the stage-wide throttling is the "*/*" method setting.
type stage struct {
	StageName       string                   `json:"stageName"`
	DeploymentID    string                   `json:"deploymentId"`
	Description     string                   `json:"description,omitempty"`
	Variables       map[string]string        `json:"variables,omitempty"`
	MethodSettings  map[string]methodSetting `json:"methodSettings,omitempty"`
	CreatedDate     float64                  `json:"createdDate"`
	LastUpdatedDate float64                  `json:"lastUpdatedDate"`
}

type methodSetting struct {
	ThrottlingRateLimit  float64 `json:"throttlingRateLimit"`
	ThrottlingBurstLimit int     `json:"throttlingBurstLimit"`
}

func toStage(s *gateway.Stage) stage {
	out := stage{StageName: s.StageName, DeploymentID: s.DeploymentID, Description: s.Description, Variables: s.Variables,
		CreatedDate: epoch(s.CreatedDate), LastUpdatedDate: epoch(s.LastUpdated)}
	if s.ThrottleRate != 0 || s.ThrottleBurst != 0 {
		out.MethodSettings = map[string]methodSetting{"*/*": {ThrottlingRateLimit: s.ThrottleRate, ThrottlingBurstLimit: s.ThrottleBurst}}
	}
	return out
}
