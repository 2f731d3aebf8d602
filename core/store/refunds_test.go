package store

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

func detailed(id int64, amount ledger.Amount, created time.Time) ledger.Refund {
	return ledger.Refund{ID: id, Reason: "damaged", Amount: amount, Detailed: true, Created: created,
		Lines:    []ledger.LineItem{{ID: id * 10, Name: "Mug", Quantity: -10000, Total: -amount * 5 / 6, TotalTax: -amount / 6}},
		TaxLines: []ledger.TaxLine{{RateID: 1, Label: "VAT 20%", TaxTotal: -amount / 6, RatePercent: 200000}}}
}

func summary(rs ...ledger.Refund) []ledger.Refund {
	out := make([]ledger.Refund, len(rs))
	for i, r := range rs {
		out[i] = ledger.Refund{ID: r.ID, Reason: r.Reason, Amount: r.Amount}
	}
	return out
}

// TestApplyKeepsRefundDetail: a wc/v3 payload lists only its refunds'
// ids and totals; applying it keeps the detail stored for the same refunds,
// and lists a new refund without detail until it is fetched.
func TestApplyKeepsRefundDetail(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "A"})
	o := newOrderGen(5).order(sh.ID, 1, t0)
	o.Status = ledger.StatusCompleted
	r1 := detailed(11, 12_0000, t0.Add(time.Hour))
	o.Refunds = []ledger.Refund{r1}
	mustApply(t, s, sh.ID, ledger.SourcePoll, o)
	k := o.Key()

	// The same order again, as the shop lists it: newer, refunds in brief.
	o.Modified = o.Modified.Add(time.Minute)
	o.CustomerNote = "call first"
	o.Refunds = summary(r1)
	if res := mustApply(t, s, sh.ID, ledger.SourcePoll, o); res.Updated != 1 {
		t.Fatalf("%+v, want updated", res)
	}
	got := mustOrder(t, s, k)
	if !reflect.DeepEqual(got.Refunds, []ledger.Refund{r1}) || got.NeedsRefundDetail() {
		t.Fatalf("refunds %+v, want the detail kept", got.Refunds)
	}
	// Unchanged payload: unchanged order, nothing written.
	if res := mustApply(t, s, sh.ID, ledger.SourcePoll, o); res.Unchanged != 1 {
		t.Fatalf("%+v, want unchanged", res)
	}

	// A second refund: listed in brief, so the order needs its detail.
	r2 := detailed(12, 6_0000, t0.Add(2*time.Hour))
	o.Modified = o.Modified.Add(time.Minute)
	o.Refunds = summary(r2, r1)
	mustApply(t, s, sh.ID, ledger.SourcePoll, o)
	got = mustOrder(t, s, k)
	if !got.NeedsRefundDetail() || !reflect.DeepEqual(got.Refunds, summary(r2, r1)) {
		t.Fatalf("refunds %+v, want both in brief", got.Refunds)
	}
	needs, err := s.RefundsOf(sh.ID, []int64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := needs[1]; len(needs) != 1 || !ok || !st.NeedsDetail() || !st.Modified.Equal(o.Modified) {
		t.Fatalf("RefundsOf = %+v", needs)
	}

	// The fetched detail is stored for the version it was fetched for only.
	if ok, err := s.SetRefunds(k, o.Modified.Add(-time.Minute), []ledger.Refund{r2, r1}); ok || err != nil {
		t.Fatalf("SetRefunds for an older version: %v, %v", ok, err)
	}
	if ok, err := s.SetRefunds(k, o.Modified, []ledger.Refund{r2, r1}); !ok || err != nil {
		t.Fatalf("SetRefunds: %v, %v", ok, err)
	}
	got = mustOrder(t, s, k)
	if got.NeedsRefundDetail() || !reflect.DeepEqual(got.Refunds, []ledger.Refund{r2, r1}) || got.CustomerNote != "call first" || got.Raw == nil {
		t.Fatalf("after SetRefunds: %+v", got)
	}
	// A refund deleted in the shop goes.
	o.Modified = o.Modified.Add(time.Minute)
	o.Refunds = summary(r1)
	mustApply(t, s, sh.ID, ledger.SourcePoll, o)
	if got = mustOrder(t, s, k); !reflect.DeepEqual(got.Refunds, summary(r1)) {
		t.Fatalf("refunds %+v after one was deleted", got.Refunds)
	}
}

