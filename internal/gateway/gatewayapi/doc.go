// Package gatewayapi serves API Gateway's management API (the rest-json
// protocol of apigateway 2015-07-09: POST /restapis, GET
// /restapis/{restapi_id}/resources, PUT …/methods/{http_method}/integration,
// …) over the gateway service. Requests reach it when their SigV4
// credential scope names the service "apigateway".
//
// It owns the routing table, the JSON shapes (member names, epoch-second
// timestamps, "item" lists with "position") and the one error writer of
// this protocol: status, X-Amzn-ErrorType and {"message": …}.
//
// It imports its service, access, awserr, reqid and sigv4 — never the store.
package gatewayapi
