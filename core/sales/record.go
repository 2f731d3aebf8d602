// Package sales holds what the books need of each order — a compact
// Record kept beside the order in the store — and turns records into
// period totals by WooCommerce 7.9's sales-report definitions
// (includes/admin/reports/class-wc-report-sales-by-date.php and the
// REST reports/sales controller). It imports no storage: the store writes
// records, and whoever reads them feeds a Summer.
package sales

import (
	"strconv"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Record is one order as the books see it. Amounts are as the shop sent
// them; refund figures are positive. Times are Unix seconds (0: not set).
type Record struct {
	Shop    ledger.ShopID
	ID      int64
	Status  ledger.Status
	Deleted bool

	Currency    string
	Method      string // payment method id
	MethodTitle string
	Warehouse   ledger.WarehouseID
	CostCenter  ledger.CostCenterID

	Created, Paid, Completed, Modified int64

	Total       ledger.Amount
	CartTax     ledger.Amount // cart and fee tax
	Shipping    ledger.Amount
	ShippingTax ledger.Amount
	Discount    ledger.Amount // the order's discount_total (rounded)
	Coupons     ledger.Amount // Σ coupon lines' discount: what WooCommerce's report sums
	Fees        ledger.Amount // Σ fee lines, net of tax
	Items       ledger.Amount // Σ line quantities

	Rates   []Rate
	Refunds []Refund
}

// Rate is an order's (or a refund's) figures for one tax rate. ID 0 holds
// lines that carry no tax.
type Rate struct {
	ID          int64
	Label       string
	Percent     ledger.Amount
	Tax         ledger.Amount // cart and fee tax at this rate
	ShippingTax ledger.Amount
	Net         ledger.Amount // the line items' totals (after discounts) taxed at this rate
	Gross       ledger.Amount // the same lines' subtotals (before discounts)
}

// Refund is one refund of the order, its figures positive.
type Refund struct {
	ID          int64
	Date        int64 // 0 when the detail was not fetched yet
	Amount      ledger.Amount
	Tax         ledger.Amount
	Shipping    ledger.Amount
	ShippingTax ledger.Amount
	Fees        ledger.Amount
	Items       ledger.Amount
	Rates       []Rate // Tax, ShippingTax and Net per rate
	// SplitUnknown: the shop did not say how part of the amount splits
	// (ledger.Refund.TaxSplitUnknown); the journal books that part apart,
	// without VAT, instead of calling it rounding.
	SplitUnknown bool
}

// FromOrder makes the record of o.
func FromOrder(o *ledger.Order) Record {
	r := Record{
		Shop: o.Shop, ID: o.ID, Status: o.Status, Deleted: o.Deleted,
		Currency: o.Currency, Method: o.PaymentMethod, MethodTitle: o.PaymentMethodTitle,
		Warehouse: o.Warehouse, CostCenter: o.CostCenter,
		Created: unix(o.Created), Paid: unix(o.Paid), Completed: unix(o.Completed), Modified: unix(o.Modified),
		Total: o.Total, CartTax: o.CartTax, Shipping: o.ShippingTotal, ShippingTax: o.ShippingTax,
		Discount: o.DiscountTotal,
	}
	for _, c := range o.CouponLines {
		r.Coupons += c.Discount
	}
	for _, f := range o.FeeLines {
		r.Fees += f.Total
	}
	for _, t := range o.TaxLines {
		rate := r.rate(t.RateID, t.Label, t.RatePercent, t.RateCode)
		rate.Tax += t.TaxTotal
		rate.ShippingTax += t.ShippingTaxTotal
	}
	r.splitShippingTax(o)
	for i := range o.Lines {
		l := &o.Lines[i]
		r.Items += l.Quantity
		rate := r.rate(pickRate(l.Taxes, l.Total, l.TotalTax, r.Rates), "", 0, "")
		rate.Net += l.Total
		rate.Gross += l.Subtotal
	}
	for i := range o.Refunds {
		r.Refunds = append(r.Refunds, refundOf(&o.Refunds[i], r.Rates))
	}
	return r
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// rate finds or adds the rate with id, filling in what it learns of it.
func (r *Record) rate(id int64, label string, percent ledger.Amount, code string) *Rate {
	return findRate(&r.Rates, id, label, percent, code)
}

func findRate(rates *[]Rate, id int64, label string, percent ledger.Amount, code string) *Rate {
	for i := range *rates {
		if (*rates)[i].ID == id {
			return &(*rates)[i]
		}
	}
	if percent == 0 {
		if percent = percentIn(label); percent == 0 {
			percent = percentIn(code)
		}
	}
	*rates = append(*rates, Rate{ID: id, Label: label, Percent: percent})
	return &(*rates)[len(*rates)-1]
}

// percentIn reads "20" out of "ДДС 20%" or "BG-ДДС 20%-1": the legacy API
// gives a rate's label and code but not its percent.
func percentIn(s string) ledger.Amount {
	i := strings.IndexByte(s, '%')
	if i <= 0 {
		return 0
	}
	j := i
	for j > 0 && (s[j-1] >= '0' && s[j-1] <= '9' || s[j-1] == '.' || s[j-1] == ',') {
		j--
	}
	a, err := ledger.ParseAmount(strings.ReplaceAll(s[j:i], ",", "."))
	if err != nil {
		return 0
	}
	return a
}

// splitShippingTax separates the shipping tax per rate where the shop
// gave it only in the order's total (the legacy API's tax lines add cart
// and shipping tax together): from the shipping lines' taxes if they have
// them, else to the rate whose percent of the shipping comes closest.
func (r *Record) splitShippingTax(o *ledger.Order) {
	if r.ShippingTax == 0 || len(r.Rates) == 0 {
		return
	}
	var cart, ship ledger.Amount
	for _, t := range r.Rates {
		cart += t.Tax
		ship += t.ShippingTax
	}
	if ship != 0 || cart != r.CartTax+r.ShippingTax {
		return
	}
	moved := false
	for _, s := range o.ShippingLines {
		for _, t := range s.Taxes {
			rate := r.rate(t.RateID, "", 0, "")
			rate.Tax -= t.Total
			rate.ShippingTax += t.Total
			moved = true
		}
	}
	if moved {
		return
	}
	best := 0
	for i, t := range r.Rates {
		if absDiff(mulPercent(r.Shipping, t.Percent), r.ShippingTax) < absDiff(mulPercent(r.Shipping, r.Rates[best].Percent), r.ShippingTax) {
			best = i
		}
	}
	r.Rates[best].Tax -= r.ShippingTax
	r.Rates[best].ShippingTax = r.ShippingTax
}

// pickRate says which rate a line's net amount is booked at: the rate of
// its largest tax, no rate (0) for an untaxed line, and for a line without
// per-rate taxes (legacy API) the rate whose percent matches its tax best.
func pickRate(taxes []ledger.LineTax, total, totalTax ledger.Amount, rates []Rate) int64 {
	var id int64
	var largest ledger.Amount
	for _, t := range taxes {
		if a := abs(t.Total); a > largest {
			id, largest = t.RateID, a
		}
	}
	if largest != 0 || len(taxes) > 0 || totalTax == 0 {
		return id
	}
	best, bestDiff := int64(0), ledger.Amount(-1)
	for _, r := range rates {
		if r.ID == 0 {
			continue
		}
		d := absDiff(mulPercent(total, r.Percent), totalTax)
		if bestDiff < 0 || d < bestDiff {
			best, bestDiff = r.ID, d
		}
	}
	return best
}

func refundOf(f *ledger.Refund, orderRates []Rate) Refund {
	r := Refund{ID: f.ID, Date: unix(f.Created), Amount: f.Amount, SplitUnknown: f.TaxSplitUnknown}
	for _, t := range f.TaxLines {
		rate := findRate(&r.Rates, t.RateID, t.Label, t.RatePercent, t.RateCode)
		rate.Tax += abs(t.TaxTotal)
		rate.ShippingTax += abs(t.ShippingTaxTotal)
		r.Tax += abs(t.TaxTotal)
		r.ShippingTax += abs(t.ShippingTaxTotal)
	}
	// Percents for lines without per-rate taxes come from the order.
	lookup := append(append([]Rate(nil), r.Rates...), orderRates...)
	for i := range f.Lines {
		l := &f.Lines[i]
		r.Items += abs(l.Quantity)
		id := pickRate(l.Taxes, l.Total, l.TotalTax, lookup)
		rate := findRate(&r.Rates, id, labelOf(id, orderRates), percentOf(id, orderRates), "")
		rate.Net += abs(l.Total)
		rate.Gross += abs(l.Subtotal)
		if len(f.TaxLines) == 0 {
			rate.Tax += abs(l.TotalTax)
			r.Tax += abs(l.TotalTax)
		}
	}
	for _, s := range f.ShippingLines {
		r.Shipping += abs(s.Total)
		if len(f.TaxLines) == 0 {
			r.ShippingTax += abs(s.TotalTax)
			for _, t := range s.Taxes {
				findRate(&r.Rates, t.RateID, labelOf(t.RateID, orderRates), percentOf(t.RateID, orderRates), "").ShippingTax += abs(t.Total)
			}
		}
	}
	for _, fee := range f.FeeLines {
		r.Fees += abs(fee.Total)
		if len(f.TaxLines) == 0 {
			r.Tax += abs(fee.TotalTax)
			for _, t := range fee.Taxes {
				findRate(&r.Rates, t.RateID, labelOf(t.RateID, orderRates), percentOf(t.RateID, orderRates), "").Tax += abs(t.Total)
			}
		}
	}
	return r
}

func labelOf(id int64, rates []Rate) string {
	for _, r := range rates {
		if r.ID == id {
			return r.Label
		}
	}
	return ""
}

func percentOf(id int64, rates []Rate) ledger.Amount {
	for _, r := range rates {
		if r.ID == id {
			return r.Percent
		}
	}
	return 0
}

// mulPercent is a × p %, rounded to the cent.
func mulPercent(a, p ledger.Amount) ledger.Amount {
	return Cents(ledger.Amount(int64(a) * int64(p) / 1_000_000))
}

func abs(a ledger.Amount) ledger.Amount {
	if a < 0 {
		return -a
	}
	return a
}

func absDiff(a, b ledger.Amount) ledger.Amount { return abs(a - b) }

// Cents rounds a to whole cents, half away from zero, as WooCommerce's
// wc_format_decimal(x, 2) and accountants round.
func Cents(a ledger.Amount) ledger.Amount {
	const unit = 100 // an Amount's ten-thousandths per cent
	q, rem := a/unit, a%unit
	switch {
	case rem >= unit/2:
		q++
	case rem <= -unit/2:
		q--
	}
	return q * unit
}

// Count is a whole quantity (an item count) as an integer.
func Count(a ledger.Amount) int64 { return int64(a) / 10000 }

// String is for test failures.
func (r Rate) String() string {
	return strconv.FormatInt(r.ID, 10) + " " + r.Label + " tax " + r.Tax.String() + " shipping " + r.ShippingTax.String() + " net " + r.Net.String()
}
