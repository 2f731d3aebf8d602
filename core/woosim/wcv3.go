package woosim

import (
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// serveREST answers a WordPress REST request for route ("/wc/v3/orders").
// keyAuth is false for the ?rest_route= form, which WooCommerce 7.9 does not
// authenticate with API keys.
func (s *Sim) serveREST(w http.ResponseWriter, r *http.Request, route string, keyAuth bool) {
	site := s.siteURL(r)
	get := parsePHPQuery(r.URL.RawQuery)
	route = "/" + strings.Trim(route, "/")

	var auth restAuth
	if keyAuth && (strings.HasPrefix(route, "/wc/") || strings.HasPrefix(route, "/wc-")) {
		auth = s.authenticateWCV3(r, get, site)
	}
	authed := auth.key != nil
	restHeaders(w.Header(), r, site, authed)
	if auth.err != nil {
		auth.err.write(w)
		return
	}
	if authed {
		if err := checkKeyPermissions(auth.key, r.Method); err != nil {
			err.write(w)
			return
		}
	}

	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if strings.HasPrefix(route+"/", "/wc/v3/") && !s.hasWCV3() {
		errNoRoute.write(w) // wc/v3 came with WooCommerce 3.5
		return
	}
	switch {
	case route == "/wc/v3/webhooks":
		if authed {
			w.Header().Set("Allow", "GET, POST")
		}
		s.serveWebhooksWCV3(w, r, method, get, site, auth.key)
	case webhookRouteRE.MatchString(route):
		if authed {
			w.Header().Set("Allow", "GET, POST, PUT, PATCH, DELETE")
		}
		s.serveWebhookWCV3(w, r, method, get, site, auth.key, strings.TrimPrefix(route, "/wc/v3/webhooks/"))
	case route == "/wc/v3/orders":
		if authed {
			w.Header().Set("Allow", "GET, POST")
		}
		if method != http.MethodGet {
			errNotImplemented.write(w)
			return
		}
		s.listOrdersWCV3(w, get, site, authed)
	case route == "/" && method == http.MethodGet:
		s.serveWPIndex(w, site)
	case route == "/wc/v3/reports/sales":
		if authed {
			w.Header().Set("Allow", "GET")
		}
		if method != http.MethodGet {
			errNoRoute.write(w)
			return
		}
		s.reportsSalesWCV3(w, get, site, authed)
	case route == "/wc/v3/taxes":
		if authed {
			w.Header().Set("Allow", "GET, POST")
		}
		if method != http.MethodGet {
			errNotImplemented.write(w)
			return
		}
		s.listTaxesWCV3(w, get, site, authed)
	case orderRefundRouteRE.MatchString(route):
		if authed {
			w.Header().Set("Allow", "GET, DELETE")
		}
		if method != http.MethodGet {
			errNotImplemented.write(w)
			return
		}
		m := orderRefundRouteRE.FindStringSubmatch(route)
		s.getRefundWCV3(w, get, site, authed, m[1], m[2])
	case orderRefundsRouteRE.MatchString(route):
		if authed {
			w.Header().Set("Allow", "GET, POST")
		}
		if method != http.MethodGet {
			errNotImplemented.write(w)
			return
		}
		s.listRefundsWCV3(w, get, site, authed, orderRefundsRouteRE.FindStringSubmatch(route)[1])
	case orderRouteRE.MatchString(route):
		if authed {
			w.Header().Set("Allow", "GET, POST, PUT, PATCH, DELETE")
		}
		if method != http.MethodGet {
			errNotImplemented.write(w)
			return
		}
		s.getOrderWCV3(w, get, site, authed, strings.TrimPrefix(route, "/wc/v3/orders/"))
	default:
		errNoRoute.write(w)
	}
}

var (
	orderRouteRE   = regexp.MustCompile(`^/wc/v3/orders/\d+$`)
	webhookRouteRE = regexp.MustCompile(`^/wc/v3/webhooks/\d+$`)
)

var errNotImplemented = &wpError{status: 501, code: "woosim_not_implemented",
	message: "The WooCommerce simulator does not implement this method yet."}

// checkKeyPermissions is WC_REST_Authentication::check_permissions().
func checkKeyPermissions(k *apiKey, method string) *wpError {
	switch method {
	case http.MethodHead, http.MethodGet:
		if k.permissions != "read" && k.permissions != "read_write" {
			return authError("The API key provided does not have read permissions.")
		}
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		if k.permissions != "write" && k.permissions != "read_write" {
			return authError("The API key provided does not have write permissions.")
		}
	case http.MethodOptions:
	default:
		return authError("Unknown request method.")
	}
	return nil
}

// siteURL is the shop's home URL as WordPress builds REST URLs: the
// request's scheme and the configured (or requested) host.
func (s *Sim) siteURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := s.siteHost
	if host == "" {
		host = r.Host
	}
	return scheme + "://" + host
}

