package sales_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// sampleDir holds one real month of a WooCommerce 7.9 shop (Europe/Sofia,
// VAT 20/9 % and 19/7 %, coupons, a COD fee, partial and full refunds):
// the shop's own sales report here, its orders and refunds beside core/woo's
// decoders; see the README.
const (
	sampleDir = "testdata/books-2026-10"
	ordersDir = "../woo/testdata/books-2026-10"
)

// sampleOrders decodes the captured orders and their refunds with
// core/woo's decoders, in the dialect given, as a sync stores them.
func sampleOrders(t testing.TB, legacy bool) []ledger.Order {
	t.Helper()
	prefix := "wc-v3-"
	if legacy {
		prefix = "legacy-v3-"
	}
	var bodies []json.RawMessage
	var refunds map[string]json.RawMessage
	for name, v := range map[string]any{prefix + "orders.json": &bodies, prefix + "refunds-by-order.json": &refunds} {
		raw, err := os.ReadFile(filepath.Join(ordersDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	orders := make([]ledger.Order, 0, len(bodies))
	for _, b := range bodies {
		decode, decodeRefunds := woo.DecodeOrder, woo.DecodeRefunds
		if legacy {
			decode, decodeRefunds = woo.DecodeLegacyOrder, woo.DecodeLegacyRefunds
		}
		o, err := decode(b)
		if err != nil {
			t.Fatal(err)
		}
		o.Shop = 1
		if raw, ok := refunds[strconv.FormatInt(o.ID, 10)]; ok {
			if o.Refunds, err = decodeRefunds(raw); err != nil {
				t.Fatal(err)
			}
			woo.DeriveRefundTaxes(&o)
		}
		orders = append(orders, o)
	}
	return orders
}

type wcReport struct {
	TotalSales    string           `json:"total_sales"`
	NetSales      string           `json:"net_sales"`
	TotalOrders   int64            `json:"total_orders"`
	TotalItems    int64            `json:"total_items"`
	TotalTax      string           `json:"total_tax"`
	TotalShipping string           `json:"total_shipping"`
	TotalRefunds  json.Number      `json:"total_refunds"`
	TotalDiscount string           `json:"total_discount"`
	Totals        map[string]wcDay `json:"totals"`
}

type wcDay struct {
	Sales    string `json:"sales"`
	Orders   int64  `json:"orders"`
	Items    int64  `json:"items"`
	Tax      string `json:"tax"`
	Shipping string `json:"shipping"`
}

func sofia(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func day(t testing.TB, s string) sales.Day {
	d, err := sales.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestOctober2026MatchesTheShopsReport reproduces WooCommerce's own report
// of the captured month, figure by figure, to the cent, through the stored
// form of the records.
func TestOctober2026MatchesTheShopsReport(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(sampleDir, "wc-v3-reports-sales.json"))
	if err != nil {
		t.Fatal(err)
	}
	var reports []wcReport
	if err := json.Unmarshal(raw, &reports); err != nil || len(reports) != 1 {
		t.Fatalf("report: %v", err)
	}
	want := reports[0]

	s := sales.NewSummer(sales.Query{From: day(t, "2026-10-01"), To: day(t, "2026-10-31"), By: sales.ByDay})
	var dec sales.Decoder
	var rec sales.Record
	for _, o := range sampleOrders(t, false) {
		r := sales.FromOrder(&o)
		if err := dec.Decode(o.Shop, o.ID, r.Append(nil), &rec); err != nil {
			t.Fatal(err)
		}
		s.Add(&rec, ledger.BasisCreated, sofia(t))
	}
	groups := s.Groups()
	if len(groups) != 1 || groups[0].Currency != "EUR" {
		t.Fatalf("groups: %+v", groups)
	}
	g := groups[0]
	check := func(name, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %s, the shop's report says %s", name, got, want)
		}
	}
	check("total_sales", g.TotalSales().String(), want.TotalSales)
	check("net_sales", g.NetSales().String(), want.NetSales)
	check("total_tax", g.TotalTax().String(), want.TotalTax)
	check("total_shipping", g.TotalShipping().String(), want.TotalShipping)
	check("total_refunds", g.TotalRefunds().String(), ledger.MustAmount(want.TotalRefunds.String()).String())
	check("total_orders", strconv.FormatInt(g.TotalOrders(), 10), strconv.FormatInt(want.TotalOrders, 10))
	check("total_items", strconv.FormatInt(g.TotalItems(), 10), strconv.FormatInt(want.TotalItems, 10))
	// The coupons' rounded discounts happen to add up to the report's
	// unrounded sum this month; the orders' discount_total do not.
	check("total_discount", g.TotalDiscount().String(), want.TotalDiscount)
	if g.Discount.String() != "35.35" {
		t.Errorf("the orders' discount_total add up to %s, the README says 35.35", g.Discount)
	}
	if d := g.TotalDiscount() - sales.Cents(g.Discount); d < 0 || d > ledger.MustAmount("0.01") {
		t.Errorf("discount difference %s", d)
	}

	// The report's per-day rows are gross: the orders' totals, tax with
	// shipping tax, and shipping, on their created day.
	for _, p := range g.Periods {
		w, ok := want.Totals[p.Period]
		if !ok {
			t.Fatalf("the report has no day %s", p.Period)
		}
		check(p.Period+" sales", sales.Cents(p.Gross).String(), w.Sales)
		check(p.Period+" tax", sales.Cents(p.Tax+p.ShippingTax).String(), w.Tax)
		check(p.Period+" shipping", sales.Cents(p.Shipping).String(), w.Shipping)
		check(p.Period+" orders", strconv.FormatInt(p.Orders, 10), strconv.FormatInt(w.Orders, 10))
		check(p.Period+" items", strconv.FormatInt(p.TotalItems(), 10), strconv.FormatInt(w.Items, 10))
	}
	if len(g.Periods) != len(want.Totals) {
		t.Errorf("%d days, the report %d", len(g.Periods), len(want.Totals))
	}

	// Every rate's tax adds up to the total, and so do the methods.
	var tax, methods ledger.Amount
	for _, r := range g.Taxes {
		tax += r.Tax + r.ShippingTax - r.RefundedTax
		if r.Percent == 0 || r.Label == "" {
			t.Errorf("rate %+v lacks its percent or label", r)
		}
	}
	if sales.Cents(tax) != g.TotalTax() {
		t.Errorf("taxes per rate add up to %s, total_tax %s", tax, g.TotalTax())
	}
	for _, m := range g.Methods {
		methods += m.Sales - m.Refunds
	}
	if methods != g.TotalSales() {
		t.Errorf("payment methods add up to %s, total_sales %s", methods, g.TotalSales())
	}
	if len(g.Methods) != 3 {
		t.Errorf("methods %+v, want cod, bacs, stripe", g.Methods)
	}
}

// The same month through the Legacy REST API: its tax lines add cart and
// shipping tax together and its refunds carry line items only, and the
// report still comes out to the cent.
func TestOctober2026LegacyMatchesTheShopsReport(t *testing.T) {
	var report struct{ Sales wcReport }
	raw, err := os.ReadFile(filepath.Join(sampleDir, "legacy-v3-reports-sales.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatal(err)
	}
	s := sales.NewSummer(sales.Query{From: day(t, "2026-10-01"), To: day(t, "2026-10-31")})
	for _, o := range sampleOrders(t, true) {
		r := sales.FromOrder(&o)
		s.Add(&r, ledger.BasisCreated, sofia(t))
	}
	g := s.Groups()[0]
	want := report.Sales
	for _, f := range []struct{ name, got, want string }{
		{"total_sales", g.TotalSales().String(), want.TotalSales},
		{"net_sales", g.NetSales().String(), want.NetSales},
		{"total_tax", g.TotalTax().String(), want.TotalTax},
		{"total_shipping", g.TotalShipping().String(), want.TotalShipping},
		{"total_discount", g.TotalDiscount().String(), want.TotalDiscount},
		{"total_refunds", g.TotalRefunds().String(), ledger.MustAmount(want.TotalRefunds.String()).String()},
	} {
		if f.got != f.want {
			t.Errorf("%s = %s, the shop's report says %s", f.name, f.got, f.want)
		}
	}
	if g.TotalOrders() != want.TotalOrders || g.TotalItems() != want.TotalItems {
		t.Errorf("orders %d, items %d; the report %d, %d", g.TotalOrders(), g.TotalItems(), want.TotalOrders, want.TotalItems)
	}
	var tax ledger.Amount
	for _, r := range g.Taxes {
		tax += r.Tax + r.ShippingTax - r.RefundedTax
	}
	if sales.Cents(tax) != g.TotalTax() {
		t.Errorf("taxes per rate add up to %s, total_tax %s", tax, g.TotalTax())
	}
}
