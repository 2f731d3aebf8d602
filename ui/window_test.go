package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestAddShopThroughFormSyncsOrders fills in the Add shop form against a
// simulated shop with 50 orders, creating the warehouse and cost center on
// the spot, and checks that the first sync runs and the list shows the
// shop's orders with their numbers and totals, newest first.
func TestAddShopThroughFormSyncsOrders(t *testing.T) {
	srv := startShop(t, 50)
	b := openBooks(t)
	w, j := openWindow(t, b, options{})
	w.start()
	j.drain(t)

	test.Tap(w.empty.add)
	f := w.form
	if f == nil {
		t.Fatal("Add shop did not open the form")
	}
	typeInto(f.name, "Demo shop")
	typeInto(f.url, srv.URL)
	typeInto(f.key, woosim.DefaultKey)
	typeInto(f.secret, woosim.DefaultSecret)

	test.Tap(f.warehouse.newBtn)
	typeInto(f.warehouse.creating.code, "MAIN")
	typeInto(f.warehouse.creating.name, "Main warehouse")
	test.Tap(f.warehouse.creating.create)
	j.drain(t)
	if got := f.warehouse.sel.Selected; got != "MAIN — Main warehouse" {
		t.Fatalf("warehouse select shows %q after creating MAIN", got)
	}
	test.Tap(f.costCenter.newBtn)
	typeInto(f.costCenter.creating.code, "WEB")
	test.Tap(f.costCenter.creating.create) // the name defaults to the code
	j.drain(t)
	if got := f.costCenter.sel.Selected; got != "WEB" {
		t.Fatalf("cost center select shows %q after creating WEB", got)
	}

	test.Tap(f.save)
	if !f.save.Disabled() || !f.checking.Visible() {
		t.Fatal("while the connection is checked, Save should be off and the form should say so")
	}
	j.drain(t) // check, store, reload, first sync, reload

	if w.form != nil {
		t.Fatalf("form still open; it says %q", f.problems.Text)
	}
	shops, err := b.Shops()
	if err != nil || len(shops) != 1 || shops[0].Name != "Demo shop" {
		t.Fatalf("shops = %v, %v; want the Demo shop", shops, err)
	}
	if w.empty.content.Visible() || !w.orders.content.Visible() {
		t.Fatal("the empty state should give way to the order list")
	}
	if n := w.orders.rows(); n != 50 {
		t.Fatalf("list has %d rows, want 50", n)
	}
	if want := "Synced 50 orders from Demo shop at " + clock(testNow); w.status.text() != want {
		t.Errorf("status = %q, want %q", w.status.text(), want)
	}
	if w.count.Text != "50 orders" {
		t.Errorf("count = %q, want %q", w.count.Text, "50 orders")
	}

	// Every order of the shop is listed once, with its total and currency.
	want := map[string]string{}
	for _, o := range srv.Sim.Snapshot() {
		want[o.Number] = o.Total + " " + o.Currency
	}
	seen := map[string]bool{}
	for row := range 50 {
		num, total := cell(w, row, colNumber), cell(w, row, colTotal)
		if seen[num] {
			t.Errorf("row %d: order %s listed twice", row, num)
		}
		seen[num] = true
		if want[num] != total {
			t.Errorf("row %d: order %q total %q, want %q", row, num, total, want[num])
		}
		if got := cell(w, row, colWarehouse) + "/" + cell(w, row, colCostCenter) + "/" + cell(w, row, colShop); got != "MAIN/WEB/Demo shop" {
			t.Errorf("row %d: warehouse/cost center/shop = %q", row, got)
		}
	}
	// Newest first, as the store orders them.
	first, _, err := b.Orders(store.OrderFilter{}, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := cell(w, 0, colNumber); got != first[0].Number {
		t.Errorf("first row is order %s, want the newest, %s", got, first[0].Number)
	}
	if got := cell(w, 0, colDate); got != first[0].Created.Local().Format("2006-01-02 15:04") {
		t.Errorf("first row's date = %q", got)
	}
	// And the table really drew them.
	if missing := notDrawn(w, "Total", first[0].Number, want[first[0].Number]); missing != nil {
		t.Errorf("the table does not show %q", missing)
	}
}

// TestSyncNowFetchesNewOrders taps Sync now after the shop took five new
// orders: the button is off while the sync runs and the list grows to 55.
func TestSyncNowFetchesNewOrders(t *testing.T) {
	srv := startShop(t, 50)
	b := openBooks(t)
	addShopDirectly(t, b, srv)
	w, j := openWindow(t, b, options{})
	w.start() // loads the books, then syncs once
	j.drain(t)
	if n := w.orders.rows(); n != 50 {
		t.Fatalf("after the start sync the list has %d rows, want 50", n)
	}

	ids := srv.Sim.AddOrders(5)
	test.Tap(w.syncBtn)
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
	if n := w.orders.rows(); n != 55 {
		t.Fatalf("list has %d rows, want 55", n)
	}
	if want := "Synced 5 orders from Demo shop at " + clock(testNow); w.status.text() != want {
		t.Errorf("status = %q, want %q", w.status.text(), want)
	}
	// The new orders are the newest, so they lead the list.
	top := map[string]bool{}
	for row := range 5 {
		top[cell(w, row, colNumber)] = true
	}
	for _, id := range ids {
		if num := srv.Sim.Snapshot()[id-1].Number; !top[num] {
			t.Errorf("new order %s is not among the first five rows %v", num, top)
		}
	}
}

// TestWrongSecretKeepsForm saves the form with a wrong consumer secret: the
// form stays open, says in plain words that the shop refused the keys, and
// keeps what was typed; no shop is stored.
func TestWrongSecretKeepsForm(t *testing.T) {
	srv := startShop(t, 5)
	b := openBooks(t)
	if _, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main warehouse"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web sales"}); err != nil {
		t.Fatal(err)
	}
	w, j := openWindow(t, b, options{})
	w.start()
	j.drain(t)

	test.Tap(w.addBtn)
	f := w.form
	typeInto(f.name, "Demo shop")
	typeInto(f.url, srv.URL)
	typeInto(f.key, woosim.DefaultKey)
	typeInto(f.secret, "cs_wrong")
	// With one warehouse and one cost center, both are chosen already.
	if f.warehouse.selected() == 0 || f.costCenter.selected() == 0 {
		t.Fatal("the only warehouse and cost center should be preselected")
	}
	test.Tap(f.save)
	j.drain(t)

	if w.form != f {
		t.Fatal("the form closed although the shop refused the keys")
	}
	want := books.ProblemSentence(woo.Problem{Code: woo.ProblemBadSecret})
	if !f.problems.Visible() || f.problems.Text != want {
		t.Errorf("form says %q (visible %v), want %q", f.problems.Text, f.problems.Visible(), want)
	}
	for _, c := range []struct{ name, got, want string }{
		{"name", f.name.Text, "Demo shop"}, {"url", f.url.Text, srv.URL},
		{"key", f.key.Text, woosim.DefaultKey}, {"secret", f.secret.Text, "cs_wrong"},
	} {
		if c.got != c.want {
			t.Errorf("%s field = %q after the failure, want %q", c.name, c.got, c.want)
		}
	}
	if f.save.Disabled() || f.checking.Visible() {
		t.Error("Save should be on again and the check's note gone")
	}
	if shops, _ := b.Shops(); len(shops) != 0 {
		t.Errorf("a refused shop was stored: %v", shops)
	}

	// Fixing the secret and saving again connects the shop.
	typeInto(f.secret, woosim.DefaultSecret)
	test.Tap(f.save)
	j.drain(t)
	if w.form != nil {
		t.Fatalf("form still open after fixing the secret: %q", f.problems.Text)
	}
	if n := w.orders.rows(); n != 5 {
		t.Errorf("list has %d rows, want 5", n)
	}
}

