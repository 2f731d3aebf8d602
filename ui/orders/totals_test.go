package orders

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// sumsOf adds orders up per currency from the orders themselves: net from
// their lines, fees from their fee lines, refunded from their refunds.
func sumsOf(orders []ledger.Order) []store.CurrencyTotals {
	by := map[string]*store.CurrencyTotals{}
	for i := range orders {
		o := &orders[i]
		ct := by[o.Currency]
		if ct == nil {
			ct = &store.CurrencyTotals{Currency: o.Currency}
			by[o.Currency] = ct
		}
		ct.Orders++
		for _, l := range o.Lines {
			ct.Net += l.Total
		}
		for _, f := range o.FeeLines {
			ct.Fees += f.Total
		}
		ct.Tax += o.TotalTax
		ct.Shipping += o.ShippingTotal
		ct.Total += o.Total
		ct.Refunded += o.RefundedTotal()
	}
	var out []store.CurrencyTotals
	for _, ct := range by {
		out = append(out, *ct)
	}
	slices.SortFunc(out, func(a, b store.CurrencyTotals) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}

// gridText is the footer's totals as they read, row by row.
func gridText(p *Page) [][]string {
	if !p.totals.scroll.Visible() {
		return nil
	}
	n := totalsColumns
	var rows [][]string
	for i, o := range p.totals.grid.Objects {
		if i%n == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], o.(*widget.Label).Text)
	}
	return rows
}

// checkTotals says where the footer differs from the orders it should add up.
func checkTotals(t *testing.T, p *Page, what string, orders []ledger.Order) {
	t.Helper()
	want := sumsOf(orders)
	if !slices.Equal(p.totals.shown, want) {
		t.Fatalf("%s: the footer's totals\n %+v\nthe orders add up to\n %+v", what, p.totals.shown, want)
	}
	rows := gridText(p)
	if len(want) == 0 {
		if rows != nil {
			t.Fatalf("%s: totals %v without orders", what, rows)
		}
		return
	}
	if len(rows) != 1+len(want) || !slices.Equal(rows[0], totalsHeader()) {
		t.Fatalf("%s: the footer reads %v", what, rows)
	}
	for i := range want {
		if !slices.Equal(rows[1+i], totalsRow(&want[i])) {
			t.Errorf("%s: row %v, want %v", what, rows[1+i], totalsRow(&want[i]))
		}
	}
}

// TestFooterTotals: the footer adds up, per currency, exactly the orders
// the list shows — all of them, a status, a shop, a search, nothing — and
// follows a sync that brings new orders.
func TestFooterTotals(t *testing.T) {
	b, p, _, j := twoShops(t)
	all := storeOrders(t, b, store.OrderFilter{})
	checkTotals(t, p, "all orders", all)
	currencies := map[string]bool{}
	for _, o := range all {
		currencies[o.Currency] = true
	}
	if len(currencies) < 2 {
		t.Fatalf("the shops' orders are in %v: not a test of currencies kept apart", currencies)
	}

	p.statuses.check.SetSelected([]string{i18n.StatusName(ledger.StatusCompleted), i18n.StatusName(ledger.StatusProcessing)})
	j.Drain(t)
	checkTotals(t, p, "Completed and Processing",
		storeOrders(t, b, store.OrderFilter{Statuses: []ledger.Status{ledger.StatusCompleted, ledger.StatusProcessing}}))

	test.Tap(p.statuses.all)
	p.shop.SetSelected("Outlet")
	j.Drain(t)
	checkTotals(t, p, "Outlet", storeOrders(t, b, store.OrderFilter{Shop: p.shops[1].ID}))

	p.shop.SetSelectedIndex(0)
	o := all[3]
	uitest.TypeInto(p.Search, o.Billing.LastName)
	j.Drain(t)
	var found []ledger.Order
	for _, k := range listed(t, p, j) {
		ord, err := b.Order(k)
		if err != nil {
			t.Fatal(err)
		}
		found = append(found, ord)
	}
	if len(found) == 0 || len(found) == len(all) {
		t.Fatalf("the search lists %d orders", len(found))
	}
	checkTotals(t, p, "a search", found)

	uitest.TypeInto(p.Search, "no such customer at all")
	j.Drain(t)
	checkTotals(t, p, "a search that finds nothing", nil)

}

