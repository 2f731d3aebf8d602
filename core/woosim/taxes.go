package woosim

import (
	"net/http"
	"strconv"
	"time"
)

// listTaxesWCV3 answers GET /wc/v3/taxes (WC_REST_Taxes_Controller): the
// shop's tax rates in id order, with the keys, order and types of
// samples/wc-v3-taxes.json, paged like every collection.
func (s *Sim) listTaxesWCV3(w http.ResponseWriter, get phpParams, site string, authed bool) {
	if err := validateArgs(get, refundsListArgs, nil); err != nil {
		err.write(w)
		return
	}
	if !authed {
		(&wpError{status: 401, code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources."}).write(w)
		return
	}
	page, perPage := 1, 10
	if p, ok := get.get("page"); ok {
		page = int(min(absint(p.Value), 1<<30))
	}
	if p, ok := get.get("per_page"); ok {
		perPage = int(absint(p.Value))
	}
	rows := s.taxRows
	from := min((page-1)*perPage, len(rows))
	to := min(from+perPage, len(rows))
	wr := &jsonWriter{}
	wr.raw("[")
	for i, row := range rows[from:to] {
		if i > 0 {
			wr.raw(",")
		}
		id := strconv.FormatInt(row.rate.ID, 10)
		wr.raw(`{"id":`)
		wr.raw(id)
		wr.raw(`,"country":`)
		wr.str(row.country)
		wr.raw(`,"state":`)
		wr.str(row.state)
		wr.raw(`,"postcode":"","city":"","rate":`)
		wr.str(formatRate(row.rate.BP))
		wr.raw(`,"name":`)
		wr.str(row.rate.Label)
		wr.raw(`,"priority":1,"compound":false,"shipping":true,"order":0,"class":`)
		wr.str(row.class)
		wr.raw(`,"postcodes":[],"cities":[],"_links":{"self":[{"href":`)
		wr.urlStr("/wp-json/wc/v3/taxes/" + id)
		wr.raw(`}],"collection":[{"href":`)
		wr.urlStr("/wp-json/wc/v3/taxes")
		wr.raw(`}]}}`)
	}
	wr.raw("]")
	h := w.Header()
	h["X-WP-Total"] = []string{strconv.Itoa(len(rows))}
	h["X-WP-TotalPages"] = []string{strconv.Itoa((len(rows) + perPage - 1) / perPage)}
	rd := &rendered{buf: wr.b, cuts: wr.cuts}
	w.WriteHeader(http.StatusOK)
	w.Write(rd.appendTo(nil, appendPHPStringBody(nil, site)))
}

// serveWPIndex answers GET /wp-json/ as WP_REST_Server::get_index() does,
// with what a client reads there: the site's name, URLs, time zone
// (timezone_string, and gmt_offset in hours as WordPress stores it) and
// namespaces. Routes are left out.
func (s *Sim) serveWPIndex(w http.ResponseWriter, site string) {
	var wr jsonWriter
	wr.raw(`{"name":`)
	wr.str(s.storeName)
	wr.raw(`,"description":"","url":`)
	wr.str(site)
	wr.raw(`,"home":`)
	wr.str(site)
	wr.raw(`,"gmt_offset":`)
	tz := s.loc.String()
	_, off := time.Unix(s.clock(), 0).In(s.loc).Zone()
	if tz == "UTC" {
		// A site set to an offset: no timezone_string, and gmt_offset as
		// the option stores it, a string.
		wr.str(strconv.FormatFloat(float64(off)/3600, 'f', -1, 64))
		tz = ""
	} else {
		// With a named zone, wp_timezone_override_offset() computes the
		// offset of the moment: a PHP float (2, 5.5).
		wr.float(float64(off) / 3600)
	}
	wr.raw(`,"timezone_string":`)
	wr.str(tz)
	wr.raw(`,"namespaces":["oembed\/1.0","wc\/v1","wc\/v2","wc\/v3","wc-telemetry","wc\/store\/v1","wp\/v2","wp-site-health\/v1"],` +
		`"authentication":[],"routes":{}}`)
	w.WriteHeader(http.StatusOK)
	w.Write(wr.b)
}
