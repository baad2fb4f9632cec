// Package gateway is federa's API Gateway: REST APIs with resources,
// methods, integrations, authorizers, deployments and stages, and the
// invocation path that verifies the caller (SigV4 for AWS_IAM, a user
// pool token for COGNITO_USER_POOLS), evaluates execute-api:Invoke, and
// forwards to the user's HTTP service with the caller's identity attached.
package gateway