// TestApplyLegacyKeepsRefunds: a legacy payload lists no refunds at all;
// applying it keeps the stored ones and marks them stale when the order
// is new or newer.
func TestApplyLegacyKeepsRefunds(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "L"})
	o := newOrderGen(6).order(sh.ID, 7, t0)
	o.Status = ledger.StatusProcessing
	o.Refunds, o.RefundsUnlisted = nil, true
	mustApply(t, s, sh.ID, ledger.SourceWebhook, o)
	k := o.Key()
	if got := mustOrder(t, s, k); !got.RefundsStale || !got.NeedsRefundDetail() {
		t.Fatalf("a new legacy order: stale %v", got.RefundsStale)
	}
	r := detailed(8, 5_0000, t0.Add(time.Hour))
	if ok, err := s.SetRefunds(k, o.Modified, []ledger.Refund{r}); !ok || err != nil {
		t.Fatalf("SetRefunds: %v %v", ok, err)
	}
	if res := mustApply(t, s, sh.ID, ledger.SourcePoll, o); res.Unchanged != 1 {
		t.Fatalf("%+v: the same legacy payload again must leave the order unchanged", res)
	}
	got := mustOrder(t, s, k)
	if got.NeedsRefundDetail() || !reflect.DeepEqual(got.Refunds, []ledger.Refund{r}) {
		t.Fatalf("refunds %+v stale %v", got.Refunds, got.RefundsStale)
	}
	o.Modified = o.Modified.Add(time.Minute)
	mustApply(t, s, sh.ID, ledger.SourcePoll, o)
	got = mustOrder(t, s, k)
	if !got.RefundsStale || !reflect.DeepEqual(got.Refunds, []ledger.Refund{r}) {
		t.Fatalf("newer legacy payload: refunds %+v stale %v", got.Refunds, got.RefundsStale)
	}
	// Refunds fetched before the order was stored come in with it.
	o2 := newOrderGen(7).order(sh.ID, 9, t0)
	o2.Status, o2.Refunds = ledger.StatusRefunded, []ledger.Refund{detailed(10, 1_0000, t0)}
	mustApply(t, s, sh.ID, ledger.SourcePoll, o2)
	if got := mustOrder(t, s, o2.Key()); got.NeedsRefundDetail() || len(got.Refunds) != 1 {
		t.Fatalf("order stored with its fetched refunds: %+v", got.Refunds)
	}
}

func TestOrdersNeedingRefunds(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "A"})
	other := mustShop(t, s, ledger.Shop{Name: "B"})
	var orders []ledger.Order
	g := newOrderGen(9)
	for id := int64(1); id <= 30; id++ {
		o := g.order(sh.ID, id, t0)
		o.Status = ledger.StatusCompleted
		switch {
		case id%10 == 3:
			o.Refunds = summary(detailed(id*100, 1_0000, t0))
		case id%10 == 5:
			o.Refunds = []ledger.Refund{detailed(id*100, 1_0000, t0)}
		case id%10 == 7:
			o.Status = ledger.StatusPending
		}
		orders = append(orders, o)
	}
	mustApply(t, s, sh.ID, ledger.SourcePoll, orders...)
	o := g.order(other.ID, 3, t0)
	o.Refunds = summary(detailed(1, 1_0000, t0))
	mustApply(t, s, other.ID, ledger.SourcePoll, o)

	walk := func(everyCounted bool) (ids []int64, calls int) {
		after := int64(0)
		for {
			got, next, err := s.OrdersNeedingRefunds(sh.ID, after, 7, everyCounted)
			if err != nil {
				t.Fatal(err)
			}
			calls++
			ids = append(ids, got...)
			if next == 0 {
				return ids, calls
			}
			after = next
		}
	}
	if ids, calls := walk(false); !reflect.DeepEqual(ids, []int64{3, 13, 23}) || calls != 5 {
		t.Errorf("orders needing refunds %v in %d calls, want 3 13 23 in 5", ids, calls)
	}
	if ids, _ := walk(true); len(ids) != 27 {
		t.Errorf("%d orders in a counted status, want 27", len(ids))
	}
}

// TestMigrationAsksForRefundBackfill: books made before schema version 4
// get a refund backfill for every shop, and their orders stay as they were.
func TestMigrationAsksForRefundBackfill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shopledger.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	a := mustShop(t, s, ledger.Shop{Name: "A", Dialect: ledger.DialectWCV3})
	b := mustShop(t, s, ledger.Shop{Name: "B", Dialect: ledger.DialectLegacyV3})
	mustApply(t, s, a.ID, ledger.SourcePoll, newOrderGen(3).orders(a.ID, 1, 50, t0, time.Minute)...)
	if err := s.UpdateSyncState(a.ID, func(st *ledger.SyncState) { st.OrdersSynced = 50 }); err != nil {
		t.Fatal(err)
	}
	for _, id := range []ledger.ShopID{a.ID, b.ID} {
		if st, _ := s.SyncState(id); st.RefundBackfill {
			t.Fatalf("a new shop of the latest schema asks for a backfill")
		}
	}
	if err := s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(3)) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(); v != LatestSchemaVersion() || v < 4 {
		t.Fatalf("schema version %d", v)
	}
	for _, id := range []ledger.ShopID{a.ID, b.ID} {
		st, err := s.SyncState(id)
		if err != nil {
			t.Fatal(err)
		}
		if !st.RefundBackfill || st.RefundBackfillAfter != 0 || st.RefundBackfillAll != (id == b.ID) {
			t.Errorf("shop %d: %+v, want a backfill from the start, of every order for the legacy shop", id, st)
		}
	}
	if st, _ := s.SyncState(a.ID); st.OrdersSynced != 50 {
		t.Errorf("the migration lost the sync state: %+v", st)
	}
}
