package gateway

import (
	"context"
	"testing"
)

// BenchmarkPrepareIAM prices the gateway's own decision for a signed call:
// API and stage lookup, route matching, throttling and the authorizer call
// (a fake here: the policy evaluation itself is BenchmarkEvaluate's), then
// the proxy event built for an AWS_PROXY handler.
func BenchmarkPrepareIAM(b *testing.B) {
	iv := NewInvoker(fakeAPIs{"api1": testAPI()}, &allowPrefix{prefix: "arn:aws:execute-api:us-east-1:000000000000:api1/"}, fakeTokens{},
		InvokeOptions{Region: "us-east-1", AccountID: "000000000000"})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req := &InvokeRequest{APIID: "api1", Stage: "prod", Method: "POST", Path: "/notes", Principal: session(), SourceIP: "10.0.0.1",
			Header: map[string][]string{"Content-Type": {"application/json"}}}
		p, err := iv.Prepare(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		_ = iv.BuildEvent(p, req, EventInput{FullPath: "/prod/notes", Body: []byte(`{"content":"x"}`)})
	}
}