// restHeaders sets what WP_REST_Server::serve_request() sends with every
// answer: the API discovery Link (replaced by pagination links on lists),
// nocache headers for logged-in requests, CORS headers.
func restHeaders(h http.Header, r *http.Request, site string, authed bool) {
	h.Set("Content-Type", "application/json; charset=UTF-8")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Link", "<"+site+`/wp-json/>; rel="https://api.w.org/"`)
	h.Set("X-Content-Type-Options", "nosniff")
	if authed {
		h.Set("Expires", "Wed, 11 Jan 1984 05:00:00 GMT")
		h.Set("Cache-Control", "no-cache, must-revalidate, max-age=0, no-store, private")
	}
	h.Set("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
	h.Set("Access-Control-Allow-Headers", "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type")
	if origin := r.Header.Get("Origin"); origin != "" {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", "OPTIONS, GET, POST, PUT, PATCH, DELETE")
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Add("Vary", "Origin")
	} else if r.Method == http.MethodGet && !authed {
		h.Add("Vary", "Origin")
	}
}

// argKind is the JSON-schema type of a route argument.
type argKind int

const (
	argInt argKind = iota
	argString
	argEnum
	argDate
	argBool
	argIDList   // array of integers, sanitized by wp_parse_id_list, never validated
	argEnumList // array of enum strings
)

// argSpec is a registered route argument (get_collection_params()).
type argSpec struct {
	name     string
	kind     argKind
	enum     []string
	min, max int64
	hasMin   bool
	hasMax   bool
	validate bool // has validate_callback rest_validate_request_arg
}

var contextArg = argSpec{name: "context", kind: argEnum, enum: []string{"view", "edit"}, validate: true}

// ordersListArgs are GET /wc/v3/orders' arguments, in the order WordPress
// validates them.
var ordersListArgs = []argSpec{
	contextArg,
	{name: "page", kind: argInt, min: 1, hasMin: true, validate: true},
	{name: "per_page", kind: argInt, min: 1, max: 100, hasMin: true, hasMax: true, validate: true},
	{name: "search", kind: argString, validate: true},
	{name: "after", kind: argDate, validate: true},
	{name: "before", kind: argDate, validate: true},
	{name: "modified_after", kind: argDate, validate: true},
	{name: "modified_before", kind: argDate, validate: true},
	{name: "dates_are_gmt", kind: argBool, validate: true},
	{name: "exclude", kind: argIDList},
	{name: "include", kind: argIDList},
	{name: "offset", kind: argInt, validate: true},
	{name: "order", kind: argEnum, enum: []string{"asc", "desc"}, validate: true},
	{name: "orderby", kind: argEnum, enum: []string{"date", "id", "include", "title", "slug", "modified"}, validate: true},
	{name: "parent", kind: argIDList},
	{name: "parent_exclude", kind: argIDList},
	{name: "status", kind: argEnumList, validate: true}, // enum: any, trash and the order statuses
	{name: "customer", kind: argInt, validate: true},
	{name: "product", kind: argInt, validate: true},
	{name: "dp", kind: argInt, validate: true},
}

// validateArgs is WP_REST_Request::has_valid_params() for the arguments
// present in the query.
func validateArgs(get phpParams, specs []argSpec, statuses []string) *wpError {
	var bad []invalidParam
	for _, a := range specs {
		p, ok := get.get(a.name)
		if !ok || !a.validate {
			continue
		}
		if ip := validateArg(a, p, statuses); ip != nil {
			bad = append(bad, *ip)
		}
	}
	if bad != nil {
		return invalidParams(bad)
	}
	return nil
}

func notOfType(name, typ string) *invalidParam {
	return &invalidParam{name: name, code: "rest_invalid_type", message: name + " is not of type " + typ + ".", dataParam: name}
}

func validateArg(a argSpec, p phpParam, statuses []string) *invalidParam {
	switch a.kind {
	case argInt:
		if p.IsArr {
			return notOfType(a.name, "integer")
		}
		f, ok := phpIntegerValue(p.Value)
		if !ok {
			return notOfType(a.name, "integer")
		}
		switch {
		case a.hasMin && a.hasMax && (f < float64(a.min) || f > float64(a.max)):
			return &invalidParam{name: a.name, code: "rest_out_of_bounds",
				message: a.name + " must be between " + strconv.FormatInt(a.min, 10) + " (inclusive) and " +
					strconv.FormatInt(a.max, 10) + " (inclusive)"}
		case a.hasMin && !a.hasMax && f < float64(a.min):
			return &invalidParam{name: a.name, code: "rest_out_of_bounds",
				message: a.name + " must be greater than or equal to " + strconv.FormatInt(a.min, 10)}
		}
	case argString, argDate, argEnum:
		if p.IsArr {
			return notOfType(a.name, "string")
		}
		if a.kind == argEnum && !slices.Contains(a.enum, p.Value) {
			return notInEnum(a.name, a.enum)
		}
		if a.kind == argDate {
			if _, ok := parseRESTDate(p.Value); !ok {
				return &invalidParam{name: a.name, code: "rest_invalid_date", message: "Invalid date."}
			}
		}
	case argBool:
		if p.IsArr || !phpIsBoolean(p.Value) {
			return notOfType(a.name, "boolean")
		}
	case argEnumList:
		enum := append([]string{"any", "trash"}, statuses...)
		for _, kv := range listItems(p) {
			if !slices.Contains(enum, kv.V) {
				ip := notInEnum(a.name+"["+kv.K+"]", enum)
				ip.name = a.name
				return ip
			}
		}
	}
	return nil
}

func notInEnum(param string, enum []string) *invalidParam {
	var list string
	switch len(enum) {
	case 1:
		return &invalidParam{name: param, code: "rest_not_in_enum", message: param + " is not " + enum[0] + "."}
	case 2:
		list = enum[0] + " and " + enum[1]
	default:
		list = strings.Join(enum[:len(enum)-1], ", ") + ", and " + enum[len(enum)-1]
	}
	return &invalidParam{name: param, code: "rest_not_in_enum", message: param + " is not one of " + list + "."}
}

// listItems is wp_parse_list() for a request value: a string splits at
// commas and whitespace; an array is taken as it is (its values, renumbered).
func listItems(p phpParam) []phpKV {
	var vals []string
	if p.IsArr {
		for _, kv := range p.Arr {
			vals = append(vals, kv.V)
		}
	} else {
		vals = strings.FieldsFunc(p.Value, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v'
		})
	}
	out := make([]phpKV, len(vals))
	for i, v := range vals {
		out[i] = phpKV{strconv.Itoa(i), v}
	}
	return out
}

