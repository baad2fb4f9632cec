// Package metrics holds federa's Prometheus metrics: a registry that is
// injected (never a global one), the series federa exports, and their
// recording from the edge's view of each request (edge.Observer): requests
// by service, operation, status and AWS error code, latency histograms,
// sign-ins by flow and result, credential vends, and — through Decision,
// which app calls from its wrapper around the IAM authorizer —
// authorization decisions. Services never see it.
//
// The registry writes the Prometheus text format itself (registry.go).
// The plan is client_golang (go.mod requires v1.25.0), but go.mod lacks
// the modules client_golang imports (beorn7/perks, cespare/xxhash,
// prometheus/client_model, common, procfs, munnerz/goautoneg, protobuf),
// so importing it does not build until
// `go get github.com/prometheus/client_golang/prometheus@v1.25.0` has
// run. The API mirrors client_golang's (CounterVec.With, HistogramVec,
// gauge funcs), so the switch stays inside this package.
//
// metrics imports edge (for the request it observes) and access; never a
// service or the store.
package metrics