// TestEmptyStateWithoutShops opens fresh books: the order area invites the
// bookkeeper to add a shop, Sync now is off, and the invitation's button
// opens the form.
func TestEmptyStateWithoutShops(t *testing.T) {
	b := openBooks(t)
	w, j := openWindow(t, b, options{})
	w.start()
	j.drain(t)

	if !w.empty.content.Visible() || w.orders.content.Visible() {
		t.Fatal("with no shops the empty state should show instead of the list")
	}
	if !w.syncBtn.Disabled() {
		t.Error("Sync now should be off with nothing to sync")
	}
	if got := w.status.text(); got != "No shop connected yet" {
		t.Errorf("status = %q", got)
	}
	test.Tap(w.empty.add)
	if w.form == nil || !w.form.name.Visible() {
		t.Fatal("the empty state's Add shop button did not open the form")
	}
}

// TestFormListsEveryProblem saves an empty form: each problem shows on its
// own line, nothing is checked or stored.
func TestFormListsEveryProblem(t *testing.T) {
	b := openBooks(t)
	w, j := openWindow(t, b, options{})
	w.start()
	j.drain(t)
	test.Tap(w.addBtn)
	test.Tap(w.form.save)
	if j.pending() != 0 {
		t.Error("an invalid form started background work")
	}
	got := w.form.problems.Text
	for _, want := range []string{"• The shop needs a name.", "• Choose a warehouse.", "• Choose a cost center."} {
		if !strings.Contains(got, want) {
			t.Errorf("problems %q lack %q", got, want)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != 5 {
		t.Errorf("problems show %d lines, want 5: %q", n, got)
	}
}

// TestShopAddedDuringSyncIsSynced adds a second shop while the first one's
// sync is still queued: the running pass does not know the new shop, so
// the window runs one more pass after it, and both shops' orders show.
func TestShopAddedDuringSyncIsSynced(t *testing.T) {
	first, second := startShop(t, 20), startShop(t, 7)
	b := openBooks(t)
	addShopDirectly(t, b, first)
	w, j := openWindow(t, b, options{})
	w.start()
	j.drain(t)

	first.Sim.AddOrders(1)
	test.Tap(w.syncBtn) // queued, not yet run
	test.Tap(w.addBtn)
	f := w.form
	typeInto(f.name, "Outlet")
	typeInto(f.url, second.URL)
	typeInto(f.key, woosim.DefaultKey)
	typeInto(f.secret, woosim.DefaultSecret)
	test.Tap(f.save)
	j.drain(t)

	if w.form != nil {
		t.Fatalf("form still open: %q", f.problems.Text)
	}
	if n := w.orders.rows(); n != 28 {
		t.Errorf("list has %d rows, want 20+1+7", n)
	}
	if want := "Synced 7 orders from 2 shops at " + clock(testNow); w.status.text() != want {
		t.Errorf("status = %q, want %q", w.status.text(), want)
	}
}
