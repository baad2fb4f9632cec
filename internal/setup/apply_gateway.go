package setup

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// The REST APIs are applied through API Gateway's own API, as any tool
// would: the API by name, then its authorizers, the resource tree its
// routes need, each method and integration, CORS, and the stages. A
// deployment is made only when a route or authorizer was written in this
// run, or a stage is missing, so that a second apply writes nothing.

// defaultTimeout is API Gateway's integration timeout when none is given.
const defaultTimeout = 29000

func (a *applier) restAPIs(ctx context.Context) error {
	if len(a.f.RestAPIs) == 0 {
		return nil
	}
	gw := apigateway.NewFromConfig(a.cfg)
	var list []types.RestApi
	pg := apigateway.NewGetRestApisPaginator(gw, &apigateway.GetRestApisInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list REST APIs: %w", err)
		}
		list = append(list, page.Items...)
	}
	for i := range a.f.RestAPIs {
		api := &a.f.RestAPIs[i]
		var found []types.RestApi
		for _, x := range list {
			if aws.ToString(x.Name) == api.Name {
				found = append(found, x)
			}
		}
		if len(found) > 1 {
			// API Gateway lets names repeat; apply finds APIs by name.
			a.conflict("REST API", api.Name, "%d APIs have this name; apply cannot tell which one the file means", len(found))
			continue
		}
		ap := &apiApplier{applier: a, gw: gw, api: api}
		if err := ap.apply(ctx, found); err != nil {
			return fmt.Errorf("REST API %s: %w", api.Name, err)
		}
	}
	return nil
}

// apiApplier applies one REST API.
type apiApplier struct {
	*applier
	gw  *apigateway.Client
	api *RestAPI
	id  string
	// byPath are the API's resources by path.
	byPath map[string]*types.Resource
	// deploy is set when a route or authorizer was written.
	deploy bool
	d      diff
}

func (p *apiApplier) apply(ctx context.Context, found []types.RestApi) error {
	isNew := len(found) == 0
	var cors *APICORS
	if isNew {
		in := &apigateway.CreateRestApiInput{Name: aws.String(p.api.Name), Description: nonEmpty(p.api.Description)}
		p.id = placeholder("REST API", p.api.Name)
		if err := p.write(func() error {
			out, err := p.gw.CreateRestApi(ctx, in)
			if err == nil {
				p.id = aws.ToString(out.Id)
			}
			return err
		}); err != nil {
			return fmt.Errorf("create: %w", err)
		}
	} else {
		p.id = aws.ToString(found[0].Id)
		var err error
		if cors, err = p.readCORS(ctx); err != nil {
			return err
		}
	}
	p.res.RestAPIs[p.api.Name] = p.id
	if err := p.settings(ctx, found, cors); err != nil {
		return err
	}
	if isPlaceholder(p.id) {
		// A dry run against an API not yet created: all of it is new.
		p.record(true, "REST API", p.api.Name, nil)
		return nil
	}
	authorizers, err := p.authorizers(ctx, isNew)
	if err != nil {
		return err
	}
	if err := p.routes(ctx, authorizers); err != nil {
		return err
	}
	if err := p.stages(ctx); err != nil {
		return err
	}
	p.record(isNew, "REST API", p.api.Name, p.d)
	return nil
}

