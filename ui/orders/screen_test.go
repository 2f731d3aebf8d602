package orders

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// TestFilterByStatusAndShop filters by status, by shop, by both and by
// date; each time the list is exactly what the books hold under that
// filter, newest first, and the count says how many.
func TestFilterByStatusAndShop(t *testing.T) {
	b, p, _, j := twoShops(t)
	outlet := p.shops[1]

	p.statuses.check.SetSelected([]string{i18n.StatusName(ledger.StatusCompleted)})
	j.Drain(t)
	want := storeOrders(t, b, store.OrderFilter{Status: ledger.StatusCompleted})
	if got := listed(t, p, j); len(want) == 0 || !slices.Equal(got, keysOf(want)) {
		t.Fatalf("Completed lists %d orders, the books hold %d", len(got), len(want))
	}
	for _, s := range column(p, ColStatus) {
		if s != "Completed" {
			t.Fatalf("a row under the Completed filter reads %q", s)
		}
	}
	if wantCount := fmt.Sprintf("%d matching orders", len(want)); p.count.Text != wantCount {
		t.Errorf("count = %q, want %q", p.count.Text, wantCount)
	}

	p.shop.SetSelected("Outlet")
	j.Drain(t)
	want = storeOrders(t, b, store.OrderFilter{Shop: outlet.ID, Status: ledger.StatusCompleted})
	if got := listed(t, p, j); !slices.Equal(got, keysOf(want)) {
		t.Fatalf("Outlet + Completed lists %v, want %v", got, keysOf(want))
	}
	for _, s := range column(p, ColShop) {
		if s != "Outlet" {
			t.Fatalf("a row under the Outlet filter is of %q", s)
		}
	}

	test.Tap(p.statuses.all) // all statuses
	j.Drain(t)
	if got, want := listed(t, p, j), keysOf(storeOrders(t, b, store.OrderFilter{Shop: outlet.ID})); !slices.Equal(got, want) || len(got) != outletOrders {
		t.Fatalf("Outlet lists %d orders, want %d", len(got), len(want))
	}

	// A date range: the day of the tenth newest order of the books.
	all := storeOrders(t, b, store.OrderFilter{})
	day := all[10].Created.In(time.Local)
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.Local)
	p.shop.SetSelectedIndex(0)
	p.from.Entry.SetText(i18n.DateOnly(from))
	p.to.Entry.SetText(i18n.DateOnly(from))
	j.Drain(t)
	want = storeOrders(t, b, store.OrderFilter{From: from, To: from.AddDate(0, 0, 1)})
	if got := listed(t, p, j); len(want) == 0 || !slices.Equal(got, keysOf(want)) {
		t.Fatalf("the day %s lists %d orders, want %d", i18n.DateOnly(from), len(got), len(want))
	}

	test.Tap(p.clear)
	j.Drain(t)
	if p.Rows() != demoOrders+outletOrders || p.count.Text != fmt.Sprint(demoOrders+outletOrders, " orders") || p.from.Entry.Text != "" {
		t.Errorf("after Clear filters: %d rows, %q", p.Rows(), p.count.Text)
	}
}

