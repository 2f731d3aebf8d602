package woosim

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a webhook endpoint on loopback that records what it gets.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []hookReq
	answer func(ping bool, n int) int // status for the nth delivery (or ping), from 1
}

type hookReq struct {
	method string
	header http.Header
	body   []byte
}

func (h hookReq) ping() bool { return h.header.Get("X-WC-Webhook-Topic") == "" }

func newReceiver(t *testing.T, answer func(ping bool, n int) int) *receiver {
	rc := &receiver{t: t, answer: answer}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h := hookReq{r.Method, r.Header.Clone(), body}
		rc.mu.Lock()
		rc.reqs = append(rc.reqs, h)
		n := 0
		for _, x := range rc.reqs {
			if x.ping() == h.ping() {
				n++
			}
		}
		rc.mu.Unlock()
		code := 200
		if rc.answer != nil {
			code = rc.answer(h.ping(), n)
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) url() string { return rc.srv.URL + "/hook" }

func (rc *receiver) got(pings bool) []hookReq {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []hookReq
	for _, r := range rc.reqs {
		if r.ping() == pings {
			out = append(out, r)
		}
	}
	return out
}

func waitIdle(t *testing.T, s *Sim) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
}

// send sends a request with a body over the shop's client, Basic auth
// with key.
func (s *shop) send(method, path, contentType, body, key, secret string) reply {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if key != "" {
		req.SetBasicAuth(key, secret)
	}
	return s.do(req)
}

func TestWebhookSignatureMatchesCapture(t *testing.T) {
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(sample(t, "webhook-order.created-raw-request.txt"))))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil || int64(len(body)) != req.ContentLength {
		t.Fatalf("body: %d bytes of %d, %v", len(body), req.ContentLength, err)
	}
	sig := req.Header.Get("X-WC-Webhook-Signature")
	if !bytes.Equal(body, sample(t, "webhook-order.created.body")) {
		t.Fatal("the raw request's body is not webhook-order.created.body")
	}
	if got := webhookSignature("realwoo-webhook-secret", body); got != sig {
		t.Fatalf("signature %s, captured %s", got, sig)
	}
	if webhookSignature("a&amp;b", body) != webhookSignature("a&b", body) {
		t.Error("secret not run through wp_specialchars_decode()")
	}
}

const readOnlyKey, readOnlySecret = "ck_readonly0000000000000000000000000000000", "cs_readonly0000000000000000000000000000000"

