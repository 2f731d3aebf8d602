package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestBooksTabFollowsSyncs: the Books screen reads its totals when it is
// opened (Ctrl+5) and again whenever a sync brings orders while it shows,
// as the other screens follow the window's reload. (The shop keeps the
// real clock: OAuth refuses requests whose time is far from the shop's.)
func TestBooksTabFollowsSyncs(t *testing.T) {
	b := openBooks(t)
	srv := startShopWith(t, woosim.Options{Orders: 60, Seed: 5, VAT: true,
		From: testNow.AddDate(0, -2, 0), To: testNow}, false)
	sh := addShopDirectly(t, b, "Sofia", srv)
	w, j := started(t, b)

	shortcut(w, fyne.Key5)
	j.drain(t)
	if w.tabs.SelectedIndex() != tabBooks {
		t.Fatalf("Ctrl+5 opens tab %d", w.tabs.SelectedIndex())
	}
	month := books.SummaryQuery{From: sales.DateDay(2026, 11, 1), To: sales.DateDay(2026, 11, 30), By: sales.ByDay}
	orders := func() (screen, core int64) {
		t.Helper()
		s, err := b.Summary(month)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range s.Groups {
			core += g.TotalOrders()
		}
		for _, g := range w.books.Groups() {
			if g.Shop == sh.ID {
				screen += g.TotalOrders()
			}
		}
		return screen, core
	}
	before, core := orders()
	if before == 0 || before != core {
		t.Fatalf("the Books screen shows %d orders this month, the books %d", before, core)
	}

	// The shop cancels a completed November order.
	var id int64
	err := b.EachSalesRecord(sh.ID, func(r *sales.Record) error {
		if d := sales.DayOf(r.Created, time.UTC); id == 0 && r.Status == ledger.StatusCompleted && d >= month.From && d <= month.To {
			id = r.ID
		}
		return nil
	})
	if err != nil || id == 0 {
		t.Fatalf("no completed November order: %v", err)
	}
	if err := srv.Sim.SetStatus(id, "cancelled"); err != nil {
		t.Fatal(err)
	}
	w.syncNow()
	j.drain(t)
	after, core := orders()
	if after != core || after != before-1 {
		t.Fatalf("after a sync the Books screen shows %d orders (%d before), the books %d", after, before, core)
	}
}
