package ui

// The Shops screen in the window: what removing a shop and verifying it do
// to the order list and the search index, and what the wizard offers after
// the catalog screen changed. The screen alone is tested in ui/shops.

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/orderindex"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestRemoveShop removes one shop with the default, which keeps its orders,
// and another without them: the first's orders stay listed under a removed
// shop, the second's are gone from the list and from searches.
func TestRemoveShop(t *testing.T) {
	b := openBooks(t)
	keep := addShopDirectly(t, b, "Demo shop", startShop(t, 6))
	drop := addShopDirectly(t, b, "Outlet", startShopWith(t, woosim.Options{Orders: 4, Seed: 3}, false))
	w, j := started(t, b)
	dropped := storeOrders(t, b, store.OrderFilter{Shop: drop.ID})

	test.Tap(w.shopsPage.Card("Demo shop").Remove)
	r := w.shopsPage.Removal()
	if !r.Keep.Checked {
		t.Fatal("keeping the orders should be the default")
	}
	test.Tap(r.Remove)
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
	if removed != 6 || w.shopsPage.Card("Demo shop") != nil {
		t.Errorf("%d rows of the removed shop, want 6", removed)
	}

	test.Tap(w.shopsPage.Card("Outlet").Remove)
	r = w.shopsPage.Removal()
	test.Tap(r.Keep)
	test.Tap(r.Remove)
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
	w.shopsPage.OpenWizard()
	if n := len(w.shopsPage.Wizard().CostCenter.Items); n != 2 {
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

	test.Tap(w.shopsPage.Card("Demo shop").Verify)
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

	test.Tap(w.shopsPage.Card("Demo shop").Verify)
	j.drain(t)
	if got := w.status.text(); got != "Verified Demo shop: All 4 orders agree with the shop." {
		t.Errorf("status after a second verification %q", got)
	}
}
