package woosim

import (
	"net/http"
	"strconv"
	"strings"
)

// legacyDP is filter[dp]: intval() when set, 2 otherwise (kept to 0…10).
func legacyDP(f legacyFilter) int {
	v, ok := f["dp"]
	if !ok {
		return 2
	}
	return int(min(max(phpIntval(v), 0), 10))
}

// legacyListOrders answers GET /orders as WC_API_Orders::get_orders():
// {"orders":[…]}, X-WC-Total, X-WC-TotalPages and one Link header per
// relation.
func (s *Sim) legacyListOrders(q *legacyRequest) {
	f := legacyFilterOf(q.get)
	status, _ := legacyGetParam(q.get, "status")
	page, hasPage := legacyGetParam(q.get, "page")
	if !hasPage {
		page = "1"
	}
	dp := legacyDP(f)
	view := legacyViewOf(q.get, f) // fields.go
	https := q.r.TLS != nil
	siteEsc := appendPHPStringBody(nil, q.site)

	s.mu.RLock()
	lq, lerr := s.legacyOrderQuery(f, status, page)
	if lerr != nil {
		s.mu.RUnlock()
		lerr.write(q.w, q.head)
		return
	}
	orders, total := s.queryLocked(&lq.q)
	body := getBuf()
	body = append(body, `{"orders":[`...)
	for i, o := range orders {
		if i > 0 {
			body = append(body, ',')
		}
		body = s.appendLegacyOrderView(body, o, dp, siteEsc, https, view)
	}
	s.mu.RUnlock()
	body = append(body, "]}"...)

	// WP_Query::set_found_posts() leaves found_posts and max_num_pages at 0
	// for an empty page, and nopaging never sets max_num_pages.
	pages := 0
	if len(orders) == 0 {
		total = 0
	} else if !lq.nopaging {
		pages = (total + lq.q.perPage - 1) / lq.q.perPage
	}
	cur := int(absint(page))
	if cur == 0 {
		cur = 1
	}
	h := q.w.Header()
	scheme := "http"
	if https {
		scheme = "https"
	}
	host := hostWithoutPort(strings.TrimPrefix(strings.TrimPrefix(q.site, "https://"), "http://"))
	path, rawQuery, _ := strings.Cut(q.r.RequestURI, "?")
	link := func(rel string, n int) {
		h.Add("Link", "<"+legacyPageURL(scheme, host, path, rawQuery, n)+`>; rel="`+rel+`"`)
	}
	if cur > 1 {
		link("first", 1)
		link("prev", cur-1)
	}
	if cur+1 <= pages {
		link("next", cur+1)
	}
	if cur != pages {
		link("last", pages)
	}
	// Spelled as WooCommerce spells them (Go would send "X-Wc-Total").
	h["X-WC-Total"] = []string{strconv.Itoa(total)}
	h["X-WC-TotalPages"] = []string{strconv.Itoa(pages)}
	writeLegacy(q.w, http.StatusOK, body, q.head)
	putBuf(body)
}

// hostWithoutPort is parse_url($home, PHP_URL_HOST): "127.0.0.1:8443" →
// "127.0.0.1", "[::1]:8443" → "[::1]".
func hostWithoutPort(hostport string) string {
	if strings.HasPrefix(hostport, "[") {
		if i := strings.IndexByte(hostport, ']'); i >= 0 {
			return hostport[:i+1]
		}
		return hostport
	}
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		return hostport[:i]
	}
	return hostport
}

// legacyGetOrder answers GET /orders/{id} as WC_API_Orders::get_order().
func (s *Sim) legacyGetOrder(q *legacyRequest, idStr string) {
	id := absint(idStr)
	if id == 0 {
		(&legacyError{status: 404, code: "woocommerce_api_invalid_order_id", message: "Invalid shop_order ID"}).write(q.w, q.head)
		return
	}
	f := legacyFilterOf(q.get)
	dp, view := legacyDP(f), legacyViewOf(q.get, f)
	siteEsc := appendPHPStringBody(nil, q.site)
	s.mu.RLock()
	o := s.orderLocked(id)
	if o == nil {
		isRefund := id > RefundIDBase && id < s.nextRefund
		s.mu.RUnlock()
		if isRefund {
			// A post, but a shop_order_refund.
			(&legacyError{status: 404, code: "woocommerce_api_invalid_order", message: "Invalid order"}).write(q.w, q.head)
			return
		}
		(&legacyError{status: 404, code: "woocommerce_api_no_order_found",
			message: "No order found with the ID equal to " + strconv.FormatInt(id, 10)}).write(q.w, q.head)
		return
	}
	body := append(getBuf(), `{"order":`...)
	body = s.appendLegacyOrderView(body, o, dp, siteEsc, q.r.TLS != nil, view)
	s.mu.RUnlock()
	body = append(body, '}')
	writeLegacy(q.w, http.StatusOK, body, q.head)
	putBuf(body)
}

// legacyOrdersCount answers GET /orders/count: {"count":N}, or with
// status=any one count per registered status.
func (s *Sim) legacyOrdersCount(q *legacyRequest) {
	f := legacyFilterOf(q.get)
	status, _ := legacyGetParam(q.get, "status")
	s.mu.RLock()
	defer s.mu.RUnlock()
	count := func(f legacyFilter, status string) (int, *legacyError) {
		lq, err := s.legacyOrderQuery(f, status, "1")
		if err != nil {
			return 0, err
		}
		page, total := s.queryLocked(&lq.q)
		if len(page) == 0 {
			total = 0
		}
		return total, nil
	}
	var w jsonWriter
	if status == "any" {
		w.raw(`{"count":{`)
		for i, st := range s.orderStatusesLocked() {
			g := legacyFilter{}
			for k, v := range f {
				g[k] = v
			}
			n, err := count(g, st)
			if err != nil {
				err.write(q.w, q.head)
				return
			}
			if i > 0 {
				w.raw(",")
			}
			w.str(st)
			w.raw(":")
			w.int(int64(n))
		}
		w.raw("}}")
	} else {
		n, err := count(f, status)
		if err != nil {
			err.write(q.w, q.head)
			return
		}
		w.raw(`{"count":`)
		w.int(int64(n))
		w.raw("}")
	}
	writeLegacy(q.w, http.StatusOK, w.b, q.head)
}

// orderStatusLabels are wc_get_order_statuses()' names.
var orderStatusLabels = map[string]string{
	"pending": "Pending payment", "processing": "Processing", "on-hold": "On hold", "completed": "Completed",
	"cancelled": "Cancelled", "refunded": "Refunded", "failed": "Failed", "checkout-draft": "Draft",
}

// legacyOrderStatuses answers GET /orders/statuses.
func (s *Sim) legacyOrderStatuses(q *legacyRequest) {
	s.mu.RLock()
	statuses := s.orderStatusesLocked()
	s.mu.RUnlock()
	var w jsonWriter
	w.raw(`{"order_statuses":{`)
	for i, st := range statuses {
		if i > 0 {
			w.raw(",")
		}
		w.str(st)
		w.raw(":")
		label, ok := orderStatusLabels[st]
		if !ok {
			label = strings.ToUpper(st[:1]) + st[1:]
		}
		w.str(label)
	}
	w.raw("}}")
	writeLegacy(q.w, http.StatusOK, w.b, q.head)
}
