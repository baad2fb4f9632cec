package setup

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// A REST API's CORS is federa's own member (AWS builds CORS from OPTIONS
// methods instead): it is set with UpdateRestApi patches on /cors/… and
// read back as the "cors" member of GetRestApi's answer, which the SDK's
// RestApi type does not have, so the body is read as it passes.

func (p *apiApplier) readCORS(ctx context.Context) (*APICORS, error) {
	return readAPICORS(ctx, p.gw, p.id)
}

// readAPICORS returns the API's CORS answer, nil when it has none.
func readAPICORS(ctx context.Context, gw *apigateway.Client, id string) (*APICORS, error) {
	var body []byte
	_, err := gw.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: aws.String(id)}, func(o *apigateway.Options) {
		o.APIOptions = append(o.APIOptions, captureBody(&body))
	})
	if err != nil {
		return nil, fmt.Errorf("get REST API: %w", err)
	}
	var api struct {
		CORS *struct {
			AllowOrigins  []string `json:"allowOrigins"`
			AllowMethods  []string `json:"allowMethods"`
			AllowHeaders  []string `json:"allowHeaders"`
			ExposeHeaders []string `json:"exposeHeaders"`
			MaxAge        int      `json:"maxAge"`
		} `json:"cors"`
	}
	if err := json.Unmarshal(body, &api); err != nil {
		return nil, fmt.Errorf("get REST API: reading cors: %w", err)
	}
	c := api.CORS
	if c == nil {
		return nil, nil
	}
	out := &APICORS{AllowOrigins: c.AllowOrigins, AllowMethods: c.AllowMethods, AllowHeaders: c.AllowHeaders, ExposeHeaders: c.ExposeHeaders}
	if c.MaxAge != 0 {
		out.MaxAge = &c.MaxAge
	}
	return out, nil
}

// captureBody copies a response's body into dst before the SDK decodes it.
// Added after the operation's deserializer, it sits between that and the
// transport.
func captureBody(dst *[]byte) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		return s.Deserialize.Add(middleware.DeserializeMiddlewareFunc("federaCaptureBody",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Body != nil {
					b, rerr := io.ReadAll(resp.Body)
					resp.Body.Close()
					if rerr != nil {
						return out, md, rerr
					}
					*dst = b
					resp.Body = io.NopCloser(bytes.NewReader(b))
				}
				return out, md, err
			}), middleware.After)
	}
}