// settings updates the description and CORS with one UpdateRestApi.
func (p *apiApplier) settings(ctx context.Context, found []types.RestApi, cur *APICORS) error {
	var ops []types.PatchOperation
	replace := func(path, value string) {
		ops = append(ops, types.PatchOperation{Op: types.OpReplace, Path: aws.String(path), Value: aws.String(value)})
	}
	if len(found) > 0 && p.api.Description != "" && aws.ToString(found[0].Description) != p.api.Description {
		p.d.add("description")
		replace("/description", p.api.Description)
	}
	if want := p.api.CORS; want != nil && !sameAPICORS(cur, want) {
		if len(found) > 0 {
			p.d.add("cors")
		}
		replace("/cors/allowOrigins", strings.Join(want.AllowOrigins, ","))
		replace("/cors/allowMethods", strings.Join(want.AllowMethods, ","))
		replace("/cors/allowHeaders", strings.Join(want.AllowHeaders, ","))
		replace("/cors/exposeHeaders", strings.Join(want.ExposeHeaders, ","))
		if want.MaxAge != nil {
			replace("/cors/maxAge", fmt.Sprint(*want.MaxAge))
		}
	}
	if len(ops) == 0 {
		return nil
	}
	return p.write(func() error {
		_, err := p.gw.UpdateRestApi(ctx, &apigateway.UpdateRestApiInput{RestApiId: aws.String(p.id), PatchOperations: ops})
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		return nil
	})
}

// sameAPICORS compares CORS answers: the lists as sets, maxAge when the
// file gives one.
func sameAPICORS(cur, want *APICORS) bool {
	if cur == nil {
		return false
	}
	return sameSet(cur.AllowOrigins, want.AllowOrigins) && sameSet(cur.AllowMethods, want.AllowMethods) &&
		sameSet(cur.AllowHeaders, want.AllowHeaders) && sameSet(cur.ExposeHeaders, want.ExposeHeaders) &&
		(want.MaxAge == nil || (cur.MaxAge != nil && *cur.MaxAge == *want.MaxAge))
}

// authorizers creates the file's authorizers that are missing and returns
// every authorizer's id by name. One that differs is a conflict: federa
// has no UpdateAuthorizer.
func (p *apiApplier) authorizers(ctx context.Context, isNew bool) (map[string]string, error) {
	ids := map[string]string{}
	cur := map[string]types.Authorizer{}
	if !isNew {
		in := &apigateway.GetAuthorizersInput{RestApiId: aws.String(p.id)}
		for {
			out, err := p.gw.GetAuthorizers(ctx, in)
			if err != nil {
				return nil, fmt.Errorf("get authorizers: %w", err)
			}
			for _, x := range out.Items {
				cur[aws.ToString(x.Name)] = x
			}
			if aws.ToString(out.Position) == "" {
				break
			}
			in.Position = out.Position
		}
	}
	for _, az := range p.api.Authorizers {
		arns := make([]string, len(az.UserPools))
		for i, pool := range az.UserPools {
			arns[i] = p.userPoolARN(pool)
		}
		source := or(az.IdentitySource, "method.request.header.Authorization")
		if x, ok := cur[az.Name]; ok {
			ids[az.Name] = aws.ToString(x.Id)
			if !sameSet(x.ProviderARNs, arns) || or(aws.ToString(x.IdentitySource), "method.request.header.Authorization") != source {
				p.conflict("REST API", p.api.Name, "authorizer %s differs from the file (user pools or identity source); delete it to have apply recreate it", az.Name)
			}
			continue
		}
		ids[az.Name] = placeholder("authorizer", az.Name)
		p.d.add("authorizer " + az.Name)
		p.deploy = true
		if err := p.write(func() error {
			out, err := p.gw.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: aws.String(p.id), Name: aws.String(az.Name),
				Type: types.AuthorizerTypeCognitoUserPools, ProviderARNs: arns, IdentitySource: aws.String(source)})
			if err == nil {
				ids[az.Name] = aws.ToString(out.Id)
			}
			return err
		}); err != nil {
			return nil, fmt.Errorf("create authorizer %s: %w", az.Name, err)
		}
	}
	return ids, nil
}

// userPoolARN is the ARN of a user pool named by ref: an ARN, or a pool of
// the file.
func (a *applier) userPoolARN(ref string) string {
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	id := a.res.UserPools[ref]
	if id == "" {
		id = placeholder("user pool", ref)
	}
	return "arn:aws:cognito-idp:" + a.region + ":" + a.account + ":userpool/" + id
}

