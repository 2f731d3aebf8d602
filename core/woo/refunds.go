package woo

import (
	"context"
	"strconv"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// An order's payload lists only its refunds' ids, reasons and totals; the
// detail (date, lines, shipping, fees, taxes) comes from
// GET orders/<id>/refunds, which Refunds reads.

// wcRefundDetail is a refund as GET /wc/v3/orders/<id>/refunds renders it.
type wcRefundDetail struct {
	ID              flexInt          `json:"id"`
	DateCreatedGMT  flexTime         `json:"date_created_gmt"`
	Amount          ledger.Amount    `json:"amount"`
	Reason          flexString       `json:"reason"`
	RefundedPayment flexBool         `json:"refunded_payment"`
	LineItems       []wcLineItem     `json:"line_items"`
	ShippingLines   []wcShippingLine `json:"shipping_lines"`
	TaxLines        []wcTaxLine      `json:"tax_lines"`
	FeeLines        []wcFeeLine      `json:"fee_lines"`
}

// legacyRefund is a refund as GET /wc-api/v3/orders/<id>/refunds renders
// it: no shipping, fee or tax lines, and line items without taxes per rate.
type legacyRefund struct {
	ID        flexInt          `json:"id"`
	CreatedAt flexTime         `json:"created_at"`
	Amount    ledger.Amount    `json:"amount"`
	Reason    flexString       `json:"reason"`
	LineItems []legacyLineItem `json:"line_items"`
}

// refundsPerPage is the most refunds wc/v3 lists in one page (its default
// is 10, which a much-refunded order can exceed).
const refundsPerPage = 100

// Refunds fetches the refunds of an order with their detail, newest first
// as the shop lists them, each with Detailed set. In the legacy dialect a
// refund has no shipping, fee or tax lines: DeriveRefundTaxes fills in what
// the order tells.
func (c *Client) Refunds(ctx context.Context, orderID int64) ([]ledger.Refund, error) {
	id := strconv.FormatInt(orderID, 10)
	op := "get refunds of order " + id
	path := "orders/" + id + "/refunds"
	if c.dialect == ledger.DialectLegacyV3 {
		resp, err := c.do(ctx, call{op: op, path: path})
		if err != nil {
			return nil, err
		}
		return DecodeLegacyRefunds(resp.body)
	}
	var out []ledger.Refund
	for page := 1; ; page++ {
		resp, err := c.do(ctx, call{op: op, path: path, query: map[string][]string{
			"per_page": {strconv.Itoa(refundsPerPage)}, "page": {strconv.Itoa(page)},
		}})
		if err != nil {
			return nil, err
		}
		refunds, err := DecodeRefunds(resp.body)
		if err != nil {
			return nil, withOp(err, op)
		}
		out = append(out, refunds...)
		pages, _ := strconv.Atoi(resp.header.Get("X-WP-TotalPages"))
		if page >= pages || len(refunds) < refundsPerPage {
			return out, nil
		}
	}
}

// DecodeRefunds decodes a wc/v3 refunds list.
func DecodeRefunds(body []byte) ([]ledger.Refund, error) {
	var ws []wcRefundDetail
	if err := decodeJSON("decode refunds", body, &ws); err != nil {
		return nil, err
	}
	out := make([]ledger.Refund, 0, len(ws))
	for _, w := range ws {
		if w.ID <= 0 {
			return nil, &Error{Op: "decode refunds", Kind: KindBadPayload, Message: "a refund has no id"}
		}
		r := ledger.Refund{
			ID: int64(w.ID), Reason: string(w.Reason), Amount: positive(w.Amount), Detailed: true,
			Created: w.DateCreatedGMT.UTC(), RefundedPayment: bool(w.RefundedPayment),
		}
		for _, l := range w.LineItems {
			r.Lines = append(r.Lines, l.toLedger())
		}
		for _, s := range w.ShippingLines {
			r.ShippingLines = append(r.ShippingLines, s.toLedger())
		}
		for _, f := range w.FeeLines {
			r.FeeLines = append(r.FeeLines, f.toLedger())
		}
		for _, t := range w.TaxLines {
			r.TaxLines = append(r.TaxLines, t.toLedger())
		}
		out = append(out, r)
	}
	return out, nil
}

// DecodeLegacyRefunds decodes a legacy {"order_refunds":[…]} body.
func DecodeLegacyRefunds(body []byte) ([]ledger.Refund, error) {
	var env struct {
		Refunds *[]legacyRefund `json:"order_refunds"`
	}
	if err := decodeJSON("decode refunds", body, &env); err != nil {
		return nil, err
	}
	if env.Refunds == nil {
		return nil, &Error{Op: "decode refunds", Kind: KindBadPayload, Message: "the answer has no order_refunds"}
	}
	out := make([]ledger.Refund, 0, len(*env.Refunds))
	for _, l := range *env.Refunds {
		if l.ID <= 0 {
			return nil, &Error{Op: "decode refunds", Kind: KindBadPayload, Message: "a refund has no id"}
		}
		r := ledger.Refund{ID: int64(l.ID), Reason: string(l.Reason), Amount: positive(l.Amount), Detailed: true, Created: l.CreatedAt.UTC()}
		for _, li := range l.LineItems {
			r.Lines = append(r.Lines, li.toLedger())
		}
		out = append(out, r)
	}
	return out, nil
}

// positive is a refund amount as a bookkeeper reads it: WooCommerce lists
// an order's refunds with negative totals.
func positive(a ledger.Amount) ledger.Amount {
	if a < 0 {
		return -a
	}
	return a
}

// DeriveRefundTaxes fills in, for each detailed refund of o that came
// with line items but without tax, shipping and fee lines (the legacy
// API), what the order tells exactly, and sets TaxSplitUnknown where it
// cannot:
//   - a refund of the whole order (the only refund, its amount the order's
//     total) refunds each of the order's tax, shipping and fee lines;
//   - otherwise its line items' tax, per rate: all of it the order's one
//     rate's, or with several, each line's at the rate its tax class was
//     taxed at in the order (classRates); whatever the amount holds beyond
//     the line items (shipping, fees) has an unknown split.
//
// Refunds that have tax lines (wc/v3) are left as they are, and so are
// amount-only refunds (no line items): wc/v3 gives them no tax lines
// either, and WooCommerce's reports refund no tax for them.
func DeriveRefundTaxes(o *ledger.Order) {
	for i := range o.Refunds {
		r := &o.Refunds[i]
		if !r.Detailed || len(r.Lines) == 0 || len(r.TaxLines) > 0 || len(r.ShippingLines) > 0 || len(r.FeeLines) > 0 {
			// An amount-only refund has no lines in either dialect, and
			// WooCommerce books no tax for it.
			continue
		}
		r.TaxSplitUnknown = false
		if len(o.Refunds) == 1 && r.Amount == o.Total && o.Total != 0 {
			refundWholeOrder(r, o)
			continue
		}
		var net, tax ledger.Amount
		for _, l := range r.Lines {
			net += l.Total
			tax += l.TotalTax
		}
		rest := r.Amount + net + tax // lines are negative
		switch {
		case tax == 0:
		case len(o.TaxLines) == 1:
			refundLineTaxes(r, o, func(string) (int64, bool) { return o.TaxLines[0].RateID, true })
		default:
			rates, _, ok := classRates(o)
			if !ok || !refundLineTaxes(r, o, func(class string) (int64, bool) { id, ok := rates[class]; return id, ok }) {
				r.TaxSplitUnknown = true
			}
		}
		if rest != 0 && len(o.TaxLines) > 0 {
			r.TaxSplitUnknown = true
		}
	}
}

// refundLineTaxes gives r's line items their tax per rate, rateOf telling
// a tax class's rate, and r tax lines summing them in the order of o's.
// It changes nothing and reports false when a class has no rate.
func refundLineTaxes(r *ledger.Refund, o *ledger.Order, rateOf func(class string) (int64, bool)) bool {
	byRate := map[int64]ledger.Amount{}
	ids := make([]int64, len(r.Lines))
	for j, l := range r.Lines {
		if l.TotalTax == 0 {
			continue
		}
		id, ok := rateOf(l.TaxClass)
		if !ok {
			return false
		}
		ids[j] = id
		byRate[id] += l.TotalTax
	}
	for j := range r.Lines {
		if l := &r.Lines[j]; l.TotalTax != 0 && len(l.Taxes) == 0 {
			l.Taxes = []ledger.LineTax{{RateID: ids[j], Total: l.TotalTax, Subtotal: l.SubtotalTax}}
		}
	}
	for _, t := range o.TaxLines {
		if tax, ok := byRate[t.RateID]; ok {
			r.TaxLines = append(r.TaxLines, ledger.TaxLine{RateID: t.RateID, RateCode: t.RateCode, Label: t.Label,
				Compound: t.Compound, RatePercent: t.RatePercent, TaxTotal: tax})
		}
	}
	return true
}

// refundWholeOrder gives r the order's tax, shipping and fee lines,
// negated as WooCommerce writes a refund's lines.
func refundWholeOrder(r *ledger.Refund, o *ledger.Order) {
	for _, t := range o.TaxLines {
		t.ID = 0
		t.TaxTotal, t.ShippingTaxTotal = -t.TaxTotal, -t.ShippingTaxTotal
		r.TaxLines = append(r.TaxLines, t)
		r.TaxSplitUnknown = r.TaxSplitUnknown || t.ShippingTaxUnknown
	}
	for _, s := range o.ShippingLines {
		s.ID, s.Total, s.TotalTax, s.Taxes = 0, -s.Total, -s.TotalTax, negTaxes(s.Taxes)
		r.ShippingLines = append(r.ShippingLines, s)
	}
	for _, f := range o.FeeLines {
		f.ID, f.Total, f.TotalTax, f.Taxes = 0, -f.Total, -f.TotalTax, negTaxes(f.Taxes)
		r.FeeLines = append(r.FeeLines, f)
	}
}

func negTaxes(ts []ledger.LineTax) []ledger.LineTax {
	out := make([]ledger.LineTax, 0, len(ts))
	for _, t := range ts {
		out = append(out, ledger.LineTax{RateID: t.RateID, Total: -t.Total, Subtotal: -t.Subtotal})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
