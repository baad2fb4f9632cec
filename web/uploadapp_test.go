package web

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestUploadAppBundle checks that the committed bundle is complete: every
// file index.html references is embedded and not empty, and app.js is the
// bundled app (it fetches /config.json and carries the S3 client).
func TestUploadAppBundle(t *testing.T) {
	app := UploadApp()
	index, err := fs.ReadFile(app, "index.html")
	if err != nil {
		t.Fatalf("index.html is not embedded (run scripts/build-web): %v", err)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"#:]+)"`).FindAllStringSubmatch(string(index), -1)
	seen := map[string]bool{}
	for _, m := range refs {
		seen[m[1]] = true
		data, err := fs.ReadFile(app, m[1])
		if err != nil {
			t.Errorf("index.html references %s, which is not in the bundle: %v", m[1], err)
		} else if len(data) == 0 {
			t.Errorf("%s is empty", m[1])
		}
	}
	for _, want := range []string{"app.js", "style.css"} {
		if !seen[want] {
			t.Errorf("index.html does not reference %s", want)
		}
	}
	js, err := fs.ReadFile(app, "app.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/config.json", "/oauth2/token", "ListObjectsV2", "GetCredentialsForIdentity"} {
		if !strings.Contains(string(js), want) {
			t.Errorf("app.js lacks %q: is it the bundled upload app?", want)
		}
	}
	if _, err := fs.Stat(app, "LICENSES.txt"); err != nil {
		t.Errorf("the bundled packages' licenses are missing: %v", err)
	}
}

// TestUploadAppBundleIsCurrent compares the SHA-256 of each build input,
// recorded by the last scripts/build-web, with the tree: a source edited
// without a rebuild (or a new source file) fails here, without Node.js.
func TestUploadAppBundleIsCurrent(t *testing.T) {
	f, err := os.Open("uploadapp/.sources.sha256")
	if err != nil {
		t.Fatalf("no record of the bundle's inputs (run scripts/build-web): %v", err)
	}
	defer f.Close()
	recorded := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, path, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("malformed line %q", sc.Text())
		}
		recorded[path] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	inputs := []string{"build.mjs", "index.html", "package-lock.json", "package.json", "style.css"}
	src, err := filepath.Glob("../examples/upload-app/src/*.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range src {
		inputs = append(inputs, "src/"+filepath.Base(s))
	}
	sort.Strings(inputs)
	for _, in := range inputs {
		path := "examples/upload-app/" + in
		data, err := os.ReadFile("../" + path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		switch want, ok := recorded[path]; {
		case !ok:
			t.Errorf("%s is not in the bundle; run scripts/build-web and commit web/uploadapp", path)
		case want != hex.EncodeToString(sum[:]):
			t.Errorf("%s changed since the bundle was built; run scripts/build-web and commit web/uploadapp", path)
		}
		delete(recorded, path)
	}
	for path := range recorded {
		t.Errorf("the bundle was built from %s, which is gone; run scripts/build-web", path)
	}
}