// TestSearch finds orders by SKU, customer name, email and number, also
// combined with a filter, through the order index.
func TestSearch(t *testing.T) {
	b, p, _, j := twoShops(t)
	all := storeOrders(t, b, store.OrderFilter{})
	o := all[17]
	var sku string
	for _, l := range o.Lines {
		if l.SKU != "" {
			sku = l.SKU
			break
		}
	}
	if sku == "" || o.Billing.Email == "" || o.Billing.LastName == "" {
		t.Fatalf("order %s has no SKU, email or name to search for", o.Number)
	}

	// What a search means: every word occurs in the number, the billing
	// name or company, the email or a SKU, in any case.
	matches := func(x *ledger.Order, query string) bool {
		hay := strings.ToLower(strings.Join([]string{x.Number, x.Billing.FirstName + " " + x.Billing.LastName, x.Billing.Company, x.Billing.Email}, "|"))
		for _, l := range x.Lines {
			hay += "|" + strings.ToLower(l.SKU)
		}
		for _, w := range strings.Fields(strings.ToLower(query)) {
			if !strings.Contains(hay, strings.TrimLeft(w, "#")) {
				return false
			}
		}
		return true
	}
	for _, c := range []struct{ name, query string }{
		{"SKU", strings.ToLower(sku)},
		{"name", strings.ToUpper(o.Billing.FirstName + " " + o.Billing.LastName)},
		{"email", o.Billing.Email},
		{"number", "#" + o.Number},
	} {
		uitest.TypeInto(p.Search, c.query)
		j.Drain(t)
		got := listed(t, p, j)
		if !slices.Contains(got, o.Key()) {
			t.Errorf("searching %s %q does not list order %s", c.name, c.query, o.Number)
		}
		var want []ledger.OrderKey
		for i := range all {
			if matches(&all[i], c.query) {
				want = append(want, all[i].Key())
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("searching %s %q lists %d orders, want %d", c.name, c.query, len(got), len(want))
		}
	}

	// Search within a shop: the other shop's orders drop out.
	uitest.TypeInto(p.Search, o.Billing.Email)
	p.shop.SetSelected(p.shops[0].Name)
	if o.Shop == p.shops[0].ID {
		p.shop.SetSelected(p.shops[1].Name)
	}
	j.Drain(t)
	if slices.Contains(listed(t, p, j), o.Key()) {
		t.Error("the shop filter did not narrow the search")
	}
	uitest.TypeInto(p.Search, "no-such-customer-anywhere")
	j.Drain(t)
	if p.Rows() != 0 || p.count.Text != "0 matching orders" {
		t.Errorf("a search without matches shows %d rows, %q", p.Rows(), p.count.Text)
	}
}

// TestSearchWaitsForTheIndex types a search before the index is read: the
// list says it prepares the search, and shows the matches once it is.
func TestSearchWaitsForTheIndex(t *testing.T) {
	b := uitest.OpenBooks(t)
	uitest.SeedOrders(t, b, 30)
	p, s, j := openPage(t, b, 0)
	s.reload()
	j.Drain(t)
	uitest.TypeInto(p.Search, "customer 7")
	j.Drain(t)
	if p.count.Text != "Preparing the search…" || p.Rows() != 0 {
		t.Fatalf("before the index: %q, %d rows", p.count.Text, p.Rows())
	}
	s.refreshIndex()
	j.Drain(t)
	// "customer 7" matches Customers 7, 17 and 27 (every word must occur).
	if got := column(p, ColNumber); !slices.Equal(got, []string{"27", "17", "7"}) {
		t.Errorf("after the index was read the search lists %v", got)
	}
}

// TestOrderDetail opens an order: the pane shows its lines with SKUs,
// quantities and totals, its status history with sources, and the payload;
// Escape closes it, from the canvas and from the table.
func TestOrderDetail(t *testing.T) {
	b, p, s, j := twoShops(t)
	o := storeOrders(t, b, store.OrderFilter{})[3]

	p.list.table.Select(widget.TableCellID{Row: 3, Col: ColCustomer})
	j.Drain(t)
	d := p.detail
	if d == nil || d.order.Key() != o.Key() {
		t.Fatal("selecting row 3 did not open its order")
	}
	if d.title.Text != "Order "+o.Number {
		t.Errorf("title = %q", d.title.Text)
	}
	texts := labels(d.lines)
	for _, l := range o.Lines {
		for _, want := range []string{l.SKU, i18n.Quantity(l.Quantity), i18n.Number(l.Total), i18n.Number(l.TotalTax)} {
			if !slices.Contains(texts, want) {
				t.Errorf("the lines lack %q (line %q): %v", want, l.Name, texts)
			}
		}
	}
	hist, err := b.History(o.Key())
	if err != nil {
		t.Fatal(err)
	}
	htexts := labels(d.historyBox)
	if len(htexts) != len(hist) || !strings.Contains(htexts[0], "Imported as "+i18n.StatusName(hist[0].To)) || !strings.HasSuffix(htexts[0], "(sync)") {
		t.Errorf("history shows %q for %d changes", htexts, len(hist))
	}
	if !strings.Contains(d.raw.Text, `"number": "`+o.Number+`"`) {
		t.Errorf("the payload does not show the order's number: %.200q", d.raw.Text)
	}
	payload := d.raw.Text
	test.Type(d.raw, "x") // read-only
	if d.raw.Text != payload {
		t.Error("the payload could be edited")
	}
	test.Tap(d.copyRaw)
	if got := fyne.CurrentApp().Clipboard().Content(); !strings.Contains(got, o.Number) {
		t.Errorf("Copy put %.80q on the clipboard", got)
	}

	test.Tap(d.close)
	if p.detail != nil || p.body.Objects[0] != p.list.content {
		t.Fatal("the close button did not close the detail")
	}
	p.list.table.Select(widget.TableCellID{Row: 0, Col: 0})
	j.Drain(t)
	s.win.Canvas().Focus(p.list.table)
	p.list.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.detail != nil {
		t.Error("Escape on the focused table did not close the detail")
	}
}

// labels returns the texts of the labels in a container, in order.
func labels(c *fyne.Container) []string {
	var out []string
	for _, o := range c.Objects {
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *fyne.Container:
			out = append(out, labels(v)...)
		}
	}
	return out
}

