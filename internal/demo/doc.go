// Package demo sets up the seed tutorials' example on a running federa,
// through the AWS APIs with the root key exactly as a user would with the
// CLI, and prints the walkthrough commands for it. Every step is idempotent,
// so `federa demo` can restart on the same data directory.
//
// demo is a client: it imports the AWS SDK and nothing of federa's.
package demo
