// Package demo sets up the seed tutorials' example on a running federa,
// through the AWS APIs with the root key exactly as a user would with the
// CLI, and prints the walkthrough commands for it. The example is seed
// 004's setup file (examples/seed004.yaml), applied by package setup, so
// `federa demo` can restart on the same data directory and change nothing.
//
// demo is a client: it imports the AWS SDK and setup, nothing else of
// federa's.
package demo
