package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// TestAddShopThroughWizard adds a shop from the welcome screen's button
// through the wizard (whose steps ui/shops tests): the shop is stored as
// entered, its first sync runs, the order list takes the welcome's place
// with its orders newest first, and the Shops page shows it.
func TestAddShopThroughWizard(t *testing.T) {
	srv := startShop(t, 50)
	b := openBooks(t)
	seedCatalog(t, b)
	w, j := started(t, b)

	test.Tap(w.empty.add)
	if w.shopsPage.Wizard() == nil {
		t.Fatal("Add shop did not open the wizard")
	}
	fillWizard(t, w, j, "Demo shop", srv.URL+"/")

	shops, err := b.Shops()
	if err != nil || len(shops) != 1 {
		t.Fatalf("shops = %v, %v", shops, err)
	}
	sh := shops[0]
	if sh.Name != "Demo shop" || sh.URL != srv.URL || sh.SyncMode != ledger.SyncPoll ||
		!sh.ImportFrom.IsZero() || sh.CertSHA256 != "" {
		t.Errorf("stored shop = %+v", sh)
	}
	if w.empty.content.Visible() || !w.orders.Content().Visible() {
		t.Fatal("the empty state should give way to the order list")
	}
	if n := w.orders.Rows(); n != 50 {
		t.Fatalf("list has %d rows, want 50", n)
	}
	if want := "Synced 50 orders from Demo shop at " + clock(testNow); w.status.text() != want {
		t.Errorf("status = %q, want %q", w.status.text(), want)
	}
	if w.orders.Count() != "50 orders" {
		t.Errorf("count = %q", w.orders.Count())
	}
	if c := w.shopsPage.Card("Demo shop"); c == nil || c.Mode.Text != "Sync: Every hour" || c.Problem.Visible() {
		t.Errorf("the Shops page does not show the new shop as set up")
	}

	// Every order is listed once, newest first, with its total and booking.
	want := storeOrders(t, b, store.OrderFilter{})
	for row, o := range want {
		if got := cell(w, row, colNumber); got != o.Number {
			t.Fatalf("row %d is order %s, want %s", row, got, o.Number)
		}
		if got := cell(w, row, colTotal); got != i18n.Money(o.Total, o.Currency) {
			t.Errorf("row %d total %q, want %q", row, got, i18n.Money(o.Total, o.Currency))
		}
		if got := cell(w, row, colWarehouse) + "/" + cell(w, row, colCostCenter) + "/" + cell(w, row, colShop); got != "MAIN/WEB/Demo shop" {
			t.Errorf("row %d: warehouse/cost center/shop = %q", row, got)
		}
	}
	if got := cell(w, 0, colDate); got != want[0].Created.In(time.Local).Format("2006-01-02 15:04") {
		t.Errorf("first row's date = %q", got)
	}
	if missing := notDrawn(w, "Total", want[0].Number, i18n.Money(want[0].Total, want[0].Currency)); missing != nil {
		t.Errorf("the table does not show %q", missing)
	}
}

// TestSyncNowFetchesNewOrders syncs with Ctrl+R after the shop took five
// new orders: Sync now is off while the sync runs and the list grows to 55.
func TestSyncNowFetchesNewOrders(t *testing.T) {
	srv := startShop(t, 50)
	b := openBooks(t)
	addShopDirectly(t, b, "Demo shop", srv)
	w, j := started(t, b) // loads the books, then syncs once
	if n := w.orders.Rows(); n != 50 {
		t.Fatalf("after the start sync the list has %d rows, want 50", n)
	}

	srv.Sim.AddOrders(5)
	shortcut(w, "R")
	if !w.syncBtn.Disabled() {
		t.Error("Sync now should be off while a sync runs")
	}
	if !strings.HasPrefix(w.status.text(), "Syncing Demo shop") {
		t.Errorf("status while syncing = %q", w.status.text())
	}
	j.drain(t)

	if w.syncBtn.Disabled() {
		t.Error("Sync now should be on again after the sync")
	}
	if n := w.orders.Rows(); n != 55 {
		t.Fatalf("list has %d rows, want 55", n)
	}
	if want := "Synced 5 orders from Demo shop at " + clock(testNow); w.status.text() != want {
		t.Errorf("status = %q, want %q", w.status.text(), want)
	}
	// The new orders are the newest, so they lead the list; and the search
	// index was read again, so a search finds them.
	newest := storeOrders(t, b, store.OrderFilter{})[:5]
	for row, o := range newest {
		if got := cell(w, row, colNumber); got != o.Number {
			t.Errorf("row %d is order %s, want new order %s", row, got, o.Number)
		}
	}
	typeInto(w.orders.Search, "#"+newest[0].Number)
	j.drain(t)
	if w.orders.Rows() < 1 || cell(w, 0, colNumber) != newest[0].Number {
		t.Errorf("searching the new order %s lists %d rows", newest[0].Number, w.orders.Rows())
	}
	if !strings.Contains(w.logLines()[0], "Synced 5 orders") {
		t.Errorf("the log's last line is %q", w.logLines()[0])
	}
}

