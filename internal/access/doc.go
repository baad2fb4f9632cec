// Package access holds the small contracts that connect authentication to
// authorization across services: who is calling (Principal), what they ask to do
// (Check), and the two interfaces services consume — Authorizer (satisfied by
// iam) and CredentialSource (satisfied by the composition of root keys and sts).
//
// It lives apart from iam so that s3, the API adapters and the edge can name a
// caller without importing another service. access is a leaf: it imports
// nothing of federa's.
package access
