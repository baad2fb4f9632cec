package gateway

import (
	"context"
	"maps"
	"sort"
	"strconv"
	"strings"
)

// CreateDeploymentInput is the body of CreateDeployment.
type CreateDeploymentInput struct {
	// StageName, when set, points that stage (created if need be) at the
	// new deployment.
	StageName        string            `json:"stageName,omitempty"`
	StageDescription string            `json:"stageDescription,omitempty"`
	Description      string            `json:"description,omitempty"`
	Variables        map[string]string `json:"variables,omitempty"`
}

// CreateDeployment snapshots the API's resources and authorizers: stages
// serve snapshots, so later changes take effect when deployed again.
func (s *Service) CreateDeployment(ctx context.Context, apiID string, in CreateDeploymentInput) (*Deployment, error) {
	if in.StageName != "" {
		if err := checkStageName(in.StageName); err != nil {
			return nil, err
		}
	}
	var out *Deployment
	_, err := s.update(ctx, apiID, func(a *API) error {
		methods := 0
		for _, r := range a.Resources {
			for verb, m := range r.Methods {
				if m.Integration == nil {
					return ErrBadRequest.New("No integration defined for method %s %s: PutIntegration before deploying", verb, r.Path)
				}
				methods++
			}
		}
		if methods == 0 {
			return ErrBadRequest.New("The REST API doesn't contain any methods: PutMethod and PutIntegration before deploying")
		}
		now := s.now().UTC()
		d := &Deployment{ID: newID(6), Description: in.Description, CreatedDate: now,
			Resources: clone(a.Resources), Authorizers: clone(a.Authorizers)}
		a.Deployments[d.ID] = d
		if in.StageName != "" {
			st := a.Stages[in.StageName]
			if st == nil {
				st = &Stage{StageName: in.StageName, CreatedDate: now}
				a.Stages[in.StageName] = st
			}
			st.DeploymentID, st.LastUpdated = d.ID, now
			if in.StageDescription != "" {
				st.Description = in.StageDescription
			}
			if len(in.Variables) > 0 {
				if st.Variables == nil {
					st.Variables = map[string]string{}
				}
				maps.Copy(st.Variables, in.Variables)
			}
		}
		out = d
		return nil
	})
	return out, err
}

// GetDeployments lists an API's deployments, oldest first.
func (s *Service) GetDeployments(ctx context.Context, apiID, position string, limit int) ([]*Deployment, string, error) {
	a, err := s.Get(ctx, apiID)
	if err != nil {
		return nil, "", err
	}
	list := make([]*Deployment, 0, len(a.Deployments))
	for _, d := range a.Deployments {
		list = append(list, d)
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].CreatedDate.Equal(list[j].CreatedDate) {
			return list[i].CreatedDate.Before(list[j].CreatedDate)
		}
		return list[i].ID < list[j].ID
	})
	return pageAfter(list, func(d *Deployment) string { return d.ID }, position, limit)
}

// GetDeployment returns one deployment.
func (s *Service) GetDeployment(ctx context.Context, apiID, deploymentID string) (*Deployment, error) {
	a, err := s.Get(ctx, apiID)
	if err != nil {
		return nil, err
	}
	return a.deployment(deploymentID)
}

func (a *API) deployment(id string) (*Deployment, error) {
	d := a.Deployments[id]
	if d == nil {
		return nil, ErrNotFound.New("Invalid Deployment identifier specified: %s", id)
	}
	return d, nil
}

// DeleteDeployment deletes a deployment no stage serves.
func (s *Service) DeleteDeployment(ctx context.Context, apiID, deploymentID string) error {
	_, err := s.update(ctx, apiID, func(a *API) error {
		if _, err := a.deployment(deploymentID); err != nil {
			return err
		}
		for _, st := range a.Stages {
			if st.DeploymentID == deploymentID {
				return ErrBadRequest.New("Active stages pointing to this deployment must be moved or deleted: stage %s serves %s", st.StageName, deploymentID)
			}
		}
		delete(a.Deployments, deploymentID)
		return nil
	})
	return err
}

// CreateStageInput is the body of CreateStage.
type CreateStageInput struct {
	StageName    string            `json:"stageName"`
	DeploymentID string            `json:"deploymentId"`
	Description  string            `json:"description,omitempty"`
	Variables    map[string]string `json:"variables,omitempty"`
}

// checkStageName: stage names are the first segment of invoke URLs;
// API Gateway allows letters, digits, hyphens and underscores (128 at most).
func checkStageName(n string) error {
	if n == "" || len(n) > 128 || strings.IndexFunc(n, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) >= 0 {
		return ErrBadRequest.New("Stage name only allows a-zA-Z0-9_- (128 at most): got %q", n)
	}
	return nil
}

