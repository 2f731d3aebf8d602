package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/store"
)

// buildBinary compiles shopledger once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "shopledger")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// TestSecondInstanceIsToldPlainly holds the database open as a running
// ShopLedger would and checks that the real binary gives up with a plain
// message instead of hanging.
func TestSecondInstanceIsToldPlainly(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, books.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	cmd := exec.Command(bin, "shop", "list", "--data-dir", dir)
	cmd.Env = append(os.Environ(), "SHOPLEDGER_DATA_DIR=")
	start := time.Now()
	done := make(chan struct{})
	var out []byte
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // a hang, not a timing check
		cmd.Process.Kill()
		t.Fatal("second instance hangs on the locked database")
	}
	if err == nil || !strings.Contains(string(out), "ShopLedger is already running") {
		t.Fatalf("second instance: err %v, output %q", err, out)
	}
	t.Logf("second instance gave up after %s", time.Since(start).Round(10*time.Millisecond))
}
