package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestCatalogPage creates a warehouse and a cost center on their page,
// renames the warehouse, tries to remove the one a shop uses (refused, with
// the shop named) and removes the unused one.
func TestCatalogPage(t *testing.T) {
	b := openBooks(t)
	addShopDirectly(t, b, "Demo shop", startShop(t, 1))
	w, j := started(t, b)
	whs := w.catalog.warehouses

	test.Tap(whs.add)
	d := whs.dialog
	typeInto(d.code, "EAST")
	typeInto(d.name, "East depot")
	test.Tap(d.create)
	j.drain(t)
	if r := whs.row("EAST"); r == nil || r.label.Text != "EAST — East depot" {
		t.Fatal("the new warehouse is not listed")
	}

	// A duplicate code is refused in the dialog, which keeps what was typed.
	test.Tap(whs.add)
	d = whs.dialog
	typeInto(d.code, "east")
	test.Tap(d.create)
	j.drain(t)
	if !d.problem.Visible() || d.problem.Text != "Warehouse “East depot” already has the code east. Choose another code." || d.code.Text != "east" {
		t.Errorf("duplicate code: %q", d.problem.Text)
	}
	d.dlg.Hide()

	test.Tap(whs.row("EAST").edit)
	d = whs.dialog
	if d.code.Text != "EAST" || d.name.Text != "East depot" || d.create.Text != "Save" {
		t.Fatalf("the edit dialog starts with %q / %q / %q", d.code.Text, d.name.Text, d.create.Text)
	}
	typeInto(d.name, "Eastern depot")
	test.Tap(d.create)
	j.drain(t)
	if got, _ := b.WarehouseByCode("EAST"); got.Name != "Eastern depot" {
		t.Errorf("stored name %q", got.Name)
	}
	if whs.row("EAST").label.Text != "EAST — Eastern depot" {
		t.Error("the list does not show the new name")
	}

	test.Tap(whs.row("MAIN").remove)
	whs.confirm.Confirm()
	j.drain(t)
	want := "Warehouse MAIN cannot be removed: shop “Demo shop” books into it. Choose another warehouse for it first."
	if !whs.problem.Visible() || whs.problem.Text != want {
		t.Errorf("removing MAIN says %q, want %q", whs.problem.Text, want)
	}
	if _, err := b.WarehouseByCode("MAIN"); err != nil {
		t.Error("the warehouse in use was removed")
	}

	test.Tap(whs.row("EAST").remove)
	whs.confirm.Confirm()
	j.drain(t)
	if whs.row("EAST") != nil || whs.problem.Visible() {
		t.Error("the unused warehouse is still listed")
	}

	// Cost centers work the same way.
	ccs := w.catalog.costCenters
	test.Tap(ccs.row("WEB").remove)
	ccs.confirm.Confirm()
	j.drain(t)
	if ccs.problem.Text != "Cost center WEB cannot be removed: shop “Demo shop” books into it. Choose another cost center for it first." {
		t.Errorf("removing WEB says %q", ccs.problem.Text)
	}
	test.Tap(ccs.add)
	typeInto(ccs.dialog.code, "SHOP2")
	test.Tap(ccs.dialog.create)
	j.drain(t)
	if got, err := b.CostCenterByCode("SHOP2"); err != nil || got.Name != "SHOP2" {
		t.Errorf("new cost center: %+v, %v", got, err)
	}
	// The wizard offers what the page created.
	w.openWizard()
	if n := len(w.wizard.costCenter.items); n != 2 {
		t.Errorf("the wizard offers %d cost centers, want 2", n)
	}
}
