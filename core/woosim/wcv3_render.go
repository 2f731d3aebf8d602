package woosim

import (
	"bytes"
	"slices"
	"strconv"
	"time"
)

// renderedWCV3 returns o's wc/v3 JSON, rendering it if o changed since it
// was last rendered. s.mu must be held (for reading at least): that keeps
// o's state still while it is read.
func (s *Sim) renderedWCV3(o *order) *rendered {
	if r := o.cache[dialectWCV3].Load(); r != nil && r.rev == o.rev {
		return r
	}
	r := s.renderWCV3(o, s.doc(o), 2)
	o.cache[dialectWCV3].Store(r)
	return r
}

const wcDate = "2006-01-02T15:04:05"

func (s *Sim) dateLocal(w *jsonWriter, t int64) {
	if t == 0 {
		w.null()
		return
	}
	w.b = append(w.b, '"')
	w.b = time.Unix(t, 0).In(s.loc).AppendFormat(w.b, wcDate)
	w.b = append(w.b, '"')
}

func dateGMT(w *jsonWriter, t int64) {
	if t == 0 {
		w.null()
		return
	}
	w.b = append(w.b, '"')
	w.b = time.Unix(t, 0).UTC().AppendFormat(w.b, wcDate)
	w.b = append(w.b, '"')
}

