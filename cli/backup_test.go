package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestBackupRestore: a backup to a file and to standard output, a restore
// that brings back what was removed since, and the files it refuses.
func TestBackupRestore(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 40, Seed: 3}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	if r := cmd(t, dir, creds(), "", "shop", "add", "--name", "Sim", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C"); r.code != 0 {
		t.Fatalf("shop add: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "sync"); r.code != 0 {
		t.Fatalf("sync: %+v", r)
	}
	bak := filepath.Join(t.TempDir(), "books.db")
	r := cmd(t, dir, nil, "", "backup", "-o", bak)
	if r.code != 0 || !strings.Contains(r.stdout, "backed up 1 shop and 40 orders to "+bak) {
		t.Fatalf("backup: %+v", r)
	}
	r = cmd(t, dir, nil, "", "backup", "-o", "-")
	if r.code != 0 || len(r.stdout) < 32<<10 {
		t.Fatalf("backup to stdout: code %d, %d bytes, %s", r.code, len(r.stdout), r.stderr)
	}
	if r := cmd(t, dir, nil, "", "backup", "-o", filepath.Join(dir, books.DBFile)); r.code != 1 || !strings.Contains(r.stderr, "another file than the books") {
		t.Errorf("backup over the books: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "backup"); r.code != 2 || !strings.Contains(r.stderr, "missing -o FILE") {
		t.Errorf("backup without -o: %+v", r)
	}

	// Removed after the backup, with its keys.
	if r := cmd(t, dir, nil, "", "shop", "remove", "--shop", "Sim", "--delete-orders"); r.code != 0 {
		t.Fatalf("shop remove: %+v", r)
	}
	r = cmd(t, dir, nil, "", "restore", bak)
	if r.code != 0 || !strings.Contains(r.stdout, "restored 1 shop and 40 orders from "+bak) ||
		!strings.Contains(r.stdout, "books they replaced are in shopledger.db.before-restore") {
		t.Fatalf("restore: %+v", r)
	}
	// The backup holds no keys, and the keyring lost them with the shop.
	if !strings.Contains(r.stdout, "shop \"Sim\" has no API keys in this keyring: enter them with `shopledger shop keys --shop \"Sim\"`") {
		t.Errorf("restore does not say how to enter the keys: %s", r.stdout)
	}
	if r := cmd(t, dir, nil, "", "shop", "list"); !strings.Contains(r.stdout, "Sim") || !strings.Contains(r.stdout, "40") {
		t.Errorf("shop list after restore: %s", r.stdout)
	}
	if r := cmd(t, dir, creds(), "", "shop", "keys", "--shop", "Sim"); r.code != 0 {
		t.Fatalf("shop keys after restore: %+v", r)
	}
	srv.Sim.AddOrders(2)
	if r := cmd(t, dir, nil, "", "sync"); r.code != 0 || !strings.Contains(r.stdout, "2 new") {
		t.Fatalf("sync after restore: %+v", r)
	}

	// Not while the window or serve has the books open.
	open, err := books.Open(dir, secrets.NewMemory())
	if err != nil {
		t.Fatal(err)
	}
	r = cmd(t, dir, nil, "", "restore", bak)
	open.Close()
	if r.code != 1 || !strings.Contains(r.stderr, "ShopLedger is already running") || !strings.Contains(r.stderr, "close the window or stop `shopledger serve`") {
		t.Errorf("restore while the books are open: %+v", r)
	}

	note := filepath.Join(t.TempDir(), "note.txt")
	os.WriteFile(note, []byte("not a database"), 0o600)
	for _, c := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"restore", note}, 1, "This file is not a ShopLedger database."},
		{[]string{"restore", filepath.Join(dir, "missing.db")}, 1, "There is no file"},
		{[]string{"restore"}, 2, "give the backup file"},
	} {
		if r := cmd(t, dir, nil, "", c.args...); r.code != c.code || !strings.Contains(r.stderr, c.stderr) {
			t.Errorf("%v: %+v", c.args, r)
		}
	}
	if _, err := secrets.LoadShop(keysFor(dir), 1); err != nil {
		t.Errorf("a refused restore touched the keys: %v", err)
	}
}
