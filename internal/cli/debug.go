package cli

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// debugMux serves net/http/pprof under /debug/pprof/. The handlers are
// mounted on a mux of our own rather than reached through the
// DefaultServeMux that importing the package fills as a side effect: the
// main listener never serves DefaultServeMux, so profiles are reachable
// only where this mux is served.
func debugMux() *http.ServeMux {
	mux := http.NewServeMux()
	// Index also serves every named profile: /debug/pprof/heap, goroutine,
	// allocs, block, mutex, threadcreate.
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// startDebug serves debugMux on its own listener at addr (--debug-listen)
// and returns the bound address and a stop function. With addr empty it
// listens nowhere: profiling is off unless asked for.
//
// Any address is allowed, since profiling a server on another machine is
// the point, but a non-loopback one is logged as a warning: a heap profile
// holds secrets that were in memory, and the command line may hold
// --root-secret-access-key.
func startDebug(addr string, logger *slog.Logger) (net.Addr, func(), error) {
	if addr == "" {
		return nil, func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	srv := &http.Server{
		Handler:           debugMux(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			logger.Error("debug listener stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	if isLoopback(ln.Addr()) {
		logger.Info("debug listener serving net/http/pprof", "addr", ln.Addr().String())
	} else {
		logger.Warn("debug listener serving net/http/pprof on a non-loopback address: it exposes profiles, heap contents and the command line to anyone who can reach it",
			"addr", ln.Addr().String())
	}
	stop := func() {
		// Close, not Shutdown: a 30-second CPU profile or trace in flight
		// must not hold up the server's exit.
		_ = srv.Close()
		<-done
	}
	return ln.Addr(), stop, nil
}