// TestFooterTotalsFollowSync: new orders and a refund synced from the
// shop show in the footer's totals once the window reloads, as after
// every sync.
func TestFooterTotalsFollowSync(t *testing.T) {
	b := uitest.OpenBooks(t)
	srv := uitest.StartShop(t, 20)
	sh := uitest.AddShop(t, b, "Demo shop", srv)
	sync := func() {
		t.Helper()
		if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	sync()
	p, s, j := openPage(t, b, 0)
	s.reload()
	j.Drain(t)
	before := storeOrders(t, b, store.OrderFilter{})
	checkTotals(t, p, "before", before)

	srv.Sim.AddOrders(5)
	var refunded *ledger.Order
	for i := range before {
		if o := &before[i]; o.Status == ledger.StatusCompleted && len(o.Refunds) == 0 {
			refunded = o
			break
		}
	}
	if refunded == nil {
		t.Fatal("no completed order to refund")
	}
	if _, err := srv.Sim.AddRefund(refunded.ID, woosim.RefundRequest{Amount: "1.25"}); err != nil {
		t.Fatal(err)
	}
	sync()
	s.reload()
	j.Drain(t)
	after := storeOrders(t, b, store.OrderFilter{})
	if len(after) != len(before)+5 {
		t.Fatalf("%d orders after the sync, want %d", len(after), len(before)+5)
	}
	checkTotals(t, p, "after a sync", after)
	refundedIn := func(totals []store.CurrencyTotals) ledger.Amount {
		for _, ct := range totals {
			if ct.Currency == refunded.Currency {
				return ct.Refunded
			}
		}
		return 0
	}
	if got, was := refundedIn(p.totals.shown), refundedIn(sumsOf(before)); got-was != ledger.MustAmount("1.25") {
		t.Errorf("refunded in %s went from %s to %s after a refund of 1.25", refunded.Currency, was, got)
	}
}

// totalsCounter counts the totals read.
type totalsCounter struct {
	*books.Books
	reads int
}

func (c *totalsCounter) OrderTotals(f store.OrderFilter) ([]store.CurrencyTotals, error) {
	c.reads++
	return c.Books.OrderTotals(f)
}

// TestFooterTotalsReadOnceABurst: requests made while a read runs wait for
// it, and only the last of them is read: a burst of reloads (a sync
// importing page after page) reads twice, and shows the last.
func TestFooterTotalsReadOnceABurst(t *testing.T) {
	b, _, s, j := twoShops(t)
	cb := &totalsCounter{Books: b}
	tot := newListTotals(s, cb)
	tot.request(store.OrderFilter{}, nil)
	for _, st := range []ledger.Status{ledger.StatusProcessing, ledger.StatusCancelled, ledger.StatusCompleted} {
		tot.request(store.OrderFilter{Status: st}, nil)
	}
	j.Drain(t)
	if cb.reads != 2 {
		t.Errorf("%d reads for a burst of 4 requests, want 2", cb.reads)
	}
	if want := sumsOf(storeOrders(t, b, store.OrderFilter{Status: ledger.StatusCompleted})); !slices.Equal(tot.shown, want) {
		t.Errorf("the totals shown are %+v, want the last request's %+v", tot.shown, want)
	}
}

// detailAmounts is the open detail's Amounts section, label by amount.
func detailAmounts(t *testing.T, d *orderDetail) [][2]string {
	t.Helper()
	if d.amounts == nil {
		t.Fatal("the detail has no Amounts section")
	}
	var rows [][2]string
	objs := d.amounts.Objects
	for i := 0; i+1 < len(objs); i += 2 {
		rows = append(rows, [2]string{objs[i].(*widget.Label).Text, objs[i+1].(*widget.Label).Text})
	}
	return rows
}

// TestDetailAmounts opens an order with taxes and a refund: its detail
// shows subtotal, discount, shipping, fees, the tax of each rate, total,
// refunded and net payment, figures taken from the order's own lines, and
// the same in Bulgarian.
func TestDetailAmounts(t *testing.T) {
	b, p, _, j := twoShops(t)
	var o *ledger.Order
	for _, ord := range storeOrders(t, b, store.OrderFilter{}) {
		if len(ord.Refunds) > 0 && len(ord.TaxLines) > 0 && ord.RefundedTotal() < ord.Total {
			o = &ord
			break
		}
	}
	if o == nil {
		t.Fatal("no partly refunded order with taxes among the shops' orders")
	}
	p.open(*o)
	j.Drain(t)
	money := func(a ledger.Amount) string { return i18n.Money(a, o.Currency) }
	var sub, fees, refunded ledger.Amount
	for _, l := range o.Lines {
		sub += l.Subtotal
	}
	for _, f := range o.FeeLines {
		fees += f.Total
	}
	for _, r := range o.Refunds {
		refunded += r.Amount
	}
	want := [][2]string{{"Subtotal", money(sub)}, {"Discount", "−" + money(o.DiscountTotal)}, {"Shipping", money(o.ShippingTotal)}, {"Fees", money(fees)}}
	if o.DiscountTotal == 0 {
		want[1][1] = money(0)
	}
	taxes := ledger.Amount(0)
	for _, tl := range o.TaxLines {
		label, name, pct := "Tax", tl.Label, i18n.Quantity(tl.RatePercent)+"%"
		switch {
		case tl.RatePercent == 0 || strings.Contains(name, pct):
		case name == "":
			name = pct
		default:
			name += " (" + pct + ")"
		}
		if name != "" {
			label = "Tax: " + name
		}
		want = append(want, [2]string{label, money(tl.TaxTotal + tl.ShippingTaxTotal)})
		taxes += tl.TaxTotal + tl.ShippingTaxTotal
	}
	if r := o.Total - (sub - o.DiscountTotal + o.ShippingTotal + fees + taxes); r != 0 {
		want = append(want, [2]string{"Rounding", money(r)})
	}
	want = append(want, [2]string{"Total", money(o.Total)}, [2]string{"Refunded", "−" + money(refunded)}, [2]string{"Net payment", money(o.Total - refunded)})
	if got := detailAmounts(t, p.detail); !slices.Equal(got, want) {
		t.Errorf("the detail's amounts\n %v\nwant\n %v", got, want)
	}

	i18n.SetLanguage("bg")
	p.CloseDetail()
	p.open(*o)
	j.Drain(t)
	got := detailAmounts(t, p.detail)
	var labels []string
	for _, r := range got {
		labels = append(labels, r[0])
	}
	if labels[0] != "Междинна сума" || labels[len(labels)-1] != "Нетно плащане" || !strings.Contains(got[len(got)-1][1], ",") {
		t.Errorf("in Bulgarian the amounts read %v", got)
	}
}

// exportTotals cuts a sheet an export wrote (rows as read back) where its
// orders or lines end, and checks the totals rows after the empty row
// against the footer's totals of the same orders: a row per currency with
// the orders counted, and on the Orders sheet the tax, shipping, fees,
// total and refunded, on the Lines sheet the tax and the gross (the
// orders' totals), read as the numbers stored. It returns the rows before.
func exportTotals(t *testing.T, f *excelize.File, sheet string, rows [][]string, footer []store.CurrencyTotals) [][]string {
	t.Helper()
	end := slices.IndexFunc(rows, func(r []string) bool { return len(r) == 0 })
	if end < 0 {
		t.Fatalf("%s: no empty row before the totals", sheet)
	}
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	totals, header := raw[end+1:], raw[0]
	if len(totals) != len(footer) {
		t.Fatalf("%s: %d totals rows, the footer %d currencies", sheet, len(totals), len(footer))
	}
	col := func(name string) int { return slices.Index(header, name) }
	for i, ct := range footer {
		r := totals[i]
		amount := func(name string) ledger.Amount {
			a, err := ledger.ParseAmount(r[col(name)])
			if err != nil {
				t.Fatalf("%s %s: %v", sheet, name, err)
			}
			return a
		}
		count := fmt.Sprintf("%d orders", ct.Orders)
		if ct.Orders == 1 {
			count = "1 order"
		}
		if r[0] != "Total" || r[col("Currency")] != ct.Currency || r[col("Order number")] != count {
			t.Errorf("%s: totals row %v for %+v", sheet, r, ct)
		}
		if col("Refunded") >= 0 {
			if amount("Tax") != ct.Tax || amount("Shipping") != ct.Shipping || amount("Fees") != ct.Fees ||
				amount("Total") != ct.Total || amount("Refunded") != ct.Refunded {
				t.Errorf("%s: totals row %v, the footer %+v", sheet, r, ct)
			}
		} else if amount("Tax") != ct.Tax || amount("Gross") != ct.Total {
			t.Errorf("%s: totals row %v, the footer %+v", sheet, r, ct)
		}
	}
	return rows[:end]
}
