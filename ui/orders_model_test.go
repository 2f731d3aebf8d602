package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// seedOrders stores n orders of a shop straight into the books, one a
// minute from a fixed start, as a sync would; for list tests that need
// many orders and no shop to fetch them from.
func seedOrders(t testing.TB, b *books.Books, n int) ledger.Shop {
	t.Helper()
	wh, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web"})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := b.CreateShop(ledger.Shop{Name: "Seeded shop", URL: "https://shop.example", Warehouse: wh.ID, CostCenter: cc.ID})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	const batch = 1000
	for first := 1; first <= n; first += batch {
		orders := make([]ledger.Order, 0, batch)
		for id := first; id < first+batch && id <= n; id++ {
			at := start.Add(time.Duration(id) * time.Minute)
			orders = append(orders, ledger.Order{
				ID: int64(id), Number: fmt.Sprint(id), Status: ledger.StatusProcessing, Currency: "EUR",
				Total: ledger.Amount(id * 10000), Created: at, Modified: at,
				Billing: ledger.Address{FirstName: "Customer", LastName: fmt.Sprint(id)},
			})
		}
		if _, err := b.ApplyOrders(sh.ID, orders, ledger.SourcePoll, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	return sh
}

// countingBackend is the real books with a count of page reads, to show how
// many reads a jump costs.
type countingBackend struct {
	*books.Books
	reads int
}

func (c *countingBackend) Orders(f store.OrderFilter, after []byte, limit int) ([]ledger.Order, []byte, error) {
	c.reads++
	return c.Books.Orders(f, after, limit)
}

// load runs one planned fetch synchronously and applies it.
func loadPage(t *testing.T, m *orderPages, b Backend, p int) {
	t.Helper()
	req, ok := m.request(p)
	if !ok {
		t.Fatalf("page %d: no fetch planned", p)
	}
	run, err := fetch(context.Background(), b, store.OrderFilter{}, req)
	if !m.apply(run, err) {
		t.Fatalf("page %d: fetch not applied: %v", p, err)
	}
}

// TestOrderPagesWalkAndEvict pages through 95 real orders ten at a time,
// holding at most three pages: a jump walks once, later jumps reuse the
// tokens, and every row is the order the store lists at that position.
func TestOrderPagesWalkAndEvict(t *testing.T) {
	b := &countingBackend{Books: openBooks(t)}
	seedOrders(t, b.Books, 95)
	m := newOrderPages(10, 3)
	count, _ := b.CountOrders(store.OrderFilter{})
	first, next, _ := b.Books.Orders(store.OrderFilter{}, nil, 10)
	m.reset(count, first, next)

	// Newest first: row i is order 95-i.
	rowIs := func(i int) {
		t.Helper()
		o, missing := m.order(i)
		if o == nil {
			t.Fatalf("row %d not held (missing page %d)", i, missing)
		}
		if want := fmt.Sprint(95 - i); o.Number != want {
			t.Fatalf("row %d is order %s, want %s", i, o.Number, want)
		}
	}
	rowIs(0)
	if _, missing := m.order(75); missing != 7 {
		t.Fatalf("row 75 should ask for page 7, asks for %d", missing)
	}

	loadPage(t, m, b, 7) // walks pages 1..7 from the one known token
	if b.reads != 7 {
		t.Errorf("the jump to page 7 took %d reads, want 7", b.reads)
	}
	rowIs(75)
	if len(m.tokens) != 9 {
		t.Errorf("after the walk %d page starts are known, want 9", len(m.tokens))
	}

	b.reads = 0
	loadPage(t, m, b, 3) // its token is known now: one read
	rowIs(30)
	loadPage(t, m, b, 9) // the last page, half full
	rowIs(94)
	if b.reads != 3 { // page 3: one; page 9: from page 8, the last known start
		t.Errorf("the two loads took %d reads, want 3", b.reads)
	}
	if len(m.pages) > 3 {
		t.Errorf("%d pages held, want at most 3", len(m.pages))
	}
	if _, ok := m.request(10); ok {
		t.Error("a page past the end should not be fetched")
	}
	if o, missing := m.order(95); o != nil || missing != -1 {
		t.Errorf("row 95 (past the end) = %v, %d", o, missing)
	}

	// A fetch planned before a reset is dropped when it lands.
	req, _ := m.request(5)
	run, err := fetch(context.Background(), b, store.OrderFilter{}, req)
	m.reset(count, first, next)
	if m.apply(run, err) {
		t.Error("a fetch from before the reset was applied")
	}
	if _, missing := m.order(50); missing != 5 {
		t.Error("the reset should have dropped the held pages")
	}
}

// TestOrderListLoadsPagesWhenScrolled shows 300 orders in pages of 20:
// scrolling far down makes the table ask for the rows on screen, which
// arrive through background work, and memory stays at a few pages.
func TestOrderListLoadsPagesWhenScrolled(t *testing.T) {
	b := openBooks(t)
	seedOrders(t, b, 300)
	w, j := openWindow(t, b, options{pageSize: 20})
	w.reload(nil) // not start: the seeded shop has no keys to sync with
	j.drain(t)
	if n := w.orders.list.rows(); n != 300 {
		t.Fatalf("list has %d rows, want 300", n)
	}
	if missing := notDrawn(w, "300", "Customer 300"); missing != nil {
		t.Fatalf("the newest order is not drawn: %q missing", missing)
	}

	w.orders.list.table.ScrollTo(widget.TableCellID{Row: 250, Col: 0})
	if j.pending() == 0 {
		t.Fatal("scrolling to unread rows started no page read")
	}
	j.drain(t)
	// Row 250 is order 50.
	if missing := notDrawn(w, "50", "Customer 50", "50.00 EUR"); missing != nil {
		t.Errorf("row 250 (order 50) is not drawn after scrolling: %q missing", missing)
	}
	if got := cell(w, 250, colNumber); got != "50" {
		t.Errorf("row 250 shows order %q, want 50", got)
	}
	if n := len(w.orders.list.model.pages); n > keepPages {
		t.Errorf("%d pages held, want at most %d", n, keepPages)
	}
}

// BenchmarkFirstRows100k measures what the window does before the first
// rows of a 100,000-order list can show: count the orders and read the
// first page (the budget is 300 ms).
func BenchmarkFirstRows100k(b *testing.B) {
	bk := openBooks(b)
	seedOrders(b, bk, 100_000)
	b.ResetTimer()
	for b.Loop() {
		_, err := readSnapshot(bk, func() (orderResult, error) {
			return readOrders(bk, nil, false, orderQuery{}, listPageSize)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJumpToEnd100k measures the worst scroll: from the top of a
// 100,000-order list straight to its last page, with no page start known
// beyond the first, so the model walks every page once.
func BenchmarkJumpToEnd100k(b *testing.B) {
	bk := openBooks(b)
	seedOrders(b, bk, 100_000)
	count, _ := bk.CountOrders(store.OrderFilter{})
	first, next, _ := bk.Orders(store.OrderFilter{}, nil, listPageSize)
	last := (count - 1) / listPageSize
	b.ResetTimer()
	for b.Loop() {
		m := newOrderPages(listPageSize, keepPages)
		m.reset(count, first, next)
		req, _ := m.request(last)
		run, err := fetch(context.Background(), bk, store.OrderFilter{}, req)
		if !m.apply(run, err) {
			b.Fatal(err)
		}
	}
}
