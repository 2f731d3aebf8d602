package woo

import (
	"encoding/json"
	"strings"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// legacyOrder is an order as the Legacy REST API v3 (/wc-api/v3) renders
// it: dates in UTC with Z, money as strings, the variation's id as
// product_id, payment under payment_details.
type legacyOrder struct {
	ID              flexInt                     `json:"id"`
	OrderNumber     flexString                  `json:"order_number"`
	CreatedAt       flexTime                    `json:"created_at"`
	UpdatedAt       flexTime                    `json:"updated_at"`
	CompletedAt     flexTime                    `json:"completed_at"`
	Status          string                      `json:"status"`
	Currency        string                      `json:"currency"`
	Total           ledger.Amount               `json:"total"`
	TotalTax        ledger.Amount               `json:"total_tax"`
	TotalShipping   ledger.Amount               `json:"total_shipping"`
	CartTax         ledger.Amount               `json:"cart_tax"`
	ShippingTax     ledger.Amount               `json:"shipping_tax"`
	TotalDiscount   ledger.Amount               `json:"total_discount"`
	PaymentDetails  objectOrList[legacyPayment] `json:"payment_details"`
	BillingAddress  objectOrList[wcAddress]     `json:"billing_address"`
	ShippingAddress objectOrList[wcAddress]     `json:"shipping_address"`
	Note            flexString                  `json:"note"`
	CustomerID      flexInt                     `json:"customer_id"`
	LineItems       []legacyLineItem            `json:"line_items"`
	ShippingLines   []legacyShippingLine        `json:"shipping_lines"`
	TaxLines        []legacyTaxLine             `json:"tax_lines"`
	FeeLines        []legacyFeeLine             `json:"fee_lines"`
	CouponLines     []legacyCouponLine          `json:"coupon_lines"`
}

type legacyPayment struct {
	MethodID      flexString `json:"method_id"`
	MethodTitle   flexString `json:"method_title"`
	Paid          flexBool   `json:"paid"`
	TransactionID flexString `json:"transaction_id"`
}

type legacyLineItem struct {
	ID          flexInt       `json:"id"`
	Name        flexString    `json:"name"`
	ProductID   flexInt       `json:"product_id"`
	SKU         flexString    `json:"sku"`
	Quantity    ledger.Amount `json:"quantity"`
	Price       ledger.Amount `json:"price"`
	Subtotal    ledger.Amount `json:"subtotal"`
	SubtotalTax ledger.Amount `json:"subtotal_tax"`
	Total       ledger.Amount `json:"total"`
	TotalTax    ledger.Amount `json:"total_tax"`
	TaxClass    flexString    `json:"tax_class"`
	Meta        []struct {
		Key   flexString `json:"key"`
		Label flexString `json:"label"`
		Value flexString `json:"value"`
	} `json:"meta"`
}

type legacyShippingLine struct {
	ID          flexInt       `json:"id"`
	MethodID    flexString    `json:"method_id"`
	MethodTitle flexString    `json:"method_title"`
	Total       ledger.Amount `json:"total"`
}

type legacyTaxLine struct {
	ID       flexInt       `json:"id"`
	RateID   flexInt       `json:"rate_id"`
	Code     flexString    `json:"code"`
	Title    flexString    `json:"title"`
	Total    ledger.Amount `json:"total"`
	Compound flexBool      `json:"compound"`
}

type legacyFeeLine struct {
	ID       flexInt       `json:"id"`
	Title    flexString    `json:"title"`
	TaxClass flexString    `json:"tax_class"`
	Total    ledger.Amount `json:"total"`
	TotalTax ledger.Amount `json:"total_tax"`
}

type legacyCouponLine struct {
	ID     flexInt       `json:"id"`
	Code   flexString    `json:"code"`
	Amount ledger.Amount `json:"amount"`
}

// legacyEnvelope is a legacy single-order body, {"order":{…}}.
type legacyEnvelope struct {
	Order json.RawMessage `json:"order"`
}

// DecodeLegacyOrder decodes a legacy v3 order, either bare or wrapped in
// {"order":…} (a GET /orders/{id} body or a legacy webhook body).
func DecodeLegacyOrder(raw []byte) (ledger.Order, error) {
	body := trimToJSON(raw)
	var env legacyEnvelope
	if json.Unmarshal(body, &env) == nil && len(env.Order) > 0 {
		body = env.Order
	}
	var l legacyOrder
	if err := decodeJSON("decode order", body, &l); err != nil {
		return ledger.Order{}, err
	}
	if l.ID <= 0 {
		return ledger.Order{}, &Error{Op: "decode order", Kind: KindBadPayload, Message: "the order has no id"}
	}
	o := l.toLedger()
	o.Raw = append(json.RawMessage(nil), body...)
	return o, nil
}

func (l *legacyOrder) toLedger() ledger.Order {
	pay := l.PaymentDetails.V
	o := ledger.Order{
		ID:                 int64(l.ID),
		Number:             string(l.OrderNumber),
		Status:             ledger.NormalizeStatus(l.Status),
		Currency:           strings.ToUpper(l.Currency),
		DiscountTotal:      l.TotalDiscount,
		ShippingTotal:      l.TotalShipping,
		ShippingTax:        l.ShippingTax,
		CartTax:            l.CartTax,
		TotalTax:           l.TotalTax,
		Total:              l.Total,
		Created:            l.CreatedAt.UTC(),
		Modified:           l.UpdatedAt.UTC(),
		Completed:          l.CompletedAt.UTC(),
		CustomerID:         int64(l.CustomerID),
		CustomerNote:       string(l.Note),
		Billing:            l.BillingAddress.V.toLedger(),
		Shipping:           l.ShippingAddress.V.toLedger(),
		PaymentMethod:      string(pay.MethodID),
		PaymentMethodTitle: string(pay.MethodTitle),
		TransactionID:      string(pay.TransactionID),
		RefundsUnlisted:    true,
	}
	if o.Number == "" {
		o.Number = l.ID.String()
	}
	if o.Modified.IsZero() {
		o.Modified = o.Created
	}
	o.Lines = make([]ledger.LineItem, 0, len(l.LineItems))
	for _, li := range l.LineItems {
		o.Lines = append(o.Lines, li.toLedger())
	}
	for _, s := range l.ShippingLines {
		o.ShippingLines = append(o.ShippingLines, ledger.ShippingLine{ID: int64(s.ID), MethodID: string(s.MethodID), MethodTitle: string(s.MethodTitle), Total: s.Total})
	}
	for _, t := range l.TaxLines {
		o.TaxLines = append(o.TaxLines, ledger.TaxLine{ID: int64(t.ID), RateID: int64(t.RateID), RateCode: string(t.Code), Label: string(t.Title), TaxTotal: t.Total, Compound: bool(t.Compound)})
	}
	for _, f := range l.FeeLines {
		o.FeeLines = append(o.FeeLines, ledger.FeeLine{ID: int64(f.ID), Name: string(f.Title), TaxClass: string(f.TaxClass), Total: f.Total, TotalTax: f.TotalTax})
	}
	for _, c := range l.CouponLines {
		o.CouponLines = append(o.CouponLines, ledger.CouponLine{ID: int64(c.ID), Code: string(c.Code), Discount: c.Amount})
	}
	splitLegacyShippingTax(&o) // with every line decoded: it adds them up
	return o
}

// splitLegacyShippingTax separates each tax line's shipping part, which
// wc/v3 gives as shipping_tax_total: the legacy API's total per rate is
// cart, fee and shipping tax together. With one rate, or no shipping tax,
// the split is exact; with several, it is when the order's lines tell
// which rate the shipping tax went to (classRates); otherwise the lines
// say it is unknown. The one shipping line of an order carries all of its
// shipping tax.
func splitLegacyShippingTax(o *ledger.Order) {
	if len(o.ShippingLines) == 1 {
		o.ShippingLines[0].TotalTax = o.ShippingTax
		if len(o.TaxLines) == 1 && o.ShippingTax != 0 {
			o.ShippingLines[0].Taxes = []ledger.LineTax{{RateID: o.TaxLines[0].RateID, Total: o.ShippingTax}}
		}
	}
	switch {
	case o.ShippingTax == 0:
	case len(o.TaxLines) == 1:
		o.TaxLines[0].ShippingTaxTotal = o.ShippingTax
		o.TaxLines[0].TaxTotal -= o.ShippingTax
	default:
		if _, ship, ok := classRates(o); ok && ship != 0 {
			for i := range o.TaxLines {
				if t := &o.TaxLines[i]; t.RateID == ship {
					t.ShippingTaxTotal, t.TaxTotal = o.ShippingTax, t.TaxTotal-o.ShippingTax
				}
			}
			if len(o.ShippingLines) == 1 {
				o.ShippingLines[0].Taxes = []ledger.LineTax{{RateID: ship, Total: o.ShippingTax}}
			}
			return
		}
		for i := range o.TaxLines {
			o.TaxLines[i].ShippingTaxUnknown = true
		}
	}
}

func (li *legacyLineItem) toLedger() ledger.LineItem {
	item := ledger.LineItem{
		ID: int64(li.ID), Name: string(li.Name), ProductID: int64(li.ProductID), SKU: string(li.SKU),
		Quantity: li.Quantity, Price: li.Price, Subtotal: li.Subtotal, SubtotalTax: li.SubtotalTax,
		Total: li.Total, TotalTax: li.TotalTax, TaxClass: string(li.TaxClass),
	}
	for _, m := range li.Meta {
		if strings.HasPrefix(string(m.Key), "_") {
			continue
		}
		key := string(m.Label)
		if key == "" {
			key = string(m.Key)
		}
		item.Meta = append(item.Meta, ledger.MetaItem{Key: key, Value: string(m.Value)})
	}
	return item
}
