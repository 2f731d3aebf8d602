package store

import (
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

// salesRecords reads every sales record of shop, copied.
func salesRecords(t *testing.T, s *Store, shop ledger.ShopID) map[int64]sales.Record {
	t.Helper()
	out := map[int64]sales.Record{}
	err := s.EachSalesRecord(shop, func(r *sales.Record) error {
		c := *r
		c.Rates = append([]sales.Rate(nil), r.Rates...)
		c.Refunds = append([]sales.Refund(nil), r.Refunds...)
		out[r.ID] = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func countSales(t *testing.T, s *Store, shop ledger.ShopID) int {
	t.Helper()
	n := 0
	if err := s.EachSalesRecord(shop, func(*sales.Record) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSalesRecordBesideEveryOrder(t *testing.T) {
	s := openTest(t)
	wh, cc := mustWarehouse(t, s, "MAIN"), mustCostCenter(t, s, "WEB")
	sh := mustShop(t, s, ledger.Shop{Name: "Demo", Warehouse: wh.ID, CostCenter: cc.ID})
	other := mustShop(t, s, ledger.Shop{Name: "Other"})
	page := newOrderGen(1).orders(sh.ID, 100, 20, t0, time.Hour)
	mustApply(t, s, sh.ID, ledger.SourcePoll, page...)
	mustApply(t, s, other.ID, ledger.SourcePoll, newOrderGen(2).orders(other.ID, 100, 5, t0, time.Hour)...)

	recs := salesRecords(t, s, sh.ID)
	if len(recs) != 20 || len(salesRecords(t, s, other.ID)) != 5 || countSales(t, s, 0) != 25 {
		t.Fatalf("%d, %d, %d records", len(recs), len(salesRecords(t, s, other.ID)), countSales(t, s, 0))
	}
	r := recs[105]
	if r.Total != page[5].Total || r.Status != page[5].Status || r.Warehouse != wh.ID || r.CostCenter != cc.ID || r.Created != page[5].Created.Unix() {
		t.Fatalf("record %+v of order %+v", r, page[5])
	}

	// An update, a reassignment and a deletion rewrite the record.
	o := page[5]
	o.Status, o.Modified = ledger.StatusCancelled, o.Modified.Add(time.Hour)
	mustApply(t, s, sh.ID, ledger.SourceWebhook, o)
	if got := salesRecords(t, s, sh.ID)[105]; got.Status != ledger.StatusCancelled {
		t.Fatalf("after update: %+v", got)
	}
	if err := s.Reassign(o.Key(), 0, 0); err != nil {
		t.Fatal(err)
	}
	if got := salesRecords(t, s, sh.ID)[105]; got.Warehouse != 0 {
		t.Fatalf("after reassign: %+v", got)
	}
	if err := s.MarkDeleted(o.Key(), ledger.SourceWebhook, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := salesRecords(t, s, sh.ID)[105]; !got.Deleted {
		t.Fatalf("after delete: %+v", got)
	}

	// Removing the shop without its orders removes their records.
	if err := s.DeleteShop(other.ID, false); err != nil {
		t.Fatal(err)
	}
	if n := countSales(t, s, 0); n != 20 {
		t.Fatalf("%d records after removing a shop", n)
	}
}

// Books made before the sales records, or with records of another
// layout, get them all at open.
func TestSalesRecordsRebuiltAtOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shopledger.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	mustApply(t, s, sh.ID, ledger.SourcePoll, newOrderGen(1).orders(sh.ID, 1, 30, t0, time.Hour)...)
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
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := len(salesRecords(t, s, sh.ID)); n != 30 {
		t.Fatalf("%d records after open, want 30", n)
	}
}

// Refunds fetched with their detail after the order (SetRefunds) reach
// its sales record, and a refund dated in a closed period is a change
// after closing.
func TestSetRefundsKeepsTheSalesRecord(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	o := newOrderGen(1).order(sh.ID, 1, time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	o.Status = ledger.StatusCompleted
	mustApply(t, s, sh.ID, ledger.SourcePoll, o)
	if _, err := s.CloseBooks(sh.ID, sales.DateDay(2026, 3, 31), "maria", time.Now()); err != nil {
		t.Fatal(err)
	}
	refunds := []ledger.Refund{{ID: 7, Amount: ledger.MustAmount("5.00"), Detailed: true, Created: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)}}
	if ok, err := s.SetRefunds(o.Key(), o.Modified, refunds); err != nil || !ok {
		t.Fatalf("set refunds: %v %v", ok, err)
	}
	if r := salesRecords(t, s, sh.ID)[1]; len(r.Refunds) != 1 || r.Refunds[0].Amount.String() != "5.00" {
		t.Fatalf("record %+v", r)
	}
	if ch, err := s.ClosedChanges(sh.ID); err != nil || len(ch) != 1 || len(ch[0].After.Refunds) != 1 || len(ch[0].Before.Refunds) != 0 {
		t.Fatalf("changes %+v %v", ch, err)
	}
}
