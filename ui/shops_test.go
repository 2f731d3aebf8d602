package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/orderindex"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// TestShopsPageShowsState lists two shops after a sync in which one of
// them failed: the good one shows its mode and when it last synced, the
// other what went wrong, in plain words.
func TestShopsPageShowsState(t *testing.T) {
	b := openBooks(t)
	good := addShopDirectly(t, b, "Demo shop", startShop(t, 5))
	bad := addShopDirectly(t, b, "Outlet", startShop(t, 5))
	if err := secrets.SaveShop(b.Secrets, bad.ID, secrets.Credentials{Key: woosim.DefaultKey, Secret: "cs_changed"}); err != nil {
		t.Fatal(err)
	}
	w, _ := started(t, b)

	st, _ := b.SyncState(good.ID)
	c := w.shopsPage.card("Demo shop")
	if c.mode.Text != "Sync: Every hour" || c.sync.Text != "Last successful sync: "+i18n.DateTime(st.LastSuccess) || c.problem.Visible() {
		t.Errorf("Demo shop card: %q / %q / problem %v", c.mode.Text, c.sync.Text, c.problem.Visible())
	}
	c = w.shopsPage.card("Outlet")
	if c.sync.Text != "Not synced yet" || !c.problem.Visible() || !strings.HasPrefix(c.problem.Text, "Last sync failed: The consumer secret does not match the key.") {
		t.Errorf("Outlet card: %q / %q", c.sync.Text, c.problem.Text)
	}

	// In a new session only the stored text of the error is known: the
	// card still says plainly that the sync failed, with the detail under it.
	c = newShopCard(w.shopsPage, bad, ledger.SyncState{LastAttempt: testNow, LastError: "sync Outlet: list orders: auth"}, nil)
	if c.problem.Text != "The sync of 2026-11-27 16:02 failed. Press Sync now to try again." || c.detail.Text != "sync Outlet: list orders: auth" {
		t.Errorf("stored failure reads %q / %q", c.problem.Text, c.detail.Text)
	}
}

// TestEditShop renames a shop, books it under another warehouse and
// switches it to webhooks.
func TestEditShop(t *testing.T) {
	b := openBooks(t)
	sh := addShopDirectly(t, b, "Demo shop", startShop(t, 3))
	other, err := b.CreateWarehouse(ledger.Warehouse{Code: "EAST", Name: "East"})
	if err != nil {
		t.Fatal(err)
	}
	w, j := started(t, b)

	test.Tap(w.shopsPage.card("Demo shop").edit)
	e := w.shopsPage.editor
	if e.name.Text != "Demo shop" || e.warehouse.Select.Selected != "MAIN — Main warehouse" || e.mode.Selected != "Every hour" {
		t.Fatalf("the editor starts with %q / %q / %q", e.name.Text, e.warehouse.Select.Selected, e.mode.Selected)
	}
	typeInto(e.name, "")
	test.Tap(e.save)
	if e.problem.Text != "The shop needs a name." || j.pending() != 0 {
		t.Errorf("saving without a name: %q", e.problem.Text)
	}
	typeInto(e.name, "Demo shop BG")
	e.warehouse.Choose(uint64(other.ID))
	e.mode.SetSelected("Webhooks, with a nightly catch-up")
	test.Tap(e.save)
	j.drain(t)

	got, err := b.Shop(sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Demo shop BG" || got.Warehouse != other.ID || got.SyncMode != ledger.SyncWebhook || got.URL != sh.URL || got.Dialect == "" {
		t.Errorf("stored shop = %+v", got)
	}
	if w.shopsPage.editor != nil || w.shopsPage.card("Demo shop BG") == nil {
		t.Error("the page does not show the renamed shop")
	}
	// Orders already imported keep their warehouse.
	if o := storeOrders(t, b, store.OrderFilter{})[0]; o.Warehouse == other.ID {
		t.Error("editing the shop reassigned its imported orders")
	}
}

// TestRemoveShop removes one shop with the default, which keeps its orders,
// and another without them: the first's orders stay listed under a removed
// shop, the second's are gone from the list and from searches.
func TestRemoveShop(t *testing.T) {
	b := openBooks(t)
	keep := addShopDirectly(t, b, "Demo shop", startShop(t, 6))
	drop := addShopDirectly(t, b, "Outlet", startShopWith(t, woosim.Options{Orders: 4, Seed: 3}, false))
	w, j := started(t, b)
	dropped := storeOrders(t, b, store.OrderFilter{Shop: drop.ID})

	test.Tap(w.shopsPage.card("Demo shop").remove)
	r := w.shopsPage.removal
	if !r.keep.Checked {
		t.Fatal("keeping the orders should be the default")
	}
	test.Tap(r.remove)
	j.drain(t)
	if _, err := b.Shop(keep.ID); err == nil {
		t.Fatal("the shop is still there")
	}
	if _, err := secrets.LoadShop(b.Secrets, keep.ID); err == nil {
		t.Error("the shop's keys are still in the keyring")
	}
	if n := w.orders.Rows(); n != 10 {
		t.Errorf("after removing with its orders kept the list has %d rows, want 10", n)
	}
	removed := 0
	for _, s := range column(w, colShop) {
		if s == "(removed shop)" {
			removed++
		}
	}
	if removed != 6 || w.shopsPage.card("Demo shop") != nil {
		t.Errorf("%d rows of the removed shop, want 6", removed)
	}

	test.Tap(w.shopsPage.card("Outlet").remove)
	r = w.shopsPage.removal
	test.Tap(r.keep)
	test.Tap(r.remove)
	j.drain(t)
	if n := w.orders.Rows(); n != 6 {
		t.Errorf("after removing Outlet with its orders the list has %d rows, want 6", n)
	}
	if got := w.index.Search(orderindex.Query{Shop: drop.ID}); len(got) != 0 {
		t.Errorf("the search still finds %d orders of the removed shop", len(got))
	}
	typeInto(w.orders.Search, dropped[0].Billing.Email)
	j.drain(t)
	for _, s := range column(w, colShop) {
		if s == "Outlet" {
			t.Error("a search lists an order of the shop removed with its orders")
		}
	}
}

