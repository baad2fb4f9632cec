// Package bench is federa's load generator: it drives a running federa (or
// any AWS-compatible endpoint) only through the AWS APIs, with
// aws-sdk-go-v2 as an application would, and reports throughput, latency
// percentiles and errors by AWS error code.
//
// It sets up its own resources with the root key (a user pool and app
// client "federa-bench", an identity pool "federa_bench" whose
// authenticated role carries seed 004's per-identity policy, a bucket
// "federa-bench"), finding them when an earlier run made them, then runs one
// scenario at a time for a fixed duration with a fixed number of workers.
// Every request is made once: the SDK's retries are off, so an error is
// counted, never hidden by a retry.
//
// The floor (FloorHandler) answers the same requests with canned responses
// and does no work; the same scenario against it measures what HTTP and the
// client cost on this machine, the ceiling any server could reach here.
//
// bench is a client, like demo: it imports no server package, only demo
// (the seed policies) and srp (the client's side of SRP).
package bench