// TestReassignWarehouse books one order under another warehouse from its
// detail: the books, the row and the pane show it; other orders keep theirs.
func TestReassignWarehouse(t *testing.T) {
	b, p, s, j := twoShops(t)
	store2, err := b.CreateWarehouse(ledger.Warehouse{Code: "STORE2", Name: "Second store"})
	if err != nil {
		t.Fatal(err)
	}
	s.reload()
	j.Drain(t)
	o := storeOrders(t, b, store.OrderFilter{})[0]

	p.list.table.Select(widget.TableCellID{Row: 0, Col: 0})
	j.Drain(t)
	d := p.detail
	if d.warehouse.Selected != "MAIN — Main warehouse" {
		t.Fatalf("the detail shows warehouse %q", d.warehouse.Selected)
	}
	d.warehouse.SetSelected("STORE2 — Second store")
	test.Tap(d.reassign)
	j.Drain(t)

	got, err := b.Order(o.Key())
	if err != nil || got.Warehouse != store2.ID {
		t.Fatalf("the order is booked under warehouse %d, want %d (%v)", got.Warehouse, store2.ID, err)
	}
	if c := p.Cell(0, ColWarehouse); c != "STORE2" {
		t.Errorf("row 0 shows warehouse %q", c)
	}
	if c := p.Cell(1, ColWarehouse); c != "MAIN" {
		t.Errorf("row 1 shows warehouse %q; only one order was reassigned", c)
	}
	if !strings.HasPrefix(d.note.Text, "Saved: this order is now booked under STORE2") {
		t.Errorf("note = %q", d.note.Text)
	}
}

// TestSearchPagesByKey lists a search with more matches than a page: rows
// past the first page arrive by key, any page directly.
func TestSearchPagesByKey(t *testing.T) {
	b := uitest.OpenBooks(t)
	uitest.SeedOrders(t, b, 250)
	p, s, j := openPage(t, b, 20)
	s.reload()
	s.refreshIndex()
	j.Drain(t)
	uitest.TypeInto(p.Search, "customer")
	j.Drain(t)
	if n := p.Rows(); n != 250 {
		t.Fatalf("searching 'customer' lists %d rows", n)
	}
	if got := p.Cell(237, ColNumber); got != "…" {
		t.Fatalf("row 237 should wait for its page, shows %q", got)
	}
	if j.Pending() != 1 {
		t.Fatalf("%d page reads for one missing row", j.Pending())
	}
	j.Drain(t)
	if got := p.Cell(237, ColNumber); got != "13" {
		t.Errorf("row 237 shows order %q, want 13", got)
	}
}