// idList is wp_parse_id_list(): absint of every item, duplicates dropped
// (keeping the first one's key, as array_unique does).
func idList(p phpParam) []phpKV {
	var in []phpKV
	if p.IsArr {
		in = p.Arr
	} else {
		in = listItems(p)
	}
	var out []phpKV
	seen := map[int64]bool{}
	for _, kv := range in {
		n := absint(kv.V)
		if seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, phpKV{kv.K, strconv.FormatInt(n, 10)})
	}
	return out
}

// phpIntegerValue is rest_is_integer(): numeric, and a whole number.
func phpIntegerValue(s string) (float64, bool) {
	if !phpNumericRE.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(f, 0) || f != math.Round(f) {
		return 0, false
	}
	return f, true
}

// absint is WordPress's absint(): abs(intval($v)).
func absint(s string) int64 {
	s = strings.TrimSpace(s)
	if f, ok := phpIntegerValue(s); ok {
		if f > math.MaxInt64 || f < -math.MaxInt64 {
			return math.MaxInt64
		}
		return int64(math.Abs(f))
	}
	// intval() of a non-numeric string reads its leading digits.
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.ParseInt(s[:end], 10, 64)
	if n < 0 {
		n = -n
	}
	return n
}

// phpIsBoolean is rest_is_boolean() for a string.
func phpIsBoolean(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "1", "0":
		return true
	}
	return false
}

