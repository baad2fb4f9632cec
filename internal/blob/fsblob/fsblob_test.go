package fsblob

import (
	"os"
	"path/filepath"
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
			if left, _ := os.ReadDir(filepath.Join(dir, tmpDir)); len(left) > 0 {
				t.Errorf("%d temporary files left behind", len(left))
			}
		})
		return s
	})
}
