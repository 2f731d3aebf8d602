package woosim

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// The sales report as WooCommerce 7.9 computes it for GET
// /wc/v3/reports/sales and the legacy /wc-api/v3/reports/sales:
// WC_Report_Sales_By_Date::query_report_data() over the orders and refunds,
// with WC_Admin_Report::calculate_current_range() for the period and the
// REST controllers' per-period totals. Dates are the site's wall clock
// (post_date); like WooCommerce, the report adds currencies together.

// reportRange is a report's period, in site wall-clock seconds (local time
// read as if it were UTC, as current_time('timestamp') gives it).
type reportRange struct {
	start, end int64 // midnights; orders and refunds count from start to the end of end's day
	groupBy    string
	interval   int // chart_interval: periods - 1
}

var reportDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)

// parseReportDate is strtotime() of a date_min/date_max value: its date
// at midnight; ok false for what strtotime() would not read.
func parseReportDate(v string) (int64, bool) {
	if !reportDateRE.MatchString(v) {
		return 0, false
	}
	t, err := time.Parse("2006-01-02", v[:10])
	if err != nil {
		return 0, false
	}
	return t.Unix(), true
}

// calculateRange is WC_Admin_Report::calculate_current_range() for period
// (custom, 7day, month, last_month, year) at the site's wall clock now.
func calculateRange(period, dateMin, dateMax string, now int64) reportRange {
	today := now - (now%day+day)%day
	var r reportRange
	t := time.Unix(today, 0).UTC()
	switch period {
	case "year":
		r.start = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		r.end, r.groupBy = today, "month"
	case "last_month":
		first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 0, -1)
		r.start = time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC).Unix()
		r.end, r.groupBy = last.Unix(), "day"
	case "month":
		r.start = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).Unix()
		r.end, r.groupBy = today, "day"
	case "7day":
		r.start, r.end, r.groupBy = today-6*day, today, "day"
	default: // custom
		r.start = time.Unix(now, 0).UTC().AddDate(-20, 0, 0).Unix()
		if v, ok := parseReportDate(dateMin); ok {
			r.start = max(r.start, v)
		}
		r.end = today
		if v, ok := parseReportDate(dateMax); ok {
			r.end = v
		}
		months := 0
		for m := time.Unix(r.start, 0).UTC().AddDate(0, 1, 0); m.Unix() <= r.end; m = m.AddDate(0, 1, 0) {
			months++
		}
		r.groupBy = "day"
		if months > 3 { // 3 months max for day view
			r.groupBy = "month"
		}
	}
	switch r.groupBy {
	case "day":
		r.interval = int(max(0, math.Ceil(float64(r.end-r.start)/day)))
	default:
		s := time.Unix(r.start, 0).UTC()
		m := time.Date(s.Year(), s.Month(), 1, 0, 0, 0, 0, time.UTC)
		for m = m.AddDate(0, 1, 0); m.Unix() <= r.end; m = m.AddDate(0, 1, 0) {
			r.interval++
		}
	}
	return r
}