// TestEmptyStateWithoutShops opens fresh books: the order area invites the
// bookkeeper to add a shop, Sync now is off (and Ctrl+R does nothing), and
// the invitation's button opens the wizard.
func TestEmptyStateWithoutShops(t *testing.T) {
	b := openBooks(t)
	w, j := started(t, b)

	if !w.empty.content.Visible() || w.orders.Content().Visible() {
		t.Fatal("with no shops the empty state should show instead of the list")
	}
	if !w.syncBtn.Disabled() {
		t.Error("Sync now should be off with nothing to sync")
	}
	if got := w.status.text(); got != "No shop connected yet" {
		t.Errorf("status = %q", got)
	}
	shortcut(w, "R")
	if j.pending() != 0 {
		t.Error("Ctrl+R started work with no shop")
	}
	test.Tap(w.empty.add)
	if z := w.shopsPage.Wizard(); z == nil || !z.Name.Visible() {
		t.Fatal("the empty state's Add shop button did not open the wizard")
	}
}

// TestShopAddedDuringSyncIsSynced adds a second shop while the first one's
// sync is still queued: the running pass does not know the new shop, so
// the window runs one more pass after it, and both shops' orders show.
func TestShopAddedDuringSyncIsSynced(t *testing.T) {
	first, second := startShop(t, 20), startShop(t, 7)
	b := openBooks(t)
	addShopDirectly(t, b, "Demo shop", first)
	w, j := started(t, b)

	first.Sim.AddOrders(1)
	test.Tap(w.syncBtn) // queued, not yet run
	runWizard(t, w, j, "Outlet", second.URL)

	if n := w.orders.Rows(); n != 28 {
		t.Errorf("list has %d rows, want 20+1+7", n)
	}
	if want := "Synced 7 orders from 2 shops at " + clock(testNow); w.status.text() != want {
		t.Errorf("status = %q, want %q", w.status.text(), want)
	}
}

// TestAddShopShortcut: Ctrl+N opens the Add shop wizard from any screen;
// pressed again, it keeps the one that is open; after Cancel it opens a
// new one.
func TestAddShopShortcut(t *testing.T) {
	w, _ := openWindow(t, openBooks(t), options{})
	w.tabs.SelectIndex(tabCatalog)
	shortcut(w, "N")
	z := w.shopsPage.Wizard()
	if z == nil || !z.Name.Visible() {
		t.Fatal("Ctrl+N did not open the wizard")
	}
	typeInto(z.Name, "Demo shop")
	shortcut(w, "N")
	if w.shopsPage.Wizard() != z || z.Name.Text != "Demo shop" {
		t.Error("Ctrl+N again replaced the open wizard")
	}
	z.Close()
	shortcut(w, "N")
	if again := w.shopsPage.Wizard(); again == nil || again == z || again.Name.Text != "" {
		t.Error("Ctrl+N after Cancel did not open a new wizard")
	}
}

// TestTabShortcuts: Ctrl+1 … Ctrl+5 open the tabs in their order.
func TestTabShortcuts(t *testing.T) {
	w, _ := openWindow(t, openBooks(t), options{})
	for i, key := range []fyne.KeyName{"2", "3", "4", "5", "1"} {
		shortcut(w, key)
		want := (i + 1) % 5
		if got := w.tabs.SelectedIndex(); got != want {
			t.Errorf("Ctrl+%s selected tab %d, want %d", key, got, want)
		}
	}
}
