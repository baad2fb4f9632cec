// Package sts issues and resolves temporary credentials. A session's state
// lives entirely in its session token, sealed with AES-GCM under a server key
// kept in the store, so any node can verify any session and nothing is
// written per credential vended. The secret access key is derived from the
// access key id with HMAC, so it is never stored either.
//
// sts imports leaves, policy and store; never net/http or a store backend.
package sts
