package catalog

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

func TestMain(m *testing.M) { uitest.Main(m) }

// shell stands in for the window: Reload reads the catalog from the books
// and shows it, as the window's reload does.
type shell struct {
	t    testing.TB
	win  fyne.Window
	br   *bridge.Bridge
	b    *books.Books
	page *Page
}

func (s *shell) Window() fyne.Window    { return s.win }
func (s *shell) Bridge() *bridge.Bridge { return s.br }
func (s *shell) Reload() {
	whs, err := s.b.Warehouses()
	if err != nil {
		s.t.Fatal(err)
	}
	ccs, err := s.b.CostCenters()
	if err != nil {
		s.t.Fatal(err)
	}
	s.page.Show(whs, ccs)
}

// openPage shows the screen over b in a window of its own, in English;
// its background work runs when the test drains j.
func openPage(t *testing.T, b *books.Books) (*Page, *uitest.Jobs) {
	t.Helper()
	uitest.English(t)
	j := &uitest.Jobs{}
	ctx, cancel := context.WithCancel(context.Background())
	s := &shell{t: t, win: test.NewWindow(nil), br: bridge.New(ctx, j.Run), b: b}
	s.page = New(s, b)
	s.win.SetContent(s.page.Content())
	s.win.Resize(fyne.NewSize(1000, 600))
	t.Cleanup(func() {
		cancel()
		j.Drain(t)
		s.br.Stop()
		s.win.Close()
	})
	s.Reload()
	return s.page, j
}

// TestCatalogPage creates a warehouse and a cost center on their page,
// renames the warehouse, tries to remove the one a shop uses (refused, with
// the shop named) and removes the unused one.
func TestCatalogPage(t *testing.T) {
	b := uitest.OpenBooks(t)
	uitest.AddShop(t, b, "Demo shop", uitest.StartShop(t, 1))
	p, j := openPage(t, b)
	whs := p.warehouses

	test.Tap(whs.add)
	d := whs.dialog
	uitest.TypeInto(d.Code, "EAST")
	uitest.TypeInto(d.Name, "East depot")
	test.Tap(d.Create)
	j.Drain(t)
	if r := whs.row("EAST"); r == nil || r.label.Text != "EAST — East depot" {
		t.Fatal("the new warehouse is not listed")
	}

	// A duplicate code is refused in the dialog, which keeps what was typed.
	test.Tap(whs.add)
	d = whs.dialog
	uitest.TypeInto(d.Code, "east")
	test.Tap(d.Create)
	j.Drain(t)
	if !d.Problem.Visible() || d.Problem.Text != "Warehouse “East depot” already has the code east. Choose another code." || d.Code.Text != "east" {
		t.Errorf("duplicate code: %q", d.Problem.Text)
	}
	d.Dialog.Hide()

	test.Tap(whs.row("EAST").edit)
	d = whs.dialog
	if d.Code.Text != "EAST" || d.Name.Text != "East depot" || d.Create.Text != "Save" {
		t.Fatalf("the edit dialog starts with %q / %q / %q", d.Code.Text, d.Name.Text, d.Create.Text)
	}
	uitest.TypeInto(d.Name, "Eastern depot")
	test.Tap(d.Create)
	j.Drain(t)
	if got, _ := b.WarehouseByCode("EAST"); got.Name != "Eastern depot" {
		t.Errorf("stored name %q", got.Name)
	}
	if whs.row("EAST").label.Text != "EAST — Eastern depot" {
		t.Error("the list does not show the new name")
	}

	test.Tap(whs.row("MAIN").remove)
	whs.confirm.Confirm()
	j.Drain(t)
	want := "Warehouse MAIN cannot be removed: shop “Demo shop” books into it. Choose another warehouse for it first."
	if !whs.problem.Visible() || whs.problem.Text != want {
		t.Errorf("removing MAIN says %q, want %q", whs.problem.Text, want)
	}
	if _, err := b.WarehouseByCode("MAIN"); err != nil {
		t.Error("the warehouse in use was removed")
	}

	test.Tap(whs.row("EAST").remove)
	whs.confirm.Confirm()
	j.Drain(t)
	if whs.row("EAST") != nil || whs.problem.Visible() {
		t.Error("the unused warehouse is still listed")
	}

	// Cost centers work the same way.
	ccs := p.costCenters
	test.Tap(ccs.row("WEB").remove)
	ccs.confirm.Confirm()
	j.Drain(t)
	if ccs.problem.Text != "Cost center WEB cannot be removed: shop “Demo shop” books into it. Choose another cost center for it first." {
		t.Errorf("removing WEB says %q", ccs.problem.Text)
	}
	test.Tap(ccs.add)
	uitest.TypeInto(ccs.dialog.Code, "SHOP2")
	test.Tap(ccs.dialog.Create)
	j.Drain(t)
	if got, err := b.CostCenterByCode("SHOP2"); err != nil || got.Name != "SHOP2" {
		t.Errorf("new cost center: %+v, %v", got, err)
	}
}
