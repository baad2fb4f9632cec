package cli

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/federa/federa/internal/app"
)

const restoreHelp = `Usage: federa restore --data-dir D --in FILE [--force]

Restores a federa backup archive into the data directory D, for a server
to start on. The archive is unpacked beside D's contents and checked
whole (every file's SHA-256, the database's integrity) before anything
in D changes: a damaged or cut-short archive changes nothing.

D must be empty or absent unless --force is given, which replaces its
contents. restore refuses while a server runs on D. If the backup was
made with a master key, start the server with the same key.

Flags:
`

// runRestore unpacks a backup archive into a data directory.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("federa restore", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "./federa-data", "the data directory to restore into (stopped server)")
	in := fs.String("in", "", "the archive federa backup wrote (required)")
	force := fs.Bool("force", false, "replace what the data directory holds")
	fs.Usage = func() { fmt.Fprint(fs.Output(), restoreHelp); fs.PrintDefaults() }
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *in == "" {
		fmt.Fprintln(stderr, "federa restore: --in is required")
		return errUsage
	}
	f, err := os.Open(*in)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()

	_, statErr := os.Stat(*dataDir)
	created := errors.Is(statErr, os.ErrNotExist)
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	release, err := lockDataDir(*dataDir)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer release()
	sum, err := restore(ctx, f, *dataDir, *force)
	var swapErr *swapError
	switch {
	case errors.As(err, &swapErr):
		return fmt.Errorf("restore from %s: %w", *in, err)
	case err != nil && created:
		release()
		os.RemoveAll(*dataDir)
		return fmt.Errorf("restore from %s: %w (nothing was written)", *in, err)
	case err != nil:
		return fmt.Errorf("restore from %s: %w (%s is unchanged)", *in, err, *dataDir)
	}
	fmt.Fprintf(stdout, "restored %s into %s: %s\n", *in, *dataDir, sum)
	return nil
}

// Hidden directories restore works in, inside the data directory so that
// renames stay on one file system; a server never reads them.
const (
	stagingPrefix  = ".federa-restore-"
	replacedPrefix = ".federa-replaced-"
)

// restore unpacks r into a staging directory inside dataDir, checks it
// whole, and only then moves it into place.
func restore(ctx context.Context, r io.Reader, dataDir string, force bool) (summary string, err error) {
	if err := removeLeftovers(dataDir); err != nil {
		return "", err
	}
	if held, err := holdsData(dataDir); err != nil {
		return "", err
	} else if held != "" && !force {
		return "", fmt.Errorf("the data directory is not empty (it holds %s); restore into an empty directory, or pass --force to replace it", held)
	}
	staging, err := os.MkdirTemp(dataDir, stagingPrefix)
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(staging)
	m, err := unpack(r, staging)
	if err != nil {
		return "", err
	}
	if err := app.CheckDatabase(ctx, filepath.Join(staging, dbFile)); err != nil {
		return "", fmt.Errorf("damaged database in the archive: %w", err)
	}
	if err := swapIn(dataDir, staging); err != nil {
		return "", &swapError{err}
	}
	var objects int
	var objBytes int64
	for _, e := range m.Files {
		if strings.HasPrefix(e.Name, objectsDir+"/") {
			objects++
			objBytes += e.Size
		}
	}
	return fmt.Sprintf("backup of %s, %d files, %d of them objects (%s)", m.Created.Format("2006-01-02 15:04:05 UTC"), len(m.Files), objects, size(objBytes)), nil
}

