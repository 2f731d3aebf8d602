package woosim

import (
	"net/http"
	"regexp"
	"slices"
)

var reportDateArgRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// reportsSalesWCV3 answers GET /wc/v3/reports/sales
// (WC_REST_Report_Sales_V1_Controller::get_items()): a list of one report.
func (s *Sim) reportsSalesWCV3(w http.ResponseWriter, get phpParams, site string, authed bool) {
	var bad []invalidParam
	if err := validateArgs(get, []argSpec{contextArg}, nil); err != nil {
		err.write(w)
		return
	}
	period, hasPeriod := get.get("period")
	if hasPeriod {
		enum := []string{"week", "month", "last_month", "year"}
		if period.IsArr {
			bad = append(bad, *notOfType("period", "string"))
		} else if !slices.Contains(enum, period.Value) {
			bad = append(bad, *notInEnum("period", enum))
		}
	}
	for _, name := range []string{"date_min", "date_max"} {
		p, ok := get.get(name)
		switch {
		case !ok:
		case p.IsArr:
			bad = append(bad, invalidParam{name: name, code: "woocommerce_rest_invalid_param", message: name + " is not of type string"})
		case !reportDateArgRE.MatchString(p.Value):
			// wc_rest_validate_reports_request_arg()
			bad = append(bad, invalidParam{name: name, code: "woocommerce_rest_invalid_date", message: "The date you provided is invalid."})
		}
	}
	if bad != nil {
		invalidParams(bad).write(w)
		return
	}
	if !authed {
		(&wpError{status: 401, code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources."}).write(w)
		return
	}
	dateMin, _ := get.get("date_min")
	dateMax, _ := get.get("date_max")
	rep := s.salesReport(reportPeriod(period.Value), dateMin.Value, dateMax.Value)
	wr := &jsonWriter{dp: 2}
	wr.raw("[")
	writeSalesReport(wr, rep)
	wr.raw(`,"_links":{"about":[{"href":`)
	wr.urlStr("/wp-json/wc/v3/reports")
	wr.raw(`}]}}]`)
	rd := &rendered{buf: wr.b, cuts: wr.cuts}
	w.WriteHeader(http.StatusOK)
	w.Write(rd.appendTo(nil, appendPHPStringBody(nil, site)))
}

// reportPeriod maps the period parameter to calculate_current_range()'s:
// none is a custom range, "week" the last 7 days, anything unknown "week".
func reportPeriod(p string) string {
	switch p {
	case "":
		return "custom"
	case "month", "last_month", "year":
		return p
	}
	return "7day"
}

// salesReport computes the report for a period at the shop's clock.
func (s *Sim) salesReport(period, dateMin, dateMax string) *salesReport {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if period == "custom" && dateMin == "" && dateMax == "" {
		period = "today"
	}
	now := s.wall(s.clock(), false)
	var r reportRange
	if period == "today" {
		r = calculateRange("custom", "", "", now)
		r.start = r.end
		r.interval, r.groupBy = 0, "day"
	} else {
		r = calculateRange(period, dateMin, dateMax, now)
	}
	return s.salesReportLocked(r)
}

// legacyReportsSales answers GET /wc-api/v3/reports/sales
// (WC_API_Reports::get_sales_report()): {"sales":{…}}, from filter[period],
// filter[date_min] and filter[date_max].
func (s *Sim) legacyReportsSales(q *legacyRequest) {
	f := legacyFilterOf(q.get)
	period := "custom"
	if p, ok := f.nonEmpty("period"); ok {
		period = reportPeriod(p)
	}
	dateMin, _ := f.nonEmpty("date_min")
	dateMax, _ := f.nonEmpty("date_max")
	rep := s.salesReport(period, dateMin, dateMax)
	w := &jsonWriter{dp: 2}
	w.raw(`{"sales":`)
	writeSalesReport(w, rep)
	w.raw("}}")
	writeLegacy(q.w, http.StatusOK, w.b, q.head)
}