// TestWizardOffersTheCatalog: what the catalog screen creates, the wizard
// offers once the window has read the books again (catalog.UI's Reload).
func TestWizardOffersTheCatalog(t *testing.T) {
	b := openBooks(t)
	addShopDirectly(t, b, "Demo shop", startShop(t, 1))
	w, j := started(t, b)
	if _, err := b.CreateCostCenter(ledger.CostCenter{Code: "SHOP2", Name: "SHOP2"}); err != nil {
		t.Fatal(err)
	}
	w.Reload()
	j.drain(t)
	w.openWizard()
	if n := len(w.wizard.costCenter.Items); n != 2 {
		t.Errorf("the wizard offers %d cost centers, want 2", n)
	}
}

// TestVerifyWithShop: "Verify with shop" finds an order the shop changed
// without announcing it (no new date_modified), updates it, says so, and
// the list shows it; a second verification finds everything in agreement.
func TestVerifyWithShop(t *testing.T) {
	b := openBooks(t)
	srv := startShop(t, 4)
	addShopDirectly(t, b, "Demo shop", srv)
	w, j := started(t, b)
	if w.orders.Rows() != 4 {
		t.Fatalf("%d orders listed, want 4", w.orders.Rows())
	}
	o := storeOrders(t, b, store.OrderFilter{})[0]
	want := ledger.StatusCancelled
	if o.Status == want {
		want = ledger.StatusOnHold
	}
	if err := srv.Sim.SilentlyChange(o.ID, func(s *woosim.Silent) { s.Status = string(want) }); err != nil {
		t.Fatal(err)
	}
	// (That an incremental sync misses it is core/verify's test.)

	test.Tap(w.shopsPage.card("Demo shop").verify)
	j.drain(t)
	if got := w.status.text(); got != "Verified Demo shop: 1 order differed and was updated." {
		t.Errorf("status %q", got)
	}
	shown := false
	for i := range w.orders.Rows() {
		if r := w.orders.Order(i); r != nil && r.ID == o.ID {
			shown = r.Status == want
		}
	}
	if !shown {
		t.Errorf("the list does not show order %d as %s", o.ID, want)
	}

	test.Tap(w.shopsPage.card("Demo shop").verify)
	j.drain(t)
	if got := w.status.text(); got != "Verified Demo shop: All 4 orders agree with the shop." {
		t.Errorf("status after a second verification %q", got)
	}
}

// TestReplaceKeys: Edit shop → Replace keys keeps new keys only once the
// shop accepts them (issue 12, 8): refused keys leave the old ones, with
// the shop's reason; accepted ones replace them.
func TestReplaceKeys(t *testing.T) {
	b := openBooks(t)
	sh := addShopDirectly(t, b, "Demo shop", startShop(t, 2))
	// The keyring lost the right keys: these are what the shop revoked.
	revoked := secrets.Credentials{Key: "ck_revoked", Secret: "cs_revoked"}
	if err := secrets.SaveShop(b.Secrets, sh.ID, revoked); err != nil {
		t.Fatal(err)
	}
	w, j := started(t, b)
	test.Tap(w.shopsPage.card("Demo shop").edit)
	e := w.shopsPage.editor

	typeInto(e.key, "ck_wrong")
	typeInto(e.secret, "cs_wrong")
	test.Tap(e.replace)
	j.drain(t)
	if e.keysNote.Importance != widget.DangerImportance || !strings.Contains(e.keysNote.Text, "key") {
		t.Errorf("wrong keys: the note says %q", e.keysNote.Text)
	}
	t.Logf("wrong keys: %s", e.keysNote.Text)
	if got, _ := secrets.LoadShop(b.Secrets, sh.ID); got != revoked {
		t.Fatalf("refused keys were kept: %v", got)
	}

	typeInto(e.key, woosim.DefaultKey)
	typeInto(e.secret, woosim.DefaultSecret)
	test.Tap(e.replace)
	j.drain(t)
	if e.keysNote.Text != "The shop accepted the new keys; ShopLedger uses them from now on." || e.key.Text != "" {
		t.Errorf("good keys: the note says %q, key field %q", e.keysNote.Text, e.key.Text)
	}
	if got, _ := secrets.LoadShop(b.Secrets, sh.ID); got.Key != woosim.DefaultKey || got.Secret != woosim.DefaultSecret {
		t.Fatalf("accepted keys not kept: %v", got)
	}
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Errorf("sync with the new keys: %v", err)
	}
}