// routes builds the resource tree and puts each route's method and
// integration where they differ from the file.
func (p *apiApplier) routes(ctx context.Context, authorizers map[string]string) error {
	p.byPath = map[string]*types.Resource{}
	pg := apigateway.NewGetResourcesPaginator(p.gw, &apigateway.GetResourcesInput{RestApiId: aws.String(p.id), Embed: []string{"methods"}})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("get resources: %w", err)
		}
		for i := range page.Items {
			p.byPath[aws.ToString(page.Items[i].Path)] = &page.Items[i]
		}
	}
	routes := slices.Clone(p.api.Routes)
	sort.SliceStable(routes, func(i, j int) bool { return routes[i].Path < routes[j].Path })
	for _, r := range routes {
		res, err := p.resource(ctx, r.Path)
		if err != nil {
			return err
		}
		if err := p.method(ctx, res, r, authorizers); err != nil {
			return fmt.Errorf("%s %s: %w", r.Method, r.Path, err)
		}
	}
	return nil
}

// resource returns the resource at path, creating it and its missing
// ancestors.
func (p *apiApplier) resource(ctx context.Context, path string) (*types.Resource, error) {
	if r, ok := p.byPath[path]; ok {
		return r, nil
	}
	if path == "/" {
		return nil, fmt.Errorf("the API has no root resource")
	}
	i := strings.LastIndexByte(path, '/')
	parent, err := p.resource(ctx, or(path[:i], "/"))
	if err != nil {
		return nil, err
	}
	r := &types.Resource{Id: aws.String(placeholder("resource", path)), Path: aws.String(path), PathPart: aws.String(path[i+1:])}
	if err := p.write(func() error {
		out, err := p.gw.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: aws.String(p.id), ParentId: parent.Id, PathPart: r.PathPart})
		if err == nil {
			r.Id = out.Id
		}
		return err
	}); err != nil {
		return nil, fmt.Errorf("create resource %s: %w", path, err)
	}
	p.byPath[path] = r
	return r, nil
}

// method puts a route's method and integration when they differ.
func (p *apiApplier) method(ctx context.Context, res *types.Resource, r Route, authorizers map[string]string) error {
	auth := or(r.Auth, "NONE")
	authorizerID := ""
	if r.Authorizer != "" {
		authorizerID = authorizers[r.Authorizer]
	}
	cur, exists := res.ResourceMethods[r.Method]
	if !exists || aws.ToString(cur.AuthorizationType) != auth || aws.ToString(cur.AuthorizerId) != authorizerID || !sameSet(cur.AuthorizationScopes, r.Scopes) {
		if err := p.write(func() error {
			_, err := p.gw.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: aws.String(p.id), ResourceId: res.Id, HttpMethod: aws.String(r.Method),
				AuthorizationType: aws.String(auth), AuthorizerId: nonEmpty(authorizerID), AuthorizationScopes: r.Scopes})
			return err
		}); err != nil {
			return fmt.Errorf("put method: %w", err)
		}
		p.routeChanged(r, "method")
		// PutMethod replaces the method's integration too.
		cur.MethodIntegration = nil
	}
	in := r.Integration
	method := integrationMethod(r)
	if c := cur.MethodIntegration; c == nil || string(c.Type) != in.Type || aws.ToString(c.Uri) != in.URI ||
		(method != "" && aws.ToString(c.HttpMethod) != method) || (in.TimeoutMillis != nil && int(c.TimeoutInMillis) != *in.TimeoutMillis) {
		put := &apigateway.PutIntegrationInput{RestApiId: aws.String(p.id), ResourceId: res.Id, HttpMethod: aws.String(r.Method),
			Type: types.IntegrationType(in.Type), Uri: nonEmpty(in.URI), IntegrationHttpMethod: nonEmpty(method)}
		if in.TimeoutMillis != nil {
			put.TimeoutInMillis = aws.Int32(int32(*in.TimeoutMillis))
		}
		if err := p.write(func() error { _, err := p.gw.PutIntegration(ctx, put); return err }); err != nil {
			return fmt.Errorf("put integration: %w", err)
		}
		p.routeChanged(r, "integration")
	}
	return nil
}

