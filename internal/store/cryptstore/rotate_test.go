package cryptstore_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/federa/federa/internal/store"
	"github.com/federa/federa/internal/store/cryptstore"
)

// TestRotate: secrets written under key A are resealed under B; a store
// opened with B reads them all, with A it is refused, and nothing is left
// under A but the outbox messages the store cannot rewrite.
func TestRotate(t *testing.T) {
	sc := newSecrets(t)
	path := filepath.Join(t.TempDir(), "federa.db")
	sq := openSQL(t, path)
	a, b := newKey(t), newKey(t)
	csA, err := cryptstore.Open(ctx, sq, a)
	check(t, err)
	sc.write(t, csA)

	st, err := cryptstore.Rotate(ctx, sq, a, b)
	check(t, err)
	if st.Keys.Resealed != 2 || st.AppClients.Resealed != 1 || st.Users.Resealed != 1 || st.MessagesLeft != 1 || st.AuthCodesDropped != 1 {
		t.Errorf("first rotation: %+v", st)
	}
	t.Logf("rotate-master-key prints:\n%s", st)

	if _, err := cryptstore.Open(ctx, sq, a); err == nil || !strings.Contains(err.Error(), b.ID()) {
		t.Errorf("Open with the old key after rotation: err = %v", err)
	}
	csB, err := cryptstore.Open(ctx, sq, b)
	check(t, err)
	c, err := csB.GetAppClient(ctx, "client1")
	check(t, err)
	if !strings.Contains(string(c.Spec), sc.clientSecret) {
		t.Errorf("client spec after rotation: %q", c.Spec)
	}
	u, err := csB.GetUser(ctx, "us-east-1_P", "alice")
	check(t, err)
	if u.PasswordHash != sc.passwordHash || !strings.Contains(string(u.Spec), sc.totp) {
		t.Errorf("user after rotation: %+v", u)
	}
	keys, err := csB.ListKeys(ctx, "jwt/us-east-1_P")
	check(t, err)
	if len(keys) != 1 || !bytes.Equal(keys[0].Material, sc.rsaDER) || keys[0].ID != "kid1" {
		t.Errorf("signing key after rotation: %+v", keys)
	}
	msgs, err := csB.ListMessages(ctx, "us-east-1_P", "", 0)
	check(t, err)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "retired master key "+a.ID()) {
		t.Errorf("outbox after rotation: %+v", msgs)
	}
	if _, err := csB.ConsumeAuthCode(ctx, "codehash"); err == nil {
		t.Error("a pending authorization code survived the rotation")
	}

	// Nothing but the outbox message is under A any more.
	vacuum(t, path)
	raw := string(fileBytes(t, path))
	if n := strings.Count(raw, "$fed1$"+a.ID()+"$"); n > 1 {
		t.Errorf("%d values still under the old key", n)
	}

	again, err := cryptstore.Rotate(ctx, sq, a, b)
	check(t, err)
	if again.Keys.Resealed+again.AppClients.Resealed+again.Users.Resealed != 0 || again.Keys.Current != 2 {
		t.Errorf("a second run resealed something: %+v", again)
	}
}

// TestRotateFromClear: a store from before encryption is sealed whole by a
// rotation without an old key, and a rotation without the old key of an
// encrypted store is refused.
func TestRotateFromClear(t *testing.T) {
	sc := newSecrets(t)
	path := filepath.Join(t.TempDir(), "federa.db")
	sq := openSQL(t, path)
	sc.write(t, sq)
	k := newKey(t)
	st, err := cryptstore.Rotate(ctx, sq, nil, k)
	check(t, err)
	if st.Keys.Resealed != 2 || st.Users.Resealed != 1 || st.AppClients.Resealed != 1 {
		t.Errorf("stats %+v", st)
	}
	if err := cryptstore.CheckPlain(ctx, sq); err == nil {
		t.Error("the store still says its secrets are in clear")
	}
	cs, err := cryptstore.Open(ctx, sq, k)
	check(t, err)
	sc.readBack(t, cs, true)
	vacuum(t, path)
	raw := fileBytes(t, path)
	for name, needle := range sc.needles() {
		if name != "temporary password" && containsAny(raw, needle) {
			// The outbox cannot be rewritten: its old messages stay as they were.
			t.Errorf("%s still in clear after sealing", name)
		}
	}
	if _, err := cryptstore.Rotate(ctx, sq, nil, newKey(t)); err == nil || !strings.Contains(err.Error(), k.ID()) {
		t.Errorf("rotation of an encrypted store without its key: err = %v", err)
	}
}

// TestRotateResumes: a rotation interrupted between deleting a server key
// and writing its resealed copy loses nothing; servers refuse the store
// until the rotation is run again, which finishes it.
func TestRotateResumes(t *testing.T) {
	sc := newSecrets(t)
	sq := openSQL(t, filepath.Join(t.TempDir(), "federa.db"))
	a, b := newKey(t), newKey(t)
	csA, err := cryptstore.Open(ctx, sq, a)
	check(t, err)
	sc.write(t, csA)

	// Play the first steps of a rotation of the signing key by hand, as a
	// crash would leave them: the stash written, the original deleted.
	keys, err := sq.ListKeys(ctx, "jwt/us-east-1_P")
	check(t, err)
	k := keys[0]
	check(t, sq.CreateKey(ctx, store.Key{Purpose: "cryptstore/rotating", ID: k.ID + "|" + k.Purpose, Material: k.Material, CreatedAt: k.CreatedAt}))
	check(t, sq.DeleteKey(ctx, k.Purpose, k.ID))

	for _, key := range []*cryptstore.MasterKey{a, b} {
		if _, err := cryptstore.Open(ctx, sq, key); err == nil || !strings.Contains(err.Error(), "interrupted") {
			t.Errorf("Open during an interrupted rotation: err = %v", err)
		}
	}
	_, err = cryptstore.Rotate(ctx, sq, a, b)
	check(t, err)
	csB, err := cryptstore.Open(ctx, sq, b)
	check(t, err)
	sc.readBack(t, csB, false)
}
