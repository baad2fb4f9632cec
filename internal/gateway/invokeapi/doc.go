// Package invokeapi is the HTTP side of the gateway's invocation path: it
// reads an invoke request into a gateway.InvokeRequest, lets the
// gateway.Invoker decide (route, throttling, authorization, CORS), then
// carries the plan out — answering a preflight, proxying to an HTTP_PROXY
// upstream with the caller's identity in headers, or POSTing the Lambda
// proxy event to an AWS_PROXY handler and turning its proxy result into the
// answer. It writes the gateway's errors as API Gateway does
// ({"message": …}, x-amzn-ErrorType).
//
// It imports the gateway service, access, sigv4 (to phrase signature
// failures), awserr and reqid; never the store, never the edge (the edge
// hands it the invoke target through Options.Target).
package invokeapi