// periodKey is a wall-clock time's period as the report keys it.
func (r *reportRange) periodKey(wall int64) string {
	t := time.Unix(wall, 0).UTC()
	if r.groupBy == "day" {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01")
}

func (r *reportRange) contains(wall int64) bool { return wall >= r.start && wall < r.end+day }

// orderFigures are what the report reads of an order's doc.
type orderFigures struct {
	Total, ShippingTotal, CartTax, ShippingTax, Discount money
	Items                                                int64
	Coupons                                              []couponFigure
}

type couponFigure struct {
	code     string
	discount money
}

// figures returns o's report figures, computing them once.
func (s *Sim) figures(o *order) *orderFigures {
	if f := o.figs.Load(); f != nil {
		return f
	}
	d := s.doc(o)
	f := &orderFigures{Total: d.Total, ShippingTotal: d.ShippingTotal, CartTax: d.CartTax, ShippingTax: d.ShippingTax}
	for _, li := range d.Lines {
		f.Items += li.Quantity
	}
	for _, c := range d.Coupons {
		f.Discount += c.Discount
		f.Coupons = append(f.Coupons, couponFigure{c.Code, c.Discount})
	}
	o.figs.Store(f)
	return f
}

// periodTotals is one period of the report's totals.
type periodTotals struct {
	key                            string
	sales, tax, shipping, discount money
	orders, items                  int64
	coupons                        []couponGroup
}

// couponGroup is one coupon code's discounts in a period. The REST
// controllers assign each group's sum to the period's discount in turn
// (=, not +=), ordered by the group's post_date, so the period shows the
// last group's alone: WooCommerce's own slip, kept. A group's post_date
// is its first order's (MySQL's row for a grouped column).
type couponGroup struct {
	code      string
	firstID   int64
	firstWall int64
	sum       money
}

// salesReport is the report's figures.
type salesReport struct {
	rng                                    reportRange
	totalSales, netSales, average          money
	totalTax, totalShipping, totalDiscount money // totalTax with shipping tax, as the APIs give it
	totalOrders, totalItems                int64
	refunds                                []byte // total_refunds as PHP's json_encode() writes the float
	periods                                []periodTotals
}

// salesReportLocked computes the report for r. s.mu must be held (for
// reading at least).
func (s *Sim) salesReportLocked(r reportRange) *salesReport {
	rep := &salesReport{rng: r}
	byKey := map[string]*periodTotals{}
	for i := 0; i <= r.interval; i++ {
		st := time.Unix(r.start, 0).UTC()
		var t time.Time
		if r.groupBy == "day" {
			t = st.AddDate(0, 0, i)
		} else {
			t = st.AddDate(0, i, 0) // strtotime("+i MONTH"): the 31st may skip a month, as in WooCommerce
		}
		rep.periods = append(rep.periods, periodTotals{key: r.periodKey(t.Unix())})
	}
	for i := range rep.periods {
		byKey[rep.periods[i].key] = &rep.periods[i]
	}

	var sales, cartTax, shipTax, shipping, discount money
	var taxRefunded, shipTaxRefunded, shipRefunded, refunded money
	type refundRow struct {
		wall, id int64
		amount   money
	}
	var partial []refundRow
	var full []refundRow
	for _, o := range s.orders {
		counted := false
		switch ledger.Status(o.status) {
		case ledger.StatusCompleted, ledger.StatusProcessing, ledger.StatusOnHold, ledger.StatusRefunded:
			counted = true
		}
		inRange := counted && r.contains(s.wall(o.created, false))
		refundsInRange := false
		for i := range o.refunds {
			if r.contains(s.wall(o.refunds[i].Created, false)) {
				refundsInRange = true
			}
		}
		if !inRange && !refundsInRange {
			continue
		}
		d := s.figures(o)
		if inRange {
			rep.totalOrders++
			sales += d.Total
			cartTax += d.CartTax
			shipTax += d.ShippingTax
			shipping += d.ShippingTotal
			items, disc := d.Items, d.Discount
			wall := s.wall(o.created, false)
			rep.totalItems += items
			discount += disc
			if p := byKey[r.periodKey(wall)]; p != nil {
				p.sales += d.Total
				p.tax += d.CartTax + d.ShippingTax
				p.shipping += d.ShippingTotal
				p.orders++
				p.items += items
				for _, c := range d.Coupons {
					i := slices.IndexFunc(p.coupons, func(g couponGroup) bool { return g.code == c.code })
					if i < 0 {
						p.coupons = append(p.coupons, couponGroup{code: c.code, firstID: o.id, firstWall: wall})
						i = len(p.coupons) - 1
					}
					p.coupons[i].sum += c.discount
				}
			}
		}
		if !refundsInRange {
			continue
		}
		switch ledger.Status(o.status) {
		case ledger.StatusRefunded:
			// A fully refunded order counts once, with its own totals,
			// if any of its refunds falls in the period.
			full = append(full, refundRow{id: o.id, amount: d.Total})
			refunded += d.Total
			taxRefunded += d.CartTax
			shipTaxRefunded += d.ShippingTax
			shipRefunded += d.ShippingTotal
		case ledger.StatusCompleted, ledger.StatusProcessing, ledger.StatusOnHold:
			for i := range o.refunds {
				rf := &o.refunds[i]
				wall := s.wall(rf.Created, false)
				if !r.contains(wall) {
					continue
				}
				partial = append(partial, refundRow{wall: wall, id: rf.ID, amount: rf.Amount})
				refunded += rf.Amount
				for _, l := range rf.Lines {
					if l.Kind == itemShipping {
						shipTaxRefunded += l.Tax
						shipRefunded += l.Total
					} else {
						taxRefunded += l.Tax
					}
				}
			}
		}
	}
	for i := range rep.periods {
		p := &rep.periods[i]
		slices.SortStableFunc(p.coupons, func(a, b couponGroup) int {
			if a.firstWall != b.firstWall {
				return int(a.firstWall - b.firstWall)
			}
			return int(a.firstID - b.firstID)
		})
		if n := len(p.coupons); n > 0 {
			p.discount = p.coupons[n-1].sum
		}
	}
	totalTax := cartTax - taxRefunded
	totalShipTax := shipTax - shipTaxRefunded
	rep.totalShipping = shipping - shipRefunded
	rep.totalSales = sales - refunded
	rep.netSales = rep.totalSales - rep.totalShipping - max(0, totalTax) - max(0, totalShipTax)
	rep.average = ratio(rep.netSales, 1, int64(r.interval)+1)
	rep.totalTax = totalTax + totalShipTax
	rep.totalDiscount = discount

	// total_refunds is a PHP float: the amounts added in the order the
	// queries return them (partial refunds by date, then the fully
	// refunded orders), encoded as json_encode() encodes a float.
	slices.SortFunc(partial, func(a, b refundRow) int {
		if a.wall != b.wall {
			return int(a.wall - b.wall)
		}
		return int(a.id - b.id)
	})
	if len(partial)+len(full) == 0 {
		rep.refunds = []byte("0")
	} else {
		var f float64
		for _, row := range append(partial, full...) {
			v, _ := strconv.ParseFloat(row.amount.String(), 64)
			f += v
		}
		// As jsonWriter.float: a whole amount without ".0", as the
		// captures show PHP floats.
		rep.refunds = strconv.AppendFloat(nil, f, 'f', -1, 64)
	}
	return rep
}

// writeSalesReport writes the report object both dialects share (keys and
// types of samples/*-reports-sales-*.json); the caller closes it.
func writeSalesReport(w *jsonWriter, rep *salesReport) {
	w.raw(`{"total_sales":`)
	w.money(rep.totalSales)
	w.raw(`,"net_sales":`)
	w.money(rep.netSales)
	w.raw(`,"average_sales":`)
	w.money(rep.average)
	w.raw(`,"total_orders":`)
	w.int(rep.totalOrders)
	w.raw(`,"total_items":`)
	w.int(rep.totalItems)
	w.raw(`,"total_tax":`)
	w.money(rep.totalTax)
	w.raw(`,"total_shipping":`)
	w.money(rep.totalShipping)
	w.raw(`,"total_refunds":`)
	w.b = append(w.b, rep.refunds...)
	w.raw(`,"total_discount":`)
	w.money(rep.totalDiscount)
	w.raw(`,"totals_grouped_by":`)
	w.str(rep.rng.groupBy)
	w.raw(`,"totals":{`)
	for i, p := range rep.periods {
		if i > 0 {
			w.raw(",")
		}
		w.str(p.key)
		w.raw(`:{"sales":`)
		w.money(p.sales)
		w.raw(`,"orders":`)
		w.int(p.orders)
		w.raw(`,"items":`)
		w.int(p.items)
		w.raw(`,"tax":`)
		w.money(p.tax)
		w.raw(`,"shipping":`)
		w.money(p.shipping)
		w.raw(`,"discount":`)
		w.money(p.discount)
		w.raw(`,"customers":0}`)
	}
	w.raw(`},"total_customers":0`)
}
