// Package setup reads, applies and writes federa's declarative setup file:
// user pools with their clients, domains, resource servers, groups and
// users; identity pools; IAM roles, managed policies and OIDC providers;
// buckets with their CORS rules and policies.
//
// Apply and Export are clients of the AWS APIs, signed with an
// administrator's key exactly as a user's script would be: they find each
// resource by name, compare, and create or update only what differs. They
// therefore work against any federa (or AWS itself, for the parts AWS
// shares) and never reach into the store.
//
// setup imports the AWS SDK and yaml.v3, nothing of federa's.
package setup
