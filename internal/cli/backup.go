package cli

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/federa/federa/internal/app"
)

// The data directory's layout, as app, sqlstore and fsblob make it.
const (
	dbFile        = "federa.db"
	objectsDir    = "objects"
	blobTmpDir    = ".tmp" // fsblob's writes in flight and its lock
	masterKeyFile = "master-key"
	// manifestName is the archive's last entry: every file's size and
	// SHA-256. An archive without it was cut short.
	manifestName   = "MANIFEST.json"
	manifestFormat = "federa-backup/1"
)

const backupHelp = `Usage: federa backup --data-dir D --out FILE.tar[.gz] [--include-master-key]

Writes a consistent snapshot of a stopped server's data directory: the
SQLite database (copied with VACUUM INTO), the object bytes (objects/) and
the other files of the directory as they are, root-credentials included.
The server must be stopped: backup takes the lock a running server holds,
so the database and the objects are from one moment.

The archive holds secrets. The database's secrets (signing keys, client
secrets, TOTP secrets, password verifiers) are encrypted only if the server
runs with a master key (--master-key-file or FEDERA_MASTER_KEY); otherwise
they are in clear, as is root-credentials always. The master key is NOT
included unless --include-master-key is given: keep it apart from the
backups, or the archive is as good as plaintext.

Flags:
`

// runBackup writes a backup archive of a data directory.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("federa backup", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "./federa-data", "the stopped server's data directory")
	out := fs.String("out", "", "archive to write (required): FILE.tar, or FILE.tar.gz / FILE.tgz to compress")
	withKey := fs.Bool("include-master-key", false, "also store the master key in the archive, as master-key")
	keyFile := fs.String("master-key-file", "", "with --include-master-key: the key file to store (default: <data-dir>/master-key, where demo keeps it)")
	fs.Usage = func() { fmt.Fprint(fs.Output(), backupHelp); fs.PrintDefaults() }
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "federa backup: --out is required")
		return errUsage
	}
	if _, err := os.Stat(filepath.Join(*dataDir, dbFile)); err != nil {
		return fmt.Errorf("%s holds no %s: is it a federa data directory? (%w)", *dataDir, dbFile, err)
	}
	if inside(*out, *dataDir) {
		return fmt.Errorf("--out %s is inside the data directory; write the backup elsewhere", *out)
	}
	release, err := lockDataDir(*dataDir)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer release()

	key := ""
	if *withKey {
		key = *keyFile
		if key == "" {
			key = filepath.Join(*dataDir, masterKeyFile)
		}
	}
	sum, err := writeBackup(ctx, *dataDir, *out, key)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s: %s\n", *out, sum)
	if key == "" {
		fmt.Fprintln(stdout, "the master key, if the server uses one, is not in the archive: keep it apart; a server on the restored data needs it")
	} else {
		fmt.Fprintln(stdout, "WARNING: the archive holds the master key: anyone with it can read every secret")
	}
	return nil
}

// inside reports whether path is dir or below it.
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// manifestEntry is one file of a backup.
type manifestEntry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

type manifest struct {
	Format  string          `json:"format"`
	Created time.Time       `json:"created"`
	Files   []manifestEntry `json:"files"`
}

// writeBackup writes the archive to a temporary file beside out and renames
// it into place, so a failed backup leaves no partial archive behind.
func writeBackup(ctx context.Context, dataDir, out, keyFile string) (summary string, err error) {
	dir := filepath.Dir(out)
	work, err := os.MkdirTemp(dir, ".federa-backup-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	snapshot := filepath.Join(work, dbFile)
	if err := app.SnapshotDatabase(ctx, filepath.Join(dataDir, dbFile), snapshot); err != nil {
		return "", fmt.Errorf("snapshot of the database: %w", err)
	}

	tmp, err := os.CreateTemp(dir, filepath.Base(out)+".partial-")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<20)
	var zw *gzip.Writer
	var w io.Writer = bw
	if strings.HasSuffix(out, ".gz") || strings.HasSuffix(out, ".tgz") {
		zw = gzip.NewWriter(bw)
		w = zw
	}
	a := &archiveWriter{tw: tar.NewWriter(w), m: manifest{Format: manifestFormat, Created: time.Now().UTC()}}

	if err := a.addFile(dbFile, snapshot); err != nil {
		return "", err
	}
	top, err := os.ReadDir(dataDir)
	if err != nil {
		return "", err
	}
	var others []string
	for _, e := range top {
		name := e.Name()
		if name == objectsDir || name == masterKeyFile || strings.HasPrefix(name, dbFile) || strings.HasPrefix(name, ".") || !e.Type().IsRegular() {
			continue
		}
		if err := a.addFile(name, filepath.Join(dataDir, name)); err != nil {
			return "", err
		}
		others = append(others, name)
	}
	objects, objBytes, err := a.addObjects(filepath.Join(dataDir, objectsDir))
	if err != nil {
		return "", err
	}
	if keyFile != "" {
		if err := a.addFile(masterKeyFile, keyFile); err != nil {
			return "", fmt.Errorf("--include-master-key: %w", err)
		}
		others = append(others, masterKeyFile)
	}
	if err := a.finish(); err != nil {
		return "", err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return "", err
		}
	}
	if err := bw.Flush(); err != nil {
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return "", err
	}
	summary = fmt.Sprintf("database %s, %d object files (%s)", size(a.m.Files[0].Size), objects, size(objBytes))
	if len(others) > 0 {
		summary += ", " + strings.Join(others, ", ")
	}
	return summary, nil
}

// archiveWriter adds files to a tar stream and records them in the
// manifest it writes last.
type archiveWriter struct {
	tw *tar.Writer
	m  manifest
}

func (a *archiveWriter) addFile(name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: info.Size(), Mode: 0o600, ModTime: info.ModTime().UTC(), Format: tar.FormatPAX}
	if err := a.tw.WriteHeader(hdr); err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(a.tw, h), f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if n != info.Size() {
		return fmt.Errorf("%s changed size while being read", path)
	}
	a.m.Files = append(a.m.Files, manifestEntry{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// addObjects adds fsblob's files, without its directory of writes in
// flight (none are, with the lock held) and its lock.
func (a *archiveWriter) addObjects(dir string) (files int, bytes int64, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == dir {
				return nil // no object stored yet
			}
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if d.IsDir() && rel == blobTmpDir {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if err := a.addFile(objectsDir+"/"+filepath.ToSlash(rel), path); err != nil {
			return err
		}
		files++
		bytes += a.m.Files[len(a.m.Files)-1].Size
		return nil
	})
	return files, bytes, err
}

func (a *archiveWriter) finish() error {
	body, err := json.MarshalIndent(a.m, "", "  ")
	if err != nil {
		return err
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: manifestName, Size: int64(len(body)), Mode: 0o600, ModTime: a.m.Created, Format: tar.FormatPAX}
	if err := a.tw.WriteHeader(hdr); err != nil {
		return err
	}
	if _, err := a.tw.Write(body); err != nil {
		return err
	}
	return a.tw.Close()
}

// size is n bytes written for people.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
