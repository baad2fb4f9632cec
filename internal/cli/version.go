package cli

import (
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X github.com/federa/federa/internal/cli.version=v1.2.3".
var version = "dev"

func versionString() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = "dev-" + s.Value[:12]
			}
		}
	}
	return "federa " + v + " (" + runtime.Version() + ")"
}
