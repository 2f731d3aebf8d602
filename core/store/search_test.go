package store

import (
	"bytes"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// expectedSearch derives every order's search record from the orders
// themselves, as the search bucket must hold them.
func expectedSearch(t *testing.T, s *Store) map[ledger.OrderKey]SearchRecord {
	t.Helper()
	want := map[ledger.OrderKey]SearchRecord{}
	err := s.EachOrder(OrderFilter{}, func(o *ledger.Order) error {
		want[o.Key()] = SearchRecord{
			Key: o.Key(), Created: int64(nanos(o.Created)), Status: o.Status, Deleted: o.Deleted,
			Warehouse: o.Warehouse, CostCenter: o.CostCenter, Text: ledger.SearchText(o),
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return want
}

func storedSearch(t *testing.T, s *Store) map[ledger.OrderKey]SearchRecord {
	t.Helper()
	got := map[ledger.OrderKey]SearchRecord{}
	err := s.EachSearchRecord(func(r *SearchRecord) error {
		c := *r
		c.Text = bytes.Clone(r.Text)
		got[r.Key] = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func checkSearch(t *testing.T, s *Store, when string) {
	t.Helper()
	want, got := expectedSearch(t, s), storedSearch(t, s)
	eq := func(a, b SearchRecord) bool {
		return a.Key == b.Key && a.Created == b.Created && a.Status == b.Status && a.Deleted == b.Deleted &&
			a.Warehouse == b.Warehouse && a.CostCenter == b.CostCenter && bytes.Equal(a.Text, b.Text)
	}
	if !maps.EqualFunc(want, got, eq) {
		t.Errorf("%s: search records differ from the orders (%d stored, %d orders)", when, len(got), len(want))
		for k, w := range want {
			if g, ok := got[k]; !ok || !eq(w, g) {
				t.Errorf("  %v: stored %+v (present %v), want %+v", k, g, ok, w)
				break
			}
		}
	}
}

// TestSearchRecordsFollowOrders: every way an order is written keeps its
// search record in step, and removing a shop with its orders removes
// theirs.
func TestSearchRecordsFollowOrders(t *testing.T) {
	s := openTest(t)
	w := mustWarehouse(t, s, "MAIN")
	w2 := mustWarehouse(t, s, "EAST")
	c := mustCostCenter(t, s, "WEB")
	a := mustShop(t, s, ledger.Shop{Name: "A", Warehouse: w.ID, CostCenter: c.ID})
	b := mustShop(t, s, ledger.Shop{Name: "B", Warehouse: w.ID, CostCenter: c.ID})
	g := newOrderGen(7)
	orders := g.orders(a.ID, 1, 200, t0, time.Hour)
	mustApply(t, s, a.ID, ledger.SourcePoll, orders...)
	mustApply(t, s, b.ID, ledger.SourcePoll, g.orders(b.ID, 1, 50, t0, time.Hour)...)
	checkSearch(t, s, "after the import")

	// An update: new status, name, SKU and creation time.
	o := orders[10]
	o.Status, o.Billing.LastName, o.Modified = "completed", "Renamed", o.Modified.Add(time.Hour)
	o.Created = o.Created.Add(-24 * time.Hour)
	if len(o.Lines) > 0 {
		o.Lines = append([]ledger.LineItem(nil), o.Lines...)
		o.Lines[0].SKU = "NEW-SKU-1"
	}
	mustApply(t, s, a.ID, ledger.SourceWebhook, o)
	// Through Prepare and ApplyPrepared, as the sync pipeline writes.
	p := orders[20]
	p.Status, p.Modified = "refunded", p.Modified.Add(time.Hour)
	prep, err := s.Prepare(a.ID, []ledger.Order{p})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyPrepared([]*Prepared{prep}, ledger.SourcePoll, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDeleted(orders[30].Key(), ledger.SourceWebhook, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Reassign(orders[40].Key(), w2.ID, 0); err != nil {
		t.Fatal(err)
	}
	checkSearch(t, s, "after an update, a prepared update, a deletion and a reassignment")
	if r := storedSearch(t, s)[o.Key()]; !bytes.Contains(r.Text, []byte("renamed")) {
		t.Errorf("the updated order's text %q lacks the new name", r.Text)
	}

	if err := s.DeleteShop(b.ID, true); err != nil {
		t.Fatal(err)
	}
	checkSearch(t, s, "after removing a shop but keeping its orders")
	if err := s.DeleteShop(a.ID, false); err != nil {
		t.Fatal(err)
	}
	checkSearch(t, s, "after removing a shop with its orders")
	if n := len(storedSearch(t, s)); n != 50 {
		t.Errorf("%d search records left, want shop B's 50", n)
	}
}

// TestMigrationBackfillsSearch: books made before schema version 3 get a
// search record for every order when they are opened.
func TestMigrationBackfillsSearch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shopledger.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	w := mustWarehouse(t, s, "MAIN")
	c := mustCostCenter(t, s, "WEB")
	sh := mustShop(t, s, ledger.Shop{Name: "A", Warehouse: w.ID, CostCenter: c.ID})
	mustApply(t, s, sh.ID, ledger.SourcePoll, newOrderGen(3).orders(sh.ID, 1, 300, t0, time.Minute)...)
	want := expectedSearch(t, s)
	// Back to version 2: no search bucket.
	err = s.db.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket(bucketSearch); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(2))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(); v != LatestSchemaVersion() || v < 3 {
		t.Fatalf("schema version %d after migrating, want %d", v, LatestSchemaVersion())
	}
	if got := storedSearch(t, s); len(got) != len(want) || len(got) != 300 {
		t.Fatalf("%d search records after migrating, want %d", len(got), len(want))
	}
	checkSearch(t, s, "after the migration")
}
