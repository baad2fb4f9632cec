package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/go-jose/go-jose/v4"

	"github.com/federa/federa/internal/app"
	"github.com/federa/federa/internal/app/apptest"
	"github.com/federa/federa/internal/cli"
)

// runCLI runs a federa subcommand in this process, as the binary would,
// and returns its exit code and output.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = cli.Main(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// backupWorld is what TestBackupRestore stores before the backup and
// checks after the restore.
type backupWorld struct {
	*world
	objects map[string][]byte
	token   string // an ID token issued before the backup
}

func newBackupWorld(t *testing.T) *backupWorld {
	w := &backupWorld{world: setupWorld(t), objects: map[string][]byte{
		"a.txt":                      []byte("hello"),
		"deep/er/key with spaces.md": bytes.Repeat([]byte("x"), 300<<10),
		"empty":                      {},
	}}
	s3c := w.s3(w.srv.RootConfig())
	for k, v := range w.objects {
		_, err := s3c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &w.bucket, Key: aws.String(k), Body: bytes.NewReader(v)})
		must(t, err)
	}
	w.token = w.signIn(t, "alice")
	return w
}

// check signs in, vends credentials, reads every object and verifies the
// token issued before the backup with the JWKS now served.
func (w *backupWorld) check(t *testing.T, srv *apptest.Server) {
	t.Helper()
	ctx := context.Background()
	w.srv = srv
	token := w.signIn(t, "bob")
	_, creds := w.credentialsFor(t, w.identityPoolID, token)
	if creds.SessionToken == "" {
		t.Fatal("no session after restore")
	}
	s3c := w.s3(srv.RootConfig())
	for k, want := range w.objects {
		out, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: &w.bucket, Key: aws.String(k)})
		must(t, err)
		got, err := io.ReadAll(out.Body)
		out.Body.Close()
		must(t, err)
		if !bytes.Equal(got, want) {
			t.Errorf("object %q: %d bytes back, want %d", k, len(got), len(want))
		}
	}
	var set jose.JSONWebKeySet
	getJSON(t, srv.URL+"/"+w.userPoolID+"/.well-known/jwks.json", &set)
	obj, err := jose.ParseSignedCompact(w.token, []jose.SignatureAlgorithm{jose.RS256})
	must(t, err)
	keys := set.Key(obj.Signatures[0].Header.KeyID)
	if len(keys) != 1 {
		t.Fatalf("the restored JWKS lacks the signing key of a token issued before the backup")
	}
	if _, err := obj.Verify(keys[0].Key); err != nil {
		t.Errorf("a token issued before the backup does not verify: %v", err)
	}
	users, err := cip.NewFromConfig(srv.RootConfig()).ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &w.userPoolID})
	must(t, err)
	if len(users.Users) != 2 {
		t.Errorf("%d users after restore, want 2", len(users.Users))
	}
}

// serverOn starts a server on an existing data directory.
func serverOn(t *testing.T, dataDir string) *apptest.Server {
	return apptest.NewServerWith(t, func(o *app.Options) { o.DataDir = dataDir })
}

// TestBackupRestore: users, keys and objects written to a server survive
// backup and restore into another directory, on which a new server signs
// them in and serves the bytes; a running server's directory is refused
// both ways, as is a non-empty target without --force. The master key in
// the data directory (demo's) is left out unless asked for.
func TestBackupRestore(t *testing.T) {
	w := newBackupWorld(t)
	dir := t.TempDir()
	archive := filepath.Join(dir, "federa.tar.gz")

	if code, _, stderr := runCLI("backup", "--data-dir", w.srv.DataDir, "--out", archive); code == 0 || !strings.Contains(stderr, "running federa") {
		t.Errorf("backup of a running server's directory: exit %d, %s", code, stderr)
	}
	w.srv.Stop()
	source := w.srv.DataDir // w.check moves w.srv to the restored server
	key := ensureMasterKeyFile(t, source)
	code, stdout, stderr := runCLI("backup", "--data-dir", source, "--out", archive)
	if code != 0 {
		t.Fatalf("backup: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "3 object files") || !strings.Contains(stdout, "is not in the archive") {
		t.Errorf("backup said: %s", stdout)
	}
	if names := tarNames(t, archive); names[masterKeyName] || !names["federa.db"] || !names["MANIFEST.json"] {
		t.Errorf("archive entries %v: want the database and manifest, not the master key", names)
	}
	t.Logf("backup: %s", stdout)

	target := filepath.Join(t.TempDir(), "restored")
	if code, stdout, stderr := runCLI("restore", "--data-dir", target, "--in", archive); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, stderr)
	} else {
		t.Logf("restore: %s", stdout)
	}
	// The operator brings the key, kept apart from the backups.
	must(t, os.WriteFile(filepath.Join(target, masterKeyName), key, 0o600))
	srv := serverOn(t, target)
	w.check(t, srv)

	if code, _, stderr := runCLI("restore", "--data-dir", target, "--in", archive, "--force"); code == 0 || !strings.Contains(stderr, "running federa") {
		t.Errorf("restore over a running server: exit %d, %s", code, stderr)
	}
	srv.Stop()
	if code, _, stderr := runCLI("restore", "--data-dir", target, "--in", archive); code == 0 || !strings.Contains(stderr, "not empty") {
		t.Errorf("restore into a non-empty directory: exit %d, %s", code, stderr)
	}

	// With --include-master-key the archive restores whole.
	withKey := filepath.Join(dir, "with-key.tar")
	if code, stdout, stderr := runCLI("backup", "--data-dir", source, "--out", withKey, "--include-master-key"); code != 0 || !strings.Contains(stdout, "WARNING") {
		t.Fatalf("backup --include-master-key: exit %d: %s%s", code, stdout, stderr)
	}
	if !tarNames(t, withKey)[masterKeyName] {
		t.Error("--include-master-key left the key out")
	}
	if code, _, stderr := runCLI("restore", "--data-dir", target, "--in", withKey, "--force"); code != 0 {
		t.Fatalf("restore --force: exit %d: %s", code, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(target, masterKeyName)); !bytes.Equal(got, key) {
		t.Error("the restored master key differs")
	}
	w.check(t, serverOn(t, target))
}

