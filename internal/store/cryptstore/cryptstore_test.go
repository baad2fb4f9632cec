package cryptstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/cachestore"
	"github.com/federa/federa/internal/store/cryptstore"
	"github.com/federa/federa/internal/store/sqlstore"
	"github.com/federa/federa/internal/store/storetest"
)

var ctx = context.Background()

func openSQL(t testing.TB, path string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newKey(t testing.TB) *cryptstore.MasterKey {
	t.Helper()
	raw := make([]byte, cryptstore.KeySize)
	if _, err := rand.Read(raw); err != nil {
		t.Fatal(err)
	}
	k, err := cryptstore.NewMasterKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestConformance runs the store suite through the decorator, alone and
// in the stack a server uses (the cache above it, so cached records are
// opened once per TTL).
func TestConformance(t *testing.T) {
	t.Run("crypt", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			return cryptstore.New(openSQL(t, filepath.Join(t.TempDir(), "federa.db")), newKey(t))
		})
	})
	t.Run("cache+crypt", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			s, err := cryptstore.Open(ctx, openSQL(t, filepath.Join(t.TempDir(), "federa.db")), newKey(t))
			check(t, err)
			return cachestore.New(s)
		})
	})
}

// secrets is one of each secret federa stores, as the services write them.
type secrets struct {
	clientSecret, totp, srpVerifier, passwordHash, tempPassword, pkce string
	rsaDER                                                            []byte
	rsaD                                                              []byte // the private exponent: a JWK's "d"
	sealing                                                           []byte // a sealbox key
}

func newSecrets(t testing.TB) secrets {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	check(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	check(t, err)
	sealing := make([]byte, 64)
	_, _ = rand.Read(sealing)
	return secrets{
		clientSecret: "1example23456789client0secret0abcdefghijklmnopqrst",
		totp:         "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
		srpVerifier:  strings.Repeat("5eedf00d", 32),
		passwordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
		tempPassword: "Temp-Pa55word!xyz",
		pkce:         "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
		rsaDER:       der, rsaD: priv.D.Bytes(), sealing: sealing,
	}
}

// write stores each secret through s, in the records that hold them.
func (sc secrets) write(t testing.TB, s store.Store) {
	t.Helper()
	now := time.Now().UTC()
	check(t, s.CreateUserPool(ctx, store.UserPool{ID: "us-east-1_P", Name: "p", CreatedAt: now, Spec: []byte(`{}`)}))
	check(t, s.CreateKey(ctx, store.Key{Purpose: "jwt/us-east-1_P", ID: "kid1", Material: sc.rsaDER, CreatedAt: now}))
	check(t, s.CreateKey(ctx, store.Key{Purpose: "session", ID: "0a0b0c0d", Material: sc.sealing, CreatedAt: now}))
	check(t, s.CreateAppClient(ctx, store.AppClient{ClientID: "client1", PoolID: "us-east-1_P", Name: "web", CreatedAt: now,
		Spec: []byte(`{"GenerateSecret":true,"ClientSecret":"` + sc.clientSecret + `"}`)}))
	check(t, s.CreateUser(ctx, store.User{PoolID: "us-east-1_P", Key: "alice", Username: "alice", Sub: "sub-a", Enabled: true,
		Status: "CONFIRMED", PasswordHash: sc.passwordHash, Attributes: map[string]string{"email": "alice@example.com"}, CreatedAt: now,
		Spec: []byte(`{"srp":{"salt":"00ff","verifier":"` + sc.srpVerifier + `"},"totp":{"secret":"` + sc.totp + `","enabled":true}}`)}))
	check(t, s.AddMessage(ctx, store.Message{ID: "m1", PoolID: "us-east-1_P", Username: "alice", Medium: "EMAIL",
		Body: "Your temporary password is " + sc.tempPassword, CreatedAt: now}))
	check(t, s.CreateAuthCode(ctx, store.AuthCode{Hash: "codehash", PoolID: "us-east-1_P", ClientID: "client1", UserKey: "alice",
		ExpiresAt: now.Add(time.Hour), Spec: []byte(`{"challenge":"` + sc.pkce + `","method":"plain"}`)}))
}

// needles are the forms in which each secret could sit in the database
// file: as it is (string fields) and as base64 at each of the three
// alignments (the JSON documents hold []byte fields as base64).
func (sc secrets) needles() map[string][][]byte {
	return map[string][][]byte{
		"client secret":      forms([]byte(sc.clientSecret)),
		"TOTP secret":        forms([]byte(sc.totp)),
		"SRP verifier":       forms([]byte(sc.srpVerifier)),
		"password hash":      forms([]byte(sc.passwordHash)),
		"temporary password": forms([]byte(sc.tempPassword)),
		"PKCE verifier":      forms([]byte(sc.pkce)),
		"RSA private key":    forms(sc.rsaDER[40:100]),
		"RSA d":              forms(sc.rsaD[:48]),
		"sealing key":        forms(sc.sealing[:48]),
	}
}

// forms is s and the part of base64(x‖s‖y) that depends on s alone, for
// each length of x mod 3.
func forms(s []byte) [][]byte {
	out := [][]byte{s}
	for o := range 3 {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, o), s...))
		start, end := (8*o+5)/6, (8*(o+len(s)))/6
		out = append(out, []byte(enc[start:end]))
	}
	return out
}

