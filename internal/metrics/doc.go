// Package metrics holds federa's Prometheus metrics (client_golang): the
// series federa exports, registered in a registry the caller injects
// (never the global one), and their recording from the edge's view of each
// request (edge.Observer): requests by service, operation, status and AWS
// error code, latency histograms, sign-ins by flow and result, credential
// vends, and — through Decision, which app calls from its wrapper around
// the IAM authorizer — authorization decisions. The audit log reports its
// queue here too. Services never see it.
//
// metrics imports edge (for the request it observes) and access; never a
// service or the store.
package metrics
