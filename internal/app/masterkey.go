package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/cryptstore"
	"github.com/federa/federa/internal/store/sqlstore"
)

// MasterKeySource says where a master key comes from. The zero value is no
// key: the store's secrets are kept in clear, and a store whose secrets
// are encrypted is refused.
type MasterKeySource struct {
	// File is a key file: 32 random bytes as hex or base64, mode 0600 or
	// stricter (--master-key-file).
	File string
	// Value is the key itself, used when File is empty (FEDERA_MASTER_KEY).
	Value string
	// Generate, with neither, loads <DataDir>/master-key, creating it on
	// first start: demo keeps its key beside its data.
	Generate bool
}

// DemoMasterKeyFile is where Generate keeps the key, in the data directory.
const DemoMasterKeyFile = "master-key"

// load returns the key, nil for none; generated names a file just made.
func (m MasterKeySource) load(dataDir string) (k *cryptstore.MasterKey, generated string, err error) {
	switch {
	case m.File != "":
		k, err = cryptstore.LoadKeyFile(m.File)
	case m.Value != "":
		if k, err = cryptstore.ParseKey([]byte(m.Value)); err != nil {
			err = fmt.Errorf("FEDERA_MASTER_KEY: %w", err)
		}
	case m.Generate:
		path := filepath.Join(dataDir, DemoMasterKeyFile)
		var created bool
		if k, created, err = cryptstore.LoadOrCreateKeyFile(path); created {
			generated = path
		}
	}
	return k, generated, err
}

// sealSecrets wraps the store so its secrets are sealed under the master
// key, after checking the store's secrets are under that key; without a
// key it checks they are in clear.
func (o Options) sealSecrets(ctx context.Context, sq store.Store) (store.Store, error) {
	key, generated, err := o.MasterKey.load(o.DataDir)
	if err != nil {
		return nil, err
	}
	if key == nil {
		if err := cryptstore.CheckPlain(ctx, sq); err != nil {
			return nil, err
		}
		return sq, nil
	}
	if generated != "" {
		o.Logger.Warn("generated a master key for the store's secrets; it sits beside the data it protects, which suits a demo only", "file", generated, "key_id", key.ID())
	}
	cs, err := cryptstore.Open(ctx, sq, key)
	if err != nil {
		return nil, err
	}
	return cs, nil
}

// RotateMasterKey reseals every secret of the store in dataDir from one
// master key to another (from's zero value: the secrets are in clear) and
// returns what it did, for people. No server may run on dataDir: the
// caller holds its lock.
func RotateMasterKey(ctx context.Context, dataDir string, from, to MasterKeySource) (string, error) {
	return RotateMasterKeyIn(ctx, dataDir, "", from, to)
}

// RotateMasterKeyIn is RotateMasterKey for the record store storeURL: the
// data directory's SQLite file when empty, or a postgres:// database shared
// by several nodes — which must all be stopped, since no lock spans them.
func RotateMasterKeyIn(ctx context.Context, dataDir, storeURL string, from, to MasterKeySource) (string, error) {
	old, _, err := from.load(dataDir)
	if err != nil {
		return "", fmt.Errorf("old key: %w", err)
	}
	to.Generate = false
	newKey, _, err := to.load(dataDir)
	if err != nil {
		return "", fmt.Errorf("new key: %w", err)
	}
	if newKey == nil {
		return "", errors.New("no new key: give --new-key-file or FEDERA_NEW_MASTER_KEY")
	}
	var sq *sqlstore.Store
	if storeURL == "" || storeURL == "sqlite" {
		path := filepath.Join(dataDir, "federa.db")
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("%s holds no federa.db: is it a federa data directory? (%w)", dataDir, err)
		}
		sq, err = sqlstore.Open(ctx, path)
	} else {
		sq, err = Options{Store: storeURL, DataDir: dataDir}.openStore(ctx)
	}
	if err != nil {
		return "", err
	}
	defer sq.Close()
	st, err := cryptstore.Rotate(ctx, sq, old, newKey)
	if err != nil {
		return st.String(), err
	}
	return st.String(), nil
}
