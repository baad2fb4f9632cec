package gatewayapi

import (
	"context"
	"net/http"

	"github.com/federa/federa/internal/gateway"
)

// table is the routing table: the operations' HTTP bindings from the
// apigateway 2015-07-09 model, with its status codes (201 for creates,
// 202 for most deletes, 204 for method and integration deletes).
func (h *Handler) table() []route {
	s := h.svc
	var rs []route
	const (
		api         = "/restapis/{restapi_id}"
		resource    = api + "/resources/{resource_id}"
		method      = resource + "/methods/{http_method}"
		integration = method + "/integration"
	)
	h.add(&rs, "POST", "/restapis", "CreateRestApi", func(ctx context.Context, c *call) (int, any, error) {
		var in gateway.CreateRestApiInput
		if err := decode(c, &in); err != nil {
			return 0, nil, err
		}
		a, err := s.CreateRestApi(ctx, in)
		return created(err, func() any { return toRestAPI(a) })
	})
	h.add(&rs, "GET", "/restapis", "GetRestApis", func(ctx context.Context, c *call) (int, any, error) {
		pos, limit, err := paging(c)
		if err != nil {
			return 0, nil, err
		}
		p, err := s.GetRestApis(ctx, pos, limit)
		if err != nil {
			return 0, nil, err
		}
		items := make([]restAPI, 0, len(p.Items))
		for _, a := range p.Items {
			items = append(items, toRestAPI(a))
		}
		return ok(newPage(items, p.Position))
	})
	h.add(&rs, "GET", api, "GetRestApi", func(ctx context.Context, c *call) (int, any, error) {
		a, err := s.GetRestApi(ctx, c.p("restapi_id"))
		return answer(err, func() any { return toRestAPI(a) })
	})
	h.add(&rs, "PATCH", api, "UpdateRestApi", func(ctx context.Context, c *call) (int, any, error) {
		var in struct {
			PatchOperations []gateway.PatchOperation `json:"patchOperations"`
		}
		if err := decode(c, &in); err != nil {
			return 0, nil, err
		}
		a, err := s.UpdateRestApi(ctx, c.p("restapi_id"), in.PatchOperations)
		return answer(err, func() any { return toRestAPI(a) })
	})
	h.add(&rs, "DELETE", api, "DeleteRestApi", func(ctx context.Context, c *call) (int, any, error) {
		return deleted(http.StatusAccepted, s.DeleteRestApi(ctx, c.p("restapi_id")))
	})

	h.add(&rs, "GET", api+"/resources", "GetResources", func(ctx context.Context, c *call) (int, any, error) {
		pos, limit, err := paging(c)
		if err != nil {
			return 0, nil, err
		}
		items, next, err := s.GetResources(ctx, c.p("restapi_id"), pos, limit)
		return answer(err, func() any { return newPage(items, next) })
	})
	h.add(&rs, "GET", resource, "GetResource", func(ctx context.Context, c *call) (int, any, error) {
		r, err := s.GetResource(ctx, c.p("restapi_id"), c.p("resource_id"))
		return answer(err, func() any { return r })
	})
	h.add(&rs, "POST", api+"/resources/{parent_id}", "CreateResource", func(ctx context.Context, c *call) (int, any, error) {
		var in struct {
			PathPart string `json:"pathPart"`
		}
		if err := decode(c, &in); err != nil {
			return 0, nil, err
		}
		r, err := s.CreateResource(ctx, c.p("restapi_id"), c.p("parent_id"), in.PathPart)
		return created(err, func() any { return r })
	})
	h.add(&rs, "DELETE", resource, "DeleteResource", func(ctx context.Context, c *call) (int, any, error) {
		return deleted(http.StatusAccepted, s.DeleteResource(ctx, c.p("restapi_id"), c.p("resource_id")))
	})

	h.add(&rs, "PUT", method, "PutMethod", func(ctx context.Context, c *call) (int, any, error) {
		var in gateway.PutMethodInput
		if err := decode(c, &in); err != nil {
			return 0, nil, err
		}
		m, err := s.PutMethod(ctx, c.p("restapi_id"), c.p("resource_id"), c.p("http_method"), in)
		return created(err, func() any { return m })
	})
	h.add(&rs, "GET", method, "GetMethod", func(ctx context.Context, c *call) (int, any, error) {
		m, err := s.GetMethod(ctx, c.p("restapi_id"), c.p("resource_id"), c.p("http_method"))
		return answer(err, func() any { return m })
	})
	h.add(&rs, "DELETE", method, "DeleteMethod", func(ctx context.Context, c *call) (int, any, error) {
		return deleted(http.StatusNoContent, s.DeleteMethod(ctx, c.p("restapi_id"), c.p("resource_id"), c.p("http_method")))
	})
	h.add(&rs, "PUT", integration, "PutIntegration", func(ctx context.Context, c *call) (int, any, error) {
		var in gateway.PutIntegrationInput
		if err := decode(c, &in); err != nil {
			return 0, nil, err
		}
		ig, err := s.PutIntegration(ctx, c.p("restapi_id"), c.p("resource_id"), c.p("http_method"), in)
		return created(err, func() any { return ig })
	})
	h.add(&rs, "GET", integration, "GetIntegration", func(ctx context.Context, c *call) (int, any, error) {
		ig, err := s.GetIntegration(ctx, c.p("restapi_id"), c.p("resource_id"), c.p("http_method"))
		return answer(err, func() any { return ig })
	})
	h.add(&rs, "DELETE", integration, "DeleteIntegration", func(ctx context.Context, c *call) (int, any, error) {
		return deleted(http.StatusNoContent, s.DeleteIntegration(ctx, c.p("restapi_id"), c.p("resource_id"), c.p("http_method")))
	})

	h.add(&rs, "POST", api+"/authorizers", "CreateAuthorizer", func(ctx context.Context, c *call) (int, any, error) {
		var in gateway.CreateAuthorizerInput
		if err := decode(c, &in); err != nil {
			return 0, nil, err
		}
		az, err := s.CreateAuthorizer(ctx, c.p("restapi_id"), in)
		return created(err, func() any { return az })
	})
	h.add(&rs, "GET", api+"/authorizers", "GetAuthorizers", func(ctx context.Context, c *call) (int, any, error) {
		pos, limit, err := paging(c)
		if err != nil {
			return 0, nil, err
		}
		items, next, err := s.GetAuthorizers(ctx, c.p("restapi_id"), pos, limit)
		return answer(err, func() any { return newPage(items, next) })
	})
	h.add(&rs, "GET", api+"/authorizers/{authorizer_id}", "GetAuthorizer", func(ctx context.Context, c *call) (int, any, error) {
		az, err := s.GetAuthorizer(ctx, c.p("restapi_id"), c.p("authorizer_id"))
		return answer(err, func() any { return az })
	})
	h.add(&rs, "DELETE", api+"/authorizers/{authorizer_id}", "DeleteAuthorizer", func(ctx context.Context, c *call) (int, any, error) {
		return deleted(http.StatusAccepted, s.DeleteAuthorizer(ctx, c.p("restapi_id"), c.p("authorizer_id")))
	})

	h.add(&rs, "POST", api+"/deployments", "CreateDeployment", func(ctx context.Context, c *call) (int, any, error) {
		var in gateway.CreateDeploymentInput
		if err := decode(c, &in); err != nil {
			return 0, nil, err
		}
		d, err := s.CreateDeployment(ctx, c.p("restapi_id"), in)
		return created(err, func() any { return toDeployment(d) })
	})
	h.add(&rs, "GET", api+"/deployments", "GetDeployments", func(ctx context.Context, c *call) (int, any, error) {
		pos, limit, err := paging(c)
		if err != nil {
			return 0, nil, err
		}
		ds, next, err := s.GetDeployments(ctx, c.p("restapi_id"), pos, limit)
		if err != nil {
			return 0, nil, err
		}
		items := make([]deployment, 0, len(ds))
		for _, d := range ds {
			items = append(items, toDeployment(d))
		}
		return ok(newPage(items, next))
	})
	h.add(&rs, "GET", api+"/deployments/{deployment_id}", "GetDeployment", func(ctx context.Context, c *call) (int, any, error) {
		d, err := s.GetDeployment(ctx, c.p("restapi_id"), c.p("deployment_id"))
		return answer(err, func() any { return toDeployment(d) })
	})
	h.add(&rs, "DELETE", api+"/deployments/{deployment_id}", "DeleteDeployment", func(ctx context.Context, c *call) (int, any, error) {
		return deleted(http.StatusAccepted, s.DeleteDeployment(ctx, c.p("restapi_id"), c.p("deployment_id")))
	})

	h.add(&rs, "POST", api+"/stages", "CreateStage", func(ctx context.Context, c *call) (int, any, error) {
		var in gateway.CreateStageInput
		if err := decode(c, &in); err != nil {
			return 0, nil, err
		}
		st, err := s.CreateStage(ctx, c.p("restapi_id"), in)
		return created(err, func() any { return toStage(st) })
	})
	h.add(&rs, "GET", api+"/stages", "GetStages", func(ctx context.Context, c *call) (int, any, error) {
		sts, err := s.GetStages(ctx, c.p("restapi_id"))
		if err != nil {
			return 0, nil, err
		}
		items := make([]stage, 0, len(sts))
		for _, st := range sts {
			items = append(items, toStage(st))
		}
		// Stages is not paged: {"item": [...]}.
		return ok(newPage(items, ""))
	})
	h.add(&rs, "GET", api+"/stages/{stage_name}", "GetStage", func(ctx context.Context, c *call) (int, any, error) {
		st, err := s.GetStage(ctx, c.p("restapi_id"), c.p("stage_name"))
		return answer(err, func() any { return toStage(st) })
	})
	h.add(&rs, "PATCH", api+"/stages/{stage_name}", "UpdateStage", func(ctx context.Context, c *call) (int, any, error) {
		var in struct {
			PatchOperations []gateway.PatchOperation `json:"patchOperations"`
		}
		if err := decode(c, &in); err != nil {
			return 0, nil, err
		}
		st, err := s.UpdateStage(ctx, c.p("restapi_id"), c.p("stage_name"), in.PatchOperations)
		return answer(err, func() any { return toStage(st) })
	})
	h.add(&rs, "DELETE", api+"/stages/{stage_name}", "DeleteStage", func(ctx context.Context, c *call) (int, any, error) {
		return deleted(http.StatusAccepted, s.DeleteStage(ctx, c.p("restapi_id"), c.p("stage_name")))
	})
	return rs
}

func ok(body any) (int, any, error) { return http.StatusOK, body, nil }

// answer is 200 with body() unless err; body runs only without error, so
// it may use what the failed call left nil.
func answer(err error, body func() any) (int, any, error) {
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, body(), nil
}

func created(err error, body func() any) (int, any, error) {
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, body(), nil
}

func deleted(status int, err error) (int, any, error) {
	if err != nil {
		return 0, nil, err
	}
	return status, nil, nil
}
