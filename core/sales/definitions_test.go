package sales_test

import (
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

var a = ledger.MustAmount

// order is a VAT 20 % order: net 100 in one line of 2 items, shipping 10
// (+2 tax), total 132, created at created (UTC).
func order(id int64, status ledger.Status, currency, created string) ledger.Order {
	c, _ := time.Parse(time.RFC3339, created)
	return ledger.Order{
		Shop: 1, ID: id, Status: status, Currency: currency, Created: c, Modified: c, Paid: c,
		Total: a("132"), CartTax: a("20"), ShippingTotal: a("10"), ShippingTax: a("2"), TotalTax: a("22"),
		PaymentMethod: "cod", PaymentMethodTitle: "Cash on delivery", Warehouse: 1, CostCenter: 1,
		Lines: []ledger.LineItem{{ID: 1, Quantity: a("2"), Subtotal: a("100"), Total: a("100"), TotalTax: a("20"),
			Taxes: []ledger.LineTax{{RateID: 1, Total: a("20")}}}},
		TaxLines: []ledger.TaxLine{{RateID: 1, Label: "VAT 20%", TaxTotal: a("20"), ShippingTaxTotal: a("2"), RatePercent: a("20")}},
	}
}

// refund is a refund of one item (50 + 10 tax) on date.
func refund(id int64, date string) ledger.Refund {
	c, _ := time.Parse(time.RFC3339, date)
	return ledger.Refund{ID: id, Amount: a("60"), Detailed: true, Created: c,
		Lines:    []ledger.LineItem{{Quantity: a("-1"), Total: a("-50"), TotalTax: a("-10"), Taxes: []ledger.LineTax{{RateID: 1, Total: a("-10")}}}},
		TaxLines: []ledger.TaxLine{{RateID: 1, TaxTotal: a("-10")}},
	}
}

func summarize(q sales.Query, basis ledger.BooksBasis, orders ...ledger.Order) []sales.Group {
	s := sales.NewSummer(q)
	for i := range orders {
		r := sales.FromOrder(&orders[i])
		s.Add(&r, basis, time.UTC)
	}
	return s.Groups()
}

type figures struct {
	orders, items                                         int64
	sales, net, tax, shipping, shippingTax, refunds, fees string
}

func figuresOf(g *sales.Group) figures {
	return figures{g.TotalOrders(), g.TotalItems(), g.TotalSales().String(), g.NetSales().String(), g.TotalTax().String(),
		g.TotalShipping().String(), g.TotalShippingTax().String(), g.TotalRefunds().String(), g.TotalFees().String()}
}

func TestDefinitions(t *testing.T) {
	oct := sales.Query{From: sales.DateDay(2026, 10, 1), To: sales.DateDay(2026, 10, 31)}
	nov := sales.Query{From: sales.DateDay(2026, 11, 1), To: sales.DateDay(2026, 11, 30)}
	sale := figures{1, 2, "132.00", "100.00", "22.00", "10.00", "2.00", "0.00", "0.00"}
	nothing := figures{}
	withRefund := func(o ledger.Order, f ...ledger.Refund) ledger.Order { o.Refunds = f; return o }
	deleted := order(1, ledger.StatusCompleted, "EUR", "2026-10-05T10:00:00Z")
	deleted.Deleted = true
	full := order(1, ledger.StatusRefunded, "EUR", "2026-10-05T10:00:00Z")
	full.Refunds = []ledger.Refund{{ID: 9, Amount: a("132"), Detailed: true, Created: time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)}}
	fullLater := full
	fullLater.Refunds = []ledger.Refund{{ID: 9, Amount: a("132"), Detailed: true, Created: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)}}

	tests := []struct {
		name  string
		q     sales.Query
		order ledger.Order
		want  figures
	}{
		{"completed", oct, order(1, ledger.StatusCompleted, "EUR", "2026-10-05T10:00:00Z"), sale},
		{"processing", oct, order(1, ledger.StatusProcessing, "EUR", "2026-10-05T10:00:00Z"), sale},
		{"on-hold is counted", oct, order(1, ledger.StatusOnHold, "EUR", "2026-10-05T10:00:00Z"), sale},
		{"cancelled is not", oct, order(1, ledger.StatusCancelled, "EUR", "2026-10-05T10:00:00Z"), nothing},
		{"pending is not", oct, order(1, ledger.StatusPending, "EUR", "2026-10-05T10:00:00Z"), nothing},
		{"failed is not", oct, order(1, ledger.StatusFailed, "EUR", "2026-10-05T10:00:00Z"), nothing},
		{"deleted is not", oct, deleted, nothing},
		{"outside the range", nov, order(1, ledger.StatusCompleted, "EUR", "2026-10-05T10:00:00Z"), nothing},
		{"partial refund in the month", oct, withRefund(order(1, ledger.StatusCompleted, "EUR", "2026-10-05T10:00:00Z"), refund(9, "2026-10-09T10:00:00Z")),
			figures{1, 2, "72.00", "50.00", "12.00", "10.00", "2.00", "60.00", "0.00"}},
		{"refund in a later month: not in the order's", oct, withRefund(order(1, ledger.StatusCompleted, "EUR", "2026-10-05T10:00:00Z"), refund(9, "2026-11-09T10:00:00Z")), sale},
		// WooCommerce subtracts tax from net sales only while it is
		// positive: a month of nothing but refunds keeps their tax in.
		{"refund in a later month: in its own", nov, withRefund(order(1, ledger.StatusCompleted, "EUR", "2026-10-05T10:00:00Z"), refund(9, "2026-11-09T10:00:00Z")),
			figures{0, 0, "-60.00", "-60.00", "-10.00", "0.00", "0.00", "60.00", "0.00"}},
		{"refund of a cancelled order is not counted", nov, withRefund(order(1, ledger.StatusCancelled, "EUR", "2026-10-05T10:00:00Z"), refund(9, "2026-11-09T10:00:00Z")), nothing},
		{"fully refunded in its month: sold and refunded", oct, full, figures{1, 2, "0.00", "0.00", "0.00", "0.00", "0.00", "132.00", "0.00"}},
		{"fully refunded later: sold in its month", oct, fullLater, sale},
		{"fully refunded later: the whole order refunded then", nov, fullLater,
			figures{0, 0, "-132.00", "-122.00", "-22.00", "-10.00", "-2.00", "132.00", "0.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			groups := summarize(tt.q, ledger.BasisCreated, tt.order)
			var got figures
			if len(groups) > 0 {
				got = figuresOf(&groups[0])
			}
			if tt.want == nothing && len(groups) != 0 {
				t.Fatalf("counted: %+v", got)
			}
			if tt.want != nothing && got != tt.want {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// A full refund of an order that had a partial refund before counts once,
// on the last refund's date, with the order's totals.
func TestFullRefundAfterPartialCountsOnce(t *testing.T) {
	o := order(1, ledger.StatusRefunded, "EUR", "2026-10-05T10:00:00Z")
	o.Refunds = []ledger.Refund{refund(8, "2026-10-09T10:00:00Z"), refund(9, "2026-11-02T10:00:00Z")}
	o.Refunds[1].Amount = a("72")
	year := sales.Query{From: sales.DateDay(2026, 1, 1), To: sales.DateDay(2026, 12, 31), By: sales.ByMonth}
	g := summarize(year, ledger.BasisCreated, o)[0]
	if g.TotalRefunds().String() != "132.00" || g.TotalSales().String() != "0.00" {
		t.Fatalf("year: refunds %s, sales %s", g.TotalRefunds(), g.TotalSales())
	}
	if p := g.Periods[10]; p.Period != "2026-11" || p.TotalRefunds().String() != "132.00" {
		t.Fatalf("november: %+v", p)
	}
	if p := g.Periods[9]; p.TotalRefunds() != 0 || p.TotalSales().String() != "132.00" {
		t.Fatalf("october: %+v", p)
	}
}

// A Bulgarian shop sold in BGN until 2026-01-01 and in EUR since: one
// shop, two groups, never added together.
func TestCurrencySwitchGivesTwoGroups(t *testing.T) {
	q := sales.Query{From: sales.DateDay(2025, 12, 1), To: sales.DateDay(2026, 1, 31), By: sales.ByMonth}
	groups := summarize(q, ledger.BasisCreated,
		order(1, ledger.StatusCompleted, "BGN", "2025-12-30T10:00:00Z"),
		order(2, ledger.StatusCompleted, "BGN", "2025-12-31T10:00:00Z"),
		order(3, ledger.StatusCompleted, "EUR", "2026-01-02T10:00:00Z"))
	if len(groups) != 2 {
		t.Fatalf("%d groups", len(groups))
	}
	bgn, eur := groups[0], groups[1]
	if bgn.Currency != "BGN" || bgn.TotalSales().String() != "264.00" || bgn.Periods[0].TotalOrders() != 2 || bgn.Periods[1].TotalOrders() != 0 {
		t.Fatalf("BGN: %+v", bgn)
	}
	if eur.Currency != "EUR" || eur.TotalSales().String() != "132.00" || eur.Periods[1].Period != "2026-01" || eur.Periods[1].TotalOrders() != 1 {
		t.Fatalf("EUR: %+v", eur)
	}
}

func TestBasis(t *testing.T) {
	o := order(1, ledger.StatusCompleted, "EUR", "2026-09-30T10:00:00Z")
	o.Paid = time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC)
	o.Completed = time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	unpaid := order(2, ledger.StatusOnHold, "EUR", "2026-10-03T10:00:00Z")
	unpaid.Paid = time.Time{}
	oct := sales.Query{From: sales.DateDay(2026, 10, 1), To: sales.DateDay(2026, 10, 31)}
	for basis, want := range map[ledger.BooksBasis]int64{"": 1, ledger.BasisCreated: 1, ledger.BasisPaid: 1, ledger.BasisCompleted: 0} {
		var got int64
		if g := summarize(oct, basis, o, unpaid); len(g) > 0 {
			got = g[0].TotalOrders()
		}
		if got != want {
			t.Errorf("basis %q: %d orders in October, want %d", basis, got, want)
		}
	}
}

// The shop's time zone decides the day: 23:30 UTC on 31 October is
// 1 November in Sofia.
func TestLocalDay(t *testing.T) {
	o := order(1, ledger.StatusCompleted, "EUR", "2026-10-31T23:30:00Z")
	r := sales.FromOrder(&o)
	s := sales.NewSummer(sales.Query{From: sales.DateDay(2026, 11, 1), To: sales.DateDay(2026, 11, 1)})
	s.Add(&r, ledger.BasisCreated, sofia(t))
	if g := s.Groups(); len(g) != 1 || g[0].TotalOrders() != 1 {
		t.Fatalf("groups %+v", g)
	}
}

func TestDimensionsAndFilters(t *testing.T) {
	o1 := order(1, ledger.StatusCompleted, "EUR", "2026-10-05T10:00:00Z")
	o2 := order(2, ledger.StatusCompleted, "EUR", "2026-10-06T10:00:00Z")
	o2.Warehouse, o2.CostCenter = 2, 3
	o2.FeeLines = []ledger.FeeLine{{Total: a("5")}}
	oct := sales.Query{From: sales.DateDay(2026, 10, 1), To: sales.DateDay(2026, 10, 31)}
	g := summarize(oct, "", o1, o2)[0]
	if len(g.Dimensions) != 2 || g.Dimensions[1].Warehouse != 2 || g.Dimensions[1].CostCenter != 3 || g.Dimensions[1].TotalOrders() != 1 {
		t.Fatalf("dimensions %+v", g.Dimensions)
	}
	if g.TotalFees().String() != "5.00" || g.Dimensions[0].TotalFees() != 0 {
		t.Fatalf("fees %s", g.TotalFees())
	}
	oct.Warehouse = 2
	if g := summarize(oct, "", o1, o2); len(g) != 1 || g[0].TotalOrders() != 1 {
		t.Fatalf("filtered by warehouse: %+v", g)
	}
	if len(g.Taxes) != 1 || g.Taxes[0].Tax.String() != "40.00" || g.Taxes[0].ShippingTax.String() != "4.00" {
		t.Fatalf("taxes %+v", g.Taxes)
	}
}

func TestLegacyTaxLinesSplitShippingTax(t *testing.T) {
	o := order(1, ledger.StatusCompleted, "EUR", "2026-10-05T10:00:00Z")
	o.TaxLines = []ledger.TaxLine{{RateID: 1, Label: "ДДС 20%", TaxTotal: a("22")}} // legacy: cart + shipping
	o.Lines[0].Taxes = nil
	r := sales.FromOrder(&o)
	if len(r.Rates) != 1 || r.Rates[0].Tax.String() != "20.00" || r.Rates[0].ShippingTax.String() != "2.00" ||
		r.Rates[0].Percent.String() != "20.00" || r.Rates[0].Net.String() != "100.00" {
		t.Fatalf("rates %v", r.Rates)
	}
}

func TestRecordRoundTrip(t *testing.T) {
	for _, o := range sampleOrders(t, false) {
		r := sales.FromOrder(&o)
		b := r.Append(nil)
		var got sales.Record
		var dec sales.Decoder
		if err := dec.Decode(o.Shop, o.ID, b, &got); err != nil {
			t.Fatal(err)
		}
		if string(got.Append(nil)) != string(b) {
			t.Fatalf("order %d does not round-trip", o.ID)
		}
		if err := dec.Decode(o.Shop, o.ID, b[:len(b)-1], &got); err == nil {
			t.Fatalf("order %d: a truncated record decodes", o.ID)
		}
	}
}

// Zone's quick path agrees with the calendar across a year of Sofia's
// offsets, daylight saving changes included, and before 1970.
func TestZoneDay(t *testing.T) {
	loc := sofia(t)
	z := sales.NewZone(loc)
	for s := int64(-86400 * 3); s < 86400*3; s += 3517 {
		if got, want := z.Day(s), sales.DayOf(s, loc); got != want {
			t.Fatalf("%d: %v, want %v", s, got, want)
		}
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for s := start; s < start+366*86400; s += 1793 {
		if got, want := z.Day(s), sales.DayOf(s, loc); got != want {
			t.Fatalf("%s: %v, want %v", time.Unix(s, 0).In(loc), got, want)
		}
	}
}
