package sales

import "codeberg.org/shopledger/shopledger/core/ledger"

// Totals are the sums the report's figures are made of. Read the figures
// through the methods, which apply WooCommerce's definitions.
type Totals struct {
	Orders int64
	Items  ledger.Amount

	// Of the counted orders, on their basis date.
	Gross       ledger.Amount // order totals
	Tax         ledger.Amount // cart (and fee) tax
	Shipping    ledger.Amount
	ShippingTax ledger.Amount
	Coupons     ledger.Amount
	Discount    ledger.Amount // the orders' own (rounded) discount_total
	Fees        ledger.Amount

	// Of the refunds, on their own dates.
	Refunds             ledger.Amount
	RefundedTax         ledger.Amount
	RefundedShipping    ledger.Amount
	RefundedShippingTax ledger.Amount
	RefundedFees        ledger.Amount
}

// add counts one event of r.
func (t *Totals) add(r *Record, e *Event) {
	switch e.Kind {
	case KindSale:
		t.Orders++
		t.Items += r.Items
		t.Gross += r.Total
		t.Tax += r.CartTax
		t.Shipping += r.Shipping
		t.ShippingTax += r.ShippingTax
		t.Coupons += r.Coupons
		t.Discount += r.Discount
		t.Fees += r.Fees
	case KindFullRefund:
		t.Refunds += r.Total
		t.RefundedTax += r.CartTax
		t.RefundedShipping += r.Shipping
		t.RefundedShippingTax += r.ShippingTax
		t.RefundedFees += r.Fees
	case KindRefund:
		f := e.Refund
		t.Refunds += f.Amount
		t.RefundedTax += f.Tax
		t.RefundedShipping += f.Shipping
		t.RefundedShippingTax += f.ShippingTax
		t.RefundedFees += f.Fees
	}
}

// Add adds u to t.
func (t *Totals) Add(u *Totals) {
	t.Orders += u.Orders
	t.Items += u.Items
	t.Gross += u.Gross
	t.Tax += u.Tax
	t.Shipping += u.Shipping
	t.ShippingTax += u.ShippingTax
	t.Coupons += u.Coupons
	t.Discount += u.Discount
	t.Fees += u.Fees
	t.Refunds += u.Refunds
	t.RefundedTax += u.RefundedTax
	t.RefundedShipping += u.RefundedShipping
	t.RefundedShippingTax += u.RefundedShippingTax
	t.RefundedFees += u.RefundedFees
}

// TotalOrders is the number of counted orders, refunded ones included.
func (t *Totals) TotalOrders() int64 { return t.Orders }

// TotalItems is the counted orders' line quantities; refunds take none away.
func (t *Totals) TotalItems() int64 { return Count(t.Items) }

// TotalSales is the order totals less the refunds.
func (t *Totals) TotalSales() ledger.Amount { return Cents(t.Gross - t.Refunds) }

// TotalShipping is the shipping charged less the shipping refunded.
func (t *Totals) TotalShipping() ledger.Amount { return Cents(t.Shipping - t.RefundedShipping) }

// TotalShippingTax is the shipping tax less the shipping tax refunded.
func (t *Totals) TotalShippingTax() ledger.Amount {
	return Cents(t.ShippingTax - t.RefundedShippingTax)
}

// cartTax is the cart tax less the cart tax refunded (the report's own
// total_tax, before the REST API adds shipping tax to it).
func (t *Totals) cartTax() ledger.Amount { return Cents(t.Tax - t.RefundedTax) }

// TotalTax is cart tax plus shipping tax, net of refunds, as the REST
// report gives it.
func (t *Totals) TotalTax() ledger.Amount { return t.cartTax() + t.TotalShippingTax() }

// NetSales is total sales less shipping, tax and shipping tax; negative
// taxes (more refunded than charged in the range) are not added back.
func (t *Totals) NetSales() ledger.Amount {
	return t.TotalSales() - t.TotalShipping() - max(0, t.cartTax()) - max(0, t.TotalShippingTax())
}

// TotalRefunds is the refunds' amounts.
func (t *Totals) TotalRefunds() ledger.Amount { return Cents(t.Refunds) }

// TotalDiscount is the coupons' discounts, which is what WooCommerce's
// report sums. The shop sends each coupon's discount rounded to the cent
// while its report sums the unrounded stored amounts, so the two can
// differ by up to half a cent per coupon (see DiscountNote).
func (t *Totals) TotalDiscount() ledger.Amount { return Cents(t.Coupons) }

// TotalFees is the fees charged (net of tax) less the fees refunded.
// WooCommerce's report has no such figure: it is part of net sales there.
func (t *Totals) TotalFees() ledger.Amount { return Cents(t.Fees - t.RefundedFees) }

// DiscountNote says why total_discount may differ from the shop's report.
const DiscountNote = "total_discount adds the coupons' discounts as the orders show them, rounded to the cent; " +
	"WooCommerce's own report adds the unrounded amounts it stores, so the two may differ by up to half a cent per coupon."

// FeesNote says what total_fees is, since WooCommerce's report has none.
const FeesNote = "total_fees is the fees charged less the fees refunded, without tax; WooCommerce's report counts them in net_sales and has no figure of its own."
