package e2e

import (
	"bytes"
	"crypto/md5"
	"encoding/pem"
	"io"
	"io/fs"
	"maps"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// requireAWSCLI skips the test when the aws CLI is missing, unless
// FEDERA_REQUIRE_AWS_CLI is set (scripts/test and CI set it), which fails it.
func requireAWSCLI(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("FEDERA_REQUIRE_AWS_CLI") != "" {
			t.Fatal("the aws CLI is not on PATH; install it with: pip install awscli")
		}
		t.Skip("the aws CLI is not on PATH (pip install awscli); scripts/test requires it")
	}
}

// awsCLI runs `aws <args>` against p with the root key and no user
// configuration, and returns its output.
func awsCLI(t *testing.T, p *federaProc, args ...string) string {
	t.Helper()
	return runAWS(t, p, p.url(), nil, args...)
}

// runAWS runs the aws CLI against endpoint (p itself or a proxy to it) with
// extra environment variables. The CLI does not retry, and gives up on a
// response after 20 seconds rather than 60: a retry would hide a request the
// server answered wrongly, such as a response the client cannot parse
// and waits on until its read timeout.
func runAWS(t *testing.T, p *federaProc, endpoint string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("aws", append([]string{"--endpoint-url", endpoint, "--cli-read-timeout", "20"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+cliRootKey, "AWS_SECRET_ACCESS_KEY="+cliRootSecret, "AWS_SESSION_TOKEN=",
		"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=",
		"AWS_MAX_ATTEMPTS=1", "AWS_RETRY_MODE=legacy")
	cmd.Env = append(cmd.Env, env...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("aws %s: %s", strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("aws %s: %v\n%s\n--- server log ---\n%s", strings.Join(args, " "), err, out, tail(p.log(), 3000))
	}
	return string(out)
}

// TestAWSCLICopiesLargeFile copies a 200 MiB file up and down with
// `aws s3 cp` as users run it: the CLI switches to a multipart upload (8 MiB
// parts, several at once) above 8 MiB and to concurrent ranged GETs to
// download. Over http it signs each part's SHA-256; over https (through a
// TLS proxy in front of the server) it sends each part aws-chunked with a
// trailing CRC32 instead, unsigned, as it does against AWS.
func TestAWSCLICopiesLargeFile(t *testing.T) {
	requireAWSCLI(t)
	p := newFederaProc(t, buildFedera(t))
	p.start()
	p.createBucket("cli-big")
	dir := t.TempDir()
	src := filepath.Join(dir, "big.bin")
	const size = 200 << 20
	f, err := os.Create(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, io.LimitReader(mrand.NewChaCha8([32]byte{200}), size)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	proxy, seen := tlsProxy(t, p)
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: proxy.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, endpoint string
		env            []string
		payload        string // the x-amz-content-sha256 every part must carry ("" for a hex digest)
	}{
		{"http", p.url(), nil, ""},
		{"https-chunked", proxy.URL, []string{"AWS_CA_BUNDLE=" + caFile}, "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := tc.name + "/big file.bin"
			dst := filepath.Join(dir, tc.name+".bin")
			start := time.Now()
			runAWS(t, p, tc.endpoint, tc.env, "s3", "cp", src, "s3://cli-big/"+key)
			up := time.Since(start)
			ls := runAWS(t, p, tc.endpoint, tc.env, "s3", "ls", "s3://cli-big/"+tc.name+"/")
			if !strings.Contains(ls, " 209715200 big file.bin") {
				t.Errorf("aws s3 ls after the upload:\n%s", ls)
			}
			start = time.Now()
			runAWS(t, p, tc.endpoint, tc.env, "s3", "cp", "s3://cli-big/"+key, dst)
			down := time.Since(start)
			if !sameFile(t, src, dst) {
				t.Error("the downloaded file differs from the uploaded one")
			}
			// A multipart ETag is the MD5 of the parts' MD5s and their
			// count: 200 MiB in the CLI's 8 MiB parts makes 25.
			head := runAWS(t, p, tc.endpoint, tc.env, "s3api", "head-object", "--bucket", "cli-big", "--key", key)
			if !strings.Contains(head, `-25\"`) {
				t.Errorf("head-object does not show a 25-part multipart ETag:\n%s", head)
			}
			if tc.payload != "" {
				if got := seen.parts(); len(got) != 1 || len(got[tc.payload]) != 25 {
					t.Errorf("the parts' x-amz-content-sha256 values were %v, want 25 × %s", got, tc.payload)
				}
			}
			t.Logf("aws s3 cp 200 MiB over %s: up %.1fs, down %.1fs", tc.name, up.Seconds(), down.Seconds())
		})
	}
}

// payloadModes records, per x-amz-content-sha256 value, the UploadPart
// requests that passed through the proxy.
type payloadModes struct {
	mu    sync.Mutex
	modes map[string][]string
}

func (m *payloadModes) parts() map[string][]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.modes)
}

