package woosim

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The legacy REST API v3 (WC_API_Orders::get_order() and the customer data
// WC_API_Customers::add_customer_data() adds), rendered from the same
// dialect-neutral order state as wc/v3, with the keys, order and types of
// samples/legacy-v3-order-single-25.json.

const legacyDate = "2006-01-02T15:04:05Z"

// legacyDateTime writes WC_API_Server::format_datetime(): UTC with "Z";
// a missing date is the Unix epoch.
func legacyDateTime(w *jsonWriter, t int64) {
	w.b = append(w.b, '"')
	w.b = time.Unix(t, 0).UTC().AppendFormat(w.b, legacyDate)
	w.b = append(w.b, '"')
}

// renderedLegacy returns o's legacy JSON with two decimals, rendering it
// if o changed since. s.mu must be held (for reading at least). For an
// order of a registered customer the rendering stops before the customer
// object (the last key), which depends on the customer's other orders and
// is appended by appendLegacyOrder.
func (s *Sim) renderedLegacy(o *order) *rendered {
	if r := o.cache[dialectLegacyV3].Load(); r != nil && r.rev == o.rev {
		return r
	}
	r := s.renderLegacy(o, s.doc(o), 2)
	o.cache[dialectLegacyV3].Store(r)
	return r
}

// appendLegacyOrder appends o as the legacy API shows it, customer
// included. s.mu must be held (for reading at least).
func (s *Sim) appendLegacyOrder(b []byte, o *order, dp int, siteEsc []byte, https bool) []byte {
	var rd *rendered
	if dp == 2 {
		rd = s.renderedLegacy(o)
	} else {
		rd = s.renderLegacy(o, s.doc(o), dp)
	}
	b = rd.appendTo(b, siteEsc)
	if o.customerID != 0 {
		b = append(b, `,"customer":`...)
		b = s.appendRegisteredCustomer(b, o.customerID, https)
		b = append(b, '}')
	}
	return b
}

// renderLegacy renders an order as WC_API_Orders::get_order() does, with
// dp decimals (filter[dp]).
func (s *Sim) renderLegacy(o *order, d *orderDoc, dp int) *rendered {
	scratch := getBuf()
	defer func() { putBuf(scratch) }()
	w := &jsonWriter{b: scratch, dp: dp}
	id := strconv.FormatInt(o.id, 10)
	w.raw(`{"id":`)
	w.raw(id)
	w.raw(`,"order_number":`)
	w.str(id)
	w.raw(`,"order_key":`)
	w.str(d.OrderKey)
	w.raw(`,"created_at":`)
	legacyDateTime(w, o.created)
	w.raw(`,"updated_at":`)
	legacyDateTime(w, o.modified)
	w.raw(`,"completed_at":`)
	legacyDateTime(w, o.completed)
	w.raw(`,"status":`)
	w.str(o.status)
	w.raw(`,"currency":`)
	w.str(d.Currency)
	var subtotal money
	var items int64
	for _, li := range d.Lines {
		subtotal += li.Subtotal
		items += li.Quantity
	}
	w.raw(`,"total":`)
	w.money(d.Total)
	w.raw(`,"subtotal":`)
	w.money(subtotal)
	w.raw(`,"total_line_items_quantity":`)
	w.int(items)
	w.raw(`,"total_tax":`)
	w.money(d.TotalTax)
	w.raw(`,"total_shipping":`)
	w.money(d.ShippingTotal)
	w.raw(`,"cart_tax":`)
	w.money(d.CartTax)
	w.raw(`,"shipping_tax":`)
	w.money(d.ShippingTax)
	w.raw(`,"total_discount":`)
	w.money(d.DiscountTotal)
	w.raw(`,"shipping_methods":`)
	names := make([]string, len(d.Ships))
	for i, sl := range d.Ships {
		names[i] = sl.MethodTitle
	}
	w.str(strings.Join(names, ", "))
	w.raw(`,"payment_details":{"method_id":`)
	w.str(d.PaymentMethod)
	w.raw(`,"method_title":`)
	w.str(d.PaymentMethodTitle)
	w.raw(`,"paid":`)
	w.bool(o.paid != 0)
	w.raw(`},"billing_address":`)
	writeLegacyAddress(w, &d.Billing, true)
	w.raw(`,"shipping_address":`)
	writeLegacyAddress(w, &d.Shipping, false)
	w.raw(`,"note":`)
	w.str(d.CustomerNote)
	w.raw(`,"customer_ip":`)
	w.str(d.CustomerIP)
	w.raw(`,"customer_user_agent":`)
	w.str(d.CustomerUA)
	w.raw(`,"customer_id":`)
	w.int(d.CustomerID)
	w.raw(`,"view_order_url":`)
	if s.pretty {
		w.urlStr("/my-account/view-order/" + id + "/")
	} else {
		w.urlStr("/?page_id=9&view-order=" + id)
	}
	w.raw(`,"line_items":[`)
	for i := range d.Lines {
		if i > 0 {
			w.raw(",")
		}
		writeLegacyLineItem(w, &d.Lines[i])
	}
	w.raw(`],"shipping_lines":[`)
	for i, sl := range d.Ships {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.int(sl.ID)
		w.raw(`,"method_id":`)
		w.str(sl.MethodID)
		w.raw(`,"method_title":`)
		w.str(sl.MethodTitle)
		w.raw(`,"total":`)
		w.money(sl.Total)
		w.raw("}")
	}
	w.raw(`],"tax_lines":[`)
	first := true
	for _, t := range d.Taxes {
		amount := t.TaxTotal + t.ShippingTax
		if amount == 0 {
			continue // woocommerce_order_hide_zero_taxes
		}
		if !first {
			w.raw(",")
		}
		first = false
		w.raw(`{"id":`)
		w.int(t.ID)
		w.raw(`,"rate_id":`)
		w.int(t.RateID)
		w.raw(`,"code":`)
		w.str(t.RateCode)
		w.raw(`,"title":`)
		w.str(t.Label)
		w.raw(`,"total":`)
		w.money(amount)
		w.raw(`,"compound":`)
		w.bool(t.Compound)
		w.raw("}")
	}
	w.raw(`],"fee_lines":[`)
	for i, f := range d.Fees {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.int(f.ID)
		w.raw(`,"title":`)
		w.str(f.Name)
		w.raw(`,"tax_class":`)
		w.str(f.TaxClass)
		w.raw(`,"total":`)
		w.money(f.Total)
		w.raw(`,"total_tax":`)
		w.money(f.TotalTax)
		w.raw("}")
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
		w.raw(`,"amount":`)
		w.money(c.Discount)
		w.raw("}")
	}
	w.raw("]")
	if d.CustomerID == 0 {
		w.raw(`,"customer":{"id":0,"email":`)
		w.str(d.Billing.Email)
		w.raw(`,"first_name":`)
		w.str(d.Billing.FirstName)
		w.raw(`,"last_name":`)
		w.str(d.Billing.LastName)
		w.raw(`,"billing_address":`)
		writeLegacyAddress(w, &d.Billing, true)
		w.raw(`,"shipping_address":`)
		writeLegacyAddress(w, &d.Shipping, false)
		w.raw("}}")
	}
	scratch = w.b
	return &rendered{rev: o.rev, buf: bytes.Clone(w.b), cuts: slices.Clip(w.cuts)}
}

// writeLegacyAddress writes billing_address (with email and phone) or
// shipping_address (without: the legacy API predates the shipping phone).
func writeLegacyAddress(w *jsonWriter, a *address, billing bool) {
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
		w.raw(`,"phone":`)
		w.str(a.Phone)
	}
	w.raw("}")
}

