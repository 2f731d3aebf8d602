package store

import (
	"slices"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

func TestEachVerifiedRange(t *testing.T) {
	s := openTest(t)
	wh, cc := mustWarehouse(t, s, "MAIN"), mustCostCenter(t, s, "WEB")
	a := mustShop(t, s, ledger.Shop{Name: "A", URL: "https://a.example", Warehouse: wh.ID, CostCenter: cc.ID})
	b := mustShop(t, s, ledger.Shop{Name: "B", URL: "https://b.example", Warehouse: wh.ID, CostCenter: cc.ID})
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	var orders []ledger.Order
	for id := int64(1); id <= 9; id++ {
		orders = append(orders, ledger.Order{ID: id, Status: ledger.StatusCompleted, Currency: "EUR", Total: ledger.Amount(id * 10000),
			Created: at, Modified: at, TransactionID: "t", Refunds: []ledger.Refund{{ID: 100 + id, Amount: 1}},
			Raw: []byte(`{"id":1}`)})
	}
	mustApply(t, s, a.ID, ledger.SourcePoll, orders...)
	mustApply(t, s, b.ID, ledger.SourcePoll, orders[:3]...) // shop B's orders must not leak into A's ranges

	ids := func(shop ledger.ShopID, after, through int64, raw bool) []int64 {
		var out []int64
		err := s.EachVerified(shop, after, through, raw, func(v *Verified) error {
			if v.Total != ledger.Amount(v.ID*10000) || v.Refunds[0].ID != 100+v.ID || v.TransactionID != "t" || (len(v.Raw) > 0) != raw {
				t.Errorf("order %d read as %+v", v.ID, v)
			}
			out = append(out, v.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := ids(a.ID, 3, 6, false); !slices.Equal(got, []int64{4, 5, 6}) {
		t.Errorf("A (3, 6]: %v", got)
	}
	if got := ids(a.ID, 7, 0, true); !slices.Equal(got, []int64{8, 9}) {
		t.Errorf("A (7, end]: %v", got)
	}
	if got := ids(b.ID, 0, 0, false); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Errorf("B: %v", got)
	}
	if got := ids(a.ID+b.ID+1, 0, 0, false); got != nil {
		t.Errorf("no such shop: %v", got)
	}
}

func TestApplyVerifiedHistory(t *testing.T) {
	s := openTest(t)
	wh, cc := mustWarehouse(t, s, "MAIN"), mustCostCenter(t, s, "WEB")
	sh := mustShop(t, s, ledger.Shop{Name: "A", URL: "https://a.example", Warehouse: wh.ID, CostCenter: cc.ID})
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	o := ledger.Order{ID: 1, Status: ledger.StatusCompleted, Currency: "EUR", Created: at, Modified: at, Raw: []byte(`{"id":1,"v":1}`)}
	p := o
	p.ID = 2
	mustApply(t, s, sh.ID, ledger.SourcePoll, o, p)

	// Same date_modified: a completed date changed silently on order 1,
	// the status on order 2, only the payload on a third (new) one.
	o.Completed = at.Add(time.Hour)
	p.Status = ledger.StatusRefunded
	n := ledger.Order{ID: 3, Status: ledger.StatusPending, Currency: "EUR", Created: at, Modified: at}
	res, err := s.ApplyVerified(sh.ID, []ledger.Order{o, p, n}, map[int64][]string{1: {"date_completed"}, 2: {"status"}, 3: {"new"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 2 || res.New != 1 || res.StatusChanged != 1 {
		t.Fatalf("result %+v", res)
	}
	h1 := mustHistory(t, s, ledger.OrderKey{Shop: sh.ID, ID: 1})
	if last := h1[len(h1)-1]; len(h1) != 2 || last.From != last.To || last.Source != ledger.SourceVerification || !slices.Equal(last.Changed, []string{"date_completed"}) {
		t.Errorf("order 1's history %+v", h1)
	}
	h2 := mustHistory(t, s, ledger.OrderKey{Shop: sh.ID, ID: 2})
	if last := h2[len(h2)-1]; len(h2) != 2 || last.To != ledger.StatusRefunded || last.Source != ledger.SourceVerification || !slices.Equal(last.Changed, []string{"status"}) {
		t.Errorf("order 2's history %+v", h2)
	}
	if h3 := mustHistory(t, s, ledger.OrderKey{Shop: sh.ID, ID: 3}); len(h3) != 1 || h3[0].Source != ledger.SourceVerification {
		t.Errorf("order 3's history %+v", h3)
	}

	// Only the payload differs (meta): stored, counted and noted.
	o.Raw = []byte(`{"id":1,"v":2}`)
	res, err = s.ApplyVerified(sh.ID, []ledger.Order{o}, map[int64][]string{1: {"meta:receipt_no"}})
	if err != nil || res.Updated != 1 {
		t.Fatalf("payload only: %+v %v", res, err)
	}
	if got := mustOrder(t, s, ledger.OrderKey{Shop: sh.ID, ID: 1}); string(got.Raw) != `{"id":1,"v":2}` {
		t.Errorf("payload %s", got.Raw)
	}
	// Nothing at all differs: nothing written.
	if res, err = s.ApplyVerified(sh.ID, []ledger.Order{o}, nil); err != nil || res.Unchanged != 1 {
		t.Fatalf("unchanged: %+v %v", res, err)
	}
	if h := mustHistory(t, s, ledger.OrderKey{Shop: sh.ID, ID: 1}); len(h) != 3 {
		t.Errorf("history after the payload change and a no-op: %+v", h)
	}
}