func TestWebhooksRESTWCV3(t *testing.T) {
	rc := newReceiver(t, nil)
	s := startShop(t, Options{Orders: 3, Seed: 1, ReadOnlyKey: readOnlyKey, ReadOnlySecret: readOnlySecret}, true)
	sampleHook := parseJSON(t, sample(t, "wc-v3-webhooks-list.json")).elems[0]
	alt := map[string][]string{".date_modified": {"null"}, ".date_modified_gmt": {"null"}}

	body := `{"name":"orders in","topic":"order.created","delivery_url":"` + rc.url() + `","secret":"s3cret"}`
	r := s.send("POST", "/wp-json/wc/v3/webhooks", "application/json", body, DefaultKey, DefaultSecret)
	if r.status != 201 || r.header.Get("Location") != s.srv.URL+"/wp-json/wc/v3/webhooks/1" {
		t.Fatalf("create: %d %v %s", r.status, r.header, r.body)
	}
	created := parseJSON(t, r.body)
	sameShape(t, "", created, sampleHook, alt)
	if !slices.Equal(created.keys, sampleHook.keys) || created.vals["date_modified"].kind != "null" {
		t.Fatalf("create answer: %s", r.body)
	}
	var wh struct {
		ID          int64    `json:"id"`
		Name        string   `json:"name"`
		Status      string   `json:"status"`
		Topic       string   `json:"topic"`
		Resource    string   `json:"resource"`
		Event       string   `json:"event"`
		Hooks       []string `json:"hooks"`
		DeliveryURL string   `json:"delivery_url"`
		Modified    *string  `json:"date_modified_gmt"`
	}
	r.json(t, &wh)
	if wh.ID != 1 || wh.Name != "orders in" || wh.Status != "active" || wh.Resource != "order" || wh.Event != "created" ||
		!slices.Equal(wh.Hooks, []string{"woocommerce_new_order"}) || wh.DeliveryURL != rc.url() {
		t.Fatalf("created %+v", wh)
	}
	// The ping: form-encoded webhook_id, no signature, WooCommerce's User-Agent.
	pings := rc.got(true)
	if len(pings) != 1 || string(pings[0].body) != "webhook_id=1" || pings[0].method != "POST" ||
		pings[0].header.Get("Content-Type") != "application/x-www-form-urlencoded" ||
		pings[0].header.Get("User-Agent") != "WooCommerce/7.9.0 Hookshot (WordPress/6.3)" ||
		pings[0].header.Get("X-WC-Webhook-Signature") != "" {
		t.Fatalf("pings %+v", pings)
	}
	if sum := s.srv.Sim.Webhooks()[0]; sum.PendingDelivery || sum.Secret != "s3cret" || sum.Modified.IsZero() {
		t.Fatalf("after the ping: %+v", sum)
	}

	// A form-encoded create, and the list.
	r = s.send("POST", "/wp-json/wc/v3/webhooks", "application/x-www-form-urlencoded",
		"topic=order.updated&delivery_url="+rc.url(), DefaultKey, DefaultSecret)
	if r.status != 201 || !strings.Contains(string(r.body), `"hooks":["woocommerce_update_order","woocommerce_order_refunded"]`) ||
		!strings.Contains(string(r.body), `"name":"Webhook created on `) {
		t.Fatalf("form create: %d %s", r.status, r.body)
	}
	r = s.get("/wp-json/wc/v3/webhooks")
	list := parseJSON(t, r.body)
	if r.status != 200 || len(list.elems) != 2 || r.header.Get("X-WP-Total") != "2" || r.header.Get("X-WP-TotalPages") != "1" {
		t.Fatalf("list: %d %v %s", r.status, r.header, r.body)
	}
	for _, e := range list.elems {
		sameShape(t, "", e, sampleHook, nil)
	}
	if !strings.HasPrefix(string(r.body), `[{"id":2,`) {
		t.Errorf("newest first: %s", r.body)
	}
	if r := s.get("/wp-json/wc/v3/webhooks?per_page=1&page=2&status=active"); !strings.HasPrefix(string(r.body), `[{"id":1,`) ||
		!strings.Contains(r.header.Get("Link"), `rel="prev"`) {
		t.Errorf("page 2: %v %s", r.header, r.body)
	}

	// Update, then delete.
	r = s.send("PUT", "/wp-json/wc/v3/webhooks/1", "application/json", `{"status":"paused","name":"renamed"}`, DefaultKey, DefaultSecret)
	if r.status != 200 || !strings.Contains(string(r.body), `"name":"renamed","status":"paused"`) {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	for _, c := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"DELETE", "/wp-json/wc/v3/webhooks/1", "", 501, `{"code":"woocommerce_rest_trash_not_supported","message":"Webhooks do not support trashing.","data":{"status":501}}`},
		{"DELETE", "/wp-json/wc/v3/webhooks/1?force=true", "", 200, `"id":1,`},
		{"GET", "/wp-json/wc/v3/webhooks/1", "", 400, `{"code":"woocommerce_rest_shop_webhook_invalid_id","message":"ID is invalid.","data":{"status":400}}`},
		{"DELETE", "/wp-json/wc/v3/webhooks/1?force=true", "", 404, `{"code":"woocommerce_rest_shop_webhook_invalid_id","message":"Invalid ID.","data":{"status":404}}`},
		{"PUT", "/wp-json/wc/v3/webhooks/2", `{"status":"sleeping"}`, 400, `"code":"rest_invalid_param"`},
		{"PUT", "/wp-json/wc/v3/webhooks/2", `{"topic":"order.exploded"}`, 400, `"message":"Webhook topic must be valid."`},
		{"PUT", "/wp-json/wc/v3/webhooks/2", `{"delivery_url":"ftp://x"}`, 400, `"code":"woocommerce_rest_shop_webhook_invalid_delivery_url"`},
		{"POST", "/wp-json/wc/v3/webhooks", `{"name":"x"}`, 400, `{"code":"rest_missing_callback_param","message":"Missing parameter(s): topic, delivery_url","data":{"status":400,"params":["topic","delivery_url"]}}`},
		{"POST", "/wp-json/wc/v3/webhooks", `{"topic":"nope","delivery_url":"http://127.0.0.1:1/"}`, 400, `{"code":"woocommerce_rest_shop_webhook_invalid_topic","message":"Webhook topic is required and must be valid.","data":{"status":400}}`},
		{"POST", "/wp-json/wc/v3/webhooks", `{"topic":`, 400, `{"code":"rest_invalid_json","message":"Invalid JSON body passed.","data":{"status":400,"json_error_code":4,"json_error_message":"Syntax error"}}`},
	} {
		r := s.send(c.method, c.path, "application/json", c.body, DefaultKey, DefaultSecret)
		if r.status != c.status || !strings.Contains(string(r.body), c.want) {
			t.Errorf("%s %s %s: %d %s", c.method, c.path, c.body, r.status, r.body)
		}
	}

	// A read-only key may list but not write: 401 as captured.
	if r := s.send("GET", "/wp-json/wc/v3/webhooks", "", "", readOnlyKey, readOnlySecret); r.status != 200 {
		t.Errorf("read-only list: %d", r.status)
	}
	want := string(sample(t, "wc-v3-403-readonly-key-put.json"))
	for _, m := range []string{"POST", "PUT", "DELETE"} {
		path := "/wp-json/wc/v3/webhooks/2"
		if m == "POST" {
			path = "/wp-json/wc/v3/webhooks"
		}
		if r := s.send(m, path, "application/json", `{"status":"paused"}`, readOnlyKey, readOnlySecret); r.status != 401 || string(r.body) != want {
			t.Errorf("read-only %s: %d %s", m, r.status, r.body)
		}
	}
	if r := s.send("POST", "/wp-json/wc/v3/webhooks", "application/json", body, "", ""); r.status != 401 ||
		!strings.Contains(string(r.body), `"woocommerce_rest_cannot_create"`) {
		t.Errorf("anonymous create: %d %s", r.status, r.body)
	}
}

