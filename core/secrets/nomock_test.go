package secrets

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoSharedKeyringMock keeps go-keyring's process-wide mock out of the
// tests: tests that shared it lost each other's secrets and failed one run in
// several (issue 12). Tests use NewMemory, one per test.
func TestNoSharedKeyringMock(t *testing.T) {
	root := filepath.Join("..", "..")
	mock := "keyring." + "MockInit" // split, or this file would match itself
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), mock) {
			t.Errorf("%s uses %s; give the test its own secrets.NewMemory()", path, mock)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
