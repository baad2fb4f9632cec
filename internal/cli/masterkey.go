package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/federa/federa/internal/app"
)

const rotateHelp = `Usage: federa rotate-master-key --data-dir D [--old-key-file F] --new-key-file G

Re-encrypts every secret in the store of D (signing keys, client secrets,
users' TOTP secrets and password verifiers) under a new master key, then
compacts the database so the values as they were leave the file. The
server must be stopped; start it again with the new key. Running the
command again with the same keys finishes an interrupted rotation and
otherwise changes nothing.

Without an old key, it encrypts a store whose secrets are in clear (one
written before a master key was used). Give a new key as 32 random bytes,
hex or base64, in a file of mode 0600 (openssl rand -hex 32 > G).

The keys may also come from the environment: FEDERA_OLD_KEY_FILE and
FEDERA_NEW_KEY_FILE name files, FEDERA_MASTER_KEY (the old key, as a
server reads it) and FEDERA_NEW_MASTER_KEY hold keys themselves. Backups
made before the rotation stay under the old key: keep it as long as them.

Flags:
`

// runRotateMasterKey reseals a stopped server's secrets under a new key.
func runRotateMasterKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("federa rotate-master-key", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "./federa-data", "the stopped server's data directory")
	oldFile := fs.String("old-key-file", "", "the master key the secrets are under now; none when they are in clear")
	newFile := fs.String("new-key-file", "", "the master key to re-encrypt them under (required, or FEDERA_NEW_MASTER_KEY)")
	storeURL := fs.String("store", "sqlite", "the record store: sqlite (in the data directory) or the postgres:// URL the nodes share (stop every node first)")
	fs.Usage = func() { fmt.Fprint(fs.Output(), rotateHelp); fs.PrintDefaults() }
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	from := app.MasterKeySource{File: *oldFile, Value: os.Getenv("FEDERA_MASTER_KEY")}
	to := app.MasterKeySource{File: *newFile, Value: os.Getenv("FEDERA_NEW_MASTER_KEY")}
	if to.File == "" && to.Value == "" {
		fmt.Fprintln(stderr, "federa rotate-master-key: give the new key with --new-key-file (or FEDERA_NEW_MASTER_KEY)")
		return errUsage
	}
	if *storeURL != "" && *storeURL != "sqlite" {
		// PostgreSQL: no data directory lock spans the nodes, and the
		// database compacts its own storage (VACUUM is the operator's).
		summary, err := app.RotateMasterKeyIn(ctx, *dataDir, *storeURL, from, to)
		fmt.Fprint(stdout, summary)
		if err != nil {
			return fmt.Errorf("rotate-master-key: %w", err)
		}
		return nil
	}
	db := filepath.Join(*dataDir, dbFile)
	if _, err := os.Stat(db); err != nil {
		return fmt.Errorf("%s holds no %s: is it a federa data directory? (%w)", *dataDir, dbFile, err)
	}
	release, err := lockDataDir(*dataDir)
	if err != nil {
		return fmt.Errorf("rotate-master-key: %w", err)
	}
	defer release()
	summary, err := app.RotateMasterKey(ctx, *dataDir, from, to)
	fmt.Fprint(stdout, summary)
	if err != nil {
		return fmt.Errorf("rotate-master-key: %w", err)
	}
	if err := app.CompactDatabase(ctx, db); err != nil {
		return fmt.Errorf("rotate-master-key: the secrets are re-encrypted, but compacting the database failed (run the command again): %w", err)
	}
	fmt.Fprintln(stdout, "database compacted: the values as they were are no longer in its file")
	return nil
}