// checkDelivery checks a delivery's headers and signature and returns its body.
func checkDelivery(t *testing.T, d hookReq, shopURL, secret, topic string, id int64) []byte {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(d.body)
	resource, event, _ := strings.Cut(topic, ".")
	for k, want := range map[string]string{
		"Content-Type":           "application/json",
		"User-Agent":             "WooCommerce/7.9.0 Hookshot (WordPress/6.3)",
		"X-WC-Webhook-Source":    shopURL + "/",
		"X-WC-Webhook-Topic":     topic,
		"X-WC-Webhook-Resource":  resource,
		"X-WC-Webhook-Event":     event,
		"X-WC-Webhook-ID":        strconv.FormatInt(id, 10),
		"X-WC-Webhook-Signature": base64.StdEncoding.EncodeToString(mac.Sum(nil)),
	} {
		if got := d.header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(d.header.Get("X-WC-Webhook-Delivery-ID")) {
		t.Errorf("Delivery-ID %q", d.header.Get("X-WC-Webhook-Delivery-ID"))
	}
	return d.body
}

func TestWebhookDeliveries(t *testing.T) {
	rc := newReceiver(t, nil)
	s := startShop(t, Options{Orders: 5, Seed: 1}, true)
	sim := s.srv.Sim
	mk := func(topic string, legacy bool) WebhookSummary {
		w, err := sim.CreateWebhook(WebhookSpec{Topic: topic, DeliveryURL: rc.url(), Secret: "sec-" + topic, Legacy: legacy})
		if err != nil || w.PendingDelivery {
			t.Fatalf("create %s: %+v %v", topic, w, err)
		}
		return w
	}
	created, updated, deleted := mk("order.created", false), mk("order.updated", false), mk("order.deleted", false)
	legacy := mk("order.updated", true)

	ids := sim.AddOrders(2)
	sim.SetStatus(2, "completed")
	sim.DeleteOrder(3)
	waitIdle(t, sim)

	byHook := map[string][]hookReq{}
	for _, d := range rc.got(false) {
		byHook[d.header.Get("X-WC-Webhook-ID")] = append(byHook[d.header.Get("X-WC-Webhook-ID")], d)
	}
	key := func(w WebhookSummary) string { return strconv.FormatInt(w.ID, 10) }
	if len(byHook[key(created)]) != 2 || len(byHook[key(updated)]) != 1 || len(byHook[key(deleted)]) != 1 || len(byHook[key(legacy)]) != 1 {
		t.Fatalf("deliveries per webhook: %v", map[string]int{"created": len(byHook[key(created)]), "updated": len(byHook[key(updated)]),
			"deleted": len(byHook[key(deleted)]), "legacy": len(byHook[key(legacy)])})
	}
	// wc/v3 webhooks carry the order exactly as GET /orders/{id} shows it.
	for i, d := range byHook[key(created)] {
		body := checkDelivery(t, d, s.srv.URL, "sec-order.created", "order.created", created.ID)
		if want := s.get("/wp-json/wc/v3/orders/" + strconv.FormatInt(ids[i], 10)).body; !bytes.Equal(body, want) {
			t.Errorf("order.created body\n got %s\nwant %s", body, want)
		}
	}
	body := checkDelivery(t, byHook[key(updated)][0], s.srv.URL, "sec-order.updated", "order.updated", updated.ID)
	if !bytes.Equal(body, s.get("/wp-json/wc/v3/orders/2").body) || !bytes.Contains(body, []byte(`"status":"completed"`)) {
		t.Errorf("order.updated body %s", body)
	}
	if body := checkDelivery(t, byHook[key(deleted)][0], s.srv.URL, "sec-order.deleted", "order.deleted", deleted.ID); string(body) != `{"id":3}` {
		t.Errorf("order.deleted body %s", body)
	}
	// Legacy webhooks carry {"order":…} as the legacy API shows it.
	body = checkDelivery(t, byHook[key(legacy)][0], s.srv.URL, "sec-order.updated", "order.updated", legacy.ID)
	if want := s.get("/wc-api/v3/orders/2").body; !bytes.Equal(body, want) {
		t.Errorf("legacy body\n got %s\nwant %s", body, want)
	}
	// Paused webhooks hear nothing.
	if err := sim.SetWebhookStatus(updated.ID, "paused"); err != nil {
		t.Fatal(err)
	}
	n := len(rc.got(false))
	sim.SetStatus(1, "cancelled")
	waitIdle(t, sim)
	if got := len(rc.got(false)); got != n+1 { // only the legacy webhook
		t.Errorf("%d deliveries after pausing, want %d", got, n+1)
	}
	// The shop clock stands still in tests: two deliveries of one webhook
	// within a second share their Delivery-ID, as in WooCommerce.
	a, b := byHook[key(created)][0], byHook[key(created)][1]
	if a.header.Get("X-WC-Webhook-Delivery-ID") != b.header.Get("X-WC-Webhook-Delivery-ID") {
		t.Errorf("delivery ids differ within one second")
	}
}

// Deliveries wait (DeliveryDelay); a second change to the same order while
// one waits adds nothing, and the payload is built when it is sent.
func TestWebhookDeliveriesCoalesce(t *testing.T) {
	rc := newReceiver(t, nil)
	s := startShop(t, Options{Orders: 5, Seed: 1, DeliveryDelay: 400 * time.Millisecond}, false)
	sim := s.srv.Sim
	w, _ := sim.CreateWebhook(WebhookSpec{Topic: "order.updated", DeliveryURL: rc.url(), Secret: "x"})
	sim.SetStatus(4, "processing")
	sim.SetStatus(4, "on-hold")
	sim.SetStatus(4, "completed")
	sim.SetStatus(5, "completed")
	if len(rc.got(false)) != 0 {
		t.Fatal("delivered before the delay")
	}
	waitIdle(t, sim)
	got := rc.got(false)
	if len(got) != 2 {
		t.Fatalf("%d deliveries, want 2", len(got))
	}
	var o struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	json.Unmarshal(got[0].body, &o)
	if o.ID != 4 || o.Status != "completed" || got[0].header.Get("X-WC-Webhook-ID") != strconv.FormatInt(w.ID, 10) {
		t.Fatalf("first delivery %s", got[0].body)
	}
}

func TestWebhookFailuresDisable(t *testing.T) {
	codes := []int{500, 404, 302, 500, 500, 500, 500, 500, 500, 500}
	rc := newReceiver(t, func(ping bool, n int) int {
		if ping {
			return 200
		}
		return codes[n-1]
	})
	s := startShop(t, Options{Orders: 20, Seed: 1}, true)
	sim := s.srv.Sim
	w, _ := sim.CreateWebhook(WebhookSpec{Topic: "order.updated", DeliveryURL: rc.url(), Secret: "x"})
	var counts []int
	var statuses []string
	for id := int64(1); id <= 10; id++ {
		sim.SetStatus(id, "completed")
		waitIdle(t, sim)
		sum := sim.Webhooks()[0]
		counts = append(counts, sum.FailureCount)
		statuses = append(statuses, sum.Status)
	}
	// 500, 404: two failures; 302 is a success and resets; then six
	// failures count to 6 and the seventh disables (the count stays 6);
	// a disabled webhook gets nothing more.
	if want := []int{1, 2, 0, 1, 2, 3, 4, 5, 6, 6}; !slices.Equal(counts, want) {
		t.Errorf("failure counts %v, want %v", counts, want)
	}
	if statuses[8] != "active" || statuses[9] != "disabled" {
		t.Errorf("statuses %v", statuses)
	}
	sim.SetStatus(11, "completed")
	waitIdle(t, sim)
	if n := len(rc.got(false)); n != 10 {
		t.Errorf("%d deliveries, want 10", n)
	}
	// Re-activated, it keeps its count: the next failure disables it again.
	if err := sim.SetWebhookStatus(w.ID, "active"); err != nil {
		t.Fatal(err)
	}
	codes = append(codes, 500)
	sim.SetStatus(12, "completed")
	waitIdle(t, sim)
	if sum := sim.Webhooks()[0]; sum.Status != "disabled" || sum.FailureCount != 6 {
		t.Errorf("after re-activation and a failure: %+v", sum)
	}
}

// A webhook whose ping was not answered 200 stays pending, still gets
// deliveries, and is pinged again on each save until a ping succeeds.
func TestWebhookPendingPing(t *testing.T) {
	rc := newReceiver(t, func(ping bool, n int) int {
		if ping && n < 3 {
			return 400
		}
		return 200
	})
	s := startShop(t, Options{Orders: 5, Seed: 1}, true)
	sim := s.srv.Sim
	w, _ := sim.CreateWebhook(WebhookSpec{Topic: "order.updated", DeliveryURL: rc.url(), Secret: "x"})
	if !w.PendingDelivery || w.Status != "active" {
		t.Fatalf("after a refused ping: %+v", w)
	}
	sim.SetStatus(1, "completed") // delivered, and the save pings again (refused)
	waitIdle(t, sim)
	if sum := sim.Webhooks()[0]; !sum.PendingDelivery || len(rc.got(true)) != 2 || len(rc.got(false)) != 1 {
		t.Fatalf("after one delivery: %+v, %d pings", sum, len(rc.got(true)))
	}
	sim.SetStatus(2, "completed") // the third ping is answered 200
	waitIdle(t, sim)
	if sum := sim.Webhooks()[0]; sum.PendingDelivery || len(rc.got(true)) != 3 {
		t.Fatalf("after two deliveries: %+v, %d pings", sum, len(rc.got(true)))
	}
	// A new delivery URL is pinged.
	other := newReceiver(t, nil)
	r := s.send("PUT", "/wp-json/wc/v3/webhooks/"+strconv.FormatInt(w.ID, 10), "application/json",
		`{"delivery_url":"`+other.url()+`"}`, DefaultKey, DefaultSecret)
	if r.status != 200 || len(other.got(true)) != 1 {
		t.Fatalf("new URL: %d %s, %d pings", r.status, r.body, len(other.got(true)))
	}
}

func TestWebhooksLegacyAPI(t *testing.T) {
	rc := newReceiver(t, nil)
	s := startShop(t, Options{Orders: 3, Seed: 1}, true)
	r := s.send("POST", "/wc-api/v3/webhooks", "application/json",
		`{"webhook":{"name":"legacy in","topic":"order.created","delivery_url":"`+rc.url()+`","secret":"abc"}}`, DefaultKey, DefaultSecret)
	var one struct {
		Webhook struct {
			ID        int64    `json:"id"`
			Name      string   `json:"name"`
			Status    string   `json:"status"`
			Hooks     []string `json:"hooks"`
			CreatedAt string   `json:"created_at"`
			UpdatedAt string   `json:"updated_at"`
		} `json:"webhook"`
	}
	r.json(t, &one)
	if r.status != 201 || one.Webhook.ID != 1 || one.Webhook.Status != "active" || !strings.HasSuffix(one.Webhook.CreatedAt, "Z") ||
		one.Webhook.UpdatedAt == "1970-01-01T00:00:00Z" || len(rc.got(true)) != 1 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if !strings.HasPrefix(string(r.body), `{"webhook":{"id":1,"name":"legacy in","status":"active","topic":"order.created","resource":"order","event":"created","hooks":["woocommerce_new_order"],"delivery_url":`) {
		t.Errorf("key order: %s", r.body)
	}
	if sum := s.srv.Sim.Webhooks()[0]; sum.APIVersion != "legacy_v3" {
		t.Errorf("api version %q", sum.APIVersion)
	}
	r = s.get("/wc-api/v3/webhooks")
	if r.status != 200 || !strings.HasPrefix(string(r.body), `{"webhooks":[{"id":1,`) || r.header.Get("X-WC-Total") != "1" || r.header.Get("Link") != "" {
		t.Fatalf("list: %d %v %s", r.status, r.header, r.body)
	}
	if r := s.get("/wc-api/v3/webhooks/count"); string(r.body) != `{"count":1}` {
		t.Errorf("count: %s", r.body)
	}
	r = s.send("PUT", "/wc-api/v3/webhooks/1", "application/json", `{"webhook":{"status":"paused"}}`, DefaultKey, DefaultSecret)
	if r.status != 200 || !strings.Contains(string(r.body), `"status":"paused"`) {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}
	for _, c := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"GET", "/wc-api/v3/webhooks/9", "", 404, `{"errors":[{"code":"woocommerce_api_no_webhook_found","message":"No webhook found with the ID equal to 9"}]}`},
		{"POST", "/wc-api/v3/webhooks", `{"topic":"order.created"}`, 400, `{"errors":[{"code":"woocommerce_api_missing_webhook_data","message":"No webhook data specified to create webhook"}]}`},
		{"POST", "/wc-api/v3/webhooks", `{"webhook":{"topic":"order.created","delivery_url":"nope"}}`, 400, `"woocommerce_api_invalid_webhook_delivery_url"`},
		{"GET", "/wc-api/v3/webhooks/1/deliveries", "", 200, `{"webhook_deliveries":[]}`},
		{"DELETE", "/wc-api/v3/webhooks/1", "", 200, `true`},
		{"GET", "/wc-api/v3/webhooks/1", "", 404, `"woocommerce_api_no_webhook_found"`},
	} {
		r := s.send(c.method, c.path, "application/json", c.body, DefaultKey, DefaultSecret)
		if r.status != c.status || !strings.Contains(string(r.body), c.want) {
			t.Errorf("%s %s: %d %s", c.method, c.path, r.status, r.body)
		}
	}
}

