package woosim

import (
	"math"
	"net/http"
	"strconv"
	"strings"
)

// wc/v3's /webhooks routes, as WC_REST_Webhooks_V1_Controller (which
// wc/v3 inherits) registers and answers them.

var webhooksListArgs = []argSpec{
	contextArg,
	{name: "page", kind: argInt, min: 1, hasMin: true, validate: true},
	{name: "per_page", kind: argInt, min: 1, max: 100, hasMin: true, hasMax: true, validate: true},
	{name: "search", kind: argString, validate: true},
	{name: "after", kind: argDate, validate: true},
	{name: "before", kind: argDate, validate: true},
	{name: "exclude", kind: argIDList},
	{name: "include", kind: argIDList},
	{name: "offset", kind: argInt, validate: true},
	{name: "order", kind: argEnum, enum: []string{"asc", "desc"}, validate: true},
	{name: "orderby", kind: argEnum, enum: []string{"date", "id", "title"}, validate: true},
	{name: "status", kind: argEnum, enum: []string{"all", "active", "paused", "disabled"}, validate: true},
}

// The write routes' arguments in the order WordPress checks them:
// get_endpoint_args_for_item_schema() (writable schema properties), with
// create's required topic and delivery_url merged in.
var (
	webhookCreateArgs = []restArg{
		{name: "name"}, {name: "status", enum: webhookStatuses}, {name: "topic", required: true},
		{name: "secret"}, {name: "delivery_url", required: true},
	}
	webhookUpdateArgs = []restArg{
		{name: "name"}, {name: "status", enum: webhookStatuses}, {name: "topic"}, {name: "secret"},
	}
	webhookDeleteArgs = []restArg{{name: "force", boolean: true}}
)

func restErr(status int, code, msg string) *wpError {
	return &wpError{status: status, code: code, message: msg}
}

// phpNonEmpty is !empty() of a request parameter.
func phpNonEmpty(v string, ok bool) bool { return ok && v != "" && v != "0" }

