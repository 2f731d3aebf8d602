package orders

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

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
	b := &countingBackend{Books: uitest.OpenBooks(t)}
	uitest.SeedOrders(t, b.Books, 95)
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
	b := uitest.OpenBooks(t)
	uitest.SeedOrders(t, b, 300)
	p, s, j := openPage(t, b, 20)
	s.reload()
	j.Drain(t)
	if n := p.Rows(); n != 300 {
		t.Fatalf("list has %d rows, want 300", n)
	}
	if missing := notDrawn(p, "300", "Customer 300"); missing != nil {
		t.Fatalf("the newest order is not drawn: %q missing", missing)
	}

	p.list.table.ScrollTo(widget.TableCellID{Row: 250, Col: 0})
	if j.Pending() == 0 {
		t.Fatal("scrolling to unread rows started no page read")
	}
	j.Drain(t)
	// Row 250 is order 50.
	if missing := notDrawn(p, "50", "Customer 50", "50.00 EUR"); missing != nil {
		t.Errorf("row 250 (order 50) is not drawn after scrolling: %q missing", missing)
	}
	if got := p.Cell(250, ColNumber); got != "50" {
		t.Errorf("row 250 shows order %q, want 50", got)
	}
	if n := len(p.list.model.pages); n > keepPages {
		t.Errorf("%d pages held, want at most %d", n, keepPages)
	}
}

// BenchmarkJumpToEnd100k measures the worst scroll: from the top of a
// 100,000-order list straight to its last page, with no page start known
// beyond the first, so the model walks every page once.
func BenchmarkJumpToEnd100k(b *testing.B) {
	bk := uitest.OpenBooks(b)
	uitest.SeedOrders(b, bk, 100_000)
	count, _ := bk.CountOrders(store.OrderFilter{})
	first, next, _ := bk.Orders(store.OrderFilter{}, nil, PageSize)
	last := (count - 1) / PageSize
	b.ResetTimer()
	for b.Loop() {
		m := newOrderPages(PageSize, keepPages)
		m.reset(count, first, next)
		req, _ := m.request(last)
		run, err := fetch(context.Background(), bk, store.OrderFilter{}, req)
		if !m.apply(run, err) {
			b.Fatal(err)
		}
	}
}

// notDrawn returns those of texts that no cell of the table shows, judged
// from one rendering by the test driver (a Scroll's cells are not in
// LaidOutObjects, and rendering is the slow part of these tests).
func notDrawn(p *Page, texts ...string) []string {
	markup := test.RenderObjectToMarkup(p.list.table)
	var missing []string
	for _, text := range texts {
		if !strings.Contains(markup, ">"+html.EscapeString(text)+"</text>") {
			missing = append(missing, text)
		}
	}
	return missing
}