func containsAny(hay []byte, needles [][]byte) bool {
	for _, n := range needles {
		if bytes.Contains(hay, n) {
			return true
		}
	}
	return false
}

// vacuum does what rotate-master-key does after resealing: it rewrites the
// database so that the free pages and the write-ahead log no longer hold
// the values as they were before.
func vacuum(t testing.TB, dbPath string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(10000)")
	check(t, err)
	defer db.Close()
	for _, q := range []string{"PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// fileBytes is every byte SQLite keeps for the database: the main file and
// its write-ahead log.
func fileBytes(t testing.TB, dbPath string) []byte {
	t.Helper()
	var all []byte
	for _, suffix := range []string{"", "-wal", "-journal"} {
		b, err := os.ReadFile(dbPath + suffix)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// TestNoSecretInTheFile writes every kind of secret through the decorator
// and searches the raw SQLite bytes for each. The same search over a
// store without it finds them all, so the search itself is shown to work.
func TestNoSecretInTheFile(t *testing.T) {
	sc := newSecrets(t)

	plainPath := filepath.Join(t.TempDir(), "federa.db")
	sc.write(t, openSQL(t, plainPath))
	plainBytes := fileBytes(t, plainPath)
	for name, needle := range sc.needles() {
		if !containsAny(plainBytes, needle) {
			t.Errorf("control: %s not found in a store without encryption; the search is blind", name)
		}
	}

	path := filepath.Join(t.TempDir(), "federa.db")
	sq := openSQL(t, path)
	cs, err := cryptstore.Open(ctx, sq, newKey(t))
	check(t, err)
	sc.write(t, cs)
	raw := fileBytes(t, path)
	for name, needle := range sc.needles() {
		if containsAny(raw, needle) {
			t.Errorf("%s is in clear in the database file", name)
		}
	}
	// The raw inner store holds sealed values; the decorator reads them back.
	rc, err := sq.GetAppClient(ctx, "client1")
	check(t, err)
	if !bytes.HasPrefix(rc.Spec, []byte("$fed1$")) {
		t.Errorf("raw client spec %q is not sealed", rc.Spec)
	}
	sc.readBack(t, cs, true)
}

// readBack checks the decorator returns every secret as written (the
// outbox's too, unless a rotation retired its key).
func (sc secrets) readBack(t testing.TB, s store.Store, outbox bool) {
	t.Helper()
	c, err := s.GetAppClient(ctx, "client1")
	check(t, err)
	if !strings.Contains(string(c.Spec), sc.clientSecret) {
		t.Errorf("client spec read back as %q", c.Spec)
	}
	u, err := s.GetUser(ctx, "us-east-1_P", "alice")
	check(t, err)
	if u.PasswordHash != sc.passwordHash || !strings.Contains(string(u.Spec), sc.totp) {
		t.Errorf("user read back as %+v", u)
	}
	keys, err := s.ListKeys(ctx, "jwt/us-east-1_P")
	check(t, err)
	if len(keys) != 1 || !bytes.Equal(keys[0].Material, sc.rsaDER) {
		t.Errorf("signing key read back wrong")
	}
	if _, err := x509.ParsePKCS8PrivateKey(keys[0].Material); err != nil {
		t.Errorf("signing key does not parse: %v", err)
	}
	keys, err = s.ListKeys(ctx, "session")
	check(t, err)
	if len(keys) != 1 || !bytes.Equal(keys[0].Material, sc.sealing) {
		t.Errorf("session key read back wrong")
	}
	msgs, err := s.ListMessages(ctx, "us-east-1_P", "", 0)
	check(t, err)
	if !outbox {
		return
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body, sc.tempPassword) {
		t.Errorf("messages read back as %+v", msgs)
	}
}

// TestMovedCiphertextDoesNotOpen: a sealed value copied into another record
// or another field of the same record is refused, not read as that record's.
func TestMovedCiphertextDoesNotOpen(t *testing.T) {
	sq := openSQL(t, filepath.Join(t.TempDir(), "federa.db"))
	cs := cryptstore.New(sq, newKey(t))
	check(t, cs.CreateAppClient(ctx, store.AppClient{ClientID: "a", PoolID: "p", Spec: []byte(`{"ClientSecret":"A"}`)}))
	check(t, cs.CreateAppClient(ctx, store.AppClient{ClientID: "b", PoolID: "p", Spec: []byte(`{"ClientSecret":"B"}`)}))
	a, err := sq.GetAppClient(ctx, "a")
	check(t, err)
	_, err = sq.UpdateAppClient(ctx, "b", func(c *store.AppClient) error { c.Spec = a.Spec; return nil })
	check(t, err)
	if _, err := cs.GetAppClient(ctx, "b"); !errors.Is(err, cryptstore.ErrCorrupt) {
		t.Errorf("client a's spec opened as client b's: err = %v", err)
	}

	check(t, cs.CreateUser(ctx, store.User{PoolID: "p", Key: "u", Sub: "s", PasswordHash: "$argon2id$x", Spec: []byte(`{"x":1}`)}))
	_, err = sq.UpdateUser(ctx, "p", "u", func(u *store.User) error { u.PasswordHash = string(u.Spec); return nil })
	check(t, err)
	if _, err := cs.GetUser(ctx, "p", "u"); !errors.Is(err, cryptstore.ErrCorrupt) {
		t.Errorf("the spec opened as the password hash: err = %v", err)
	}

	// A flipped byte is caught by the tag.
	check(t, cs.CreateKey(ctx, store.Key{Purpose: "session", ID: "k", Material: []byte("0123456789")}))
	raw, err := sq.ListKeys(ctx, "session")
	check(t, err)
	m := bytes.Clone(raw[0].Material)
	m[len(m)-3] ^= 'A' ^ 'B'
	check(t, sq.DeleteKey(ctx, "session", "k"))
	check(t, sq.CreateKey(ctx, store.Key{Purpose: "session", ID: "k", Material: m}))
	if _, err := cs.ListKeys(ctx, "session"); !errors.Is(err, cryptstore.ErrCorrupt) {
		t.Errorf("a changed key opened: err = %v", err)
	}
}

// TestPlaintextFromBefore: a database written without encryption reads
// through the decorator, and each record is sealed when next written.
func TestPlaintextFromBefore(t *testing.T) {
	sc := newSecrets(t)
	sq := openSQL(t, filepath.Join(t.TempDir(), "federa.db"))
	sc.write(t, sq)
	cs, err := cryptstore.Open(ctx, sq, newKey(t))
	check(t, err)
	sc.readBack(t, cs, true)

	_, err = cs.UpdateAppClient(ctx, "client1", func(c *store.AppClient) error { c.Name = "renamed"; return nil })
	check(t, err)
	raw, err := sq.GetAppClient(ctx, "client1")
	check(t, err)
	if bytes.Contains(raw.Spec, []byte(sc.clientSecret)) || raw.Name != "renamed" {
		t.Errorf("an update left the client secret in clear: %q", raw.Spec)
	}
	u, err := cs.UpdateUser(ctx, "us-east-1_P", "alice", func(u *store.User) error { u.Status = "RESET_REQUIRED"; return nil })
	check(t, err)
	if u.PasswordHash != sc.passwordHash || u.Status != "RESET_REQUIRED" {
		t.Errorf("UpdateUser returned %+v", u)
	}
	rawU, err := sq.GetUser(ctx, "us-east-1_P", "alice")
	check(t, err)
	if rawU.PasswordHash == sc.passwordHash || bytes.Contains(rawU.Spec, []byte(sc.totp)) {
		t.Error("an update left the user's secrets in clear")
	}
	sc.readBack(t, cs, true)
}

// TestWrongKeyRefused: a server given another key, or none, stops with a
// message naming the store's key, instead of failing on every secret.
func TestWrongKeyRefused(t *testing.T) {
	sq := openSQL(t, filepath.Join(t.TempDir(), "federa.db"))
	a, b := newKey(t), newKey(t)
	check(t, cryptstore.CheckPlain(ctx, sq)) // nothing encrypted yet
	cs, err := cryptstore.Open(ctx, sq, a)
	check(t, err)
	check(t, cs.CreateAppClient(ctx, store.AppClient{ClientID: "c", PoolID: "p", Spec: []byte(`{"ClientSecret":"x"}`)}))
	if _, err := cryptstore.Open(ctx, sq, a); err != nil {
		t.Errorf("reopening with the same key: %v", err)
	}
	_, err = cryptstore.Open(ctx, sq, b)
	if err == nil || !strings.Contains(err.Error(), a.ID()) || !strings.Contains(err.Error(), b.ID()) {
		t.Errorf("Open with another key: err = %v, want both ids named", err)
	}
	if err := cryptstore.CheckPlain(ctx, sq); err == nil || !strings.Contains(err.Error(), a.ID()) {
		t.Errorf("CheckPlain on an encrypted store: err = %v", err)
	}
	// Reading through a decorator with the wrong key, bypassing Open,
	// still fails cleanly.
	if _, err := cryptstore.New(sq, b).GetAppClient(ctx, "c"); !errors.Is(err, cryptstore.ErrUnknownKey) {
		t.Errorf("wrong key read: err = %v", err)
	}
}

// TestCallersRecordsUnchanged: sealing works on a copy; the caller's
// record keeps its plaintext.
func TestCallersRecordsUnchanged(t *testing.T) {
	cs := cryptstore.New(openSQL(t, filepath.Join(t.TempDir(), "federa.db")), newKey(t))
	u := store.User{PoolID: "p", Key: "u", Sub: "s", PasswordHash: "$argon2id$h", Spec: []byte(`{"a":1}`)}
	check(t, cs.CreateUser(ctx, u))
	if u.PasswordHash != "$argon2id$h" || string(u.Spec) != `{"a":1}` {
		t.Errorf("caller's user changed to %+v", u)
	}
	boom := errors.New("boom")
	if _, err := cs.UpdateUser(ctx, "p", "u", func(u *store.User) error { u.PasswordHash = "changed"; return boom }); !errors.Is(err, boom) {
		t.Errorf("fn's error came back as %v", err)
	}
	got, err := cs.GetUser(ctx, "p", "u")
	check(t, err)
	if got.PasswordHash != "$argon2id$h" {
		t.Errorf("a failed update wrote %q", got.PasswordHash)
	}
}