// writeLegacyLineItem writes a line item: product_id is the variation's id
// for a variation, price is the line total over the quantity as a money
// string, and meta is get_all_formatted_meta_data('_'): no "_" keys, each
// entry {key, value, label}.
func writeLegacyLineItem(w *jsonWriter, li *lineItem) {
	w.raw(`{"id":`)
	w.int(li.ID)
	w.raw(`,"subtotal":`)
	w.money(li.Subtotal)
	w.raw(`,"subtotal_tax":`)
	w.money(li.SubtotalTax)
	w.raw(`,"total":`)
	w.money(li.Total)
	w.raw(`,"total_tax":`)
	w.money(li.TotalTax)
	w.raw(`,"price":"`)
	w.b = appendRatioDP(w.b, li.Total, li.Quantity, w.dp)
	w.raw(`","quantity":`)
	w.int(li.Quantity)
	w.raw(`,"tax_class":`)
	w.str(li.TaxClass)
	w.raw(`,"name":`)
	w.str(li.Name)
	w.raw(`,"product_id":`)
	if li.VariationID != 0 {
		w.int(li.VariationID)
	} else {
		w.int(li.ProductID)
	}
	w.raw(`,"sku":`)
	if li.SKUNull {
		w.null()
	} else {
		w.str(li.SKU)
	}
	w.raw(`,"meta":[`)
	first := true
	for _, m := range li.Meta {
		if strings.HasPrefix(m.Key, "_") || m.JSON != nil || m.Value == "" {
			continue
		}
		if !first {
			w.raw(",")
		}
		first = false
		w.raw(`{"key":`)
		w.str(m.Key)
		w.raw(`,"value":`)
		w.str(m.Value)
		w.raw(`,"label":`)
		w.str(m.DisplayKey)
		w.raw("}")
	}
	w.raw("]}")
}