// masterKeyName is the file demo keeps its master key in, in the data
// directory.
const masterKeyName = "master-key"

// ensureMasterKeyFile returns the data directory's master key file, making
// one when the server ran without (backup copies it as it is, whatever it
// holds).
func ensureMasterKeyFile(t *testing.T, dataDir string) []byte {
	path := filepath.Join(dataDir, masterKeyName)
	if b, err := os.ReadFile(path); err == nil {
		return b
	}
	b := []byte(strings.Repeat("ab", 32) + "\n")
	must(t, os.WriteFile(path, b, 0o600))
	return b
}

// tarNames lists an archive's entries.
func tarNames(t *testing.T, path string) map[string]bool {
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		must(t, err)
		r = zr
	}
	names := map[string]bool{}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		}
		must(t, err)
		names[h.Name] = true
	}
}

// TestRestoreDamagedArchive: an archive cut short or with a changed byte is
// refused with a message saying so, and leaves the target as it was —
// absent, or with its previous contents.
func TestRestoreDamagedArchive(t *testing.T) {
	w := newBackupWorld(t)
	w.srv.Stop()
	key := ensureMasterKeyFile(t, w.srv.DataDir)
	dir := t.TempDir()
	for _, name := range []string{"b.tar", "b.tar.gz"} {
		if code, _, stderr := runCLI("backup", "--data-dir", w.srv.DataDir, "--out", filepath.Join(dir, name)); code != 0 {
			t.Fatalf("backup %s: %s", name, stderr)
		}
	}
	good, err := os.ReadFile(filepath.Join(dir, "b.tar"))
	must(t, err)
	zipped, err := os.ReadFile(filepath.Join(dir, "b.tar.gz"))
	must(t, err)
	// A byte inside the largest object, which tar itself does not check.
	at := bytes.Index(good, bytes.Repeat([]byte("x"), 1000)) + 500
	flipped := bytes.Clone(good)
	flipped[at] ^= 1
	zflipped := bytes.Clone(zipped)
	zflipped[len(zipped)/2] ^= 1

	existing := filepath.Join(t.TempDir(), "existing")
	if code, _, stderr := runCLI("restore", "--data-dir", existing, "--in", filepath.Join(dir, "b.tar")); code != 0 {
		t.Fatalf("restore: %s", stderr)
	}
	before := listTree(t, existing)

	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"cut in the middle", good[:len(good)/2], "cut-short"},
		{"cut before the manifest", good[:bytes.Index(good, []byte("MANIFEST.json"))-1], "cut-short"},
		{"gzip cut short", zipped[:len(zipped)-100], "damaged"},
		{"object byte changed", flipped, "does not match the manifest"},
		{"gzip byte changed", zflipped, "damaged"},
		{"not an archive", []byte("hello, world\n"), "damaged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "bad.tar")
			must(t, os.WriteFile(in, tc.data, 0o600))
			fresh := filepath.Join(t.TempDir(), "fresh")
			code, _, stderr := runCLI("restore", "--data-dir", fresh, "--in", in)
			if code == 0 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want a failure saying %q", code, stderr, tc.want)
			}
			if _, err := os.Stat(fresh); !os.IsNotExist(err) || !strings.Contains(stderr, "nothing was written") {
				t.Errorf("a failed restore left %s behind: %v", fresh, listTree(t, fresh))
			}
			code, _, stderr = runCLI("restore", "--data-dir", existing, "--in", in, "--force")
			if code == 0 || !strings.Contains(stderr, "unchanged") {
				t.Errorf("restore --force: exit %d, stderr %q", code, stderr)
			}
			if after := listTree(t, existing); after != before {
				t.Errorf("a failed restore changed the target:\n%s\nwas:\n%s", after, before)
			}
		})
	}
	must(t, os.WriteFile(filepath.Join(existing, masterKeyName), key, 0o600))
	w.check(t, serverOn(t, existing))
}

// listTree describes a directory's files, sizes and contents' hashes.
func listTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "%s %d %x\n", rel, len(data), sha256.Sum256(data))
		return nil
	})
	must(t, err)
	return b.String()
}