// CreateStage names a deployment.
func (s *Service) CreateStage(ctx context.Context, apiID string, in CreateStageInput) (*Stage, error) {
	if err := checkStageName(in.StageName); err != nil {
		return nil, err
	}
	var out *Stage
	_, err := s.update(ctx, apiID, func(a *API) error {
		if a.Deployments[in.DeploymentID] == nil {
			return ErrBadRequest.New("Invalid deployment identifier specified: %q; CreateDeployment first and pass its id", in.DeploymentID)
		}
		if a.Stages[in.StageName] != nil {
			return ErrConflict.New("Stage already exists: %s", in.StageName)
		}
		now := s.now().UTC()
		out = &Stage{StageName: in.StageName, DeploymentID: in.DeploymentID, Description: in.Description,
			Variables: maps.Clone(in.Variables), CreatedDate: now, LastUpdated: now}
		a.Stages[in.StageName] = out
		return nil
	})
	return out, err
}

// GetStages lists an API's stages by name.
func (s *Service) GetStages(ctx context.Context, apiID string) ([]*Stage, error) {
	a, err := s.Get(ctx, apiID)
	if err != nil {
		return nil, err
	}
	list := make([]*Stage, 0, len(a.Stages))
	for _, st := range a.Stages {
		list = append(list, st)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].StageName < list[j].StageName })
	return list, nil
}

// GetStage returns one stage.
func (s *Service) GetStage(ctx context.Context, apiID, stageName string) (*Stage, error) {
	a, err := s.Get(ctx, apiID)
	if err != nil {
		return nil, err
	}
	return a.stage(stageName)
}

func (a *API) stage(name string) (*Stage, error) {
	st := a.Stages[name]
	if st == nil {
		return nil, ErrNotFound.New("Invalid Stage identifier specified: %s", name)
	}
	return st, nil
}

// UpdateStage applies patch operations to a stage. federa takes:
//
//	replace /deploymentId                       <deployment id>
//	replace /description                        <text>
//	replace /*/*/throttling/rateLimit           <requests per second>
//	replace /*/*/throttling/burstLimit          <requests>
//	remove  /*/*/throttling/rateLimit|burstLimit (no limit)
//	replace|add /variables/<name>               <value>
//	remove  /variables/<name>
//
// Throttling applies to the whole stage (the "*/*" method settings of AWS).
func (s *Service) UpdateStage(ctx context.Context, apiID, stageName string, ops []PatchOperation) (*Stage, error) {
	var out *Stage
	_, err := s.update(ctx, apiID, func(a *API) error {
		st, err := a.stage(stageName)
		if err != nil {
			return err
		}
		for _, op := range ops {
			if err := patchStage(a, st, op); err != nil {
				return err
			}
		}
		st.LastUpdated = s.now().UTC()
		out = st
		return nil
	})
	return out, err
}

func patchStage(a *API, st *Stage, op PatchOperation) error {
	set := op.Op == "replace" || op.Op == "add"
	if !set && op.Op != "remove" {
		return badPatch(op, "stages take op replace, add or remove")
	}
	if name, ok := strings.CutPrefix(op.Path, "/variables/"); ok && name != "" {
		if !set {
			delete(st.Variables, name)
			return nil
		}
		if st.Variables == nil {
			st.Variables = map[string]string{}
		}
		st.Variables[name] = op.Value
		return nil
	}
	switch {
	case op.Path == "/deploymentId" && set:
		if a.Deployments[op.Value] == nil {
			return ErrBadRequest.New("Invalid deployment identifier specified: %q", op.Value)
		}
		st.DeploymentID = op.Value
	case op.Path == "/description":
		st.Description = ""
		if set {
			st.Description = op.Value
		}
	case op.Path == "/*/*/throttling/rateLimit":
		st.ThrottleRate = 0
		if set {
			v, err := strconv.ParseFloat(op.Value, 64)
			if err != nil || v < 0 {
				return ErrBadRequest.New("Invalid throttling rate limit %q: give requests per second, a number of at least 0", op.Value)
			}
			st.ThrottleRate = v
		}
	case op.Path == "/*/*/throttling/burstLimit":
		st.ThrottleBurst = 0
		if set {
			v, err := strconv.Atoi(op.Value)
			if err != nil || v < 0 {
				return ErrBadRequest.New("Invalid throttling burst limit %q: give a whole number of requests, at least 0", op.Value)
			}
			st.ThrottleBurst = v
		}
	default:
		return badPatch(op, "federa updates /deploymentId, /description, /*/*/throttling/rateLimit, /*/*/throttling/burstLimit and /variables/<name>")
	}
	return nil
}

// DeleteStage deletes a stage; its deployment stays.
func (s *Service) DeleteStage(ctx context.Context, apiID, stageName string) error {
	_, err := s.update(ctx, apiID, func(a *API) error {
		if _, err := a.stage(stageName); err != nil {
			return err
		}
		delete(a.Stages, stageName)
		return nil
	})
	return err
}
