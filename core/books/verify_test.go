package books_test

import (
	"path/filepath"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/verify"
)

// TestRestoreAsksForVerification: restored books are as old as their
// backup, so every shop is verified at its next pass, whatever the hour.
func TestRestoreAsksForVerification(t *testing.T) {
	dir, keys := t.TempDir(), secrets.NewMemory()
	b, err := books.Open(dir, keys)
	if err != nil {
		t.Fatal(err)
	}
	wh, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []ledger.ShopID
	for _, name := range []string{"One", "Two"} {
		sh, err := b.CreateShop(ledger.Shop{Name: name, URL: "https://" + name + ".example", Warehouse: wh.ID, CostCenter: cc.ID})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sh.ID)
	}
	bak := filepath.Join(t.TempDir(), "books.bak")
	if err := b.BackupFile(bak); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := books.Restore(dir, bak); err != nil {
		t.Fatal(err)
	}
	if b, err = books.Open(dir, keys); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	busy := time.Date(2026, 12, 5, 14, 0, 0, 0, time.UTC) // not a quiet hour
	for _, id := range ids {
		st, err := b.SyncState(id)
		if err != nil {
			t.Fatal(err)
		}
		sh, _ := b.Shop(id)
		if !st.VerifyDue || !verify.Due(busy, time.UTC, sh, st) {
			t.Errorf("shop %d after the restore: VerifyDue %v", id, st.VerifyDue)
		}
	}
}
