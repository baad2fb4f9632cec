package setup

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

func (e *exporter) exportRestAPIs(ctx context.Context) error {
	e.apiNames = map[string]string{}
	gw := apigateway.NewFromConfig(e.cfg)
	var list []types.RestApi
	pg := apigateway.NewGetRestApisPaginator(gw, &apigateway.GetRestApisInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list REST APIs: %w", err)
		}
		list = append(list, page.Items...)
	}
	seen := map[string]bool{}
	for _, x := range list {
		name, id := aws.ToString(x.Name), aws.ToString(x.Id)
		if seen[name] {
			e.note("REST API %s (%s) left out: another API has the same name, and apply finds APIs by name", name, id)
			continue
		}
		seen[name] = true
		api, err := e.restAPI(ctx, gw, x)
		if err != nil {
			return fmt.Errorf("REST API %s: %w", name, err)
		}
		e.f.RestAPIs = append(e.f.RestAPIs, api)
		e.apiNames[id] = name
		e.refs[id] = "${restApi:" + name + "}"
	}
	slices.SortFunc(e.f.RestAPIs, func(a, b RestAPI) int { return strings.Compare(a.Name, b.Name) })
	return nil
}

func (e *exporter) restAPI(ctx context.Context, gw *apigateway.Client, x types.RestApi) (RestAPI, error) {
	id := x.Id
	api := RestAPI{Name: aws.ToString(x.Name), Description: aws.ToString(x.Description)}
	var err error
	if api.CORS, err = readAPICORS(ctx, gw, aws.ToString(id)); err != nil {
		return api, err
	}
	authorizers := map[string]string{} // id → name
	in := &apigateway.GetAuthorizersInput{RestApiId: id}
	for {
		out, err := gw.GetAuthorizers(ctx, in)
		if err != nil {
			return api, fmt.Errorf("get authorizers: %w", err)
		}
		for _, az := range out.Items {
			authorizers[aws.ToString(az.Id)] = aws.ToString(az.Name)
			a := APIAuthorizer{Name: aws.ToString(az.Name)}
			for _, arn := range az.ProviderARNs {
				a.UserPools = append(a.UserPools, e.userPoolRef(arn))
			}
			if s := aws.ToString(az.IdentitySource); s != "method.request.header.Authorization" {
				a.IdentitySource = s
			}
			api.Authorizers = append(api.Authorizers, a)
		}
		if aws.ToString(out.Position) == "" {
			break
		}
		in.Position = out.Position
	}
	slices.SortFunc(api.Authorizers, func(a, b APIAuthorizer) int { return strings.Compare(a.Name, b.Name) })
	pg := apigateway.NewGetResourcesPaginator(gw, &apigateway.GetResourcesInput{RestApiId: id, Embed: []string{"methods"}})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return api, fmt.Errorf("get resources: %w", err)
		}
		for _, res := range page.Items {
			for verb, m := range res.ResourceMethods {
				api.Routes = append(api.Routes, exportRoute(aws.ToString(res.Path), verb, m, authorizers))
			}
		}
	}
	slices.SortFunc(api.Routes, func(a, b Route) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return slices.Index(routeMethods, a.Method) - slices.Index(routeMethods, b.Method)
	})
	stages, err := gw.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: id})
	if err != nil {
		return api, fmt.Errorf("get stages: %w", err)
	}
	for _, s := range stages.Item {
		st := Stage{Name: aws.ToString(s.StageName), Description: aws.ToString(s.Description)}
		if ms, ok := s.MethodSettings["*/*"]; ok && (ms.ThrottlingRateLimit != 0 || ms.ThrottlingBurstLimit != 0) {
			st.Throttling = &Throttling{Rate: ms.ThrottlingRateLimit, Burst: int(ms.ThrottlingBurstLimit)}
		}
		api.Stages = append(api.Stages, st)
	}
	slices.SortFunc(api.Stages, func(a, b Stage) int { return strings.Compare(a.Name, b.Name) })
	return api, nil
}

// exportRoute writes a method as the file's route, leaving out what apply
// takes as the default (NONE, the integration's usual method, the
// default timeout).
func exportRoute(path, verb string, m types.Method, authorizers map[string]string) Route {
	r := Route{Method: verb, Path: path, Scopes: m.AuthorizationScopes}
	if auth := aws.ToString(m.AuthorizationType); auth != "NONE" {
		r.Auth = auth
	}
	if az := aws.ToString(m.AuthorizerId); az != "" {
		r.Authorizer = or(authorizers[az], az)
	}
	if in := m.MethodIntegration; in != nil {
		r.Integration = RouteIntegration{Type: string(in.Type), URI: aws.ToString(in.Uri)}
		if hm := aws.ToString(in.HttpMethod); hm != integrationMethod(r) {
			r.Integration.HTTPMethod = hm
		}
		if t := int(in.TimeoutInMillis); t != 0 && t != defaultTimeout {
			r.Integration.TimeoutMillis = &t
		}
	}
	return r
}

// userPoolRef names a user pool ARN by the pool's name when it is
// exported.
func (e *exporter) userPoolRef(arn string) string {
	_, id, ok := strings.Cut(arn, ":userpool/")
	if name, known := e.poolNames[id]; ok && known {
		return name
	}
	return arn
}

// executeAPIARN splits an execute-api ARN around its API id.
var executeAPIARN = regexp.MustCompile(`^(arn:aws[\w-]*:execute-api:[^:]*:[^:]*:)([^/]+)(/.*)?$`)

// apiRef writes an exported API's id inside an execute-api ARN as a
// reference, so that the policy follows the API to another server, where
// its id differs.
func (e *exporter) apiRef(s string) string {
	m := executeAPIARN.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	if name, ok := e.apiNames[m[2]]; ok {
		return m[1] + "${restApi:" + name + "}" + m[3]
	}
	return s
}
