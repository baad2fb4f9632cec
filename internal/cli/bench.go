package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/federa/federa/internal/bench"
)

// runBench runs `federa bench`: the load generator of package bench.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("federa bench", flag.ContinueOnError)
	var (
		o                    bench.Options
		scenarios, size      string
		asJSON, floor, quiet bool
	)
	fs.StringVar(&o.Endpoint, "endpoint", "http://127.0.0.1:4566", "federa (or any AWS-compatible endpoint) to drive")
	fs.StringVar(&o.Region, "region", "us-east-1", "region to sign for")
	fs.StringVar(&scenarios, "scenario", "vend", "comma-separated scenarios ("+strings.Join(bench.ScenarioNames(), ", ")+") or all")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long each scenario runs")
	fs.IntVar(&o.Concurrency, "concurrency", 16, "workers, each with its own user")
	fs.StringVar(&size, "size", "4KiB", "object size of the s3-* scenarios (e.g. 4KiB, 64MiB)")
	fs.IntVar(&o.Populate, "populate", 0, "first make sure this many users (sign-in), identities (vend) or objects (s3-get, s3-list) exist")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object per scenario instead of text")
	fs.BoolVar(&floor, "floor", false, "measure the HTTP floor: run the scenario against a no-op handler in a child process instead of --endpoint")
	fs.IntVar(&o.ServerPID, "server-pid", 0, "sample this local process's resident memory and report its peak")
	fs.BoolVar(&quiet, "quiet", false, "no progress lines on stderr")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	o.Scenarios = bench.ParseScenarios(scenarios)
	n, err := bench.ParseSize(size)
	if err != nil {
		return err
	}
	o.Size = n
	o.AccessKeyID, o.SecretAccessKey = os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	o.Floor = floor
	// Before the floor's child starts, which would allocate a --size object.
	if err := o.Validate(); err != nil {
		return err
	}
	if !quiet {
		o.Progress = stderr
	}
	if floor {
		endpoint, stop, err := startFloor(o.Size, stderr)
		if err != nil {
			return err
		}
		defer stop()
		o.Endpoint = endpoint
	}
	results, err := bench.Run(ctx, o)
	for _, r := range results {
		if asJSON {
			b, _ := json.Marshal(r)
			fmt.Fprintln(stdout, string(b))
			continue
		}
		r.WriteText(stdout)
		fmt.Fprintln(stdout)
	}
	return err
}

// startFloor runs `federa bench-floor` as a child process, so the floor
// server has its own runtime as federa's does, and returns its URL.
func startFloor(size int64, stderr io.Writer) (string, func(), error) {
	self, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(self, "bench-floor", "--size", fmt.Sprint(size))
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, errors.New("the floor server did not start")
	}
	return strings.TrimSpace(line), stop, nil
}

// runBenchFloor serves bench.FloorHandler on a free loopback port and prints
// its URL as the first line of stdout.
func runBenchFloor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("federa bench-floor", flag.ContinueOnError)
	size := fs.Int64("size", 4096, "object size of GET answers")
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: bench.FloorHandler(*size), ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Close() }()
	fmt.Fprintf(stdout, "http://%s\n", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
