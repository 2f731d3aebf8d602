package woosim

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
)

// Refunds as GET /wc/v3/orders/<id>/refunds (WC_REST_Order_Refunds_Controller)
// and GET /wc-api/v3/orders/<id>/refunds (WC_API_Orders::get_order_refunds())
// show them, with the keys, order and types of samples/wc-v3-order-refunds-*.json
// and samples/legacy-v3-order-refunds-*.json.

var (
	orderRefundsRouteRE = regexp.MustCompile(`^/wc/v3/orders/(\d+)/refunds$`)
	orderRefundRouteRE  = regexp.MustCompile(`^/wc/v3/orders/(\d+)/refunds/(\d+)$`)
)

// renderRefundWCV3 writes one refund. Amounts of its items are negative,
// as WooCommerce stores them.
func (s *Sim) renderRefundWCV3(w *jsonWriter, o *order, d *orderDoc, rf *refund) {
	oid := strconv.FormatInt(o.id, 10)
	rid := strconv.FormatInt(rf.ID, 10)
	w.raw(`{"id":`)
	w.raw(rid)
	w.raw(`,"date_created":`)
	s.dateLocal(w, rf.Created)
	w.raw(`,"date_created_gmt":`)
	dateGMT(w, rf.Created)
	w.raw(`,"amount":`)
	w.money(rf.Amount)
	w.raw(`,"reason":`)
	w.str(rf.Reason)
	w.raw(`,"refunded_by":`)
	w.int(refundedByAdmin)
	w.raw(`,"refunded_payment":false,"meta_data":[],"line_items":[`)
	item, meta := rf.itemBase, rf.metaBase
	refMeta := func(of int64) []metaItem {
		v := strconv.FormatInt(of, 10)
		m := []metaItem{{ID: meta, Key: "_refunded_item_id", Value: v, DisplayKey: "_refunded_item_id", DisplayValue: v}}
		meta++
		return m
	}
	first := true
	for _, l := range rf.Lines {
		if l.Kind != itemLine {
			continue
		}
		src := &d.Lines[l.Index]
		li := *src
		li.ID = item
		item++
		li.Quantity = -l.Qty
		li.Subtotal, li.Total = -l.Total, -l.Total
		li.SubtotalTax, li.TotalTax = -l.Tax, -l.Tax
		li.Meta = refMeta(src.ID)
		if !first {
			w.raw(",")
		}
		first = false
		writeLineItem(w, &li, true)
	}
	// Items get their ids in WooCommerce's order (lines, fees, shipping,
	// taxes) but are listed lines, shipping, taxes, fees.
	type idMeta struct{ id, meta int64 }
	feeIDs := map[int32]idMeta{}
	for _, l := range rf.Lines {
		if l.Kind == itemFee {
			feeIDs[l.Index] = idMeta{item, meta}
			item++
			meta++
		}
	}
	w.raw(`],"shipping_lines":[`)
	first = true
	for _, l := range rf.Lines {
		if l.Kind != itemShipping {
			continue
		}
		sl := &d.Ships[l.Index]
		if !first {
			w.raw(",")
		}
		first = false
		w.raw(`{"id":`)
		w.int(item)
		item++
		w.raw(`,"method_title":`)
		w.str(sl.MethodTitle)
		w.raw(`,"method_id":`)
		w.str(sl.MethodID)
		w.raw(`,"instance_id":`)
		w.str(sl.InstanceID)
		w.raw(`,"total":`)
		w.money(-l.Total)
		w.raw(`,"total_tax":`)
		w.money(-l.Tax)
		w.raw(`,"taxes":`)
		writeItemTaxes(w, sl.TaxRateID, -l.Tax, 0, false)
		w.raw(`,"meta_data":`)
		writeItemMeta(w, refMeta(sl.ID), true)
		w.raw("}")
	}
	w.raw(`],"tax_lines":[`)
	for i, t := range refundTaxes(d, rf) {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"id":`)
		w.int(item)
		item++
		w.raw(`,"rate_code":`)
		w.str(t.rate.RateCode)
		w.raw(`,"rate_id":`)
		w.int(t.rate.RateID)
		w.raw(`,"label":`)
		w.str(t.rate.Label)
		w.raw(`,"compound":`)
		w.bool(t.rate.Compound)
		w.raw(`,"tax_total":`)
		w.money(-t.cart)
		w.raw(`,"shipping_tax_total":`)
		w.money(-t.ship)
		w.raw(`,"rate_percent":`)
		w.raw(t.rate.RatePercent)
		w.raw(`,"meta_data":[]}`)
	}
	w.raw(`],"fee_lines":[`)
	first = true
	for _, l := range rf.Lines {
		if l.Kind != itemFee {
			continue
		}
		f := &d.Fees[l.Index]
		ids := feeIDs[l.Index]
		if !first {
			w.raw(",")
		}
		first = false
		w.raw(`{"id":`)
		w.int(ids.id)
		w.raw(`,"name":`)
		w.str(f.Name)
		w.raw(`,"tax_class":`)
		w.str(f.TaxClass)
		w.raw(`,"tax_status":`)
		w.str(f.TaxStatus)
		w.raw(`,"amount":"","total":`)
		w.money(-l.Total)
		w.raw(`,"total_tax":`)
		w.money(-l.Tax)
		w.raw(`,"taxes":`)
		writeItemTaxes(w, f.TaxRateID, -l.Tax, 0, false)
		w.raw(`,"meta_data":`)
		v := strconv.FormatInt(f.ID, 10)
		writeItemMeta(w, []metaItem{{ID: ids.meta, Key: "_refunded_item_id", Value: v, DisplayKey: "_refunded_item_id", DisplayValue: v}}, true)
		w.raw("}")
	}
	w.raw(`],"_links":{"self":[{"href":`)
	w.urlStr("/wp-json/wc/v3/orders/" + oid + "/refunds/" + rid)
	w.raw(`}],"collection":[{"href":`)
	w.urlStr("/wp-json/wc/v3/orders/" + oid + "/refunds")
	w.raw(`}],"up":[{"href":`)
	w.urlStr("/wp-json/wc/v3/orders/" + oid)
	w.raw(`}]}}`)
}

// refundsListArgs are GET /wc/v3/orders/<id>/refunds' arguments that the
// simulator reads.
var refundsListArgs = []argSpec{
	contextArg,
	{name: "page", kind: argInt, min: 1, hasMin: true, validate: true},
	{name: "per_page", kind: argInt, min: 1, max: 100, hasMin: true, hasMax: true, validate: true},
	{name: "dp", kind: argInt, validate: true},
}

// listRefundsWCV3 answers GET /wc/v3/orders/<id>/refunds: the order's
// refunds newest first, paged like every collection (X-WP-Total,
// X-WP-TotalPages).
func (s *Sim) listRefundsWCV3(w http.ResponseWriter, get phpParams, site string, authed bool, orderID string) {
	if err := validateArgs(get, refundsListArgs, nil); err != nil {
		err.write(w)
		return
	}
	if !authed {
		(&wpError{status: 401, code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources."}).write(w)
		return
	}
	page, perPage, dp := 1, 10, 2
	if p, ok := get.get("page"); ok {
		page = int(min(absint(p.Value), 1<<30))
	}
	if p, ok := get.get("per_page"); ok {
		perPage = int(absint(p.Value))
	}
	if p, ok := get.get("dp"); ok && !p.IsArr {
		dp = int(min(absint(p.Value), 10))
	}
	id, _ := strconv.ParseInt(orderID, 10, 64)
	s.mu.RLock()
	o := s.orderLocked(id)
	if o == nil {
		s.mu.RUnlock()
		(&wpError{status: 404, code: "woocommerce_rest_invalid_order_id", message: "Invalid order ID."}).write(w)
		return
	}
	all := sortedRefunds(o)
	var d *orderDoc
	if len(all) > 0 {
		d = s.doc(o)
	}
	from := min((page-1)*perPage, len(all))
	to := min(from+perPage, len(all))
	wr := &jsonWriter{b: getBuf(), dp: dp}
	wr.raw("[")
	for i, rf := range all[from:to] {
		if i > 0 {
			wr.raw(",")
		}
		s.renderRefundWCV3(wr, o, d, rf)
	}
	wr.raw("]")
	s.mu.RUnlock()
	pages := (len(all) + perPage - 1) / perPage
	h := w.Header()
	h["X-WP-Total"] = []string{strconv.Itoa(len(all))}
	h["X-WP-TotalPages"] = []string{strconv.Itoa(pages)}
	rd := &rendered{buf: wr.b, cuts: wr.cuts}
	body := rd.appendTo(getBuf(), appendPHPStringBody(nil, site))
	putBuf(wr.b)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	putBuf(body)
}

// legacyOrderRefunds answers GET /wc-api/v3/orders/<id>/refunds as
// WC_API_Orders::get_order_refunds(): {"order_refunds":[…]}, newest first,
// each with its line items only (no shipping, fee or tax lines); with a
// refund id, GET …/refunds/<id> as get_order_refund(): {"order_refund":{…}}.
func (s *Sim) legacyOrderRefunds(q *legacyRequest, idStr, refundID string) {
	id := absint(idStr)
	dp := legacyDP(legacyFilterOf(q.get))
	s.mu.RLock()
	defer s.mu.RUnlock()
	o := s.orderLocked(id)
	if o == nil || o.status == "trash" {
		(&legacyError{status: 404, code: "woocommerce_api_invalid_order_id", message: "Invalid order ID"}).write(q.w, q.head)
		return
	}
	all := sortedRefunds(o)
	var d *orderDoc
	if len(all) > 0 {
		d = s.doc(o)
	}
	w := &jsonWriter{dp: dp}
	if refundID != "" {
		rid := absint(refundID)
		i := slices.IndexFunc(all, func(rf *refund) bool { return rf.ID == rid })
		if i < 0 {
			(&legacyError{status: 404, code: "woocommerce_api_invalid_order_refund_id", message: "An order refund with the provided ID could not be found."}).write(q.w, q.head)
			return
		}
		w.raw(`{"order_refund":`)
		writeLegacyRefund(w, d, all[i])
		w.raw("}")
		writeLegacy(q.w, http.StatusOK, w.b, q.head)
		return
	}
	w.raw(`{"order_refunds":[`)
	for i, rf := range all {
		if i > 0 {
			w.raw(",")
		}
		writeLegacyRefund(w, d, rf)
	}
	w.raw("]}")
	writeLegacy(q.w, http.StatusOK, w.b, q.head)
}

func writeLegacyRefund(w *jsonWriter, d *orderDoc, rf *refund) {
	w.raw(`{"id":`)
	w.int(rf.ID)
	w.raw(`,"created_at":`)
	legacyDateTime(w, rf.Created)
	w.raw(`,"amount":`)
	w.money(rf.Amount)
	w.raw(`,"reason":`)
	w.str(rf.Reason)
	w.raw(`,"line_items":[`)
	item := rf.itemBase
	first := true
	for _, l := range rf.Lines {
		if l.Kind != itemLine {
			continue
		}
		li := &d.Lines[l.Index]
		if !first {
			w.raw(",")
		}
		first = false
		w.raw(`{"id":`)
		w.int(item)
		item++
		w.raw(`,"subtotal":`)
		w.money(-l.Total)
		w.raw(`,"subtotal_tax":`)
		w.money(-l.Tax)
		w.raw(`,"total":`)
		w.money(-l.Total)
		w.raw(`,"total_tax":`)
		w.money(-l.Tax)
		w.raw(`,"price":"`)
		w.b = appendRatioDP(w.b, l.Total, l.Qty, w.dp)
		w.raw(`","quantity":`)
		w.int(-l.Qty)
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
		// refunded_item_id is read from a meta key WooCommerce does not
		// write (it writes _refunded_item_id): always 0.
		w.raw(`,"meta":[],"refunded_item_id":0}`)
	}
	w.raw("]}")
}

// getRefundWCV3 answers GET /wc/v3/orders/<id>/refunds/<refund id>.
func (s *Sim) getRefundWCV3(w http.ResponseWriter, get phpParams, site string, authed bool, orderID, refundID string) {
	if err := validateArgs(get, []argSpec{contextArg}, nil); err != nil {
		err.write(w)
		return
	}
	if !authed {
		(&wpError{status: 401, code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot view this resource."}).write(w)
		return
	}
	dp := 2
	if p, ok := get.get("dp"); ok && !p.IsArr {
		dp = int(min(absint(p.Value), 10))
	}
	oid, _ := strconv.ParseInt(orderID, 10, 64)
	rid, _ := strconv.ParseInt(refundID, 10, 64)
	s.mu.RLock()
	o := s.orderLocked(oid)
	var rf *refund
	if o != nil {
		for i := range o.refunds {
			if o.refunds[i].ID == rid {
				rf = &o.refunds[i]
			}
		}
	}
	if rf == nil {
		s.mu.RUnlock()
		(&wpError{status: 404, code: "woocommerce_rest_invalid_id", message: "Invalid ID."}).write(w)
		return
	}
	wr := &jsonWriter{dp: dp}
	s.renderRefundWCV3(wr, o, s.doc(o), rf)
	s.mu.RUnlock()
	rd := &rendered{buf: wr.b, cuts: wr.cuts}
	w.WriteHeader(http.StatusOK)
	w.Write(rd.appendTo(nil, appendPHPStringBody(nil, site)))
}
