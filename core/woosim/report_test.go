package woosim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// reportJSON is the sales report as both dialects give it.
type reportJSON struct {
	TotalSales    string                      `json:"total_sales"`
	NetSales      string                      `json:"net_sales"`
	AverageSales  string                      `json:"average_sales"`
	TotalOrders   int64                       `json:"total_orders"`
	TotalItems    int64                       `json:"total_items"`
	TotalTax      string                      `json:"total_tax"`
	TotalShipping string                      `json:"total_shipping"`
	TotalRefunds  json.Number                 `json:"total_refunds"`
	TotalDiscount string                      `json:"total_discount"`
	GroupedBy     string                      `json:"totals_grouped_by"`
	Totals        map[string]reportPeriodJSON `json:"totals"`
}

type reportPeriodJSON struct {
	Sales    string `json:"sales"`
	Orders   int64  `json:"orders"`
	Items    int64  `json:"items"`
	Tax      string `json:"tax"`
	Shipping string `json:"shipping"`
	Discount string `json:"discount"`
}

// reportOrder is what the independent computation reads of an order.
type reportOrder struct {
	ID            int64  `json:"id"`
	Status        string `json:"status"`
	Created       string `json:"date_created"`
	Total         string `json:"total"`
	ShippingTotal string `json:"shipping_total"`
	ShippingTax   string `json:"shipping_tax"`
	CartTax       string `json:"cart_tax"`
	LineItems     []struct {
		Quantity int64 `json:"quantity"`
	} `json:"line_items"`
	CouponLines []struct {
		Code     string `json:"code"`
		Discount string `json:"discount"`
	} `json:"coupon_lines"`
	Refunds []struct {
		ID int64 `json:"id"`
	} `json:"refunds"`
}

// expectedReport computes the report for [from, to] (local dates) from
// the orders and refunds as the API gives them, by the definitions of
// WooCommerce's report (PROTOCOL.md), independently of the simulator's
// own computation.
func expectedReport(t *testing.T, orders []reportOrder, refunds map[int64][]wcRefund, from, to string, byMonth bool) reportJSON {
	t.Helper()
	in := func(local string) bool { d := local[:10]; return d >= from && d <= to }
	key := func(local string) string {
		if byMonth {
			return local[:7]
		}
		return local[:10]
	}
	var sales, cartTax, shipTax, ship, disc, refunded, taxRef, shipTaxRef, shipRef int64
	var rep reportJSON
	periods := map[string]*[6]int64{}
	// Per period, the discount of the coupon code whose first order came
	// last (WooCommerce assigns each code's sum in turn).
	type lastCoupon struct {
		sums   map[string]int64
		firsts map[string]string
	}
	couponsIn := map[string]*lastCoupon{}
	counted := map[string]bool{"completed": true, "processing": true, "on-hold": true, "refunded": true}
	for _, o := range orders {
		if counted[o.Status] && in(o.Created) {
			rep.TotalOrders++
			sales += cents(t, o.Total)
			cartTax += cents(t, o.CartTax)
			shipTax += cents(t, o.ShippingTax)
			ship += cents(t, o.ShippingTotal)
			var items, d int64
			for _, li := range o.LineItems {
				items += li.Quantity
			}
			for _, c := range o.CouponLines {
				d += cents(t, c.Discount)
			}
			rep.TotalItems += items
			disc += d
			p := periods[key(o.Created)]
			if p == nil {
				p = &[6]int64{}
				periods[key(o.Created)] = p
			}
			p[0] += cents(t, o.Total)
			p[1]++
			p[2] += items
			p[3] += cents(t, o.CartTax) + cents(t, o.ShippingTax)
			p[4] += cents(t, o.ShippingTotal)
			lc := couponsIn[key(o.Created)]
			if lc == nil {
				lc = &lastCoupon{sums: map[string]int64{}, firsts: map[string]string{}}
				couponsIn[key(o.Created)] = lc
			}
			for _, c := range o.CouponLines {
				lc.sums[c.Code] += cents(t, c.Discount)
				if f, ok := lc.firsts[c.Code]; !ok || o.Created < f {
					lc.firsts[c.Code] = o.Created
				}
			}
		}
		fullCounted := false
		for _, rf := range refunds[o.ID] {
			if !in(rf.Created) {
				continue
			}
			switch o.Status {
			case "refunded":
				if !fullCounted {
					fullCounted = true
					refunded += cents(t, o.Total)
					taxRef += cents(t, o.CartTax)
					shipTaxRef += cents(t, o.ShippingTax)
					shipRef += cents(t, o.ShippingTotal)
				}
			case "completed", "processing", "on-hold":
				refunded += cents(t, rf.Amount)
				for _, tl := range rf.TaxLines {
					taxRef -= cents(t, tl.Tax)
					shipTaxRef -= cents(t, tl.Shipping)
				}
				for _, sl := range rf.Shipping {
					shipRef -= cents(t, sl.Total)
				}
			}
		}
	}
	f := func(c int64) string { return money(c).String() }
	totalTax, totalShipTax := cartTax-taxRef, shipTax-shipTaxRef
	totalSales := sales - refunded
	net := totalSales - (ship - shipRef) - max(0, totalTax) - max(0, totalShipTax)
	rep.TotalSales, rep.NetSales = f(totalSales), f(net)
	rep.TotalTax, rep.TotalShipping, rep.TotalDiscount = f(totalTax+totalShipTax), f(ship-shipRef), f(disc)
	rep.TotalRefunds = json.Number(strconv.FormatFloat(float64(refunded)/100, 'f', -1, 64))
	rep.Totals = map[string]reportPeriodJSON{}
	for k, lc := range couponsIn {
		last := ""
		for code, first := range lc.firsts {
			if last == "" || first > lc.firsts[last] || (first == lc.firsts[last] && code > last) {
				last = code
			}
		}
		if last != "" {
			periods[k][5] = lc.sums[last]
		}
	}
	for k, p := range periods {
		rep.Totals[k] = reportPeriodJSON{Sales: f(p[0]), Orders: p[1], Items: p[2], Tax: f(p[3]), Shipping: f(p[4]), Discount: f(p[5])}
	}
	return rep
}

