// Package identitypool implements Cognito identity pools: pools and their
// role settings, identities bound to exactly one set of logins, and the
// enhanced flow that exchanges a verified login for temporary credentials of
// the pool's role.
//
// It verifies login tokens and obtains credentials through the interfaces
// TokenVerifier and CredentialIssuer, which app wires to the userpool and sts
// services, so the services stay independent of each other.
package identitypool