// restDateRE is rest_parse_date()'s pattern.
var restDateRE = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}(:\d{2})?)?$`)

// wpDate is a validated date parameter: a wall clock, and the zone offset
// when the value carried one.
type wpDate struct {
	wall   time.Time // as written, in UTC for arithmetic
	zoned  bool
	offset int // seconds east of UTC, when zoned
}

// parseRESTDate is rest_parse_date(): the ISO 8601 shapes WordPress
// accepts, with fields PHP's strtotime() takes (overflowing days roll over).
func parseRESTDate(v string) (wpDate, bool) {
	m := restDateRE.FindStringSubmatch(v)
	if m == nil {
		return wpDate{}, false
	}
	n := func(i int) int { x, _ := strconv.Atoi(m[i]); return x }
	y, mo, d, h, mi, sec := n(1), n(2), n(3), n(4), n(5), n(6)
	if mo < 1 || mo > 12 || d > 31 || h > 24 || mi > 59 || sec > 60 {
		return wpDate{}, false
	}
	out := wpDate{wall: time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)}
	if z := m[8]; z != "" {
		out.zoned = true
		if z != "Z" && z != "z" {
			hh, _ := strconv.Atoi(z[1:3])
			mm := 0
			if len(z) == 6 {
				mm, _ = strconv.Atoi(z[4:6])
			}
			out.offset = hh*3600 + mm*60
			if z[0] == '-' {
				out.offset = -out.offset
			}
		}
	}
	return out, true
}

// bound is WP_Date_Query::build_mysql_datetime(): a value with a zone is
// converted to the site's timezone, one without is taken as it is; either
// way the result is compared with the chosen column as a bare wall clock
// (so a "Z" date with dates_are_gmt=true on a non-UTC site is off by the
// site's offset, as in WordPress).
func (s *Sim) bound(d wpDate) int64 {
	if !d.zoned {
		return d.wall.Unix()
	}
	utc := d.wall.Unix() - int64(d.offset)
	return s.wall(utc, false)
}

// phpBool is rest_sanitize_boolean().
func phpBool(s string) bool {
	switch strings.ToLower(s) {
	case "false", "0", "":
		return false
	}
	return true
}

// listOrdersWCV3 answers GET /wc/v3/orders as WC_REST_CRUD_Controller::get_items().
func (s *Sim) listOrdersWCV3(w http.ResponseWriter, get phpParams, site string, authed bool) {
	s.mu.RLock()
	statuses := s.orderStatusesLocked()
	s.mu.RUnlock()
	args := ordersListArgs
	if !s.hasModifiedFilters() {
		// Before WooCommerce 5.8 these were no registered arguments:
		// WordPress neither validates nor passes them on.
		args = slices.DeleteFunc(slices.Clone(args), func(a argSpec) bool {
			return a.name == "modified_after" || a.name == "modified_before"
		})
	}
	if err := validateArgs(get, args, statuses); err != nil {
		err.write(w)
		return
	}
	if !authed {
		(&wpError{status: 401, code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources."}).write(w)
		return
	}
	for _, name := range []string{"search", "product"} {
		if p, ok := get.get(name); ok && p.Value != "" && p.Value != "0" {
			// Rather than answer as if the filter matched everything.
			(&wpError{status: 501, code: "woosim_not_implemented",
				message: "The WooCommerce simulator does not implement the " + name + " filter."}).write(w)
			return
		}
	}

	// Sanitize, in place: the pagination links repeat the query as sanitized.
	q := orderQuery{anyStatus: true, customer: -1, offset: -1, page: 1, perPage: 10, desc: true}
	dp := 2
	link := slices.Clone(get)
	var gmt bool
	if p, ok := get.get("dates_are_gmt"); ok {
		gmt = phpBool(p.Value)
		if gmt {
			link.set(phpParam{Key: "dates_are_gmt", Value: "1"})
		} else {
			link.del("dates_are_gmt") // add_query_arg() drops false
		}
	}
	q.created.gmt, q.modified.gmt = gmt, gmt
	for _, a := range args {
		p, ok := get.get(a.name)
		if !ok {
			continue
		}
		switch a.kind {
		case argInt:
			n := absint(p.Value)
			link.set(phpParam{Key: a.name, Value: strconv.FormatInt(n, 10)})
			switch a.name {
			case "page":
				q.page = int(min(n, math.MaxInt32))
			case "per_page":
				q.perPage = int(n)
			case "offset":
				q.offset = int(min(n, math.MaxInt32))
			case "customer":
				q.customer = n
			case "dp":
				dp = int(min(n, 10))
			}
		case argIDList:
			ids := idList(p)
			link.set(phpParam{Key: a.name, IsArr: true, Arr: ids})
			switch a.name {
			case "include", "exclude":
				if len(ids) == 0 {
					break
				}
				if a.name == "include" {
					q.include = make([]int64, len(ids))
					for i, kv := range ids {
						q.include[i], _ = strconv.ParseInt(kv.V, 10, 64)
					}
				} else {
					q.exclude = map[int64]bool{}
					for _, kv := range ids {
						id, _ := strconv.ParseInt(kv.V, 10, 64)
						q.exclude[id] = true
					}
				}
			case "parent", "parent_exclude":
				// Every simulated order's parent is 0.
				has0 := slices.ContainsFunc(ids, func(kv phpKV) bool { return kv.V == "0" })
				if len(ids) > 0 && (has0 == (a.name == "parent_exclude")) {
					q.none = true
				}
			}
		case argDate:
			d, _ := parseRESTDate(p.Value)
			b := s.bound(d)
			switch a.name {
			case "after":
				q.created.after, q.created.hasAfter = b, true
			case "before":
				q.created.before, q.created.hasBefore = b, true
			case "modified_after":
				q.modified.after, q.modified.hasAfter = b, true
			case "modified_before":
				q.modified.before, q.modified.hasBefore = b, true
			}
		case argEnum:
			switch a.name {
			case "order":
				q.desc = p.Value == "desc"
			case "orderby":
				switch p.Value {
				case "id":
					q.orderBy = orderByID
				case "modified":
					q.orderBy = orderByModified
				case "include":
					q.orderBy = orderByInclude
				default: // date; title and slug are approximated by date
					q.orderBy = orderByDate
				}
			}
		}
	}
	if q.orderBy == orderByInclude && q.include == nil {
		q.orderBy = orderByDate // WP_Query ignores orderby=post__in without post__in
	}
	// WC_REST_Orders_Controller::prepare_objects_query() takes the statuses
	// out and puts them back: they move to the end of the query.
	statusItems := []phpKV{{"0", "any"}}
	if p, ok := get.get("status"); ok {
		statusItems = listItems(p)
	}
	link.del("status")
	link.set(phpParam{Key: "status", IsArr: true, Arr: statusItems})
	q.anyStatus, q.statuses = false, map[string]bool{}
	for _, kv := range statusItems {
		if kv.V == "any" {
			q.anyStatus, q.statuses = true, nil
			break
		}
		q.statuses[kv.V] = true
	}

	siteEsc := appendPHPStringBody(nil, site)
	s.mu.RLock()
	page, total := s.queryLocked(&q)
	body := getBuf()
	body = append(body, '[')
	for i, o := range page {
		if i > 0 {
			body = append(body, ',')
		}
		var rd *rendered
		if dp == 2 {
			rd = s.renderedWCV3(o)
		} else {
			rd = s.renderWCV3(o, s.doc(o), dp)
		}
		body = rd.appendTo(body, siteEsc)
	}
	s.mu.RUnlock()
	body = append(body, ']')

	if len(page) > 0 {
		// prepare_object_for_response() sets dp and context on the request.
		if _, ok := link.get("dp"); !ok {
			link.set(phpParam{Key: "dp", Value: strconv.Itoa(dp)})
		}
		if _, ok := link.get("context"); !ok {
			link.set(phpParam{Key: "context", Value: "view"})
		}
	}
	maxPages := 0
	if q.perPage > 0 {
		maxPages = (total + q.perPage - 1) / q.perPage
	}
	h := w.Header()
	// Spelled as WordPress spells them (Go would send "X-Wp-Total").
	h["X-WP-Total"] = []string{strconv.Itoa(total)}
	h["X-WP-TotalPages"] = []string{strconv.Itoa(maxPages)}
	base := addQueryArgs(site+"/wp-json/wc/v3/orders", link)
	var links []string
	if q.page > 1 {
		prev := min(q.page-1, maxPages)
		links = append(links, "<"+addQueryArgs(base, phpParams{{Key: "page", Value: strconv.Itoa(prev)}})+`>; rel="prev"`)
	}
	if maxPages > q.page {
		links = append(links, "<"+addQueryArgs(base, phpParams{{Key: "page", Value: strconv.Itoa(q.page + 1)}})+`>; rel="next"`)
	}
	if links != nil {
		h.Set("Link", strings.Join(links, ", "))
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	putBuf(body)
}

// getOrderWCV3 answers GET /wc/v3/orders/{id} as WC_REST_CRUD_Controller::get_item().
func (s *Sim) getOrderWCV3(w http.ResponseWriter, get phpParams, site string, authed bool, idStr string) {
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
	id, err := strconv.ParseInt(idStr, 10, 64)
	s.mu.RLock()
	var o *order
	if err == nil {
		o = s.orderLocked(id)
	}
	if o == nil {
		s.mu.RUnlock()
		(&wpError{status: 404, code: "woocommerce_rest_shop_order_invalid_id", message: "Invalid ID."}).write(w)
		return
	}
	var rd *rendered
	if dp == 2 {
		rd = s.renderedWCV3(o)
	} else {
		rd = s.renderWCV3(o, s.doc(o), dp)
	}
	s.mu.RUnlock()
	body := rd.appendTo(getBuf(), appendPHPStringBody(nil, site))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	putBuf(body)
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

func getBuf() []byte { return (*bufPool.Get().(*[]byte))[:0] }

func putBuf(b []byte) {
	if cap(b) > 8<<20 {
		return
	}
	bufPool.Put(&b)
}