// renderWCV3 renders an order as WC_REST_Orders_Controller (wc/v3) does in
// WooCommerce 7.9: the keys in the order and with the types of
// samples/wc-v3-order-single-25.json. dp is the number of decimals of
// money fields (the dp parameter; the shop's 2 by default).
func (s *Sim) renderWCV3(o *order, d *orderDoc, dp int) *rendered {
	scratch := getBuf()
	defer func() { putBuf(scratch) }()
	w := &jsonWriter{b: scratch, dp: dp}
	id := strconv.FormatInt(o.id, 10)
	w.raw(`{"id":`)
	w.raw(id)
	w.raw(`,"parent_id":`)
	w.int(d.ParentID)
	w.raw(`,"status":`)
	w.str(o.status)
	w.raw(`,"currency":`)
	w.str(d.Currency)
	w.raw(`,"version":`)
	w.str(s.wcVersion)
	w.raw(`,"prices_include_tax":`)
	w.bool(d.PricesIncludeTax)
	w.raw(`,"date_created":`)
	s.dateLocal(w, o.created)
	w.raw(`,"date_modified":`)
	s.dateLocal(w, o.modified)
	w.raw(`,"discount_total":`)
	w.money(d.DiscountTotal)
	w.raw(`,"discount_tax":`)
	w.money(d.DiscountTax)
	w.raw(`,"shipping_total":`)
	w.money(d.ShippingTotal)
	w.raw(`,"shipping_tax":`)
	w.money(d.ShippingTax)
	w.raw(`,"cart_tax":`)
	w.money(d.CartTax)
	w.raw(`,"total":`)
	w.money(d.Total)
	w.raw(`,"total_tax":`)
	w.money(d.TotalTax)
	w.raw(`,"customer_id":`)
	w.int(d.CustomerID)
	w.raw(`,"order_key":`)
	w.str(d.OrderKey)
	w.raw(`,"billing":`)
	writeAddress(w, &d.Billing, true)
	w.raw(`,"shipping":`)
	writeAddress(w, &d.Shipping, false)
	w.raw(`,"payment_method":`)
	w.str(d.PaymentMethod)
	w.raw(`,"payment_method_title":`)
	w.str(d.PaymentMethodTitle)
	w.raw(`,"transaction_id":`)
	w.str(d.TransactionID)
	w.raw(`,"customer_ip_address":`)
	w.str(d.CustomerIP)
	w.raw(`,"customer_user_agent":`)
	w.str(d.CustomerUA)
	w.raw(`,"created_via":`)
	w.str(d.CreatedVia)
	w.raw(`,"customer_note":`)
	w.str(d.CustomerNote)
	w.raw(`,"date_completed":`)
	s.dateLocal(w, o.completed)
	w.raw(`,"date_paid":`)
	s.dateLocal(w, o.paid)
	w.raw(`,"cart_hash":`)
	w.str(d.CartHash)
	w.raw(`,"number":`)
	w.str(id)
	w.raw(`,"meta_data":[`)
	for i, m := range d.Meta {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.int(m.ID)
		w.raw(`,"key":`)
		w.str(m.Key)
		w.raw(`,"value":`)
		w.str(m.Value)
		w.raw("}")
	}
	w.raw(`],"line_items":[`)
	reduced := stockReduced(o.status)
	for i := range d.Lines {
		if i > 0 {
			w.raw(",")
		}
		writeLineItem(w, &d.Lines[i], reduced)
	}
	w.raw(`],"tax_lines":[`)
	for i, t := range d.Taxes {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.int(t.ID)
		w.raw(`,"rate_code":`)
		w.str(t.RateCode)
		w.raw(`,"rate_id":`)
		w.int(t.RateID)
		w.raw(`,"label":`)
		w.str(t.Label)
		w.raw(`,"compound":`)
		w.bool(t.Compound)
		w.raw(`,"tax_total":`)
		w.money(t.TaxTotal)
		w.raw(`,"shipping_tax_total":`)
		w.money(t.ShippingTax)
		w.raw(`,"rate_percent":`)
		w.raw(t.RatePercent)
		w.raw(`,"meta_data":[]}`)
	}
	w.raw(`],"shipping_lines":[`)
	for i, sl := range d.Ships {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.int(sl.ID)
		w.raw(`,"method_title":`)
		w.str(sl.MethodTitle)
		w.raw(`,"method_id":`)
		w.str(sl.MethodID)
		w.raw(`,"instance_id":`)
		w.str(sl.InstanceID)
		w.raw(`,"total":`)
		w.money(sl.Total)
		w.raw(`,"total_tax":`)
		w.money(sl.TotalTax)
		w.raw(`,"taxes":`)
		writeItemTaxes(w, sl.TaxRateID, sl.TotalTax, 0, false)
		w.raw(`,"meta_data":`)
		writeItemMeta(w, sl.Meta, false)
		w.raw("}")
	}
	w.raw(`],"fee_lines":[`)
	for i, f := range d.Fees {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.int(f.ID)
		w.raw(`,"name":`)
		w.str(f.Name)
		w.raw(`,"tax_class":`)
		w.str(f.TaxClass)
		w.raw(`,"tax_status":`)
		w.str(f.TaxStatus)
		w.raw(`,"amount":`)
		w.phpFloatMoney(f.Total)
		w.raw(`,"total":`)
		w.money(f.Total)
		w.raw(`,"total_tax":`)
		w.money(f.TotalTax)
		w.raw(`,"taxes":`)
		writeItemTaxes(w, f.TaxRateID, f.TotalTax, 0, false)
		w.raw(`,"meta_data":[]}`)
	}
	w.raw(`],"coupon_lines":[`)
	for i, c := range d.Coupons {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.int(c.ID)
		w.raw(`,"code":`)
		w.str(c.Code)
		w.raw(`,"discount":`)
		w.phpFloatMoney(c.Discount)
		w.raw(`,"discount_tax":`)
		w.phpFloatMoney(c.DiscountTax)
		w.raw(`,"meta_data":`)
		writeItemMeta(w, c.Meta, false)
		w.raw("}")
	}
	w.raw(`],"refunds":[`)
	for i, rf := range sortedRefunds(o) {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.int(rf.ID)
		w.raw(`,"reason":`)
		w.str(rf.Reason)
		w.raw(`,"total":"-`)
		w.b = appendMoneyDP(w.b, rf.Amount, w.dp)
		w.raw(`"}`)
	}
	w.raw(`],"payment_url":`)
	w.urlStr("/checkout/order-pay/" + id + "/?pay_for_order=true&key=" + d.OrderKey)
	w.raw(`,"is_editable":`)
	w.bool(isEditable(o.status))
	w.raw(`,"needs_payment":`)
	w.bool(needsPayment(o.status, d.Total))
	w.raw(`,"needs_processing":`)
	w.bool(d.NeedsPro)
	w.raw(`,"date_created_gmt":`)
	dateGMT(w, o.created)
	w.raw(`,"date_modified_gmt":`)
	dateGMT(w, o.modified)
	w.raw(`,"date_completed_gmt":`)
	dateGMT(w, o.completed)
	w.raw(`,"date_paid_gmt":`)
	dateGMT(w, o.paid)
	w.raw(`,"currency_symbol":`)
	w.str(currencySymbols[d.Currency])
	w.raw(`,"_links":{"self":[{"href":`)
	w.urlStr("/wp-json/wc/v3/orders/" + id)
	w.raw(`}],"collection":[{"href":`)
	w.urlStr("/wp-json/wc/v3/orders")
	w.raw(`}]`)
	if d.CustomerID != 0 {
		w.raw(`,"customer":[{"href":`)
		w.urlStr("/wp-json/wc/v3/customers/" + strconv.FormatInt(d.CustomerID, 10))
		w.raw(`}]`)
	}
	if d.ParentID != 0 {
		w.raw(`,"up":[{"href":`)
		w.urlStr("/wp-json/wc/v3/orders/" + strconv.FormatInt(d.ParentID, 10))
		w.raw(`}]`)
	}
	w.raw("}}")
	scratch = w.b
	// Keep an exact-size copy: the cache holds every order.
	return &rendered{rev: o.rev, buf: bytes.Clone(w.b), cuts: slices.Clip(w.cuts)}
}

