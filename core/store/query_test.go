package store

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// queryFixture is two shops' orders with ties in creation time (within a
// shop and across shops), a pre-1970 and a zero creation time, and a
// deleted shop's orders, kept.
type queryFixture struct {
	s      *Store
	all    []ledger.Order // as stored
	a, b   ledger.ShopID
	gone   ledger.ShopID
	minute time.Duration
}

func newQueryFixture(t *testing.T) *queryFixture {
	s := openTest(t)
	f := &queryFixture{s: s, minute: time.Minute}
	g := newOrderGen(11)
	f.a = mustShop(t, s, ledger.Shop{Name: "A"}).ID
	f.b = mustShop(t, s, ledger.Shop{Name: "B"}).ID
	f.gone = mustShop(t, s, ledger.Shop{Name: "Gone"}).ID

	add := func(shop ledger.ShopID, orders []ledger.Order) {
		// Pages of 25, like a sync would.
		for page := range slices.Chunk(orders, 25) {
			if _, err := s.ApplyOrders(shop, page, ledger.SourcePoll, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
		f.all = append(f.all, orders...)
	}
	// A: one order a minute; B: one every two minutes from the same start,
	// so every other B order ties with an A order; plus three A orders that
	// share one creation time.
	add(f.a, g.orders(f.a, 1, 90, t0, time.Minute))
	add(f.b, g.orders(f.b, 1000, 60, t0, 2*time.Minute))
	add(f.a, g.orders(f.a, 500, 3, t0.Add(30*time.Minute), 0))
	odd := g.orders(f.a, 900, 2, t0, 0)
	odd[0].Created = time.Time{}
	odd[1].Created = time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)
	add(f.a, odd)
	add(f.gone, g.orders(f.gone, 1, 10, t0.Add(-time.Hour), time.Minute))
	if err := s.DeleteShop(f.gone, true); err != nil {
		t.Fatal(err)
	}
	return f
}

// want is the reference: filter and sort in memory.
func (f *queryFixture) want(flt OrderFilter) []ledger.OrderKey {
	var out []ledger.Order
	for _, o := range f.all {
		switch {
		case flt.Shop != 0 && o.Shop != flt.Shop,
			(flt.Status != "" || len(flt.Statuses) > 0) && o.Status != flt.Status && !slices.Contains(flt.Statuses, o.Status),
			!flt.From.IsZero() && nanos(o.Created) < nanos(flt.From),
			!flt.To.IsZero() && nanos(o.Created) >= nanos(flt.To):
			continue
		}
		out = append(out, o)
	}
	slices.SortFunc(out, func(x, y ledger.Order) int {
		return cmp.Or(
			-cmp.Compare(nanos(x.Created), nanos(y.Created)),
			-cmp.Compare(x.Shop, y.Shop),
			-cmp.Compare(x.ID, y.ID),
		)
	})
	keys := make([]ledger.OrderKey, len(out))
	for i := range out {
		keys[i] = out[i].Key()
	}
	return keys
}

func keysOf(orders []ledger.Order) []ledger.OrderKey {
	keys := make([]ledger.OrderKey, len(orders))
	for i := range orders {
		keys[i] = orders[i].Key()
	}
	return keys
}

// TestQueries runs the read-only query tests on one fixture.
func TestQueries(t *testing.T) {
	f := newQueryFixture(t)
	t.Run("paging and filters", func(t *testing.T) { testOrdersPagingAndFilters(t, f) })
	t.Run("list content", func(t *testing.T) { testOrdersListContent(t, f) })
	t.Run("default limit and bad token", func(t *testing.T) { testOrdersDefaultLimitAndBadToken(t, f) })
	t.Run("EachOrder stops at error", func(t *testing.T) { testEachOrderStopsAtError(t, f) })
}

func testOrdersPagingAndFilters(t *testing.T, f *queryFixture) {
	filters := []struct {
		name string
		f    OrderFilter
	}{
		{"all", OrderFilter{}},
		{"shop A", OrderFilter{Shop: f.a}},
		{"shop B", OrderFilter{Shop: f.b}},
		{"deleted shop", OrderFilter{Shop: f.gone}},
		{"no such shop", OrderFilter{Shop: 99}},
		{"status", OrderFilter{Status: ledger.StatusCompleted}},
		{"shop and status", OrderFilter{Shop: f.b, Status: ledger.StatusProcessing}},
		{"unknown status", OrderFilter{Status: "wc-shipped"}},
		{"statuses", OrderFilter{Statuses: []ledger.Status{ledger.StatusCompleted, ledger.StatusProcessing}}},
		{"shop and statuses", OrderFilter{Shop: f.b, Statuses: []ledger.Status{ledger.StatusProcessing, ledger.StatusCompleted, "wc-shipped"}}},
		{"status and statuses", OrderFilter{Status: ledger.StatusCompleted, Statuses: []ledger.Status{ledger.StatusProcessing}}},
		{"unknown statuses", OrderFilter{Statuses: []ledger.Status{"wc-shipped", "wc-lost"}}},
		{"from", OrderFilter{From: t0.Add(100 * time.Minute)}},
		{"to", OrderFilter{To: t0.Add(10 * time.Minute)}},
		{"range", OrderFilter{From: t0.Add(20 * time.Minute), To: t0.Add(40 * time.Minute)}},
		{"range on a tie", OrderFilter{From: t0.Add(30 * time.Minute), To: t0.Add(30*time.Minute + time.Second)}},
		{"shop and range", OrderFilter{Shop: f.a, From: t0.Add(20 * time.Minute), To: t0.Add(40 * time.Minute)}},
		{"everything", OrderFilter{Shop: f.b, Status: ledger.StatusCompleted, From: t0.Add(10 * time.Minute), To: t0.Add(100 * time.Minute)}},
		{"empty range", OrderFilter{From: t0.Add(time.Hour), To: t0}},
		{"before 1970", OrderFilter{To: time.Unix(0, 0)}},
	}
	for _, flt := range filters {
		want := f.want(flt.f)
		for _, limit := range []int{1, 7, 25, 1000} {
			t.Run(fmt.Sprintf("%s/limit %d", flt.name, limit), func(t *testing.T) {
				var got []ledger.OrderKey
				var after []byte
				for pages := 0; ; pages++ {
					if pages > len(want)+1 {
						t.Fatal("paging does not end")
					}
					page, next, err := f.s.Orders(flt.f, after, limit)
					if err != nil {
						t.Fatal(err)
					}
					if len(page) > limit {
						t.Fatalf("page of %d, limit %d", len(page), limit)
					}
					if next != nil && len(page) != limit {
						t.Errorf("short page of %d with a next token", len(page))
					}
					if next == nil && len(page) == 0 && pages > 0 {
						t.Error("empty last page: the previous one should have ended the list")
					}
					got = append(got, keysOf(page)...)
					if next == nil {
						break
					}
					after = next
				}
				if !slices.Equal(got, want) {
					t.Errorf("got %d orders, want %d\n got %v\nwant %v", len(got), len(want), got, want)
				}
			})
		}
		t.Run(flt.name+"/count and each", func(t *testing.T) {
			n, err := f.s.CountOrders(flt.f)
			if err != nil || n != len(want) {
				t.Errorf("CountOrders = %d, %v; want %d", n, err, len(want))
			}
			var got []ledger.OrderKey
			err = f.s.EachOrder(flt.f, func(o *ledger.Order) error {
				if o.Raw != nil {
					t.Error("EachOrder loaded Raw")
				}
				got = append(got, o.Key())
				return nil
			})
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("EachOrder: %v, %d orders, want %d", err, len(got), len(want))
			}
		})
	}
}

