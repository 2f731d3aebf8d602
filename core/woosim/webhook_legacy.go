package woosim

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// The legacy API's /webhooks routes (WC_API_Webhooks).

// legacyWebhookQuery is query_webhooks(): merge_query_args() keeps only
// some filter[] keys, so the status parameter is ignored (only
// filter[post_status] narrows by status).
func legacyWebhookQuery(f legacyFilter, page string) (webhookQuery, int) {
	q := webhookQuery{orderBy: "webhook_id", desc: true, limit: 10}
	if v, ok := f.nonEmpty("limit"); ok {
		q.limit = int(phpIntval(v))
	}
	paged := int(min(absint(page), math.MaxInt32))
	if v, ok := f.nonEmpty("offset"); ok {
		q.offset = int(min(absint(v), math.MaxInt32))
	} else if paged > 1 {
		q.offset = (paged - 1) * q.limit
	}
	if v, ok := f.nonEmpty("order"); ok {
		q.desc = strings.ToUpper(v) != "ASC"
	}
	if v, ok := f.nonEmpty("orderby"); ok {
		q.orderBy = webhookOrderBy(v)
	}
	if v, ok := f.nonEmpty("post_status"); ok {
		switch v {
		case "publish":
			v = "active"
		case "draft":
			v = "paused"
		case "pending":
			v = "disabled"
		}
		q.status = v
	}
	if v, ok := f.nonEmpty("q"); ok {
		q.search = v
	}
	if v, ok := f.nonEmpty("in"); ok {
		for _, id := range strings.Split(v, ",") {
			q.include = append(q.include, absint(id))
		}
	}
	for _, d := range []struct {
		key   string
		r     *timeRange
		after bool
	}{
		{"created_at_min", &q.created, true}, {"created_at_max", &q.created, false},
		{"updated_at_min", &q.modified, true}, {"updated_at_max", &q.modified, false},
	} {
		if v, ok := f.nonEmpty(d.key); ok {
			d.r.inclusive = true
			if d.after {
				d.r.after, d.r.hasAfter = legacyParseDatetime(v), true
			} else {
				d.r.before, d.r.hasBefore = legacyParseDatetime(v), true
			}
		}
	}
	return q, paged
}

func (s *Sim) legacyListWebhooks(q *legacyRequest) {
	page, ok := legacyGetParam(q.get, "page")
	if !ok {
		page = "1"
	}
	wq, paged := legacyWebhookQuery(legacyFilterOf(q.get), page)
	hooks, total := s.searchWebhooks(wq)
	var w jsonWriter
	w.raw(`{"webhooks":[`)
	for i := range hooks {
		if i > 0 {
			w.raw(",")
		}
		writeWebhookLegacy(&w, &hooks[i])
	}
	w.raw("]}")

	// add_pagination_headers() with query_webhooks()' stdClass.
	pages := 1
	if wq.limit > 1 {
		pages = (total + wq.limit - 1) / wq.limit
	}
	if paged == 0 {
		paged = 1
	}
	h := q.w.Header()
	if single := wq.limit > total; !single {
		scheme := "http"
		if q.r.TLS != nil {
			scheme = "https"
		}
		host := hostWithoutPort(strings.TrimPrefix(strings.TrimPrefix(q.site, "https://"), "http://"))
		path, rawQuery, _ := strings.Cut(q.r.RequestURI, "?")
		link := func(rel string, n int) {
			h.Add("Link", "<"+legacyPageURL(scheme, host, path, rawQuery, n)+`>; rel="`+rel+`"`)
		}
		if paged > 1 {
			link("first", 1)
			link("prev", paged-1)
		}
		if paged+1 <= pages {
			link("next", paged+1)
		}
		if paged != pages {
			link("last", pages)
		}
	}
	h["X-WC-Total"] = []string{strconv.Itoa(total)}
	h["X-WC-TotalPages"] = []string{strconv.Itoa(pages)}
	writeLegacy(q.w, http.StatusOK, w.b, q.head)
}

func (s *Sim) legacyWebhooksCount(q *legacyRequest) {
	wq, _ := legacyWebhookQuery(legacyFilterOf(q.get), "1")
	_, total := s.searchWebhooks(wq)
	writeLegacy(q.w, http.StatusOK, []byte(`{"count":`+strconv.Itoa(total)+`}`), q.head)
}

// legacyWebhook is WC_API_Webhooks::validate_request() and the lookup.
func (s *Sim) legacyWebhook(q *legacyRequest, idStr string) (webhook, bool) {
	id := absint(idStr)
	if id == 0 {
		(&legacyError{status: 404, code: "woocommerce_api_invalid_webhook_id", message: "Invalid shop_webhook ID"}).write(q.w, q.head)
		return webhook{}, false
	}
	wh, ok := s.hooks.get(id)
	if !ok {
		(&legacyError{status: 404, code: "woocommerce_api_no_webhook_found",
			message: "No webhook found with the ID equal to " + strconv.FormatInt(id, 10)}).write(q.w, q.head)
	}
	return wh, ok
}

