package woo

import (
	"encoding/json"
	"strings"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// wcOrder is an order as wc/v3 renders it (GET /orders/{id}, the list, and
// webhook bodies). Only what ShopLedger keeps is declared; the rest stays in
// the raw payload.
type wcOrder struct {
	ID                 flexInt                 `json:"id"`
	ParentID           flexInt                 `json:"parent_id"`
	Number             flexString              `json:"number"`
	Status             string                  `json:"status"`
	Currency           string                  `json:"currency"`
	PricesIncludeTax   flexBool                `json:"prices_include_tax"`
	DiscountTotal      ledger.Amount           `json:"discount_total"`
	DiscountTax        ledger.Amount           `json:"discount_tax"`
	ShippingTotal      ledger.Amount           `json:"shipping_total"`
	ShippingTax        ledger.Amount           `json:"shipping_tax"`
	CartTax            ledger.Amount           `json:"cart_tax"`
	Total              ledger.Amount           `json:"total"`
	TotalTax           ledger.Amount           `json:"total_tax"`
	CustomerID         flexInt                 `json:"customer_id"`
	CustomerNote       flexString              `json:"customer_note"`
	Billing            objectOrList[wcAddress] `json:"billing"`
	Shipping           objectOrList[wcAddress] `json:"shipping"`
	PaymentMethod      flexString              `json:"payment_method"`
	PaymentMethodTitle flexString              `json:"payment_method_title"`
	TransactionID      flexString              `json:"transaction_id"`
	DateCreatedGMT     flexTime                `json:"date_created_gmt"`
	DateModifiedGMT    flexTime                `json:"date_modified_gmt"`
	DatePaidGMT        flexTime                `json:"date_paid_gmt"`
	DateCompletedGMT   flexTime                `json:"date_completed_gmt"`
	LineItems          []wcLineItem            `json:"line_items"`
	TaxLines           []wcTaxLine             `json:"tax_lines"`
	ShippingLines      []wcShippingLine        `json:"shipping_lines"`
	FeeLines           []wcFeeLine             `json:"fee_lines"`
	CouponLines        []wcCouponLine          `json:"coupon_lines"`
	Refunds            []wcRefund              `json:"refunds"`
}

type wcAddress struct {
	FirstName flexString `json:"first_name"`
	LastName  flexString `json:"last_name"`
	Company   flexString `json:"company"`
	Address1  flexString `json:"address_1"`
	Address2  flexString `json:"address_2"`
	City      flexString `json:"city"`
	State     flexString `json:"state"`
	Postcode  flexString `json:"postcode"`
	Country   flexString `json:"country"`
	Email     flexString `json:"email"`
	Phone     flexString `json:"phone"`
}

type wcLineItem struct {
	ID          flexInt       `json:"id"`
	Name        flexString    `json:"name"`
	ProductID   flexInt       `json:"product_id"`
	VariationID flexInt       `json:"variation_id"`
	Quantity    ledger.Amount `json:"quantity"`
	TaxClass    flexString    `json:"tax_class"`
	Subtotal    ledger.Amount `json:"subtotal"`
	SubtotalTax ledger.Amount `json:"subtotal_tax"`
	Total       ledger.Amount `json:"total"`
	TotalTax    ledger.Amount `json:"total_tax"`
	Taxes       []wcLineTax   `json:"taxes"`
	MetaData    []wcMeta      `json:"meta_data"`
	SKU         flexString    `json:"sku"`
	Price       ledger.Amount `json:"price"`
}

type wcLineTax struct {
	ID       flexInt       `json:"id"`
	Total    ledger.Amount `json:"total"`
	Subtotal ledger.Amount `json:"subtotal"`
}

type wcMeta struct {
	Key          flexString `json:"key"`
	DisplayKey   flexString `json:"display_key"`
	DisplayValue flexString `json:"display_value"`
	Value        flexString `json:"value"`
}

type wcTaxLine struct {
	ID               flexInt       `json:"id"`
	RateCode         flexString    `json:"rate_code"`
	RateID           flexInt       `json:"rate_id"`
	Label            flexString    `json:"label"`
	Compound         flexBool      `json:"compound"`
	TaxTotal         ledger.Amount `json:"tax_total"`
	ShippingTaxTotal ledger.Amount `json:"shipping_tax_total"`
	RatePercent      ledger.Amount `json:"rate_percent"`
}

type wcShippingLine struct {
	ID          flexInt       `json:"id"`
	MethodTitle flexString    `json:"method_title"`
	MethodID    flexString    `json:"method_id"`
	Total       ledger.Amount `json:"total"`
	TotalTax    ledger.Amount `json:"total_tax"`
	Taxes       []wcLineTax   `json:"taxes"`
}

type wcFeeLine struct {
	ID       flexInt       `json:"id"`
	Name     flexString    `json:"name"`
	TaxClass flexString    `json:"tax_class"`
	Total    ledger.Amount `json:"total"`
	TotalTax ledger.Amount `json:"total_tax"`
	Taxes    []wcLineTax   `json:"taxes"`
}

type wcCouponLine struct {
	ID          flexInt       `json:"id"`
	Code        flexString    `json:"code"`
	Discount    ledger.Amount `json:"discount"`
	DiscountTax ledger.Amount `json:"discount_tax"`
}

type wcRefund struct {
	ID     flexInt       `json:"id"`
	Reason flexString    `json:"reason"`
	Total  ledger.Amount `json:"total"`
}

// DecodeOrder decodes one wc/v3 order (a GET /orders/{id} body or an
// order webhook body) and keeps raw as its payload.
func DecodeOrder(raw []byte) (ledger.Order, error) {
	var w wcOrder
	if err := decodeJSON("decode order", raw, &w); err != nil {
		return ledger.Order{}, err
	}
	if w.ID <= 0 {
		return ledger.Order{}, &Error{Op: "decode order", Kind: KindBadPayload, Message: "the order has no id"}
	}
	o := w.toLedger()
	o.Raw = append(json.RawMessage(nil), trimToJSON(raw)...)
	return o, nil
}

func (w *wcOrder) toLedger() ledger.Order {
	o := ledger.Order{
		ID:                 int64(w.ID),
		ParentID:           int64(w.ParentID),
		Number:             string(w.Number),
		Status:             ledger.NormalizeStatus(w.Status),
		Currency:           strings.ToUpper(w.Currency),
		PricesIncludeTax:   bool(w.PricesIncludeTax),
		DiscountTotal:      w.DiscountTotal,
		DiscountTax:        w.DiscountTax,
		ShippingTotal:      w.ShippingTotal,
		ShippingTax:        w.ShippingTax,
		CartTax:            w.CartTax,
		TotalTax:           w.TotalTax,
		Total:              w.Total,
		Created:            w.DateCreatedGMT.UTC(),
		Modified:           w.DateModifiedGMT.UTC(),
		Paid:               w.DatePaidGMT.UTC(),
		Completed:          w.DateCompletedGMT.UTC(),
		CustomerID:         int64(w.CustomerID),
		CustomerNote:       string(w.CustomerNote),
		Billing:            w.Billing.V.toLedger(),
		Shipping:           w.Shipping.V.toLedger(),
		PaymentMethod:      string(w.PaymentMethod),
		PaymentMethodTitle: string(w.PaymentMethodTitle),
		TransactionID:      string(w.TransactionID),
	}
	if o.Number == "" {
		o.Number = w.ID.String()
	}
	if o.Modified.IsZero() {
		o.Modified = o.Created
	}
	o.Lines = make([]ledger.LineItem, 0, len(w.LineItems))
	for _, l := range w.LineItems {
		o.Lines = append(o.Lines, l.toLedger())
	}
	for _, t := range w.TaxLines {
		o.TaxLines = append(o.TaxLines, t.toLedger())
	}
	for _, s := range w.ShippingLines {
		o.ShippingLines = append(o.ShippingLines, s.toLedger())
	}
	for _, f := range w.FeeLines {
		o.FeeLines = append(o.FeeLines, f.toLedger())
	}
	for _, c := range w.CouponLines {
		o.CouponLines = append(o.CouponLines, ledger.CouponLine{
			ID: int64(c.ID), Code: string(c.Code), Discount: c.Discount, DiscountTax: c.DiscountTax,
		})
	}
	for _, r := range w.Refunds {
		o.Refunds = append(o.Refunds, ledger.Refund{ID: int64(r.ID), Reason: string(r.Reason), Amount: positive(r.Total)})
	}
	return o
}

func (l *wcLineItem) toLedger() ledger.LineItem {
	product, parent := int64(l.ProductID), int64(0)
	if l.VariationID > 0 {
		product, parent = int64(l.VariationID), int64(l.ProductID)
	}
	return ledger.LineItem{
		ID: int64(l.ID), Name: string(l.Name), ProductID: product, ParentID: parent,
		SKU: string(l.SKU), Quantity: l.Quantity, Price: l.Price, Subtotal: l.Subtotal, SubtotalTax: l.SubtotalTax,
		Total: l.Total, TotalTax: l.TotalTax, TaxClass: string(l.TaxClass), Taxes: lineTaxes(l.Taxes), Meta: visibleMeta(l.MetaData),
	}
}

func (t *wcTaxLine) toLedger() ledger.TaxLine {
	return ledger.TaxLine{
		ID: int64(t.ID), RateCode: string(t.RateCode), RateID: int64(t.RateID), Label: string(t.Label),
		Compound: bool(t.Compound), TaxTotal: t.TaxTotal, ShippingTaxTotal: t.ShippingTaxTotal, RatePercent: t.RatePercent,
	}
}

func (s *wcShippingLine) toLedger() ledger.ShippingLine {
	return ledger.ShippingLine{
		ID: int64(s.ID), MethodTitle: string(s.MethodTitle), MethodID: string(s.MethodID),
		Total: s.Total, TotalTax: s.TotalTax, Taxes: lineTaxes(s.Taxes),
	}
}

func (f *wcFeeLine) toLedger() ledger.FeeLine {
	return ledger.FeeLine{
		ID: int64(f.ID), Name: string(f.Name), TaxClass: string(f.TaxClass),
		Total: f.Total, TotalTax: f.TotalTax, Taxes: lineTaxes(f.Taxes),
	}
}

func (a wcAddress) toLedger() ledger.Address {
	return ledger.Address{
		FirstName: string(a.FirstName), LastName: string(a.LastName), Company: string(a.Company),
		Address1: string(a.Address1), Address2: string(a.Address2), City: string(a.City), State: string(a.State),
		Postcode: string(a.Postcode), Country: string(a.Country), Email: string(a.Email), Phone: string(a.Phone),
	}
}

func lineTaxes(ts []wcLineTax) []ledger.LineTax {
	var out []ledger.LineTax
	for _, t := range ts {
		out = append(out, ledger.LineTax{RateID: int64(t.ID), Total: t.Total, Subtotal: t.Subtotal})
	}
	return out
}

// visibleMeta keeps the attributes a customer saw (a variation's size),
// dropping WooCommerce's internal keys, which start with an underscore.
func visibleMeta(ms []wcMeta) []ledger.MetaItem {
	var out []ledger.MetaItem
	for _, m := range ms {
		if strings.HasPrefix(string(m.Key), "_") {
			continue
		}
		key, value := string(m.DisplayKey), string(m.DisplayValue)
		if key == "" {
			key = string(m.Key)
		}
		if value == "" {
			value = string(m.Value)
		}
		out = append(out, ledger.MetaItem{Key: key, Value: value})
	}
	return out
}
