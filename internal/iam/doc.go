// Package iam owns roles, customer managed policies, the catalog of AWS
// managed policies, and authorization: Authorize evaluates a caller's
// policies (with the policy package) for every request any service serves.
//
// iam imports leaves and store; never net/http, protocol packages or a store
// backend.
package iam