// removeLeftovers deletes the staging directories of restores that
// crashed. A directory of replaced contents is kept: it may be the only
// copy of the data a failed swap moved aside (it counts as data, so only
// --force replaces it).
func removeLeftovers(dataDir string) error {
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagingPrefix) {
			if err := os.RemoveAll(filepath.Join(dataDir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// holdsData names a file the data directory holds, "" when it holds
// nothing but empty directories and the lock.
func holdsData(dataDir string) (string, error) {
	held := ""
	err := filepath.WalkDir(dataDir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dataDir, path)
		if d.IsDir() || filepath.ToSlash(rel) == objectsDir+"/"+blobTmpDir+"/lock" {
			return nil
		}
		held = rel
		return filepath.SkipAll
	})
	return held, err
}

// entryName is what an archive entry may be called: MANIFEST.json,
// top-level files, and objects/ paths of fsblob's id alphabet, never a
// parent, absolute or hidden path.
var entryName = regexp.MustCompile(`^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*|objects(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)+)$`)

// unpack writes the archive's files under dir, checking each name and, at
// the end, every file against the manifest.
func unpack(r io.Reader, dir string) (manifest, error) {
	var m manifest
	br := bufio.NewReaderSize(r, 1<<20)
	var src io.Reader = br
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return m, fmt.Errorf("damaged archive: %w", err)
		}
		defer zr.Close()
		src = zr
	}
	tr := tar.NewReader(src)
	got := map[string]manifestEntry{}
	sawManifest := false
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, fmt.Errorf("damaged or cut-short archive: %w", err)
		}
		if sawManifest {
			return m, fmt.Errorf("damaged archive: %s after %s", hdr.Name, manifestName)
		}
		if hdr.Typeflag == tar.TypeDir {
			continue
		}
		if hdr.Typeflag != tar.TypeReg || !entryName.MatchString(hdr.Name) || hdr.Name == objectsDir {
			return m, fmt.Errorf("not a federa backup: unexpected entry %q", hdr.Name)
		}
		if hdr.Name == manifestName {
			if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(&m); err != nil {
				return m, fmt.Errorf("damaged or cut-short archive: %s: %w", manifestName, err)
			}
			sawManifest = true
			continue
		}
		e, err := unpackFile(tr, filepath.Join(dir, filepath.FromSlash(hdr.Name)))
		if err != nil {
			return m, fmt.Errorf("damaged or cut-short archive: %s: %w", hdr.Name, err)
		}
		e.Name = hdr.Name
		got[hdr.Name] = e
	}
	// A gzip stream's checksum is read at its end: drain it.
	if _, err := io.Copy(io.Discard, src); err != nil {
		return m, fmt.Errorf("damaged archive: %w", err)
	}
	if !sawManifest {
		return m, fmt.Errorf("cut-short archive: no %s at its end", manifestName)
	}
	if m.Format != manifestFormat {
		return m, fmt.Errorf("not a backup this federa reads (format %q, want %q)", m.Format, manifestFormat)
	}
	for _, want := range m.Files {
		if got[want.Name] != want {
			return m, fmt.Errorf("damaged archive: %s does not match the manifest (size %d, want %d; or its SHA-256 differs)", want.Name, got[want.Name].Size, want.Size)
		}
		delete(got, want.Name)
	}
	for name := range got {
		return m, fmt.Errorf("damaged archive: %s is not in the manifest", name)
	}
	if len(m.Files) == 0 || m.Files[0].Name != dbFile {
		return m, fmt.Errorf("not a federa backup: no %s", dbFile)
	}
	return m, nil
}

func unpackFile(r io.Reader, path string) (manifestEntry, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return manifestEntry{}, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return manifestEntry{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return manifestEntry{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, err
}

// swapError is a failure while moving files into place, after the
// archive was checked: the data directory is then neither old nor new.
type swapError struct{ err error }

func (e *swapError) Error() string {
	return fmt.Sprintf("moving the restored files into place: %v; the previous contents are in %s* inside the data directory", e.err, replacedPrefix)
}

func (e *swapError) Unwrap() error { return e.err }

// swapIn moves the data directory's contents aside and the staging
// directory's in, then deletes what was replaced. objects/.tmp, which
// holds the lock this process has, stays where it is.
func swapIn(dataDir, staging string) error {
	replaced, err := os.MkdirTemp(dataDir, replacedPrefix)
	if err != nil {
		return err
	}
	if err := moveEntries(dataDir, replaced, func(name string) bool {
		return name != filepath.Base(replaced) && name != filepath.Base(staging) && name != objectsDir
	}); err != nil {
		return err
	}
	objects := filepath.Join(dataDir, objectsDir)
	if err := os.MkdirAll(filepath.Join(replaced, objectsDir), 0o700); err != nil {
		return err
	}
	if err := moveEntries(objects, filepath.Join(replaced, objectsDir), func(name string) bool { return name != blobTmpDir }); err != nil {
		return err
	}
	if err := moveEntries(staging, dataDir, func(name string) bool { return name != objectsDir }); err != nil {
		return err
	}
	if err := moveEntries(filepath.Join(staging, objectsDir), objects, func(string) bool { return true }); err != nil {
		return err
	}
	return os.RemoveAll(replaced)
}

// moveEntries renames each entry of from that keep accepts into to.
func moveEntries(from, to string, keep func(name string) bool) error {
	entries, err := os.ReadDir(from)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if keep(e.Name()) {
			if err := os.Rename(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
