package books_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"codeberg.org/shopledger/shopledger/core/backup"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestBackupMidSyncRestoresAndSyncsOn takes a backup while a shop's first
// import is under way, lets the import finish and the shop change, then
// restores the backup: the restored books pass the store's check and the
// next sync brings them to exactly the shop's orders.
func TestBackupMidSyncRestoresAndSyncsOn(t *testing.T) {
	const total = 1200
	srv, err := woosim.Start(woosim.Options{Orders: total, Seed: 12}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	keys := secrets.NewMemory() // the same keyring after the restore
	b, err := books.Open(dir, keys)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { b.Close() }()
	wh, cc := catalog(t, b)
	sh, err := b.AddShop(books.NewShop{Name: "Sim", URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Warehouse: wh, CostCenter: cc})
	if err != nil {
		t.Fatal(err)
	}

	bak := filepath.Join(t.TempDir(), "mid-sync.db")
	backedUp := make(chan error, 1)
	var atPage int
	_, err = b.Sync(context.Background(), sh.ID, func(p syncer.Progress) {
		if atPage > 0 || p.Page < 2 {
			return
		}
		atPage = p.Page
		// From another goroutine, as the daily service does, while the
		// sync holds its pages in flight.
		go func() { backedUp <- b.BackupFile(bak) }()
		if err := <-backedUp; err != nil {
			t.Errorf("backup: %v", err)
		}
	})
	if err != nil || atPage == 0 {
		t.Fatalf("sync: %v (backup at page %d)", err, atPage)
	}
	if n, _ := b.CountOrders(store.OrderFilter{}); n != total {
		t.Fatalf("the import holds %d orders", n)
	}

	// The shop moves on after the backup.
	for _, id := range []int64{1, 2, total} {
		if err := srv.Sim.SetStatus(id, "refunded"); err != nil {
			t.Fatal(err)
		}
	}
	srv.Sim.AddOrders(25)

	if _, err := books.Restore(dir, bak); !errors.Is(err, store.ErrAlreadyRunning) {
		t.Fatalf("restore while the books are open: %v", err)
	}
	b.Close()
	sum, err := books.Restore(dir, bak)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Orders == 0 || sum.Orders >= total {
		t.Fatalf("the backup taken at page %d holds %d orders, want part of the import", atPage, sum.Orders)
	}
	t.Logf("backup at page %d held %d of %d orders", atPage, sum.Orders, total)

	if b, err = books.Open(dir, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Check(); err != nil {
		t.Fatalf("the restored books do not check: %v", err)
	}
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Check(); err != nil {
		t.Fatalf("after the sync the books do not check: %v", err)
	}
	want := map[int64]string{}
	for _, o := range srv.Sim.Snapshot() {
		want[o.ID] = o.Status
	}
	got := map[int64]string{}
	err = b.EachOrder(store.OrderFilter{}, func(o *ledger.Order) error {
		if o.Shop != sh.ID {
			t.Errorf("order %d of shop %d", o.ID, o.Shop)
		}
		got[o.ID] = string(o.Status)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) != total+25 {
		t.Fatalf("%d orders after the sync, the shop has %d", len(got), len(want))
	}
	for id, st := range want {
		if got[id] != st {
			t.Errorf("order %d: %q, the shop says %q", id, got[id], st)
		}
	}
}

// TestBackUpNow is the window's "Back up now": into the data directory's
// backups folder unless another is picked, a file the store's check takes.
func TestBackUpNow(t *testing.T) {
	dir := t.TempDir()
	b, err := books.Open(dir, secrets.NewMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	catalog(t, b)
	svc := b.NewBackups(dir, backup.Options{})
	if svc.Dir() != filepath.Join(dir, "backups") {
		t.Errorf("backups go to %s", svc.Dir())
	}
	f, err := svc.Now()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CheckFile(f.Path); err != nil {
		t.Errorf("the backup does not check: %v", err)
	}
	picked := t.TempDir()
	if svc := b.NewBackups(dir, backup.Options{Dir: picked}); svc.Dir() != picked {
		t.Errorf("a picked folder is ignored: %s", svc.Dir())
	}
}
