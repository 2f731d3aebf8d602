package woosim

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// legacyError is a WP_Error as WC_API_Server answers it:
// {"errors":[{"code":…,"message":…}]} with the error's status.
type legacyError struct {
	status          int
	code, message   string
	wwwAuthenticate bool // exit_with_unauthorized_headers() sent a Basic challenge
}

func (e *legacyError) json() []byte {
	var w jsonWriter
	w.raw(`{"errors":[{"code":`)
	w.str(e.code)
	w.raw(`,"message":`)
	w.str(e.message)
	w.raw("}]}")
	return w.b
}

func (e *legacyError) write(w http.ResponseWriter, head bool) {
	if e.wwwAuthenticate {
		w.Header().Set("WWW-Authenticate", `Basic realm="WooCommerce API. Use a consumer key in the username field and a consumer secret in the password field."`)
	}
	writeLegacy(w, e.status, e.json(), head)
}

// writeLegacy sends a legacy answer; WC_API_Server::serve_request() sends
// no body for HEAD.
func writeLegacy(w http.ResponseWriter, status int, body []byte, head bool) {
	w.WriteHeader(status)
	if !head {
		w.Write(body)
	}
}

// bodyAPIDisabled is serve_request()'s answer when "Enable the legacy REST
// API" is off. Unlike every other legacy error, "errors" is an object, not
// a list (the source builds array('errors' => array('code' => …))).
const bodyAPIDisabled = `{"errors":{"code":"woocommerce_api_disabled","message":"The WooCommerce API is disabled on this site"}}`

// legacyRequest is one request to the legacy API, authenticated.
type legacyRequest struct {
	w      http.ResponseWriter
	r      *http.Request
	get    phpParams
	site   string // home URL, scheme and host[:port]
	route  string
	method string // after _method / X-HTTP-Method-Override
	key    *apiKey
	head   bool
}

// serveLegacy answers a legacy REST API v3 request for route ("/orders"),
// as WC_API_Server::serve_request() does.
func (s *Sim) serveLegacy(w http.ResponseWriter, r *http.Request, route string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	head := r.Method == http.MethodHead
	if !s.legacyOn {
		writeLegacy(w, http.StatusNotFound, []byte(bodyAPIDisabled), head)
		return
	}
	get := parsePHPQuery(r.URL.RawQuery)
	method := r.Method
	if p, ok := get.get("_method"); ok && !p.IsArr {
		method = strings.ToUpper(p.Value)
	} else if v := r.Header.Get("X-HTTP-Method-Override"); v != "" {
		method = v
	}
	q := &legacyRequest{w: w, r: r, get: get, site: s.siteURL(r), route: route, method: method, head: head}
	if route != "/" { // "Allow access to the index by default"
		k, err := s.authenticateLegacy(r, get, q.site, route, method)
		if err != nil {
			err.write(w, head)
			return
		}
		q.key = k
	}
	s.dispatchLegacy(q)
}

// The legacy server's method bits and the route flags built from them.
const (
	lgGet      = 1
	lgPost     = 2
	lgPut      = 4
	lgPatch    = 8
	lgDelete   = 16
	lgReadable = lgGet
	lgCreate   = lgPost
	lgEdit     = lgPost | lgPut | lgPatch
	lgData     = 128 // ACCEPT_DATA
)

// legacyOp names what the simulator does for a route's callback.
type legacyOp int

const (
	opNotImplemented legacyOp = iota
	opIndex
	opOrders
	opOrdersCount
	opOrderStatuses
	opOrder
	opWebhooks
	opWebhookCreate
	opWebhooksCount
	opWebhook
	opWebhookEdit
	opWebhookDelete
	opWebhookDeliveries
	opOrderRefunds
	opOrderRefund
	opReportsSales
)

type legacyCallback struct {
	flags int
	op    legacyOp
}

type legacyRoute struct {
	pattern string // as registered: "/orders/(?P<id>\d+)"
	re      *regexp.Regexp
	cbs     []legacyCallback
}

func lr(pattern string, cbs ...legacyCallback) legacyRoute {
	return legacyRoute{pattern: pattern, re: regexp.MustCompile(`(?i)^` + pattern + `$`), cbs: cbs}
}

func cb(flags int, op legacyOp) legacyCallback { return legacyCallback{flags, op} }

