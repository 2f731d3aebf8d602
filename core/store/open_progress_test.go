package store

import (
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// TestOpenReportsProgress: books whose sales records must be rebuilt and
// whose file must be compacted report both steps in order, counting up to
// their totals (the orders; every bucket's keys), each ending done; an
// open with nothing to do reports nothing.
func TestOpenReportsProgress(t *testing.T) {
	minSize, growth := compactMinSize, compactGrowth
	compactMinSize, compactGrowth = 1<<20, 1.5
	t.Cleanup(func() { compactMinSize, compactGrowth = minSize, growth })

	path := filepath.Join(t.TempDir(), "shopledger.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	orders := newOrderGen(5).orders(sh.ID, 1, 5000, t0, time.Minute)
	for i := 0; i < len(orders); i += 500 {
		if _, err := s.ApplyOrders(sh.ID, orders[i:i+500], ledger.SourcePoll, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket(bucketSales); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Delete(keySalesVersion)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	var got []OpenProgress
	s, err = OpenWithProgress(path, func(p OpenProgress) { got = append(got, p) })
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	ends := map[OpenStep]OpenProgress{}
	var last OpenProgress
	for _, p := range got {
		if p.Step < last.Step || (p.Step == last.Step && p.Done < last.Done) || p.Done > p.Total {
			t.Fatalf("report %+v after %+v", p, last)
		}
		if p.Done == p.Total {
			ends[p.Step] = p
		}
		last = p
	}
	if e := ends[StepSales]; e.Total != 5000 {
		t.Errorf("sales records: ended at %+v, want 5000 orders", e)
	}
	if e := ends[StepCompact]; e.Total < 3*5000 { // orders, raw, by_created, by_shop, search, sales, history…
		t.Errorf("compaction: ended at %+v", e)
	}
	if len(got) < 4 {
		t.Errorf("%d reports, want some before each end: %+v", len(got), got)
	}

	got = nil
	s, err = OpenWithProgress(path, func(p OpenProgress) { got = append(got, p) })
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(got) != 0 {
		t.Errorf("an open with nothing to do reported %+v", got)
	}
}