func writeAddress(w *jsonWriter, a *address, billing bool) {
	w.raw(`{"first_name":`)
	w.str(a.FirstName)
	w.raw(`,"last_name":`)
	w.str(a.LastName)
	w.raw(`,"company":`)
	w.str(a.Company)
	w.raw(`,"address_1":`)
	w.str(a.Address1)
	w.raw(`,"address_2":`)
	w.str(a.Address2)
	w.raw(`,"city":`)
	w.str(a.City)
	w.raw(`,"state":`)
	w.str(a.State)
	w.raw(`,"postcode":`)
	w.str(a.Postcode)
	w.raw(`,"country":`)
	w.str(a.Country)
	if billing {
		w.raw(`,"email":`)
		w.str(a.Email)
	}
	w.raw(`,"phone":`)
	w.str(a.Phone)
	w.raw("}")
}

func writeLineItem(w *jsonWriter, li *lineItem, stockReduced bool) {
	w.raw(`{"id":`)
	w.int(li.ID)
	w.raw(`,"name":`)
	w.str(li.Name)
	w.raw(`,"product_id":`)
	w.int(li.ProductID)
	w.raw(`,"variation_id":`)
	w.int(li.VariationID)
	w.raw(`,"quantity":`)
	w.int(li.Quantity)
	w.raw(`,"tax_class":`)
	w.str(li.TaxClass)
	w.raw(`,"subtotal":`)
	w.money(li.Subtotal)
	w.raw(`,"subtotal_tax":`)
	w.money(li.SubtotalTax)
	w.raw(`,"total":`)
	w.money(li.Total)
	w.raw(`,"total_tax":`)
	w.money(li.TotalTax)
	w.raw(`,"taxes":`)
	writeItemTaxes(w, li.TaxRateID, li.TotalTax, li.SubtotalTax, true)
	w.raw(`,"meta_data":`)
	writeItemMeta(w, li.Meta, stockReduced)
	w.raw(`,"sku":`)
	if li.SKUNull {
		w.null()
	} else {
		w.str(li.SKU)
	}
	// price is $item->get_total() / $item->get_quantity(): a PHP float,
	// after discounts.
	w.raw(`,"price":`)
	if li.Quantity == 0 {
		w.raw("0")
	} else {
		w.float(float64(li.Total) / 100 / float64(li.Quantity))
	}
	w.raw(`,"image":{"id":`)
	switch {
	case li.ImageIDStr:
		w.raw(`""`)
	default:
		w.int(li.ImageID)
	}
	w.raw(`,"src":`)
	if li.ImageID != 0 {
		w.urlStr(li.ImagePath)
	} else {
		w.raw(`""`)
	}
	w.raw(`},"parent_name":`)
	if li.ParentName == "" {
		w.null()
	} else {
		w.str(li.ParentName)
	}
	w.raw("}")
}

// writeItemTaxes writes an item's taxes array: one {id,total,subtotal} per
// rate, amounts as the PHP floats WooCommerce stores ("1.9"); items without
// a subtotal (shipping, fees) have subtotal "".
func writeItemTaxes(w *jsonWriter, rateID int64, total, subtotal money, hasSubtotal bool) {
	if rateID == 0 {
		w.raw("[]")
		return
	}
	w.raw(`[{"id":`)
	w.int(rateID)
	w.raw(`,"total":`)
	w.phpFloatMoney(total)
	w.raw(`,"subtotal":`)
	if hasSubtotal {
		w.phpFloatMoney(subtotal)
	} else {
		w.raw(`""`)
	}
	w.raw("}]")
}

// writeItemMeta writes an order item's meta_data with display_key and
// display_value, as WC_REST_Orders_V2_Controller merges them in.
func writeItemMeta(w *jsonWriter, meta []metaItem, stockReduced bool) {
	w.raw("[")
	first := true
	for _, m := range meta {
		if m.ReducedStock && !stockReduced {
			continue
		}
		if !first {
			w.raw(",")
		}
		first = false
		w.raw(`{"id":`)
		w.int(m.ID)
		w.raw(`,"key":`)
		w.str(m.Key)
		if m.JSON != nil {
			w.raw(`,"value":`)
			w.b = append(w.b, m.JSON...)
			w.raw(`,"display_key":`)
			w.str(m.DisplayKey)
			w.raw(`,"display_value":`)
			w.b = append(w.b, m.JSON...)
		} else {
			w.raw(`,"value":`)
			w.str(m.Value)
			w.raw(`,"display_key":`)
			w.str(m.DisplayKey)
			w.raw(`,"display_value":`)
			w.str(m.DisplayValue)
		}
		w.raw("}")
	}
	w.raw("]")
}
