package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// countPrefix counts the entries that belong to a shop in every bucket.
func countPrefix(t *testing.T, s *Store, shop []byte) int {
	t.Helper()
	n := 0
	err := s.db.View(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketOrders, bucketRaw, bucketHistory, bucketByShop, bucketSearch} {
			c := tx.Bucket(name).Cursor()
			for k, _ := c.Seek(shop); k != nil && bytes.HasPrefix(k, shop); k, _ = c.Next() {
				n++
			}
		}
		tx.Bucket(bucketByCreated).ForEach(func(k, _ []byte) error {
			if bytes.Equal(k[8:16], shop) {
				n++
			}
			return nil
		})
		if tx.Bucket(bucketSync).Get(shop) != nil {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// indexEntries returns the by_created and by_shop entries of an order.
func indexEntries(t *testing.T, s *Store, k ledger.OrderKey) (byCreated, byShop map[uint64]string) {
	t.Helper()
	byCreated, byShop = map[uint64]string{}, map[uint64]string{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		tx.Bucket(bucketByCreated).ForEach(func(key, v []byte) error {
			if p := posFromCreatedKey(key); p.shop == uint64(k.Shop) && p.id == uint64(k.ID) {
				byCreated[p.created] = string(v)
			}
			return nil
		})
		tx.Bucket(bucketByShop).ForEach(func(key, v []byte) error {
			if p := posFromShopKey(key); p.shop == uint64(k.Shop) && p.id == uint64(k.ID) {
				byShop[p.created] = string(v)
			}
			return nil
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return byCreated, byShop
}

func mustApply(t *testing.T, s *Store, shop ledger.ShopID, src ledger.Source, orders ...ledger.Order) ApplyResult {
	t.Helper()
	res, err := s.ApplyOrders(shop, orders, src, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustOrder(t *testing.T, s *Store, k ledger.OrderKey) ledger.Order {
	t.Helper()
	o, err := s.Order(k)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func mustHistory(t *testing.T, s *Store, k ledger.OrderKey) []ledger.StatusChange {
	t.Helper()
	h, err := s.History(k)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestApplySamePageTwiceIsUnchanged(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	page := newOrderGen(1).orders(sh.ID, 100, 50, t0, time.Minute)
	cursor := page[len(page)-1].Modified

	res, err := s.ApplyOrders(sh.ID, page, ledger.SourcePoll, cursor)
	if err != nil {
		t.Fatal(err)
	}
	if res != (ApplyResult{New: 50}) {
		t.Errorf("first import: %+v", res)
	}
	before := txID(t, s)
	hist := mustHistory(t, s, page[7].Key())

	res, err = s.ApplyOrders(sh.ID, page, ledger.SourceWebhook, cursor)
	if err != nil {
		t.Fatal(err)
	}
	if res != (ApplyResult{Unchanged: 50}) {
		t.Errorf("second import: %+v", res)
	}
	if after := txID(t, s); after != before {
		t.Errorf("second import committed a transaction (%d -> %d)", before, after)
	}
	if h := mustHistory(t, s, page[7].Key()); !reflect.DeepEqual(h, hist) {
		t.Errorf("history changed: %+v -> %+v", hist, h)
	}
	// The same orders in other time zones are the same orders.
	moved := make([]ledger.Order, len(page))
	sofia := time.FixedZone("EET", 2*3600)
	for i, o := range page {
		o.Created, o.Modified = o.Created.In(sofia), o.Modified.In(sofia)
		moved[i] = o
	}
	if res := mustApply(t, s, sh.ID, ledger.SourcePoll, moved...); res != (ApplyResult{Unchanged: 50}) {
		t.Errorf("import in another zone: %+v", res)
	}
}

func TestApplyNewStoresEverything(t *testing.T) {
	s := openTest(t)
	w := mustWarehouse(t, s, "MAIN")
	c := mustCostCenter(t, s, "WEB")
	sh := mustShop(t, s, ledger.Shop{Name: "Demo", Warehouse: w.ID, CostCenter: c.ID})
	o := newOrderGen(2).order(99, 25, t0) // wrong shop: the argument wins
	o.Warehouse, o.CostCenter, o.Deleted = 42, 43, true
	in := o
	in.Lines = append([]ledger.LineItem(nil), o.Lines...)

	if res := mustApply(t, s, sh.ID, ledger.SourceWebhook, o); res != (ApplyResult{New: 1}) {
		t.Errorf("result %+v", res)
	}
	if !reflect.DeepEqual(o, in) {
		t.Error("ApplyOrders changed the caller's order")
	}
	got := mustOrder(t, s, ledger.OrderKey{Shop: sh.ID, ID: 25})
	want := o
	want.Shop, want.Warehouse, want.CostCenter, want.Deleted = sh.ID, w.ID, c.ID, false
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored order differs:\n got %+v\nwant %+v", got, want)
	}
	h := mustHistory(t, s, got.Key())
	if len(h) != 1 || h[0].From != "" || h[0].To != o.Status || h[0].Source != ledger.SourceWebhook ||
		!h[0].ShopTime.Equal(o.Modified) || h[0].At.IsZero() || h[0].At.Location() != time.UTC {
		t.Errorf("history %+v", h)
	}
	// The list does not carry Raw.
	list, _, err := s.Orders(OrderFilter{}, nil, 10)
	if err != nil || len(list) != 1 || list[0].Raw != nil || list[0].Total != o.Total {
		t.Errorf("Orders = %+v, %v", list, err)
	}
}

func TestApplyNewerWinsOlderIsStale(t *testing.T) {
	base := newOrderGen(3).order(1, 10, t0)
	base.Status = ledger.StatusProcessing
	type step struct {
		name      string
		change    func(o *ledger.Order)
		want      ApplyResult
		wantTotal ledger.Amount // stored total afterwards
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"older payload is stale", []step{{
			name:   "older",
			change: func(o *ledger.Order) { o.Modified = o.Modified.Add(-time.Second); o.Total = 1; o.Status = "failed" },
			want:   ApplyResult{Stale: 1}, wantTotal: base.Total,
		}}},
		{"newer payload wins", []step{{
			name:   "newer",
			change: func(o *ledger.Order) { o.Modified = o.Modified.Add(time.Second); o.Total = 1 },
			want:   ApplyResult{Updated: 1}, wantTotal: 1,
		}}},
		{"same time, other content updates", []step{{
			name:   "same time",
			change: func(o *ledger.Order) { o.Total = 2 },
			want:   ApplyResult{Updated: 1}, wantTotal: 2,
		}}},
		{"same time, other raw only is unchanged", []step{{
			name:   "raw",
			change: func(o *ledger.Order) { o.Raw = []byte(`{"id":10}`) },
			want:   ApplyResult{Unchanged: 1}, wantTotal: base.Total,
		}}},
		{"newer then the one before it", []step{
			{
				name:   "newer",
				change: func(o *ledger.Order) { o.Modified = o.Modified.Add(time.Hour); o.Total = 3 },
				want:   ApplyResult{Updated: 1}, wantTotal: 3,
			},
			{
				name:   "between",
				change: func(o *ledger.Order) { o.Modified = o.Modified.Add(time.Minute); o.Total = 4 },
				want:   ApplyResult{Stale: 1}, wantTotal: 3,
			},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t)
			sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
			mustApply(t, s, sh.ID, ledger.SourcePoll, base)
			for _, st := range tc.steps {
				o := base
				st.change(&o)
				if res := mustApply(t, s, sh.ID, ledger.SourcePoll, o); res != st.want {
					t.Errorf("%s: result %+v, want %+v", st.name, res, st.want)
				}
				got := mustOrder(t, s, base.Key())
				if got.Total != st.wantTotal {
					t.Errorf("%s: stored total %v, want %v", st.name, got.Total, st.wantTotal)
				}
				if st.want.Updated == 1 && !bytes.Equal(got.Raw, o.Raw) {
					t.Errorf("%s: raw not replaced", st.name)
				}
			}
			if h := mustHistory(t, s, base.Key()); len(h) != 1 {
				t.Errorf("history %+v, want only the first sighting", h)
			}
		})
	}
}

func TestHistoryPerStatusChange(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	o := newOrderGen(4).order(sh.ID, 7, t0)
	o.Status = ledger.StatusPending
	mustApply(t, s, sh.ID, ledger.SourcePoll, o)

	type change struct {
		status ledger.Status
		src    ledger.Source
		want   ApplyResult
	}
	for i, ch := range []change{
		{ledger.StatusPending, ledger.SourcePoll, ApplyResult{Updated: 1}}, // newer, same status: no entry
		{ledger.StatusProcessing, ledger.SourceWebhook, ApplyResult{Updated: 1, StatusChanged: 1}},
		{ledger.StatusCompleted, ledger.SourcePoll, ApplyResult{Updated: 1, StatusChanged: 1}},
		{ledger.StatusRefunded, ledger.SourceManual, ApplyResult{Updated: 1, StatusChanged: 1}},
	} {
		o.Modified = o.Modified.Add(time.Minute)
		o.Status = ch.status
		res := mustApply(t, s, sh.ID, ch.src, o)
		if res != ch.want {
			t.Errorf("change %d: %+v, want %+v", i, res, ch.want)
		}
	}
	h := mustHistory(t, s, o.Key())
	type entry struct {
		from, to ledger.Status
		src      ledger.Source
		shopTime time.Time
	}
	want := []entry{
		{"", ledger.StatusPending, ledger.SourcePoll, t0.Truncate(time.Second)},
		{ledger.StatusPending, ledger.StatusProcessing, ledger.SourceWebhook, o.Modified.Add(-2 * time.Minute)},
		{ledger.StatusProcessing, ledger.StatusCompleted, ledger.SourcePoll, o.Modified.Add(-time.Minute)},
		{ledger.StatusCompleted, ledger.StatusRefunded, ledger.SourceManual, o.Modified},
	}
	if len(h) != len(want) {
		t.Fatalf("history has %d entries, want %d: %+v", len(h), len(want), h)
	}
	for i, w := range want {
		got := h[i]
		if got.From != w.from || got.To != w.to || got.Source != w.src || (i > 0 && !got.ShopTime.Equal(w.shopTime)) {
			t.Errorf("entry %d = %+v, want %+v", i, got, w)
		}
		if i > 0 && got.At.Before(h[i-1].At) {
			t.Errorf("entry %d is older than the one before", i)
		}
	}
	// The index follows the status.
	byCreated, byShop := indexEntries(t, s, o.Key())
	if len(byCreated) != 1 || len(byShop) != 1 || byCreated[nanos(o.Created)] != "refunded" || byShop[nanos(o.Created)] != "refunded" {
		t.Errorf("index entries %v %v", byCreated, byShop)
	}
}

func TestApplyMovesIndexWhenCreatedChanges(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	o := newOrderGen(5).order(sh.ID, 1, t0)
	mustApply(t, s, sh.ID, ledger.SourcePoll, o)
	o.Created = o.Created.Add(-48 * time.Hour)
	o.Modified = o.Modified.Add(time.Minute)
	mustApply(t, s, sh.ID, ledger.SourcePoll, o)
	byCreated, byShop := indexEntries(t, s, o.Key())
	if _, ok := byCreated[nanos(o.Created)]; !ok || len(byCreated) != 1 {
		t.Errorf("by_created %v", byCreated)
	}
	if _, ok := byShop[nanos(o.Created)]; !ok || len(byShop) != 1 {
		t.Errorf("by_shop %v", byShop)
	}
	if n, _ := s.CountOrders(OrderFilter{}); n != 1 {
		t.Errorf("CountOrders = %d", n)
	}
}

func TestStampAndReassign(t *testing.T) {
	s := openTest(t)
	w1, w2, w3 := mustWarehouse(t, s, "W1"), mustWarehouse(t, s, "W2"), mustWarehouse(t, s, "W3")
	c1, c2, c3 := mustCostCenter(t, s, "C1"), mustCostCenter(t, s, "C2"), mustCostCenter(t, s, "C3")
	sh := mustShop(t, s, ledger.Shop{Name: "Demo", Warehouse: w1.ID, CostCenter: c1.ID})
	g := newOrderGen(6)
	first := g.order(sh.ID, 1, t0)
	reassigned := g.order(sh.ID, 2, t0)
	mustApply(t, s, sh.ID, ledger.SourcePoll, first, reassigned)

	// The shop's new choice applies to new imports only.
	sh.Warehouse, sh.CostCenter = w2.ID, c2.ID
	if err := s.UpdateShop(sh); err != nil {
		t.Fatal(err)
	}
	second := g.order(sh.ID, 3, t0)
	if err := s.Reassign(reassigned.Key(), w3.ID, c3.ID); err != nil {
		t.Fatal(err)
	}
	// Updates from the shop keep what is stored.
	for _, o := range []*ledger.Order{&first, &reassigned} {
		o.Modified = o.Modified.Add(time.Hour)
		o.Status = ledger.StatusCompleted
		o.Warehouse = 99 // whatever the payload says
	}
	mustApply(t, s, sh.ID, ledger.SourcePoll, first, reassigned, second)

	for _, tc := range []struct {
		key ledger.OrderKey
		wh  ledger.WarehouseID
		cc  ledger.CostCenterID
	}{
		{first.Key(), w1.ID, c1.ID},
		{reassigned.Key(), w3.ID, c3.ID},
		{second.Key(), w2.ID, c2.ID},
	} {
		got := mustOrder(t, s, tc.key)
		if got.Warehouse != tc.wh || got.CostCenter != tc.cc {
			t.Errorf("order %d: warehouse %d cost center %d, want %d %d", tc.key.ID, got.Warehouse, got.CostCenter, tc.wh, tc.cc)
		}
	}

	before := txID(t, s)
	if err := s.Reassign(reassigned.Key(), w3.ID, c3.ID); err != nil {
		t.Fatal(err)
	}
	if txID(t, s) != before {
		t.Error("reassigning to the same pair committed")
	}
	if err := s.Reassign(reassigned.Key(), 0, c1.ID); err != nil {
		t.Fatal(err)
	}
	if got := mustOrder(t, s, reassigned.Key()); got.Warehouse != 0 || got.CostCenter != c1.ID || len(got.Raw) == 0 {
		t.Errorf("after clearing the warehouse: %d %d raw %d", got.Warehouse, got.CostCenter, len(got.Raw))
	}
	if err := s.Reassign(reassigned.Key(), 77, c1.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("reassign to a missing warehouse: %v", err)
	}
	if err := s.Reassign(reassigned.Key(), w1.ID, 77); !errors.Is(err, ErrNotFound) {
		t.Errorf("reassign to a missing cost center: %v", err)
	}
	if err := s.Reassign(ledger.OrderKey{Shop: sh.ID, ID: 404}, w1.ID, c1.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("reassign of a missing order: %v", err)
	}
}

func TestMarkDeleted(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	o := newOrderGen(8).order(sh.ID, 5, t0)
	o.Status = ledger.StatusProcessing
	mustApply(t, s, sh.ID, ledger.SourcePoll, o)

	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("EET", 2*3600))
	if err := s.MarkDeleted(o.Key(), ledger.SourceWebhook, at); err != nil {
		t.Fatal(err)
	}
	got := mustOrder(t, s, o.Key())
	if !got.Deleted || got.Status != ledger.StatusProcessing || len(got.Raw) == 0 {
		t.Errorf("after MarkDeleted: deleted %v status %q raw %d", got.Deleted, got.Status, len(got.Raw))
	}
	h := mustHistory(t, s, o.Key())
	if len(h) != 2 {
		t.Fatalf("history %+v", h)
	}
	if last := h[1]; last.From != ledger.StatusProcessing || last.To != "deleted" || last.Source != ledger.SourceWebhook ||
		!last.At.Equal(at) || last.At.Location() != time.UTC || !last.ShopTime.Equal(o.Modified) {
		t.Errorf("deletion entry %+v", last)
	}

	// A repeat is a no-op.
	before := txID(t, s)
	if err := s.MarkDeleted(o.Key(), ledger.SourcePoll, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if txID(t, s) != before || len(mustHistory(t, s, o.Key())) != 2 {
		t.Error("second MarkDeleted wrote")
	}
	// The same payload again leaves it deleted; a newer one brings it back.
	if res := mustApply(t, s, sh.ID, ledger.SourcePoll, o); res != (ApplyResult{Unchanged: 1}) {
		t.Errorf("same payload after deletion: %+v", res)
	}
	if !mustOrder(t, s, o.Key()).Deleted {
		t.Error("the same payload cleared Deleted")
	}
	o.Modified = o.Modified.Add(time.Minute)
	if res := mustApply(t, s, sh.ID, ledger.SourcePoll, o); res != (ApplyResult{Updated: 1}) {
		t.Errorf("newer payload after deletion: %+v", res)
	}
	if mustOrder(t, s, o.Key()).Deleted {
		t.Error("a newer payload kept Deleted")
	}

	if err := s.MarkDeleted(ledger.OrderKey{Shop: sh.ID, ID: 404}, ledger.SourceWebhook, at); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkDeleted of a missing order: %v", err)
	}
}

func TestCursor(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	g := newOrderGen(9)
	if st, err := s.SyncState(sh.ID); err != nil || st != (ledger.SyncState{}) {
		t.Errorf("initial sync state %+v, %v", st, err)
	}
	if err := s.UpdateSyncState(sh.ID, func(st *ledger.SyncState) { st.LastError = "timeout"; st.OrdersSynced = 5 }); err != nil {
		t.Fatal(err)
	}

	t1 := t0.Add(time.Hour)
	for i, tc := range []struct {
		cursor time.Time
		want   time.Time
	}{
		{t1, t1},
		{t1.Add(-time.Minute), t1}, // never backwards
		{time.Time{}, t1},          // zero leaves it
		{t1.Add(time.Minute).In(time.FixedZone("X", 3600)), t1.Add(time.Minute)}, // stored in UTC
	} {
		orders := g.orders(sh.ID, int64(10*i+1), 3, t0, time.Minute)
		if _, err := s.ApplyOrders(sh.ID, orders, ledger.SourcePoll, tc.cursor); err != nil {
			t.Fatal(err)
		}
		st, err := s.SyncState(sh.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Cursor.Equal(tc.want) || st.Cursor.Location() != time.UTC {
			t.Errorf("step %d: cursor %v, want %v", i, st.Cursor, tc.want)
		}
		if st.LastError != "timeout" || st.OrdersSynced != 5 {
			t.Errorf("step %d: other fields lost: %+v", i, st)
		}
	}

	// An empty page can still move the cursor (a window with no changes).
	t2 := t1.Add(time.Hour)
	if _, err := s.ApplyOrders(sh.ID, nil, ledger.SourcePoll, t2); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.SyncState(sh.ID); !st.Cursor.Equal(t2) {
		t.Errorf("after an empty page cursor %v, want %v", st.Cursor, t2)
	}

	// A page that fails writes nothing: neither its good orders nor the cursor.
	bad := g.orders(sh.ID, 500, 3, t0, time.Minute)
	bad[2].ID = 0
	if _, err := s.ApplyOrders(sh.ID, bad, ledger.SourcePoll, t2.Add(time.Hour)); err == nil {
		t.Fatal("a page with an order without id was applied")
	}
	if st, _ := s.SyncState(sh.ID); !st.Cursor.Equal(t2) {
		t.Errorf("failed page moved the cursor to %v", st.Cursor)
	}
	if _, err := s.Order(bad[0].Key()); !errors.Is(err, ErrNotFound) {
		t.Errorf("failed page stored an order: %v", err)
	}

	// UpdateSyncState is a read-modify-write; on an unknown shop it fails.
	if err := s.UpdateSyncState(sh.ID, func(st *ledger.SyncState) { st.OrdersSynced++ }); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.SyncState(sh.ID); st.OrdersSynced != 6 || !st.Cursor.Equal(t2) {
		t.Errorf("after UpdateSyncState %+v", st)
	}
	if err := s.UpdateSyncState(99, func(st *ledger.SyncState) { st.LastError = "x" }); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateSyncState of a missing shop: %v", err)
	}
	if _, err := s.ApplyOrders(99, nil, ledger.SourcePoll, t2); !errors.Is(err, ErrNotFound) {
		t.Errorf("ApplyOrders for a missing shop: %v", err)
	}
}

func TestRawRoundTrip(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	g := newOrderGen(10)
	for i, raw := range [][]byte{
		g.order(sh.ID, 1, t0).Raw,
		[]byte(`{"id":2}`), // too small to shrink: stored plain
		nil,
		bytes.Repeat([]byte(`{"x":"\u00e9"}`), 20000), // large
	} {
		o := g.order(sh.ID, int64(i+1), t0)
		o.Raw = raw
		mustApply(t, s, sh.ID, ledger.SourcePoll, o)
		got := mustOrder(t, s, o.Key())
		if !bytes.Equal(got.Raw, raw) {
			t.Errorf("raw %d: got %d bytes, want %d", i, len(got.Raw), len(raw))
		}
	}
	// A newer version without a payload drops the old payload.
	o := mustOrder(t, s, ledger.OrderKey{Shop: sh.ID, ID: 1})
	o.Raw = nil
	o.Modified = o.Modified.Add(time.Minute)
	mustApply(t, s, sh.ID, ledger.SourcePoll, o)
	if got := mustOrder(t, s, o.Key()); got.Raw != nil {
		t.Errorf("stale payload kept: %d bytes", len(got.Raw))
	}
}

func TestDictionariesAreFrozen(t *testing.T) {
	// The dictionaries are part of the file format: changing one makes every
	// value stored with it unreadable. A better one is added beside it, with
	// a new format byte.
	for _, tc := range []struct {
		name string
		dict []byte
		sum  string
	}{
		{"order-v1", orderDictV1, "b7223f0e6cb330569b1a187567577e608c569d10072c15095c2948ff5c7bffb3"},
		{"raw-v1", rawDictV1, "3def94bea716c10b479ba5f6849186dedddc0bfa566802fdb6d47d66c72edabf"},
		{"order-v2", orderDictV2, "b4891efa4081276b6acd672c65e4da955ff32324a1e077e177088ec62f507898"},
		{"raw-v2", rawDictV2, "39e5b4185ddf22cb918357c1a44efce49f4853c7e53ab53427e5c7ce16dd654b"},
	} {
		if sum := fmt.Sprintf("%x", sha256.Sum256(tc.dict)); sum != tc.sum {
			t.Errorf("dict/%s changed (sha256 %s, was %s): never edit a released dictionary", tc.name, sum, tc.sum)
		}
	}
}

// TestOrderHeadMatchesOrder: orderHead must read the same fields as
// ledger.Order, or ApplyOrders would decide on zero values.
func TestOrderHeadMatchesOrder(t *testing.T) {
	ht, ot := reflect.TypeFor[orderHead](), reflect.TypeFor[ledger.Order]()
	for i := range ht.NumField() {
		hf := ht.Field(i)
		of, ok := ot.FieldByName(hf.Name)
		if !ok {
			t.Errorf("ledger.Order has no field %s", hf.Name)
			continue
		}
		htag, _, _ := strings.Cut(hf.Tag.Get("json"), ",")
		otag, _, _ := strings.Cut(of.Tag.Get("json"), ",")
		if htag != otag || hf.Type != of.Type {
			t.Errorf("orderHead.%s is %s %q, ledger.Order's is %s %q", hf.Name, hf.Type, htag, of.Type, otag)
		}
	}
	o := newOrderGen(13).order(1, 2, t0)
	o.Warehouse, o.CostCenter, o.Deleted = 3, 4, true
	stored, err := encodeOrder(&o)
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := decodeOrderHead(stored)
	if err != nil {
		t.Fatal(err)
	}
	want := orderHead{Status: o.Status, Created: o.Created, Modified: o.Modified, Warehouse: 3, CostCenter: 4, Deleted: true,
		Refunds: o.Refunds}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("head %+v, want %+v", h, want)
	}
}