func writeLegacyWebhook(q *legacyRequest, status int, wh *webhook) {
	var w jsonWriter
	w.raw(`{"webhook":`)
	writeWebhookLegacy(&w, wh)
	w.raw("}")
	writeLegacy(q.w, status, w.b, q.head)
}

func (s *Sim) legacyGetWebhook(q *legacyRequest, idStr string) {
	if wh, ok := s.legacyWebhook(q, idStr); ok {
		writeLegacyWebhook(q, http.StatusOK, &wh)
	}
}

// legacyBody is WC_API_JSON_Handler::parse_body() of the request body and
// its "webhook" member; ok is false when there is none.
func legacyBody(r *http.Request) (map[string]any, bool) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRESTBody))
	var data map[string]any
	if json.Unmarshal(body, &data) != nil {
		return nil, false
	}
	wh, ok := data["webhook"].(map[string]any)
	return wh, ok
}

// legacyStr is a data field that empty() would not call empty.
func legacyStr(data map[string]any, k string) (string, bool) {
	switch v := data[k].(type) {
	case string:
		return v, v != "" && v != "0"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), v != 0
	}
	return "", false
}

func (s *Sim) legacyCreateWebhook(q *legacyRequest) {
	data, ok := legacyBody(q.r)
	if !ok {
		(&legacyError{status: 400, code: "woocommerce_api_missing_webhook_data", message: "No webhook data specified to create webhook"}).write(q.w, q.head)
		return
	}
	topic, okT := legacyStr(data, "topic")
	if !okT || !webhookTopicValid(strings.ToLower(topic)) {
		(&legacyError{status: 400, code: "woocommerce_api_invalid_webhook_topic", message: "Webhook topic is required and must be valid."}).write(q.w, q.head)
		return
	}
	url, okU := legacyStr(data, "delivery_url")
	if !okU || !validDeliveryURL(url) {
		(&legacyError{status: 400, code: "woocommerce_api_invalid_webhook_delivery_url",
			message: "Webhook delivery URL must be a valid URL starting with http:// or https://"}).write(q.w, q.head)
		return
	}
	name, _ := legacyStr(data, "name")
	secret, _ := legacyStr(data, "secret")
	wh := s.createWebhook(name, topic, url, secret, -1)
	s.pingWebhook(wh.id) // before the answer, unlike wc/v3
	after, _ := s.hooks.get(wh.id)
	writeLegacyWebhook(q, http.StatusCreated, &after)
}

func (s *Sim) legacyEditWebhook(q *legacyRequest, idStr string) {
	data, ok := legacyBody(q.r)
	if !ok {
		(&legacyError{status: 400, code: "woocommerce_api_missing_webhook_data", message: "No webhook data specified to edit webhook"}).write(q.w, q.head)
		return
	}
	wh, ok := s.legacyWebhook(q, idStr)
	if !ok {
		return
	}
	var c webhookChange
	if v, ok := legacyStr(data, "topic"); ok {
		if !webhookTopicValid(strings.ToLower(v)) {
			(&legacyError{status: 400, code: "woocommerce_api_invalid_webhook_topic", message: "Webhook topic must be valid."}).write(q.w, q.head)
			return
		}
		c.topic = v
	}
	if v, ok := legacyStr(data, "delivery_url"); ok {
		if !validDeliveryURL(v) {
			(&legacyError{status: 400, code: "woocommerce_api_invalid_webhook_delivery_url",
				message: "Webhook delivery URL must be a valid URL starting with http:// or https://"}).write(q.w, q.head)
			return
		}
		c.url = v
	}
	c.secret, _ = legacyStr(data, "secret")
	c.status, _ = legacyStr(data, "status") // no validation: set_status() makes an unknown one "disabled"
	c.name, _ = legacyStr(data, "name")
	after, err := s.saveWebhook(wh.id, c.apply)
	if err != nil {
		s.legacyWebhook(q, idStr)
		return
	}
	writeLegacyWebhook(q, http.StatusOK, &after)
}

// legacyDeleteWebhook answers what $webhook->delete( true ) returns: true.
func (s *Sim) legacyDeleteWebhook(q *legacyRequest, idStr string) {
	wh, ok := s.legacyWebhook(q, idStr)
	if !ok {
		return
	}
	s.DeleteWebhook(wh.id)
	writeLegacy(q.w, http.StatusOK, []byte("true"), q.head)
}

// legacyWebhookDeliveries answers the delivery log routes, empty since
// WooCommerce 3.3 logs deliveries elsewhere.
func (s *Sim) legacyWebhookDeliveries(q *legacyRequest, webhookID string, one bool) {
	if _, ok := s.legacyWebhook(q, webhookID); !ok {
		return
	}
	if !one {
		writeLegacy(q.w, http.StatusOK, []byte(`{"webhook_deliveries":[]}`), q.head)
		return
	}
	id := q.route[strings.LastIndexByte(q.route, '/')+1:]
	if absint(id) == 0 {
		(&legacyError{status: 404, code: "woocommerce_api_invalid_webhook_delivery_id", message: "Invalid webhook delivery ID."}).write(q.w, q.head)
		return
	}
	(&legacyError{status: 400, code: "woocommerce_api_invalid_webhook_delivery_id", message: "Invalid webhook delivery."}).write(q.w, q.head)
}
