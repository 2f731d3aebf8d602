package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// TestAddShopThroughWizard walks the Add shop wizard against a simulated
// shop with 50 orders: address, keys with "Test connection" and its
// result, warehouse and cost center created on the spot, the import date,
// webhook mode, the summary. The shop is stored as entered, its first sync
// runs, and the list shows its orders newest first.
func TestAddShopThroughWizard(t *testing.T) {
	srv := startShop(t, 50)
	b := openBooks(t)
	w, j := started(t, b)

	test.Tap(w.empty.add)
	z := w.wizard
	if z == nil || z.step != stepAddress {
		t.Fatal("Add shop did not open the wizard at its first step")
	}
	if !z.back.Disabled() {
		t.Error("Back should be off on the first step")
	}
	typeInto(z.name, "Demo shop")
	typeInto(z.url, srv.URL+"/")
	test.Tap(z.next)
	if z.step != stepKeys {
		t.Fatalf("step %d after the address, problem %q", z.step+1, z.problem.Text)
	}
	if z.url.Text != srv.URL {
		t.Errorf("the address reads %q, want it cleaned to %q", z.url.Text, srv.URL)
	}
	if !z.key.Password || !z.secret.Password {
		t.Error("the key and the secret must be password fields")
	}
	typeInto(z.key, woosim.DefaultKey)
	typeInto(z.secret, woosim.DefaultSecret)
	test.Tap(z.test)
	if !z.next.Disabled() || !z.testing.Visible() || j.pending() != 1 {
		t.Fatal("while the connection is tested, Next should be off and the wizard should say so")
	}
	j.drain(t)
	if !z.result.Visible() || !strings.HasPrefix(z.result.Text, "Connected to WooCommerce "+woosim.DefaultWCVersion) ||
		z.result.Importance != widget.SuccessImportance {
		t.Fatalf("test result = %q (importance %v)", z.result.Text, z.result.Importance)
	}
	if z.testing.Visible() || z.next.Disabled() {
		t.Error("after the test its note should go and Next come back")
	}
	test.Tap(z.next) // tested already: no second test
	if j.pending() != 0 || z.step != stepBooking {
		t.Fatalf("Next after a good test: step %d, %d jobs", z.step+1, j.pending())
	}

	// Next without choices says what is missing.
	test.Tap(z.next)
	if z.step != stepBooking || !strings.Contains(z.problem.Text, "Choose a warehouse.") {
		t.Fatalf("booking without choices: step %d, %q", z.step+1, z.problem.Text)
	}
	test.Tap(z.warehouse.NewButton)
	typeInto(z.warehouse.Creating.Code, "MAIN")
	typeInto(z.warehouse.Creating.Name, "Main warehouse")
	test.Tap(z.warehouse.Creating.Create)
	j.drain(t)
	if got := z.warehouse.Select.Selected; got != "MAIN — Main warehouse" {
		t.Fatalf("warehouse select shows %q after creating MAIN", got)
	}
	test.Tap(z.costCenter.NewButton)
	typeInto(z.costCenter.Creating.Code, "WEB")
	test.Tap(z.costCenter.Creating.Create) // the name defaults to the code
	j.drain(t)
	if got := z.costCenter.Select.Selected; got != "WEB" {
		t.Fatalf("cost center select shows %q after creating WEB", got)
	}
	test.Tap(z.next)

	// The import starts at the beginning of the year by default.
	if z.step != stepImport || z.importFrom.Entry.Text != "2026-01-01" {
		t.Fatalf("import step %d shows %q, want 2026-01-01", z.step+1, z.importFrom.Entry.Text)
	}
	typeInto(z.importFrom.Entry, "2000-01-01")
	test.Tap(z.next)
	z.mode.SetSelected(i18n.SyncModeName(ledger.SyncWebhook))
	test.Tap(z.next)
	if z.step != stepDone || z.next.Text != "Add shop" {
		t.Fatalf("step %d, button %q", z.step+1, z.next.Text)
	}
	summary := map[string]string{}
	for _, it := range z.summary.Items {
		summary[it.Text] = it.Widget.(*widget.Label).Text
	}
	if summary["Name"] != "Demo shop" || summary["Warehouse"] != "MAIN — Main warehouse" || summary["Import orders from"] != "2000-01-01" ||
		summary["Sync"] != "Webhooks, with a nightly catch-up" {
		t.Errorf("summary = %v", summary)
	}
	test.Tap(z.next)
	j.drain(t) // store, reload, first sync, reload, index

	if w.wizard != nil {
		t.Fatalf("wizard still open: %q", z.problem.Text)
	}
	shops, err := b.Shops()
	if err != nil || len(shops) != 1 {
		t.Fatalf("shops = %v, %v", shops, err)
	}
	sh := shops[0]
	if sh.Name != "Demo shop" || sh.URL != srv.URL || sh.SyncMode != ledger.SyncWebhook ||
		!sh.ImportFrom.Equal(time.Date(2000, 1, 1, 0, 0, 0, 0, time.Local)) || sh.CertSHA256 != "" {
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
	if c := w.shopsPage.card("Demo shop"); c == nil || c.mode.Text != "Sync: Webhooks, with a nightly catch-up at 02:00" || c.problem.Visible() {
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

// TestWizardWrongSecret tests a wrong consumer secret: the wizard says in
// plain words what to fix and stays on the step with everything typed;
// fixing the secret and pressing Next tests again and moves on.
func TestWizardWrongSecret(t *testing.T) {
	srv := startShop(t, 5)
	b := openBooks(t)
	seedCatalog(t, b)
	w, j := started(t, b)

	w.openWizard()
	z := w.wizard
	typeInto(z.name, "Demo shop")
	typeInto(z.url, srv.URL)
	test.Tap(z.next)
	typeInto(z.key, woosim.DefaultKey)
	typeInto(z.secret, "cs_wrong")
	test.Tap(z.next)
	j.drain(t)

	want := books.ProblemSentence(woo.Problem{Code: woo.ProblemBadSecret})
	if z.step != stepKeys || z.result.Text != want || z.result.Importance != widget.DangerImportance {
		t.Fatalf("step %d says %q, want step 2 saying %q", z.step+1, z.result.Text, want)
	}
	if z.key.Text != woosim.DefaultKey || z.secret.Text != "cs_wrong" || z.name.Text != "Demo shop" {
		t.Error("the wizard lost what was typed")
	}
	typeInto(z.secret, woosim.DefaultSecret)
	test.Tap(z.next)
	j.drain(t)
	if z.step != stepBooking {
		t.Fatalf("after fixing the secret the wizard is at step %d: %q", z.step+1, z.result.Text)
	}
	// With one warehouse and one cost center, both are chosen already.
	if z.warehouse.Selected() == 0 || z.costCenter.Selected() == 0 {
		t.Error("the only warehouse and cost center should be preselected")
	}
	if shops, _ := b.Shops(); len(shops) != 0 {
		t.Errorf("a shop was stored before the last step: %v", shops)
	}
}

// TestWizardTrustsSelfSignedCertificate connects a shop that serves a
// self-signed certificate: the test shows the certificate problem and the
// fingerprint; trusting it tests again, connects, and the shop is stored
// with the pin and syncs.
func TestWizardTrustsSelfSignedCertificate(t *testing.T) {
	srv := startShopWith(t, woosim.Options{Orders: 4, Seed: 2}, true)
	b := openBooks(t)
	seedCatalog(t, b)
	w, j := started(t, b)

	w.openWizard()
	z := w.wizard
	typeInto(z.name, "Secure shop")
	typeInto(z.url, srv.URL)
	test.Tap(z.next)
	typeInto(z.key, woosim.DefaultKey)
	typeInto(z.secret, woosim.DefaultSecret)
	test.Tap(z.test)
	j.drain(t)

	if want := books.ProblemSentence(woo.Problem{Code: woo.ProblemTLS}); z.result.Text != want {
		t.Fatalf("result = %q, want %q", z.result.Text, want)
	}
	if !z.certBox.Visible() || !strings.Contains(z.certInfo.Text, fingerprint(srv.CertSHA256)) {
		t.Fatalf("the certificate's fingerprint is not shown: %q", z.certInfo.Text)
	}
	if !strings.Contains(fingerprint(srv.CertSHA256), ":") || strings.Count(fingerprint(srv.CertSHA256), "\n") != 1 {
		t.Errorf("fingerprint reads %q", fingerprint(srv.CertSHA256))
	}
	test.Tap(z.trust)
	j.drain(t)
	if !z.connected() || z.result.Importance != widget.SuccessImportance {
		t.Fatalf("after trusting the certificate: %q", z.result.Text)
	}
	test.Tap(z.next) // booking: preselected
	test.Tap(z.next) // import
	typeInto(z.importFrom.Entry, "2000-01-01")
	test.Tap(z.next)
	test.Tap(z.next)
	if got := z.summary.Items[len(z.summary.Items)-1].Widget.(*widget.Label).Text; got != "trusted by its fingerprint" {
		t.Errorf("the summary's last line is %q", got)
	}
	test.Tap(z.next)
	j.drain(t)
	shops, _ := b.Shops()
	if len(shops) != 1 || shops[0].CertSHA256 != srv.CertSHA256 {
		t.Fatalf("stored shops = %+v", shops)
	}
	if n := w.orders.Rows(); n != 4 {
		t.Errorf("list has %d rows after the sync over the pinned certificate, want 4", n)
	}
}

// TestWizardChecksEachStep leaves the first step empty, then gives an
// address that is not one: each time the wizard stays and says why.
func TestWizardChecksEachStep(t *testing.T) {
	b := openBooks(t)
	w, j := started(t, b)
	w.openWizard()
	z := w.wizard
	test.Tap(z.next)
	if z.step != stepAddress || z.problem.Text != "The shop needs a name." {
		t.Errorf("empty name: step %d, %q", z.step+1, z.problem.Text)
	}
	typeInto(z.name, "Demo")
	typeInto(z.url, "ftp://shop.example")
	test.Tap(z.next)
	if z.step != stepAddress || z.problem.Text != "Check the shop's address: the address must start with https:// or http://." {
		t.Errorf("bad address: step %d, %q", z.step+1, z.problem.Text)
	}
	typeInto(z.url, "shop.example")
	test.Tap(z.next)
	test.Tap(z.next) // no keys yet
	if z.step != stepKeys || !strings.HasPrefix(z.problem.Text, "Enter the consumer key and the consumer secret") || j.pending() != 0 {
		t.Errorf("no keys: step %d, %q, %d jobs", z.step+1, z.problem.Text, j.pending())
	}
	test.Tap(z.back)
	if z.step != stepAddress || z.url.Text != "https://shop.example" {
		t.Errorf("Back shows step %d with address %q", z.step+1, z.url.Text)
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
	if !strings.Contains(w.log[0], "Synced 5 orders") {
		t.Errorf("the log's last line is %q", w.log[0])
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
	if w.wizard == nil || !w.wizard.name.Visible() {
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

// TestWizardFollowsChanges: what the wizard says follows what the user
// changes (issue 12, 5): a problem goes once it is fixed, the summary shows
// a name changed after going back, and a test of another address no longer
// speaks for the new one.
func TestWizardFollowsChanges(t *testing.T) {
	b := openBooks(t)
	srv := startShop(t, 2)
	w, j := started(t, b)
	w.openWizard()
	z := w.wizard

	test.Tap(z.next)
	if !z.problem.Visible() || z.problem.Text != "The shop needs a name." {
		t.Fatalf("Next without a name: %q", z.problem.Text)
	}
	typeInto(z.name, "Demo shop")
	if z.problem.Visible() {
		t.Errorf("%q stays after the name was typed", z.problem.Text)
	}
	typeInto(z.url, "http://127.0.0.1:1") // nothing listens there
	test.Tap(z.next)
	typeInto(z.key, woosim.DefaultKey)
	typeInto(z.secret, woosim.DefaultSecret)
	test.Tap(z.next)
	j.drain(t)
	if z.step != stepKeys || !z.result.Visible() {
		t.Fatalf("a shop that is not there: step %d, result shown %v", z.step+1, z.result.Visible())
	}
	test.Tap(z.back)
	typeInto(z.url, srv.URL)
	test.Tap(z.next)
	if z.step != stepKeys || z.result.Visible() {
		t.Fatalf("the old address's verdict %q still shows for the new one", z.result.Text)
	}
	test.Tap(z.next) // tests the new address, then moves on
	j.drain(t)
	if z.step != stepBooking {
		t.Fatalf("stuck at step %d: %q", z.step+1, z.result.Text)
	}

	test.Tap(z.next)
	if z.problem.Text != "Choose a warehouse. Choose a cost center." {
		t.Fatalf("booking without choices: %q", z.problem.Text)
	}
	test.Tap(z.warehouse.NewButton)
	typeInto(z.warehouse.Creating.Code, "MAIN")
	typeInto(z.warehouse.Creating.Name, "Main warehouse")
	test.Tap(z.warehouse.Creating.Create)
	j.drain(t)
	if z.problem.Text != "Choose a cost center." || !z.problem.Visible() {
		t.Errorf("after choosing the warehouse the problem says %q (shown %v)", z.problem.Text, z.problem.Visible())
	}
	test.Tap(z.costCenter.NewButton)
	typeInto(z.costCenter.Creating.Code, "WEB")
	test.Tap(z.costCenter.Creating.Create)
	j.drain(t)
	if z.problem.Visible() {
		t.Errorf("%q stays after both were chosen", z.problem.Text)
	}
	for z.step != stepDone {
		test.Tap(z.next)
	}
	if !shows(z.summaryBox, "Demo shop") {
		t.Fatal("the summary does not show the name")
	}
	for z.step != stepAddress {
		test.Tap(z.back)
	}
	typeInto(z.name, "Corner shop")
	for z.step != stepDone {
		test.Tap(z.next)
		j.drain(t)
	}
	if !shows(z.summaryBox, "Corner shop") || shows(z.summaryBox, "Demo shop") {
		t.Error("the summary still shows the old name after it was changed")
	}
}

// shows tells whether a label laid out in o reads text.
func shows(o fyne.CanvasObject, text string) bool {
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.Label); ok && l.Text == text {
			return true
		}
	}
	return false
}