// tlsProxy serves https on a loopback port and forwards every request, Host
// header and body stream untouched, to p.
func tlsProxy(t *testing.T, p *federaProc) (*httptest.Server, *payloadModes) {
	t.Helper()
	target, _ := url.Parse(p.url())
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.FlushInterval = -1
	seen := &payloadModes{modes: map[string][]string{}}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.URL.Query().Has("partNumber") {
			mode := r.Header.Get("X-Amz-Content-Sha256")
			if len(mode) == 64 {
				mode = "" // a hex digest
			}
			seen.mu.Lock()
			seen.modes[mode] = append(seen.modes[mode], r.URL.Query().Get("partNumber"))
			seen.mu.Unlock()
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

// TestAWSCLISync syncs a folder tree (nested folders, empty files, names
// with spaces and non-ASCII letters) up, then down into a fresh folder, and
// compares the trees; syncing again either way transfers nothing.
func TestAWSCLISync(t *testing.T) {
	requireAWSCLI(t)
	p := newFederaProc(t, buildFedera(t))
	p.start()
	p.createBucket("cli-sync")
	src, dst := filepath.Join(t.TempDir(), "src"), filepath.Join(t.TempDir(), "dst")
	files := syncTree(t, src)

	out := awsCLI(t, p, "s3", "sync", "--no-progress", src, "s3://cli-sync/tree")
	if n := strings.Count(out, "upload: "); n != len(files) {
		t.Errorf("first sync up uploaded %d files, want %d:\n%s", n, len(files), out)
	}
	out = awsCLI(t, p, "s3", "sync", "--no-progress", "s3://cli-sync/tree", dst)
	if n := strings.Count(out, "download: "); n != len(files) {
		t.Errorf("sync down downloaded %d files, want %d:\n%s", n, len(files), out)
	}
	for _, rel := range files {
		if !sameFile(t, filepath.Join(src, rel), filepath.Join(dst, rel)) {
			t.Errorf("%s differs after the round trip", rel)
		}
	}
	if got := treeFiles(t, dst); len(got) != len(files) {
		t.Errorf("the downloaded tree has %d files, want %d: %q", len(got), len(files), got)
	}
	if out := awsCLI(t, p, "s3", "sync", "--no-progress", src, "s3://cli-sync/tree"); strings.TrimSpace(out) != "" {
		t.Errorf("a second sync up transferred:\n%s", out)
	}
	if out := awsCLI(t, p, "s3", "sync", "--no-progress", "s3://cli-sync/tree", dst); strings.TrimSpace(out) != "" {
		t.Errorf("a second sync down transferred:\n%s", out)
	}
}

// syncTree writes about fifty files under root and returns their paths
// relative to it. Their times are set an hour back, as for files a user
// made before syncing: sync compares times in whole seconds, so a file
// written in the same second as its upload would look newer than the copy.
func syncTree(t *testing.T, root string) []string {
	t.Helper()
	names := []string{
		"README.md", "empty.txt", "notes/empty too", "notes/día 1.txt", "notes/día 2.txt",
		"photos/2026/été à la mer.jpg", "photos/2026/日本の写真.png", "photos/2025/a b c.gif",
		"deep/a/b/c/d/e/f/bottom.txt", "deep/a/b/c/d/e/f/empty", "with space/file with space.txt",
		"emoji/🙂 smile.txt", "symbols/(1) [draft] +plus & and #hash.txt", "symbols/100% done.txt",
	}
	for i := range 36 {
		names = append(names, filepath.Join("bulk", "group "+string(rune('a'+i%4)), "file-"+string(rune('A'+i))+".dat"))
	}
	rng := mrand.New(mrand.NewPCG(7, 7))
	old := time.Now().Add(-time.Hour)
	for i, name := range names {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		var data []byte
		if !strings.Contains(name, "empty") {
			data = make([]byte, rng.IntN(100<<10)+i)
			_, _ = mrand.NewChaCha8([32]byte{byte(i)}).Read(data)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, old, old); err != nil {
			t.Fatal(err)
		}
	}
	return treeFiles(t, root)
}

// treeFiles lists the regular files under root, relative to it.
func treeFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameFile compares two files' sizes and MD5s; a missing file differs.
func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	sum := func(path string) ([]byte, int64) {
		f, err := os.Open(path)
		if err != nil {
			return nil, -1
		}
		defer f.Close()
		h := md5.New()
		n, err := io.Copy(h, f)
		if err != nil {
			return nil, -1
		}
		return h.Sum(nil), n
	}
	ha, na := sum(a)
	hb, nb := sum(b)
	return na >= 0 && na == nb && bytes.Equal(ha, hb)
}