var (
	rNone   = cb(lgReadable, opNotImplemented)
	cNone   = cb(lgCreate|lgData, opNotImplemented)
	eNone   = cb(lgEdit|lgData, opNotImplemented)
	dNone   = cb(lgDelete, opNotImplemented)
	bulkCbs = cb(lgEdit|lgData, opNotImplemented)
)

// legacyRoutes are the routes WooCommerce's legacy API v3 registers, in
// registration order (WC_API_Server's index, then coupons, customers,
// orders, products, reports, taxes, webhooks), which is the order the
// index lists them and dispatch tries them in.
var legacyRoutes = []legacyRoute{
	lr(`/`, cb(lgReadable, opIndex)),

	lr(`/coupons`, rNone, cNone),
	lr(`/coupons/count`, rNone),
	lr(`/coupons/(?P<id>\d+)`, rNone, eNone, dNone),
	lr(`/coupons/code/(?P<code>\w[\w\s\-]*)`, rNone),
	lr(`/coupons/bulk`, bulkCbs),

	lr(`/customers`, rNone, cNone),
	lr(`/customers/count`, rNone),
	lr(`/customers/(?P<id>\d+)`, rNone, eNone, dNone),
	lr(`/customers/email/(?P<email>.+)`, rNone),
	lr(`/customers/(?P<id>\d+)/orders`, rNone),
	lr(`/customers/(?P<id>\d+)/downloads`, rNone),
	lr(`/customers/bulk`, bulkCbs),

	lr(`/orders`, cb(lgReadable, opOrders), cNone),
	lr(`/orders/count`, cb(lgReadable, opOrdersCount)),
	lr(`/orders/statuses`, cb(lgReadable, opOrderStatuses)),
	lr(`/orders/(?P<id>\d+)`, cb(lgReadable, opOrder), eNone, dNone),
	lr(`/orders/(?P<order_id>\d+)/notes`, rNone, cNone),
	lr(`/orders/(?P<order_id>\d+)/notes/(?P<id>\d+)`, rNone, eNone, dNone),
	lr(`/orders/(?P<order_id>\d+)/refunds`, cb(lgReadable, opOrderRefunds), cNone),
	lr(`/orders/(?P<order_id>\d+)/refunds/(?P<id>\d+)`, cb(lgReadable, opOrderRefund), eNone, dNone),
	lr(`/orders/bulk`, bulkCbs),

	lr(`/products`, rNone, cNone),
	lr(`/products/count`, rNone),
	lr(`/products/(?P<id>\d+)`, rNone, eNone, dNone),
	lr(`/products/(?P<id>\d+)/reviews`, rNone),
	lr(`/products/(?P<id>\d+)/orders`, rNone),
	lr(`/products/categories`, rNone, cNone),
	lr(`/products/categories/(?P<id>\d+)`, rNone, eNone, dNone),
	lr(`/products/tags`, rNone, cNone),
	lr(`/products/tags/(?P<id>\d+)`, rNone, eNone, dNone),
	lr(`/products/shipping_classes`, rNone, cNone),
	lr(`/products/shipping_classes/(?P<id>\d+)`, rNone, eNone, dNone),
	lr(`/products/attributes`, rNone, cNone),
	lr(`/products/attributes/(?P<id>\d+)`, rNone, eNone, dNone),
	lr(`/products/attributes/(?P<attribute_id>\d+)/terms`, rNone, cNone),
	lr(`/products/attributes/(?P<attribute_id>\d+)/terms/(?P<id>\d+)`, rNone, eNone, dNone),
	lr(`/products/bulk`, bulkCbs),

	lr(`/reports`, rNone),
	lr(`/reports/sales`, cb(lgReadable, opReportsSales)),
	lr(`/reports/sales/top_sellers`, rNone),

	lr(`/taxes`, rNone, cNone),
	lr(`/taxes/count`, rNone),
	lr(`/taxes/(?P<id>\d+)`, rNone, eNone, dNone),
	lr(`/taxes/classes`, rNone, cNone),
	lr(`/taxes/classes/count`, rNone),
	lr(`/taxes/classes/(?P<slug>\w[\w\s\-]*)`, dNone),
	lr(`/taxes/bulk`, bulkCbs),

	lr(`/webhooks`, cb(lgReadable, opWebhooks), cb(lgCreate|lgData, opWebhookCreate)),
	lr(`/webhooks/count`, cb(lgReadable, opWebhooksCount)),
	lr(`/webhooks/(?P<id>\d+)`, cb(lgReadable, opWebhook), cb(lgEdit|lgData, opWebhookEdit), cb(lgDelete, opWebhookDelete)),
	lr(`/webhooks/(?P<webhook_id>\d+)/deliveries`, cb(lgReadable, opWebhookDeliveries)),
	lr(`/webhooks/(?P<webhook_id>\d+)/deliveries/(?P<id>\d+)`, cb(lgReadable, opWebhookDeliveries)),
}