func TestWebhookAdminEndpoints(t *testing.T) {
	rc := newReceiver(t, nil)
	s := startShop(t, Options{Orders: 3, Seed: 1}, false)
	sim := s.srv.Sim
	w, _ := sim.CreateWebhook(WebhookSpec{Topic: "order.updated", DeliveryURL: rc.url(), Secret: "x"})
	post := func(path, body string) (int, string) {
		resp, err := s.client.Post(s.srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := post("/__woosim/webhooks/"+strconv.FormatInt(w.ID, 10)+"/status", `{"status":"disabled"}`); code != 200 || !strings.Contains(body, `"status":"disabled"`) {
		t.Fatalf("%d %s", code, body)
	}
	for path, body := range map[string]string{"/__woosim/webhooks/9/status": `{"status":"paused"}`, "/__woosim/webhooks/1/status": `{"status":"asleep"}`} {
		if code, _ := post(path, body); code != 404 && code != 400 {
			t.Errorf("%s %s: %d", path, body, code)
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, s.srv.URL+"/__woosim/orders/2", nil)
	if r := s.do(req); r.status != 200 || !strings.Contains(string(r.body), `"status":"trash"`) {
		t.Errorf("trash: %d %s", r.status, r.body)
	}
	if code, body := post("/__woosim/webhooks/wait", ""); code != 200 || !strings.Contains(body, `"failure_count":0`) {
		t.Errorf("wait: %d %s", code, body)
	}
	if len(rc.got(false)) != 0 {
		t.Error("a disabled webhook got a delivery")
	}
}

// The ping looks like the captured one: same method, User-Agent, content
// type and body, no X-WC headers.
func TestWebhookPingMatchesCapture(t *testing.T) {
	want, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(sample(t, "webhook-ping-raw-request.txt"))))
	if err != nil {
		t.Fatal(err)
	}
	wantBody, _ := io.ReadAll(want.Body)
	rc := newReceiver(t, nil)
	s := startShop(t, Options{Orders: 1, Seed: 1}, false)
	sim := s.srv.Sim
	sim.CreateWebhook(WebhookSpec{Topic: "order.created", DeliveryURL: rc.url(), Secret: "x"})
	sim.CreateWebhook(WebhookSpec{Topic: "order.created", DeliveryURL: rc.url(), Secret: "x"})
	sim.CreateWebhook(WebhookSpec{Topic: "order.created", DeliveryURL: rc.url(), Secret: "x"})
	got := rc.got(true)[2] // the capture pinged webhook 3
	if got.method != want.Method || !bytes.Equal(got.body, wantBody) {
		t.Fatalf("ping %s %q, want %s %q", got.method, got.body, want.Method, wantBody)
	}
	for _, k := range []string{"User-Agent", "Content-Type", "Accept", "Accept-Encoding"} {
		if got.header.Get(k) != want.Header.Get(k) {
			t.Errorf("%s: %q, want %q", k, got.header.Get(k), want.Header.Get(k))
		}
	}
	for k := range got.header {
		if strings.HasPrefix(k, "X-Wc-") {
			t.Errorf("ping has %s", k)
		}
	}
}
