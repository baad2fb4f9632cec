// Package web holds the files federa serves to browsers, embedded in the
// binary: the hosted UI's templates and stylesheet, and the seed 004
// example app.
package web

import "embed"

// HostedUI holds the hosted UI's page templates (pages.html) and its
// stylesheet (style.css), under hostedui/.
//
//go:embed hostedui
var HostedUI embed.FS
