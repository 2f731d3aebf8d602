package export_test

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"codeberg.org/shopledger/shopledger/core/export"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

func TestToFileWritesWholeFilesOnly(t *testing.T) {
	st, _ := synced(t, 600)
	dir := t.TempDir()
	path := filepath.Join(dir, "orders.csv")

	var reports []int
	stats, err := export.ToFile(context.Background(), path, st, export.FileOptions{
		Format: export.CSV, Options: export.Options{Delimiter: ';'},
		Progress: func(n int) { reports = append(reports, n) },
	})
	if err != nil || stats.Orders != 600 {
		t.Fatalf("export: %+v, %v", stats, err)
	}
	if len(reports) != 600/export.ProgressEvery || reports[0] != export.ProgressEvery {
		t.Errorf("progress reports %v", reports)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(f)
	r.Comma = ';'
	rows, err := r.ReadAll()
	f.Close()
	if err != nil || len(rows) != 601 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}

	// A cancelled export leaves the earlier file as it was and no
	// temporary file behind.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = export.ToFile(ctx, path, st, export.FileOptions{Format: export.XLSX})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled export: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "orders.csv" {
		t.Errorf("directory after a cancelled export: %v", entries)
	}
	if again, _ := os.ReadFile(path); len(again) == 0 {
		t.Error("the earlier export was lost")
	}
	if _, err := export.ToFile(context.Background(), filepath.Join(dir, "missing", "x.csv"), st, export.FileOptions{Format: export.CSV}); err == nil {
		t.Error("an export into a missing directory succeeded")
	}
}

func TestOnlyExportsTheGivenOrders(t *testing.T) {
	st, _ := synced(t, 40)
	var keys []ledger.OrderKey
	err := st.EachOrder(store.OrderFilter{}, func(o *ledger.Order) error {
		if o.ID%3 == 0 {
			keys = append(keys, o.Key())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	keys = append(keys, ledger.OrderKey{Shop: keys[0].Shop, ID: 999999}) // gone since the search
	var got []int64
	src := export.Only(st, st, keys)
	err = src.EachOrder(store.OrderFilter{Status: "no-such-status"}, func(o *ledger.Order) error {
		got = append(got, o.ID)
		return nil
	})
	if err != nil || len(got) != len(keys)-1 {
		t.Fatalf("got %v, %v; want the %d keys found", got, err, len(keys)-1)
	}
	for i, id := range got {
		if id != keys[i].ID {
			t.Fatalf("order %d is %d, want %d", i, id, keys[i].ID)
		}
	}
}