func allOrders(t *testing.T, s *shop) ([]reportOrder, map[int64][]wcRefund) {
	t.Helper()
	var orders []reportOrder
	for page := 1; ; page++ {
		r := s.get(fmt.Sprintf("/wp-json/wc/v3/orders?per_page=100&page=%d", page))
		var batch []reportOrder
		r.json(t, &batch)
		orders = append(orders, batch...)
		if len(batch) < 100 {
			break
		}
	}
	refunds := map[int64][]wcRefund{}
	for _, o := range orders {
		if len(o.Refunds) > 0 {
			refunds[o.ID], _ = s.refunds(o.ID)
		}
	}
	return orders, refunds
}

func compareReport(t *testing.T, name string, got, want reportJSON) {
	t.Helper()
	if got.TotalSales != want.TotalSales || got.NetSales != want.NetSales || got.TotalOrders != want.TotalOrders ||
		got.TotalItems != want.TotalItems || got.TotalTax != want.TotalTax || got.TotalShipping != want.TotalShipping ||
		got.TotalDiscount != want.TotalDiscount {
		t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
	}
	g, _ := got.TotalRefunds.Float64()
	w, _ := want.TotalRefunds.Float64()
	if fmt.Sprintf("%.2f", g) != fmt.Sprintf("%.2f", w) {
		t.Errorf("%s: total_refunds %s, want %s", name, got.TotalRefunds, want.TotalRefunds)
	}
	for k, p := range got.Totals {
		wp, ok := want.Totals[k]
		if !ok {
			wp = reportPeriodJSON{Sales: "0.00", Tax: "0.00", Shipping: "0.00", Discount: "0.00"}
		}
		if p != wp {
			t.Errorf("%s %s: %+v, want %+v", name, k, p, wp)
		}
	}
	for k := range want.Totals {
		if _, ok := got.Totals[k]; !ok {
			t.Errorf("%s: no period %s", name, k)
		}
	}
}