var errLegacyNoRoute = &legacyError{status: 404, code: "woocommerce_api_no_route",
	message: "No route was found matching the URL and request method"}

// dispatchLegacy is WC_API_Server::dispatch(): the first route whose
// pattern matches the (once more url-decoded) path, case-insensitively,
// with a callback for the method.
func (s *Sim) dispatchLegacy(q *legacyRequest) {
	var bit int
	switch q.method {
	case http.MethodHead, http.MethodGet:
		bit = lgGet
	case http.MethodPost:
		bit = lgPost
	case http.MethodPut:
		bit = lgPut
	case http.MethodPatch:
		bit = lgPatch
	case http.MethodDelete:
		bit = lgDelete
	default:
		(&legacyError{status: 400, code: "woocommerce_api_unsupported_method", message: "Unsupported request method"}).write(q.w, q.head)
		return
	}
	path := phpURLDecode(q.route)
	for _, rt := range legacyRoutes {
		for _, c := range rt.cbs {
			if c.flags&bit == 0 {
				continue
			}
			m := rt.re.FindStringSubmatch(path)
			if m == nil {
				continue
			}
			s.runLegacy(q, c.op, m)
			return
		}
	}
	errLegacyNoRoute.write(q.w, q.head)
}

func (s *Sim) runLegacy(q *legacyRequest, op legacyOp, m []string) {
	id := func() string { return m[len(m)-1] }
	switch op {
	case opIndex:
		writeLegacy(q.w, http.StatusOK, s.legacyIndex(q), q.head)
	case opOrders:
		s.legacyListOrders(q)
	case opOrdersCount:
		s.legacyOrdersCount(q)
	case opOrderStatuses:
		s.legacyOrderStatuses(q)
	case opOrder:
		s.legacyGetOrder(q, id())
	case opReportsSales:
		s.legacyReportsSales(q)
	case opOrderRefunds:
		s.legacyOrderRefunds(q, m[1], "")
	case opOrderRefund:
		s.legacyOrderRefunds(q, m[1], m[2])
	case opWebhooks:
		s.legacyListWebhooks(q)
	case opWebhooksCount:
		s.legacyWebhooksCount(q)
	case opWebhookCreate:
		s.legacyCreateWebhook(q)
	case opWebhook:
		s.legacyGetWebhook(q, id())
	case opWebhookEdit:
		s.legacyEditWebhook(q, id())
	case opWebhookDelete:
		s.legacyDeleteWebhook(q, id())
	case opWebhookDeliveries:
		s.legacyWebhookDeliveries(q, m[1], len(m) > 2)
	default:
		(&legacyError{status: 501, code: "woosim_not_implemented",
			message: "The WooCommerce simulator does not implement " + q.method + " " + q.route + " of the legacy API."}).write(q.w, q.head)
	}
}

// legacyGetParam is a top-level query parameter as WC_API_Server hands it
// to a callback: urldecode()d once more (sort_callback_params()).
func legacyGetParam(get phpParams, name string) (string, bool) {
	p, ok := get.get(name)
	if !ok || p.IsArr {
		return "", false
	}
	return phpURLDecode(p.Value), true
}

// legacyFilter is the filter[] parameter, each value urldecode()d once more.
type legacyFilter map[string]string

func legacyFilterOf(get phpParams) legacyFilter {
	f := legacyFilter{}
	if p, ok := get.get("filter"); ok && p.IsArr {
		for _, kv := range p.Arr {
			f[kv.K] = phpURLDecode(kv.V)
		}
	}
	return f
}

// nonEmpty is !empty($filter[$k]).
func (f legacyFilter) nonEmpty(k string) (string, bool) {
	v, ok := f[k]
	return v, ok && v != "" && v != "0"
}

// phpIntval is intval() of a string: its leading integer, 0 if none.
func phpIntval(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.ParseInt(s[:end], 10, 64)
	return n
}
