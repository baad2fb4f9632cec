// Package userpool implements Cognito user pools: pools, app clients,
// domains, users with argon2id password hashes, sign-in flows, and RS256 ID
// and access tokens (signed through jwtkeys) that identity pools and APIs
// verify.
//
// Settings types carry Cognito's JSON field names because they are the
// domain data itself: what a user configured is stored and returned as given.
// userpool imports leaves, jwtkeys and store; never net/http.
package userpool
