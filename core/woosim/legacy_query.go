package woosim

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// legacyQuery is WC_API_Orders::query_orders() and merge_query_args() as
// WP_Query runs them: the orderQuery, and whether the request asked for
// every order at once (filter[limit]=-1: WP_Query's nopaging, which
// reports 0 pages).
type legacyQuery struct {
	q        orderQuery
	nopaging bool
}

// legacyOrderQuery builds the query of GET /orders from filter[] and the
// status and page parameters. s.mu must be held (for reading at least).
func (s *Sim) legacyOrderQuery(f legacyFilter, status string, page string) (*legacyQuery, *legacyError) {
	lq := &legacyQuery{q: orderQuery{anyStatus: true, customer: -1, offset: -1, page: 1, perPage: 10, desc: true}}
	q := &lq.q
	if status != "" && status != "0" {
		f["status"] = status
	}
	if v, ok := f.nonEmpty("status"); ok {
		// 'wc-' . str_replace( ',', ',wc-', $status ): WP_Query keeps the
		// registered statuses among them; with none left it has no status
		// restriction at all and returns every order, trash included.
		registered := s.orderStatusesLocked()
		q.anyStatus, q.statuses = false, map[string]bool{}
		for _, st := range strings.Split(v, ",") {
			if slices.Contains(registered, st) {
				q.statuses[st] = true
			}
		}
		if len(q.statuses) == 0 {
			q.anyStatus, q.withTrash, q.statuses = true, true, nil
		}
	}
	if v, ok := f.nonEmpty("customer_id"); ok {
		q.customer = absint(v)
	}
	for _, d := range []struct {
		key   string
		r     *timeRange
		after bool
	}{
		{"created_at_min", &q.created, true}, {"created_at_max", &q.created, false},
		{"updated_at_min", &q.modified, true}, {"updated_at_max", &q.modified, false},
	} {
		v, ok := f.nonEmpty(d.key)
		if !ok {
			continue
		}
		// WP_Date_Query on post_date_gmt / post_modified_gmt, inclusive.
		d.r.gmt, d.r.inclusive = true, true
		if d.after {
			d.r.after, d.r.hasAfter = legacyParseDatetime(v), true
		} else {
			d.r.before, d.r.hasBefore = legacyParseDatetime(v), true
		}
	}
	if _, ok := f.nonEmpty("q"); ok {
		return nil, &legacyError{status: 501, code: "woosim_not_implemented",
			message: "The WooCommerce simulator does not implement the q filter."}
	}
	if v, ok := f.nonEmpty("limit"); ok {
		// WP_Query: (int) posts_per_page; -1 is every post, 0 is 1, other
		// negatives count as positive.
		n := phpIntval(v)
		switch {
		case n == -1:
			lq.nopaging = true
			q.perPage = math.MaxInt32
		case n == 0:
			q.perPage = 1
		default:
			q.perPage = int(min(max(n, -n), math.MaxInt32))
		}
	}
	if v, ok := f.nonEmpty("offset"); ok && phpNumericRE.MatchString(v) && !lq.nopaging {
		q.offset = int(min(absint(v), math.MaxInt32))
	}
	if v, ok := f.nonEmpty("order"); ok {
		q.desc = strings.ToUpper(v) != "ASC" // WP_Query::parse_order()
	}
	if v, ok := f.nonEmpty("orderby"); ok {
		q.orderBy = legacyOrderBy(v)
	}
	if v, ok := f.nonEmpty("in"); ok {
		for _, id := range strings.Split(v, ",") {
			q.include = append(q.include, absint(id))
		}
	}
	if v, ok := f.nonEmpty("not_in"); ok {
		q.exclude = map[int64]bool{}
		for _, id := range strings.Split(v, ",") {
			q.exclude[absint(id)] = true
		}
	}
	q.page = int(min(absint(page), math.MaxInt32))
	if page == "" {
		q.page = 1
	}
	if lq.nopaging {
		q.page = 1
	}
	return lq, nil
}

// legacyOrderBy is WP_Query::parse_orderby() over a space-separated list:
// the first key it knows decides (the simulator sorts by one key). Keys
// are case-sensitive: "ID" sorts by id, "id" is unknown and dropped, and
// with no key left WP_Query sorts by post_date, as the capture
// legacy-v3-orders-list-page2-limit3.json (filter[orderby]=id) shows.
func legacyOrderBy(v string) orderBy {
	for _, k := range strings.Fields(v) {
		switch k {
		case "ID":
			return orderByID
		case "modified", "post_modified":
			return orderByModified
		case "date", "post_date", "title", "post_title", "name", "post_name", "author", "post_author",
			"parent", "post_parent", "type", "post_type", "menu_order", "comment_count", "rand":
			// Orders' titles and slugs follow their dates; the rest tie.
			return orderByDate
		}
	}
	return orderByDate
}

var (
	legacyMillisRE = regexp.MustCompile(`\.\d+`)
	legacyOffsetRE = regexp.MustCompile(`[+-]\d+:+\d+$`)
	legacyDateRE   = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(Z|z|UTC|[+-]\d{2}:?\d{2})?$`)
)

// legacyParseDatetime is WC_API_Server::parse_datetime() as the date
// filters use it, returning the "Y-m-d H:i:s" it produces as a wall clock
// (Unix seconds of that reading in UTC): milliseconds are stripped, a
// "+hh:mm"/"-hh:mm" offset is replaced by +00:00 (discarded, not
// converted), any other zone is kept but the result is still formatted in
// it (so discarded too), and what PHP's DateTime cannot parse is the Unix
// epoch. Only ISO 8601 shapes are understood here, not all of strtotime().
//
// Note that a "+" sent unencoded, or encoded once as %2B, reaches this as a
// space (WooCommerce url-decodes parameters twice), which DateTime refuses:
// such a filter matches every order.
func legacyParseDatetime(v string) int64 {
	if strings.Contains(v, ".") {
		v = legacyMillisRE.ReplaceAllString(v, "")
	}
	v = legacyOffsetRE.ReplaceAllString(v, "+00:00")
	m := legacyDateRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return 0
	}
	n := func(i int) int { x, _ := strconv.Atoi(m[i]); return x }
	y, mo, d := n(1), n(2), n(3)
	h, mi, sec := n(4), n(5), n(6)
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 59 {
		return 0
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC).Unix()
}

// legacyPageURL is WC_API_Server::get_paginated_url(): the request URI
// with page removed and page=N appended (both through add_query_arg(),
// which re-encodes the query), url-decoded as a whole, on the home URL's
// host without its port, with the request's scheme.
func legacyPageURL(scheme, host, path, rawQuery string, page int) string {
	qs := parsePHPQuery(rawQuery)
	qs.del("page")
	for i := range qs {
		if qs[i].IsArr {
			for j := range qs[i].Arr {
				qs[i].Arr[j].V = urlEncode(qs[i].Arr[j].V)
			}
		} else {
			qs[i].Value = urlEncode(qs[i].Value)
		}
	}
	qs.set(phpParam{Key: "page", Value: strconv.Itoa(page)})
	ret := dropEmptyEquals(strings.Trim(buildQuery(qs), "?"))
	uri := path + "?" + ret
	return scheme + "://" + host + phpURLDecode(uri)
}