// appendRatioDP appends amount/den (amount in cents) with dp decimals, as
// wc_format_decimal($total / $qty, $dp) rounds it: half away from zero.
func appendRatioDP(b []byte, amount money, den int64, dp int) []byte {
	if den == 0 {
		return appendMoneyDP(b, 0, dp)
	}
	num := int64(amount)
	neg := (num < 0) != (den < 0)
	if num < 0 {
		num = -num
	}
	if den < 0 {
		den = -den
	}
	// value = num / (100·den); scaled to dp decimals and rounded.
	scale := int64(1)
	for range dp {
		scale *= 10
	}
	d := 100 * den
	q := (2*num*scale + d) / (2 * d)
	if neg && q != 0 {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, q/scale, 10)
	if dp > 0 {
		frac := strconv.FormatInt(q%scale, 10)
		b = append(b, '.')
		for range dp - len(frac) {
			b = append(b, '0')
		}
		b = append(b, frac...)
	}
	return b
}

// appendRegisteredCustomer appends WC_API_Customers::get_customer() for a
// registered customer: the account as the customer's orders shaped it
// (registered an hour before the first order, addresses and name from the
// latest one, WC_Customer's order count and total spent). s.mu must be held.
func (s *Sim) appendRegisteredCustomer(b []byte, id int64, https bool) []byte {
	var first, last *order
	count := 0
	var spent money
	for _, i := range s.byCustomer[id] {
		o := s.orders[i]
		if first == nil {
			first = o
		}
		if o.status == "trash" {
			continue // get_order_count() and get_last_order() count wc_get_order_statuses() only
		}
		count++
		last = o
		if o.status == "processing" || o.status == "completed" { // wc_get_is_paid_statuses()
			spent += o.total
		}
	}
	if first == nil {
		return append(b, "null"...)
	}
	profile := last
	if profile == nil {
		profile = first
	}
	key := customerKey{first: first.id, profile: profile.id, https: https, hasLast: last != nil}
	var c *customerJSON
	if v, ok := s.customers.Load(id); ok && v.(*customerJSON).key == key {
		c = v.(*customerJSON)
	} else {
		c = s.renderCustomer(id, first, profile, last != nil, https)
		c.key = key
		s.customers.Store(id, c)
	}
	b = append(b, c.head...)
	b = strconv.AppendInt(b, int64(count), 10)
	b = append(b, `,"total_spent":"`...)
	b = appendMoney(b, spent)
	b = append(b, '"')
	return append(b, c.tail...)
}

// customerJSON is a registered customer's object but for orders_count and
// total_spent, which go between head and tail. It depends only on the
// customer's first and latest orders (and the scheme, for the avatar).
type customerJSON struct {
	key        customerKey
	head, tail []byte
}

type customerKey struct {
	first, profile int64
	https, hasLast bool
}

func (s *Sim) renderCustomer(id int64, first, profile *order, hasLast, https bool) *customerJSON {
	d := s.doc(profile)
	fd := d
	if first != profile {
		fd = s.doc(first)
	}
	username, _, _ := strings.Cut(fd.Billing.Email, "@")
	w := &jsonWriter{dp: 2}
	w.raw(`{"id":`)
	w.int(id)
	w.raw(`,"created_at":`)
	legacyDateTime(w, first.created-hour)
	w.raw(`,"last_update":`)
	legacyDateTime(w, profile.created)
	w.raw(`,"email":`)
	w.str(d.Billing.Email)
	w.raw(`,"first_name":`)
	w.str(d.Billing.FirstName)
	w.raw(`,"last_name":`)
	w.str(d.Billing.LastName)
	w.raw(`,"username":`)
	w.str(username)
	w.raw(`,"role":"customer","last_order_id":`)
	if hasLast {
		w.int(profile.id)
		w.raw(`,"last_order_date":`)
		legacyDateTime(w, profile.created)
	} else {
		w.raw(`null,"last_order_date":null`)
	}
	w.raw(`,"orders_count":`)
	c := &customerJSON{head: w.b}
	w = &jsonWriter{dp: 2}
	w.raw(`,"avatar_url":`)
	w.str(gravatarURL(d.Billing.Email, https))
	w.raw(`,"billing_address":`)
	writeLegacyAddress(w, &d.Billing, true)
	w.raw(`,"shipping_address":`)
	writeLegacyAddress(w, &d.Shipping, false)
	w.raw("}")
	c.tail = w.b
	return c
}

// gravatarURL is get_avatar_url() for an email with WordPress's defaults.
func gravatarURL(email string, https bool) string {
	sum := md5.Sum([]byte(strings.ToLower(strings.TrimSpace(email))))
	h := hex.EncodeToString(sum[:])
	host := "https://secure.gravatar.com"
	if !https {
		n, _ := strconv.ParseUint(h[:1], 16, 8)
		host = "http://" + strconv.FormatUint(n%3, 10) + ".gravatar.com"
	}
	return host + "/avatar/" + h + "?s=96&d=mm&r=g"
}
