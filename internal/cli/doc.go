// Package cli implements federa's subcommands, one file each: serve, demo and
// version. It reads flags and FEDERA_* environment variables, turns them into
// app.Options, and runs the app. Nothing below cli reads the environment.
package cli
