package orders

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// wideOrder is a company's order whose SKUs and amounts are long and whose
// variation WooCommerce named "T-Shirt - L", billed to Bulgaria.
func wideOrder() ledger.Order {
	at := time.Date(2026, 11, 27, 14, 2, 0, 0, time.UTC)
	m := ledger.MustAmount
	return ledger.Order{
		ID: 7, Number: "1007", Status: ledger.StatusProcessing, Currency: "EUR",
		Total: m("22345.67"), Created: at, Modified: at,
		Billing: ledger.Address{FirstName: "Ivan", LastName: "Petrov", Company: "Acme Trading Ltd",
			Address1: "1 Vitosha Blvd", City: "Sofia", Postcode: "1000", Country: "BG", Email: "ivan@example.com"},
		Shipping: ledger.Address{FirstName: "Ivan", LastName: "Petrov", Address1: "5 Unter den Linden",
			City: "Berlin", Postcode: "10117", Country: "DE"},
		Lines: []ledger.LineItem{
			{ID: 1, Name: "T-Shirt - L", SKU: "TSHIRT-ORGANIC-L", Quantity: m("1000"), Price: m("12.50"),
				Total: m("12500.00"), TotalTax: m("2500.00"), Meta: []ledger.MetaItem{{Key: "pa_size", Value: "L"}}},
			{ID: 2, Name: "Poster", SKU: "POST-50X70-MATTE-PREMIUM", Quantity: m("12"), Price: m("682.14"),
				Total: m("8185.68"), TotalTax: m("1637.14")},
		},
	}
}

// openWide shows the screen over books holding wideOrder, in a language,
// with the order's detail open.
func openWide(t *testing.T, language string) (*Page, *shell, *uitest.Jobs) {
	t.Helper()
	b := uitest.OpenBooks(t)
	seedWide(t, b)
	p, s, j := openPageIn(t, b, 0, language)
	s.reload()
	j.Drain(t)
	p.Select(0, ColNumber)
	j.Drain(t)
	if p.detail == nil {
		t.Fatal("picking the order opened no detail")
	}
	return p, s, j
}

func seedWide(t *testing.T, b *books.Books) {
	t.Helper()
	sh, err := b.CreateShop(ledger.Shop{Name: "Demo shop", URL: "https://shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.ApplyOrders(sh.ID, []ledger.Order{wideOrder()}, ledger.SourcePoll, time.Time{}); err != nil {
		t.Fatal(err)
	}
}

// lineCells are the items grid's cells by row (the heading is row 0).
func lineCells(d *orderDetail) [][]*widget.Label {
	var rows [][]*widget.Label
	for i, o := range d.lines.Objects {
		if i%6 == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], o.(*widget.Label))
	}
	return rows
}

// TestDetailItemsNotCutShort opens an order with long SKUs and five-digit
// amounts in the window's default size and the pane's default width:
// every SKU, quantity, price, total and tax fits its cell, so none reads
// "22...." or "POST-5…"; the name wraps instead. They were cut to weighted
// shares of the width.
func TestDetailItemsNotCutShort(t *testing.T) {
	p, _, _ := openWide(t, "en")
	d := p.detail
	d.scroll.Refresh()
	rows := lineCells(d)
	if len(rows) != 3 {
		t.Fatalf("the items grid has %d rows, want a heading and 2 lines", len(rows))
	}
	if rows[1][0].Text != "TSHIRT-ORGANIC-L" || rows[2][4].Text != "8,185.68" {
		t.Fatalf("unexpected cells: %q, %q", rows[1][0].Text, rows[2][4].Text)
	}
	for _, row := range rows[1:] {
		for c, l := range row {
			if c == lineNameCol {
				continue
			}
			if l.Truncation != fyne.TextTruncateOff {
				t.Errorf("%q may be cut short", l.Text)
			}
			if need, got := l.MinSize().Width, l.Size().Width; got < need {
				t.Errorf("%q has %.0f of the %.0f px it needs", l.Text, got, need)
			}
		}
	}
	if right := rows[2][5].Position().X + rows[2][5].Size().Width; right > d.lines.Size().Width+0.5 {
		t.Errorf("the tax column ends at %.0f, beyond the grid's %.0f", right, d.lines.Size().Width)
	}
}

// TestDetailVariationOnce: "T-Shirt - L" with its size attribute L reads
// "T-Shirt - L", not "T-Shirt - L, L".
func TestDetailVariationOnce(t *testing.T) {
	p, _, _ := openWide(t, "en")
	rows := lineCells(p.detail)
	if got := rows[1][lineNameCol].Text; got != "T-Shirt - L" {
		t.Errorf("the variation reads %q, want %q", got, "T-Shirt - L")
	}
}