// serveWebhooksWCV3 answers /wc/v3/webhooks.
func (s *Sim) serveWebhooksWCV3(w http.ResponseWriter, r *http.Request, method string, get phpParams, site string, key *apiKey) {
	switch method {
	case http.MethodGet:
		if err := validateArgs(get, webhooksListArgs, nil); err != nil {
			err.write(w)
			return
		}
		if key == nil {
			restErr(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.").write(w)
			return
		}
		s.listWebhooksWCV3(w, get, site)
	case http.MethodPost:
		p, err := readRESTParams(r, get)
		if err == nil {
			err = p.validate(webhookCreateArgs)
		}
		if err != nil {
			err.write(w)
			return
		}
		if key == nil {
			restErr(401, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.").write(w)
			return
		}
		s.createWebhookWCV3(w, p, site)
	default:
		errNoRoute.write(w)
	}
}

func (s *Sim) listWebhooksWCV3(w http.ResponseWriter, get phpParams, site string) {
	param := func(name string) (string, bool) {
		p, ok := get.get(name)
		if !ok || p.IsArr {
			return "", false
		}
		return p.Value, true
	}
	q := webhookQuery{orderBy: "date_created_gmt", desc: true, limit: 10}
	if v, ok := param("per_page"); ok {
		q.limit = int(absint(v))
	}
	page := 1
	if v, ok := param("page"); ok {
		page = int(min(absint(v), math.MaxInt32))
	}
	if v, ok := param("offset"); ok && absint(v) != 0 {
		q.offset = int(min(absint(v), math.MaxInt32))
	} else if page > 1 {
		q.offset = (page - 1) * q.limit
	}
	if v, ok := param("order"); ok {
		q.desc = v != "asc"
	}
	if v, ok := param("orderby"); ok {
		q.orderBy = webhookOrderBy(v)
	}
	if v, ok := param("status"); ok && v != "all" {
		q.status = v
	}
	if v, ok := param("search"); ok {
		q.search = v
	}
	for _, name := range []string{"include", "exclude"} {
		p, ok := get.get(name)
		if !ok {
			continue
		}
		var ids []int64
		for _, kv := range idList(p) {
			n, _ := strconv.ParseInt(kv.V, 10, 64)
			ids = append(ids, n)
		}
		if len(ids) == 0 {
			continue
		}
		if name == "include" {
			q.include = ids
		} else {
			q.exclude = ids
		}
	}
	if v, ok := param("after"); ok {
		d, _ := parseRESTDate(v)
		q.created.after, q.created.hasAfter, q.created.inclusive = d.wall.Unix(), true, true
	}
	if v, ok := param("before"); ok {
		d, _ := parseRESTDate(v)
		q.created.before, q.created.hasBefore, q.created.inclusive = d.wall.Unix(), true, true
	}
	hooks, total := s.searchWebhooks(q)

	var jw jsonWriter
	jw.raw("[")
	for i := range hooks {
		if i > 0 {
			jw.raw(",")
		}
		s.writeWebhookWCV3(&jw, &hooks[i], site)
	}
	jw.raw("]")

	maxPages := 1
	if q.limit > 1 {
		maxPages = (total + q.limit - 1) / q.limit
	}
	cur := 1
	if q.limit > 0 {
		cur = q.offset/q.limit + 1
		if q.offset%q.limit != 0 {
			cur++
		}
	}
	h := w.Header()
	h["X-WP-Total"] = []string{strconv.Itoa(total)}
	h["X-WP-TotalPages"] = []string{strconv.Itoa(maxPages)}
	base := addQueryArgs(site+"/wp-json/wc/v3/webhooks", get)
	var links []string
	if cur > 1 {
		links = append(links, "<"+addQueryArgs(base, phpParams{{Key: "page", Value: strconv.Itoa(min(cur-1, maxPages))}})+`>; rel="prev"`)
	}
	if maxPages > cur {
		links = append(links, "<"+addQueryArgs(base, phpParams{{Key: "page", Value: strconv.Itoa(cur + 1)}})+`>; rel="next"`)
	}
	if links != nil {
		h.Set("Link", strings.Join(links, ", "))
	}
	w.WriteHeader(http.StatusOK)
	w.Write(jw.b)
}

// createWebhookWCV3 is create_item(): the answer is prepared before the
// ping, so it shows the webhook pending, with a null date_modified.
func (s *Sim) createWebhookWCV3(w http.ResponseWriter, p *restParams, site string) {
	if id, ok := p.str("id"); phpNonEmpty(id, ok) {
		restErr(400, "woocommerce_rest_shop_webhook_exists", "Cannot create existing shop_webhook.").write(w)
		return
	}
	topic, okT := p.str("topic")
	if !phpNonEmpty(topic, okT) || !webhookTopicValid(strings.ToLower(topic)) {
		restErr(400, "woocommerce_rest_shop_webhook_invalid_topic", "Webhook topic is required and must be valid.").write(w)
		return
	}
	url, okU := p.str("delivery_url")
	if !phpNonEmpty(url, okU) || !validDeliveryURL(url) {
		restErr(400, "woocommerce_rest_shop_webhook_invalid_delivery_url",
			"Webhook delivery URL must be a valid URL starting with http:// or https://.").write(w)
		return
	}
	name, okN := p.str("name")
	if !phpNonEmpty(name, okN) {
		name = ""
	}
	secret, okS := p.str("secret")
	if !phpNonEmpty(secret, okS) {
		secret = ""
	}
	wh := s.createWebhook(name, topic, url, secret, 3)
	var jw jsonWriter
	s.writeWebhookWCV3(&jw, &wh, site)
	w.Header().Set("Location", site+"/wp-json/wc/v3/webhooks/"+strconv.FormatInt(wh.id, 10))
	s.pingWebhook(wh.id) // synchronous, within the request, after the answer is built
	w.WriteHeader(http.StatusCreated)
	w.Write(jw.b)
}

// serveWebhookWCV3 answers /wc/v3/webhooks/{id}.
func (s *Sim) serveWebhookWCV3(w http.ResponseWriter, r *http.Request, method string, get phpParams, site string, key *apiKey, idStr string) {
	id, _ := strconv.ParseInt(idStr, 10, 64)
	switch method {
	case http.MethodGet:
		if err := validateArgs(get, []argSpec{contextArg}, nil); err != nil {
			err.write(w)
			return
		}
		if key == nil {
			restErr(401, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.").write(w)
			return
		}
		if id == 0 {
			restErr(404, "woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.").write(w)
			return
		}
		wh, ok := s.hooks.get(id)
		if !ok {
			restErr(400, "woocommerce_rest_shop_webhook_invalid_id", "ID is invalid.").write(w)
			return
		}
		s.writeWebhookAnswer(w, http.StatusOK, &wh, site)
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		p, err := readRESTParams(r, get)
		if err == nil {
			err = p.validate(webhookUpdateArgs)
		}
		if err != nil {
			err.write(w)
			return
		}
		if key == nil {
			restErr(401, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.").write(w)
			return
		}
		s.updateWebhookWCV3(w, p, site, id)
	case http.MethodDelete:
		p, err := readRESTParams(r, get)
		if err == nil {
			err = p.validate(webhookDeleteArgs)
		}
		if err != nil {
			err.write(w)
			return
		}
		if key == nil {
			restErr(401, "woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.").write(w)
			return
		}
		if force, ok := p.str("force"); !ok || !phpBool(force) {
			restErr(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.").write(w)
			return
		}
		wh, ok := s.hooks.get(id)
		if !ok || s.DeleteWebhook(id) != nil {
			restErr(404, "woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.").write(w)
			return
		}
		s.writeWebhookAnswer(w, http.StatusOK, &wh, site)
	default:
		errNoRoute.write(w)
	}
}

func (s *Sim) writeWebhookAnswer(w http.ResponseWriter, status int, wh *webhook, site string) {
	var jw jsonWriter
	s.writeWebhookWCV3(&jw, wh, site)
	w.WriteHeader(status)
	w.Write(jw.b)
}

// webhookChange is an update as update_item() and edit_webhook() apply
// it: each non-empty field set, status through set_status() (which makes
// anything but a status key "disabled").
type webhookChange struct {
	topic, url, secret, status, name string
}

func (c webhookChange) apply(w *webhook) {
	if c.topic != "" {
		w.topic = c.topic
		if !webhookTopicValid(c.topic) {
			w.topic = ""
		}
	}
	if c.url != "" {
		w.deliveryURL = c.url
	}
	if c.secret != "" {
		w.secret = c.secret
	}
	if c.status != "" {
		w.status = c.status
		if !containsString(webhookStatuses, c.status) {
			w.status = "disabled"
		}
	}
	if c.name != "" {
		w.name = c.name
	}
}

func (s *Sim) updateWebhookWCV3(w http.ResponseWriter, p *restParams, site string, id int64) {
	if _, ok := s.hooks.get(id); !ok {
		restErr(400, "woocommerce_rest_shop_webhook_invalid_id", "ID is invalid.").write(w)
		return
	}
	var c webhookChange
	if v, ok := p.str("topic"); phpNonEmpty(v, ok) {
		if !webhookTopicValid(strings.ToLower(v)) {
			restErr(400, "woocommerce_rest_shop_webhook_invalid_topic", "Webhook topic must be valid.").write(w)
			return
		}
		c.topic = v
	}
	if v, ok := p.str("delivery_url"); phpNonEmpty(v, ok) {
		if !validDeliveryURL(v) {
			restErr(400, "woocommerce_rest_shop_webhook_invalid_delivery_url",
				"Webhook delivery URL must be a valid URL starting with http:// or https://.").write(w)
			return
		}
		c.url = v
	}
	if v, ok := p.str("secret"); phpNonEmpty(v, ok) {
		c.secret = v
	}
	if v, ok := p.str("status"); phpNonEmpty(v, ok) {
		if !containsString(webhookStatuses, strings.ToLower(v)) {
			restErr(400, "woocommerce_rest_shop_webhook_invalid_status", "Webhook status must be valid.").write(w)
			return
		}
		c.status = v
	}
	if v, ok := p.str("name"); phpNonEmpty(v, ok) {
		c.name = v
	}
	wh, err := s.saveWebhook(id, c.apply)
	if err != nil {
		restErr(400, "woocommerce_rest_shop_webhook_invalid_id", "ID is invalid.").write(w)
		return
	}
	s.writeWebhookAnswer(w, http.StatusOK, &wh, site)
}
