package fsblob

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/federa/federa/internal/blob"
	"github.com/federa/federa/internal/blob/blobtest"
)

func TestConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store {
		dir := t.TempDir()
		s, err := New(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			// No failed or finished write may leave a temporary file.
			if left := tempFiles(dir); len(left) > 0 {
				t.Errorf("temporary files left behind: %q", left)
			}
			s.Close()
		})
		return s
	})
}

// TestNewSweepsInterruptedWrites: the temporary files of writes a crash cut
// off are gone after New, and complete blobs are untouched.
func TestNewSweepsInterruptedWrites(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(context.Background(), "obj/ab/kept", strings.NewReader("kept")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// What a process killed mid-upload leaves: a partial temporary file.
	if err := os.WriteFile(filepath.Join(dir, tmpDir, "put-123"), []byte("half an uplo"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = New(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if left := tempFiles(dir); len(left) != 0 {
		t.Errorf("New left temporary files %q", left)
	}
	rc, _, err := s.Open(context.Background(), "obj/ab/kept")
	if err != nil {
		t.Fatalf("a complete blob was swept: %v", err)
	}
	rc.Close()
}

// TestOneProcessPerDirectory: a second store on a directory in use is
// refused (its sweep would remove the first one's uploads in flight), and
// accepted once the first is closed.
func TestOneProcessPerDirectory(t *testing.T) {
	if !exclusive {
		t.Skip("no flock on this platform")
	}
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s2, err := New(dir); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second New on a locked directory: %v", err)
		if s2 != nil {
			s2.Close()
		}
	}
	s.Close()
	s, err = New(dir)
	if err != nil {
		t.Fatalf("New after Close: %v", err)
	}
	s.Close()
}

// TestReservedIDs: the names fsblob keeps for itself are never blob ids.
func TestReservedIDs(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, id := range []string{tmpDir, tmpDir + "/" + lockFile, "a/" + tmpDir + "/b"} {
		if _, err := s.Put(context.Background(), id, bytes.NewReader(nil)); err == nil {
			t.Errorf("id %q accepted", id)
		}
	}
}

// tempFiles lists what is in the temporary directory besides the lock.
func tempFiles(dir string) []string {
	entries, _ := os.ReadDir(filepath.Join(dir, tmpDir))
	var names []string
	for _, e := range entries {
		if e.Name() != lockFile {
			names = append(names, e.Name())
		}
	}
	return names
}