func testOrdersListContent(t *testing.T, f *queryFixture) {
	page, _, err := f.s.Orders(OrderFilter{Shop: f.b}, nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range page {
		full := mustOrder(t, f.s, o.Key())
		full.Raw = nil
		if !reflect.DeepEqual(o, full) {
			t.Errorf("list order %d differs from the stored one", o.ID)
		}
	}
}

func testOrdersDefaultLimitAndBadToken(t *testing.T, f *queryFixture) {
	page, next, err := f.s.Orders(OrderFilter{}, nil, 0)
	if err != nil || len(page) != DefaultPageSize || next == nil {
		t.Errorf("limit 0: %d orders, next %v, %v", len(page), next != nil, err)
	}
	for _, tok := range [][]byte{{}, []byte("garbage"), make([]byte, 25)} {
		if _, _, err := f.s.Orders(OrderFilter{}, tok, 10); err == nil {
			t.Errorf("token %q accepted", tok)
		}
	}
}

func testEachOrderStopsAtError(t *testing.T, f *queryFixture) {
	stop := errors.New("stop")
	n := 0
	err := f.s.EachOrder(OrderFilter{}, func(*ledger.Order) error {
		n++
		if n == 5 {
			return stop
		}
		return nil
	})
	if err != stop || n != 5 {
		t.Errorf("EachOrder = %v after %d orders", err, n)
	}
}

// TestEachOrderMayCallStore: fn runs outside any transaction, so it can
// write. (A read transaction held across a write that has to grow the file
// would deadlock.)
func TestEachOrderMayCallStore(t *testing.T) {
	s := openTest(t)
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	w := mustWarehouse(t, s, "X")
	mustApply(t, s, sh.ID, ledger.SourcePoll, newOrderGen(12).orders(sh.ID, 1, 20, t0, time.Minute)...)
	n := 0
	err := s.EachOrder(OrderFilter{}, func(o *ledger.Order) error {
		n++
		return s.Reassign(o.Key(), w.ID, 0)
	})
	if err != nil || n != 20 {
		t.Fatalf("EachOrder = %v after %d orders", err, n)
	}
	if o := mustOrder(t, s, ledger.OrderKey{Shop: sh.ID, ID: 20}); o.Warehouse != w.ID {
		t.Errorf("warehouse %d", o.Warehouse)
	}
}
