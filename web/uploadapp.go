package web

import (
	"embed"
	"io/fs"
)

// uploadApp is examples/upload-app as scripts/build-web bundles it:
// index.html, app.js (the AWS SDK for JavaScript included), style.css and
// LICENSES.txt for the bundled npm packages. The directory is committed, so
// building federa needs no Node.js.
//
//go:embed uploadapp
var uploadApp embed.FS

// UploadApp returns the seed 004 example app's files at the root of the
// file system: index.html, app.js, style.css and LICENSES.txt. The app
// also needs a /config.json, which whoever serves it generates.
func UploadApp() fs.FS {
	sub, err := fs.Sub(uploadApp, "uploadapp")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "uploadapp" is valid.
		panic(err)
	}
	return sub
}