// integrationMethod is the method a route's upstream is called with: the
// file's, else POST for AWS_PROXY (a Lambda is always invoked with POST)
// and the route's own for HTTP_PROXY.
func integrationMethod(r Route) string {
	switch {
	case r.Integration.HTTPMethod != "":
		return r.Integration.HTTPMethod
	case r.Integration.Type == "AWS_PROXY":
		return "POST"
	case r.Integration.Type == "HTTP_PROXY":
		return r.Method
	}
	return ""
}

func (p *apiApplier) routeChanged(r Route, what string) {
	name := "route " + r.Method + " " + r.Path
	if !slices.Contains(p.d, name) {
		p.d.add(name)
	}
	p.deploy = true
}

// stages deploys when something changed or a stage is missing, then
// creates missing stages and updates the others' deployment, description
// and throttling.
func (p *apiApplier) stages(ctx context.Context) error {
	if len(p.api.Stages) == 0 {
		return nil
	}
	out, err := p.gw.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: aws.String(p.id)})
	if err != nil {
		return fmt.Errorf("get stages: %w", err)
	}
	cur := map[string]types.Stage{}
	deployment := ""
	for _, s := range out.Item {
		cur[aws.ToString(s.StageName)] = s
		if deployment == "" {
			deployment = aws.ToString(s.DeploymentId)
		}
	}
	missing := slices.ContainsFunc(p.api.Stages, func(s Stage) bool { _, ok := cur[s.Name]; return !ok })
	if p.deploy || (missing && deployment == "") {
		deployment = placeholder("deployment", p.api.Name)
		if err := p.write(func() error {
			out, err := p.gw.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: aws.String(p.id), Description: aws.String("federa apply")})
			if err == nil {
				deployment = aws.ToString(out.Id)
			}
			return err
		}); err != nil {
			return fmt.Errorf("create deployment: %w", err)
		}
	}
	for _, s := range p.api.Stages {
		c, ok := cur[s.Name]
		var ops []types.PatchOperation
		replace := func(path, value string) {
			ops = append(ops, types.PatchOperation{Op: types.OpReplace, Path: aws.String(path), Value: aws.String(value)})
		}
		if !ok {
			p.d.add("stage " + s.Name)
			if err := p.write(func() error {
				_, err := p.gw.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: aws.String(p.id), StageName: aws.String(s.Name),
					DeploymentId: aws.String(deployment), Description: nonEmpty(s.Description)})
				return err
			}); err != nil {
				return fmt.Errorf("create stage %s: %w", s.Name, err)
			}
		} else {
			if aws.ToString(c.DeploymentId) != deployment {
				p.d.add("deployed to " + s.Name)
				replace("/deploymentId", deployment)
			}
			if s.Description != "" && aws.ToString(c.Description) != s.Description {
				p.d.add("stage " + s.Name + " description")
				replace("/description", s.Description)
			}
		}
		if t := s.Throttling; t != nil {
			ms := c.MethodSettings["*/*"]
			if !ok || ms.ThrottlingRateLimit != t.Rate || int(ms.ThrottlingBurstLimit) != t.Burst {
				if ok {
					p.d.add("stage " + s.Name + " throttling")
				}
				replace("/*/*/throttling/rateLimit", fmt.Sprint(t.Rate))
				replace("/*/*/throttling/burstLimit", fmt.Sprint(t.Burst))
			}
		}
		if len(ops) == 0 {
			continue
		}
		if err := p.write(func() error {
			_, err := p.gw.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: aws.String(p.id), StageName: aws.String(s.Name), PatchOperations: ops})
			return err
		}); err != nil {
			return fmt.Errorf("update stage %s: %w", s.Name, err)
		}
	}
	return nil
}
