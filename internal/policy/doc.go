// Package policy parses, validates and evaluates IAM policy documents: the
// grammar of the IAM JSON policy reference, its condition operators and
// policy variables, and the evaluation logic (explicit deny, then allow, else
// implicit deny) across identity, resource and session policies.
//
// policy is pure: no HTTP, no storage, no clock. The caller passes the
// request context (including aws:CurrentTime). It imports only the standard
// library and arn.
package policy