// TestDetailCountryNames: the addresses name the countries, in the
// window's language, not by their codes.
func TestDetailCountryNames(t *testing.T) {
	for _, tc := range []struct{ language, billing, shipping string }{
		{"en", "Bulgaria", "Germany"},
		{"bg", "България", "Германия"},
	} {
		t.Run(tc.language, func(t *testing.T) {
			p, _, _ := openWide(t, tc.language)
			texts := map[string]bool{}
			for _, o := range test.LaidOutObjects(p.detail.body) {
				if l, ok := o.(*widget.Label); ok {
					for _, line := range splitLines(l.Text) {
						texts[line] = true
					}
				}
			}
			for _, want := range []string{tc.billing, tc.shipping} {
				if !texts[want] {
					t.Errorf("no address line reads %q", want)
				}
			}
			for _, code := range []string{"BG", "DE"} {
				if texts[code] {
					t.Errorf("an address line reads the code %q", code)
				}
			}
		})
	}
}

// TestListShowsCompany: the list's customer cell names the company beside
// the person.
func TestListShowsCompany(t *testing.T) {
	p, _, _ := openWide(t, "en")
	if got, want := p.Cell(0, ColCustomer), "Ivan Petrov (Acme Trading Ltd)"; got != want {
		t.Errorf("the customer cell reads %q, want %q", got, want)
	}
}

func splitLines(s string) []string { return strings.Split(s, "\n") }

// listFits tells whether the list shows every column without scrolling
// sideways: the table's cells are no wider than the view of them.
func listFits(t *testing.T, p *Page) bool {
	t.Helper()
	found := false
	for _, o := range test.LaidOutObjects(p.list.table) {
		if sc, ok := o.(*container.Scroll); ok && sc.Content != nil {
			found = true
			if sc.Content.Size().Width > sc.Size().Width+0.5 {
				return false
			}
		}
	}
	if !found {
		t.Fatal("the table has no scrolled cells: not a test of its width")
	}
	return true
}

// TestDetailKeepsColumns opens an order in the window's first size, where
// the list and the detail side by side would hide the shop, warehouse and
// cost center columns (the list got 559 of the 971 px and needs 947): the
// detail opens under the list, which keeps every column. A window wide
// enough for both puts the detail beside the list, again with every
// column; each place keeps where its divider was dragged.
func TestDetailKeepsColumns(t *testing.T) {
	_, p, s, j := twoShops(t)
	if !listFits(t, p) {
		t.Fatal("the list does not fit its columns even without the detail")
	}
	p.Select(2, ColNumber)
	j.Drain(t)
	if p.detail == nil {
		t.Fatal("picking a row opened no detail")
	}
	if !listFits(t, p) {
		t.Errorf("with the detail open the list is %.0f px wide and scrolls sideways to its last columns",
			p.list.content.Size().Width)
	}
	if p.split.Horizontal {
		t.Errorf("in a %v window the detail is beside the list", s.win.Canvas().Size())
	}
	p.split.SetOffset(0.3)

	s.win.Resize(fyne.NewSize(1900, 900))
	if !p.split.Horizontal {
		t.Errorf("in a %v window the detail is not beside the list", s.win.Canvas().Size())
	}
	if !listFits(t, p) {
		t.Errorf("beside the detail the list is %.0f px wide and scrolls sideways", p.list.content.Size().Width)
	}
	if w := p.detail.content.Size().Width; w < besideMin {
		t.Errorf("beside the list the detail is %.0f px wide, want at least %d", w, besideMin)
	}
	p.split.SetOffset(0.62)

	s.win.Resize(fyne.NewSize(1180, 720))
	if p.split.Horizontal || p.split.Offset != 0.3 {
		t.Errorf("back in a narrow window the detail is beside the list (%v) or its divider at %v, not 0.3",
			p.split.Horizontal, p.split.Offset)
	}
	s.win.Resize(fyne.NewSize(1900, 900))
	if !p.split.Horizontal || p.split.Offset != 0.62 {
		t.Errorf("back in a wide window the detail is under the list or its divider at %v, not 0.62", p.split.Offset)
	}
}

// TestDetailGivesTheListRoom: under the list at the window's first size,
// the detail and the footer's totals left the list two rows (the README's
// order shot, four currencies); the totals step aside while an order is
// open and come back when it closes.
func TestDetailGivesTheListRoom(t *testing.T) {
	_, p, s, j := twoShops(t)
	s.win.Resize(fyne.NewSize(1180, 720))
	if !p.totals.content.Visible() {
		t.Fatal("the list's totals do not show")
	}
	before := p.list.content.Size().Height
	p.Select(2, ColNumber)
	j.Drain(t)
	if p.detail == nil || p.split.Horizontal {
		t.Fatal("the detail did not open under the list")
	}
	if p.totals.content.Visible() {
		t.Error("the list's totals still take the footer while an order is open")
	}
	list := p.split.Leading.Size().Height
	if list < before*0.4 {
		t.Errorf("with the detail open the list is %.0f px high of %.0f", list, before)
	}
	p.CloseDetail()
	if !p.totals.content.Visible() {
		t.Error("the list's totals did not come back when the order closed")
	}
}
