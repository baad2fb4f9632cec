// Package e2e drives an in-process federa with the real AWS SDK for Go,
// through every step of the seed tutorials' flow: set up as root, sign in,
// exchange the ID token for an identity and temporary credentials, and use S3
// within and outside the policy. It holds tests only.
package e2e