// The report of both dialects equals the figures computed from the orders
// and refunds by WooCommerce's definitions, for a month (by day) and a
// year (by month), with refunds added after the orders, partial ones that
// later become full, across the BGN → EUR switch.
func TestSalesReportMatchesOrders(t *testing.T) {
	o := vatOptions(t, 500)
	s := startShop(t, o, true)
	loc := sofia(t)
	// Refunds in October 2026 of orders from earlier months: a partial
	// refund, then the rest, and an amount-only one.
	var picked []int64
	for id := int64(1); id <= 500 && len(picked) < 6; id++ {
		or := s.order(id)
		if or.Status == "completed" && len(or.Refunds) == 0 && strings.HasPrefix(or.Created, "2026-0") {
			picked = append(picked, id)
		}
	}
	if len(picked) < 6 {
		t.Fatalf("only %d orders to refund", len(picked))
	}
	oct := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, loc) }
	for i, id := range picked {
		or := s.order(id)
		var err error
		switch i % 3 {
		case 0:
			_, err = s.srv.Sim.AddRefund(id, RefundRequest{At: oct(3+i, 10), Items: []RefundItem{{ID: or.LineItems[0].ID, Quantity: 1}}, Reason: "Повреден артикул"})
			if err == nil && s.order(id).Status != "refunded" {
				_, err = s.srv.Sim.AddRefund(id, RefundRequest{At: oct(20+i, 23), All: true, Reason: "Върната пратка"})
			}
		case 1:
			_, err = s.srv.Sim.AddRefund(id, RefundRequest{At: oct(1, 0), Amount: "1.50"})
		case 2:
			_, err = s.srv.Sim.AddRefund(id, RefundRequest{At: oct(31, 23).Add(59 * time.Minute), All: true})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	orders, refunds := allOrders(t, s)
	for _, c := range []struct {
		query, from, to string
		byMonth         bool
	}{
		{"date_min=2026-10-01&date_max=2026-10-31", "2026-10-01", "2026-10-31", false},
		{"date_min=2025-12-01&date_max=2026-01-31", "2025-12-01", "2026-01-31", false},
		{"date_min=2026-01-01&date_max=2026-11-30", "2026-01-01", "2026-11-30", true},
	} {
		want := expectedReport(t, orders, refunds, c.from, c.to, c.byMonth)
		r := s.get("/wp-json/wc/v3/reports/sales?" + c.query)
		var got []reportJSON
		r.json(t, &got)
		if len(got) != 1 {
			t.Fatalf("%s: %s", c.query, r.body)
		}
		compareReport(t, "wc/v3 "+c.query, got[0], want)
		if wantBy := map[bool]string{false: "day", true: "month"}[c.byMonth]; got[0].GroupedBy != wantBy {
			t.Errorf("%s grouped by %s", c.query, got[0].GroupedBy)
		}
		lq := strings.ReplaceAll(strings.ReplaceAll(c.query, "date_min", "filter[date_min]"), "date_max", "filter[date_max]")
		var legacy struct {
			Sales reportJSON `json:"sales"`
		}
		s.get("/wc-api/v3/reports/sales?"+lq).json(t, &legacy)
		compareReport(t, "legacy "+c.query, legacy.Sales, want)
		if want.TotalOrders == 0 {
			t.Errorf("%s: no orders", c.query)
		}
	}
}

// The report has the keys and types of the real shop's, in both dialects.
func TestSalesReportShapeMatchesCaptures(t *testing.T) {
	s := startShop(t, vatOptions(t, 300), true)
	for _, c := range []struct{ path, sample string }{
		{"/wp-json/wc/v3/reports/sales?date_min=2026-10-01&date_max=2026-10-31", "wc-v3-reports-sales-2026-11.json"},
		{"/wc-api/v3/reports/sales?filter[date_min]=2026-10-01&filter[date_max]=2026-10-31", "legacy-v3-reports-sales-2026-11.json"},
	} {
		r := s.get(c.path)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", c.path, r.status, r.body)
		}
		got, want := parseJSON(t, r.body), parseJSON(t, booksSample(t, c.sample))
		rep, wrep := got, want
		if got.kind == "array" {
			rep, wrep = got.elems[0], want.elems[0]
		} else {
			rep, wrep = got.vals["sales"], want.vals["sales"]
		}
		totals, wtotals := rep.vals["totals"], wrep.vals["totals"]
		if len(totals.keys) != 31 || totals.keys[0] != "2026-10-01" || totals.keys[30] != "2026-10-31" {
			t.Errorf("%s: periods %v", c.path, totals.keys)
		}
		for _, k := range totals.keys {
			sameShape(t, ".totals."+k, totals.vals[k], wtotals.vals[wtotals.keys[0]], nil)
		}
		rep.vals["totals"] = wtotals
		sameShape(t, "", got, want, nil)
	}
	// A long range is grouped by month; period=last_month by day.
	var long []reportJSON
	s.get("/wp-json/wc/v3/reports/sales?date_min=2026-01-15&date_max=2026-11-30").json(t, &long)
	if long[0].GroupedBy != "month" || len(long[0].Totals) != 11 {
		t.Errorf("long range: %s with %d periods", long[0].GroupedBy, len(long[0].Totals))
	}
	var last []reportJSON
	s.get("/wp-json/wc/v3/reports/sales?period=last_month").json(t, &last)
	if last[0].GroupedBy != "day" || len(last[0].Totals) != 31 { // testNow is in November 2026
		t.Errorf("last_month: %s with %d periods", last[0].GroupedBy, len(last[0].Totals))
	}
	if r := s.get("/wp-json/wc/v3/reports/sales?date_min=2026-1-1"); r.status != 400 {
		t.Errorf("bad date_min: %d %s", r.status, r.body)
	}
}

// The independent computation above reproduces a real WooCommerce 7.9
// shop's report of October 2026 from its orders and refunds (captured in
// testdata/books/books-2026-10), every figure and every day. (It sums the
// coupon lines' discounts, as the report does; the orders' rounded
// discount_total add up to a cent less.)
func TestExpectedReportMatchesRealShop(t *testing.T) {
	var orders []reportOrder
	if err := json.Unmarshal(booksSample(t, "books-2026-10/wc-v3-orders.json"), &orders); err != nil {
		t.Fatal(err)
	}
	var refunds map[int64][]wcRefund
	if err := json.Unmarshal(booksSample(t, "books-2026-10/wc-v3-refunds-by-order.json"), &refunds); err != nil {
		t.Fatal(err)
	}
	var real []reportJSON
	if err := json.Unmarshal(booksSample(t, "books-2026-10/wc-v3-reports-sales.json"), &real); err != nil {
		t.Fatal(err)
	}
	want := expectedReport(t, orders, refunds, "2026-10-01", "2026-10-31", false)
	compareReport(t, "real shop", real[0], want)
	if real[0].TotalRefunds.String() != want.TotalRefunds.String() || want.TotalOrders != 16 {
		t.Errorf("total_refunds %s, want %s; %d orders", real[0].TotalRefunds, want.TotalRefunds, want.TotalOrders)
	}
}
