package ui

import (
	"context"
	"slices"
	"testing"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
	ordersui "codeberg.org/shopledger/shopledger/ui/orders"
)

// The Orders screen in the window: what the shell does for it (Ctrl+F, the
// list read with the snapshot). The screen's own tests are in ui/orders.

// TestCtrlFFocusesSearch presses Ctrl+F on another page: the Orders page
// comes up with the cursor in the search field.
func TestCtrlFFocusesSearch(t *testing.T) {
	b := openBooks(t)
	uitest.SeedOrders(t, b, 3)
	w, _ := started(t, b)
	w.tabs.SelectIndex(tabCatalog)
	shortcut(w, "F")
	if w.tabs.SelectedIndex() != tabOrders {
		t.Error("Ctrl+F did not open the Orders page")
	}
	if w.win.Canvas().Focused() != w.orders.Search {
		t.Errorf("focused: %v, want the search field", w.win.Canvas().Focused())
	}
}

// TestEscapeClosesOrderDetail: Esc on the window, with nothing focused,
// closes the open order's detail.
func TestEscapeClosesOrderDetail(t *testing.T) {
	b := openBooks(t)
	uitest.SeedOrders(t, b, 3)
	w, j := started(t, b)
	w.orders.Select(1, colCustomer)
	j.drain(t)
	if o := w.orders.Detail(); o == nil || o.Number != "2" {
		t.Fatalf("picking row 1 opened %v, want order 2", o)
	}
	pressEscape(w)
	if w.orders.Detail() != nil {
		t.Error("Escape did not close the detail")
	}
}

// TestOpenDetailFollowsSync opens an order, changes its status in the
// shop, and syncs (Sync now, then a webhook): each time the open detail
// shows the new status, as the list does. It once kept the old one. (That
// it keeps its place and widgets is ui/orders' TestOpenDetailFollowsSync.)
func TestOpenDetailFollowsSync(t *testing.T) {
	b := openBooks(t)
	srv := startShop(t, 5)
	w, j, _ := openEngineWindow(t, b)
	sh := addShopDirectly(t, b, "Demo shop", srv)
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	w.start()
	j.drain(t)
	waitWindow(t, w, j, "the list", func() bool { return w.orders.Rows() == 5 })

	w.orders.Select(0, colNumber)
	j.drain(t)
	o := w.orders.Detail()
	if o == nil {
		t.Fatal("picking a row opened no detail")
	}
	id := o.ID
	listed := func(want ledger.Status) func() bool {
		return func() bool {
			got := w.orders.Order(0)
			return got != nil && got.ID == id && got.Status == want
		}
	}
	change := func(want ledger.Status) {
		t.Helper()
		if err := srv.Sim.SetStatus(id, string(want)); err != nil {
			t.Fatal(err)
		}
	}

	// Sync now.
	first := ledger.StatusCancelled
	if o.Status == first {
		first = ledger.StatusOnHold
	}
	change(first)
	shortcut(w, "R")
	waitWindow(t, w, j, "the synced list", func() bool { return !w.syncBusy() && listed(first)() })
	j.drain(t)
	if d := w.orders.Detail(); d == nil || d.Status != first {
		t.Errorf("after Sync now the list shows %s, the detail %v", first, d)
	}

	// A webhook's delivery, applied as the receiver does.
	second := ledger.StatusRefunded
	change(second)
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	w.eng.Bus.Publish(events.WebhookApplied{Base: w.eng.Bus.Stamp(sh.ID), OrderID: id, Topic: "order.updated"})
	waitWindow(t, w, j, "the delivered order", listed(second))
	j.drain(t)
	if d := w.orders.Detail(); d == nil || d.Status != second {
		t.Errorf("after a webhook the list shows %s, the detail %v", second, d)
	}
}

// TestLanguageSwitchKeepsFilters searches the list, then switches to
// Bulgarian in the settings: the window is built again, and the list still
// shows what was searched for. It once showed every order again.
func TestLanguageSwitchKeepsFilters(t *testing.T) {
	b := openBooks(t)
	uitest.SeedOrders(t, b, 30)
	w, j := started(t, b)
	typeInto(w.orders.Search, "customer 7")
	j.drain(t)
	if got := column(w, colNumber); !slices.Equal(got, []string{"27", "17", "7"}) {
		t.Fatalf("searching lists %v", got)
	}
	w.tabs.SelectIndex(tabSettings)
	w.prefs.Language.SetSelected("Български")
	j.drain(t)
	if got := column(w, colNumber); w.orders.Search.Text != "customer 7" || !slices.Equal(got, []string{"27", "17", "7"}) {
		t.Errorf("in Bulgarian the search reads %q and lists %v", w.orders.Search.Text, got)
	}
	if want := "3 намерени поръчки"; w.orders.Count() != want {
		t.Errorf("count %q, want %q", w.orders.Count(), want)
	}
}

// TestLanguageSwitchKeepsDetail drags the divider of an open order's
// detail, then switches to Bulgarian: the window is built again with the
// same order open and the divider where it was dragged to. The detail
// closed and opened again at its first width.
func TestLanguageSwitchKeepsDetail(t *testing.T) {
	b := openBooks(t)
	uitest.SeedOrders(t, b, 5)
	w, j := started(t, b)
	w.orders.Select(1, colNumber)
	j.drain(t)
	split := w.orders.Split()
	if split == nil {
		t.Fatal("picking a row opened no detail")
	}
	split.SetOffset(0.41)
	w.tabs.SelectIndex(tabSettings)
	w.prefs.Language.SetSelected("Български")
	j.drain(t)
	if o := w.orders.Detail(); o == nil || o.Number != "4" {
		t.Fatalf("in Bulgarian the detail shows %v, want order 4", o)
	}
	if split := w.orders.Split(); split == nil || split.Offset != 0.41 {
		t.Errorf("in Bulgarian the divider is at %v, want 0.41", split)
	}
	w.orders.CloseDetail()
	w.orders.Select(0, colNumber)
	j.drain(t)
	if split := w.orders.Split(); split == nil || split.Offset != 0.41 {
		t.Errorf("opened again, the divider is at %v, want 0.41", split)
	}
}

// BenchmarkFirstRows100k measures what the window does before the first
// rows of a 100,000-order list can show: count the orders and read the
// first page (the budget is 300 ms).
func BenchmarkFirstRows100k(b *testing.B) {
	bk := openBooks(b)
	uitest.SeedOrders(b, bk, 100_000)
	b.ResetTimer()
	for b.Loop() {
		_, err := readSnapshot(bk, func() (ordersui.Result, error) {
			return ordersui.Read(bk, nil, false, ordersui.Query{}, ordersui.PageSize)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
