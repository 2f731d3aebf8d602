package ledger

// Breakdown is how an order's total is made up, as its detail shows it:
// Subtotal − Discount + Shipping + Fees + the taxes = Total, and Total −
// Refunded = NetPayment. Amounts other than the taxes are without tax.
type Breakdown struct {
	Subtotal Amount // the line items before discounts
	Discount Amount // the coupons' and other discounts, positive
	Shipping Amount
	Fees     Amount // negative fees (a discount as a fee) included
	Taxes    []RateTax
	Total    Amount
	Refunded Amount // positive
	// NetPayment is what the shop keeps: the total less the refunds.
	NetPayment Amount
	// Rounding is what the shop's total differs by from the figures
	// above added up (a cent of WooCommerce's rounding, or a payload
	// whose parts do not add up); zero as a rule.
	Rounding Amount
}

// RateTax is an order's tax at one rate: its cart, fee and shipping tax.
// Label and Percent are the shop's; a Label is empty for tax the shop did
// not split by rate.
type RateTax struct {
	Label   string
	Percent Amount // 0 when the shop did not say
	Tax     Amount
}

// Breakdown returns how o's total is made up. The taxes are the order's
// tax lines; when it has none but charges tax (a shop that sent only the
// total), one entry without a label holds its total tax.
func (o *Order) Breakdown() Breakdown {
	b := Breakdown{Discount: o.DiscountTotal, Shipping: o.ShippingTotal, Total: o.Total, Refunded: o.RefundedTotal()}
	for _, l := range o.Lines {
		b.Subtotal += l.Subtotal
	}
	for _, f := range o.FeeLines {
		b.Fees += f.Total
	}
	var taxes Amount
	for _, t := range o.TaxLines {
		b.Taxes = append(b.Taxes, RateTax{Label: t.Label, Percent: t.RatePercent, Tax: t.TaxTotal + t.ShippingTaxTotal})
		taxes += t.TaxTotal + t.ShippingTaxTotal
	}
	if len(o.TaxLines) == 0 && o.TotalTax != 0 {
		b.Taxes = []RateTax{{Tax: o.TotalTax}}
		taxes = o.TotalTax
	}
	b.NetPayment = b.Total - b.Refunded
	b.Rounding = b.Total - (b.Subtotal - b.Discount + b.Shipping + b.Fees + taxes)
	return b
}
