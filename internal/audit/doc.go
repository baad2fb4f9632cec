// Package audit keeps federa's audit log: every administrative change (a
// successful write of the IAM, cognito-idp and cognito-identity admin APIs,
// and S3 bucket configuration) and every denied request, with who asked,
// what for, which rule decided, the request id, source address and time.
//
// Classify turns the edge's view of an answered request into an entry (or
// none); Log queues entries in memory and writes them to the store in
// batches from one goroutine, so no request waits for a database write; a
// full queue drops entries and counts them. Entries older than the
// retention are pruned. List serves federa's ListAuditEvents operation.
//
// audit is a service: it imports the store contract and the leaves, never
// net/http, a protocol or a backend. Its wire adapter is auditapi.
package audit
