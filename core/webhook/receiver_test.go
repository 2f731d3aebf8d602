package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
)

// TestCapturedRequests replays the ping and the order.created delivery a
// real WooCommerce 7.9 sent.
func TestCapturedRequests(t *testing.T) {
	f := newFixture(t, Config{})

	resp := f.serve(readCaptured(t, "webhook-ping-raw-request.txt", f.path()))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ping: %s", resp.Status)
	}
	f.wait()
	if ds := f.deliveries(); len(ds) != 0 {
		t.Fatalf("the ping stored %d deliveries", len(ds))
	}

	resp = f.serve(readCaptured(t, "webhook-order.created-raw-request.txt", f.path()))
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("order.created: %s %s", resp.Status, body)
	}
	f.wait()
	ds := f.deliveries()
	if len(ds) != 1 {
		t.Fatalf("%d deliveries stored, want 1", len(ds))
	}
	d, err := f.st.Delivery(f.shop.ID, ds[0].Seq)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Body, sampleBody(t)) || d.Topic != "order.created" || d.DeliveryID != "06bd67eba02abb9662f73ec3002a09ee" ||
		d.WebhookID != 3 || d.Headers["X-WC-Webhook-Signature"] != "IeglT0phC6ZtcBdXnh1C8hojlGI9DCJ7BSSuUvvgrEM=" ||
		d.Headers["X-WC-Webhook-Source"] != "http://127.0.0.1:8080/" || len(d.Headers) != 7 {
		t.Errorf("stored delivery %+v", d)
	}
	if d.Status != ledger.DeliveryApplied || d.OrderID != 395 || d.Error != "" || d.Applied.IsZero() {
		t.Errorf("delivery status %s order %d error %q", d.Status, d.OrderID, d.Error)
	}
	o, err := f.st.Order(ledger.OrderKey{Shop: f.shop.ID, ID: 395})
	if err != nil {
		t.Fatal(err)
	}
	if o.Total != ledger.MustAmount("43.00") || o.Status != ledger.StatusOnHold || len(o.Lines) != 2 ||
		o.Warehouse != f.shop.Warehouse || o.CostCenter != f.shop.CostCenter || !bytes.Equal(o.Raw, sampleBody(t)) {
		t.Errorf("order %+v", o)
	}
	h, _ := f.st.History(o.Key())
	if len(h) != 1 || h[0].Source != ledger.SourceWebhook || h[0].To != ledger.StatusOnHold {
		t.Errorf("history %+v", h)
	}
	st, _ := f.st.SyncState(f.shop.ID)
	if !st.LastDelivery.Equal(d.Received) || !st.Cursor.IsZero() {
		t.Errorf("sync state %+v: LastDelivery must be the delivery's time, the cursor untouched", st)
	}

	var kinds []string
	for _, e := range f.events() {
		switch e := e.(type) {
		case events.WebhookReceived:
			kinds = append(kinds, "received "+e.Topic)
		case events.WebhookApplied:
			kinds = append(kinds, "applied")
			if e.OrderID != 395 || !e.New || e.Latency <= 0 || e.Shop != f.shop.ID {
				t.Errorf("applied event %+v", e)
			}
		default:
			kinds = append(kinds, "other")
		}
	}
	if strings.Join(kinds, ",") != "received order.created,applied" {
		t.Errorf("events %v", kinds)
	}

	// WooCommerce fires order.created twice for one order (#28329): the
	// repeat is answered 200 and changes nothing.
	resp = f.serve(readCaptured(t, "webhook-order.created-raw-request.txt", f.path()))
	f.wait()
	if resp.StatusCode != http.StatusOK || len(f.deliveries()) != 1 {
		t.Errorf("repeat: %s, %d deliveries", resp.Status, len(f.deliveries()))
	}
	if h2, _ := f.st.History(o.Key()); len(h2) != 1 {
		t.Errorf("repeat changed history: %+v", h2)
	}
	if evs := f.events(); len(evs) != 0 {
		t.Errorf("repeat published %v", evs)
	}
}

// TestRequests is the table of what each request gets, and what it
// leaves in the store.
func TestRequests(t *testing.T) {
	mod := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	type check struct {
		status   ledger.DeliveryStatus // the delivery's status ("" : nothing stored)
		errHas   string
		orderID  int64
		orderSet func(t *testing.T, f *fixture)
	}
	for _, c := range []struct {
		name string
		req  func(t *testing.T, f *fixture) *http.Request
		code int
		want check
	}{
		{"no headers", func(t *testing.T, f *fixture) *http.Request {
			return httptest.NewRequest(http.MethodPost, f.path(), bytes.NewReader(sampleBody(t)))
		}, 401, check{}},
		{"no signature", func(t *testing.T, f *fixture) *http.Request {
			req := delivery(f.path(), "order.created", "d1", sampleBody(t))
			delete(req.Header, "X-WC-Webhook-Signature")
			return req
		}, 401, check{}},
		{"no topic", func(t *testing.T, f *fixture) *http.Request {
			req := delivery(f.path(), "order.created", "d1", sampleBody(t))
			delete(req.Header, "X-WC-Webhook-Topic")
			return req
		}, 401, check{}},
		{"no delivery id", func(t *testing.T, f *fixture) *http.Request {
			req := delivery(f.path(), "order.created", "d1", sampleBody(t))
			delete(req.Header, "X-WC-Webhook-Delivery-ID")
			return req
		}, 401, check{}},
		{"wrong signature", func(t *testing.T, f *fixture) *http.Request {
			req := delivery(f.path(), "order.created", "d1", sampleBody(t))
			req.Header["X-WC-Webhook-Signature"] = []string{sign("another-secret", sampleBody(t))}
			return req
		}, 401, check{}},
		{"signature not base64", func(t *testing.T, f *fixture) *http.Request {
			req := delivery(f.path(), "order.created", "d1", sampleBody(t))
			req.Header["X-WC-Webhook-Signature"] = []string{"not base64!"}
			return req
		}, 401, check{}},
		{"signature of a different body", func(t *testing.T, f *fixture) *http.Request {
			req := delivery(f.path(), "order.created", "d1", orderBody(t, 396, "processing", mod))
			req.Header["X-WC-Webhook-Signature"] = []string{sign(realSecret, sampleBody(t))}
			return req
		}, 401, check{}},
		{"truncated body", func(t *testing.T, f *fixture) *http.Request {
			body := sampleBody(t)
			req := delivery(f.path(), "order.created", "d1", body)
			req.Body = io.NopCloser(bytes.NewReader(body[:1000]))
			req.ContentLength = 1000
			return req
		}, 401, check{}},
		{"body cut off mid-read", func(t *testing.T, f *fixture) *http.Request {
			req := delivery(f.path(), "order.created", "d1", sampleBody(t))
			req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(sampleBody(t)[:1000]), errReader{io.ErrUnexpectedEOF}))
			return req
		}, 400, check{}},
		{"huge body", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "order.created", "d1", bytes.Repeat([]byte(" "), 2<<20+1))
		}, 413, check{}},
		{"huge body without length", func(t *testing.T, f *fixture) *http.Request {
			body := bytes.Repeat([]byte(" "), 2<<20+1)
			req := delivery(f.path(), "order.created", "d1", body)
			req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), -1
			return req
		}, 413, check{}},
		{"GET", func(t *testing.T, f *fixture) *http.Request {
			return httptest.NewRequest(http.MethodGet, f.path(), nil)
		}, 405, check{}},
		{"PUT signed", func(t *testing.T, f *fixture) *http.Request {
			req := delivery(f.path(), "order.created", "d1", sampleBody(t))
			req.Method = http.MethodPut
			return req
		}, 405, check{}},
		{"unknown token", func(t *testing.T, f *fixture) *http.Request {
			return delivery(PathPrefix+NewToken(), "order.created", "d1", sampleBody(t))
		}, 404, check{}},
		{"empty token", func(t *testing.T, f *fixture) *http.Request {
			return delivery(PathPrefix, "order.created", "d1", sampleBody(t))
		}, 404, check{}},
		{"token with a suffix", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path()+"/x", "order.created", "d1", sampleBody(t))
		}, 404, check{}},
		{"another path", func(t *testing.T, f *fixture) *http.Request {
			return delivery("/hook", "order.created", "d1", sampleBody(t))
		}, 404, check{}},
		{"ping with the wrong token", func(t *testing.T, f *fixture) *http.Request {
			return readCaptured(t, "webhook-ping-raw-request.txt", PathPrefix+"0123")
		}, 404, check{}},
		{"ping-like body that is not a ping", func(t *testing.T, f *fixture) *http.Request {
			req := httptest.NewRequest(http.MethodPost, f.path(), strings.NewReader("webhook_id=3&status=completed"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		}, 401, check{}},
		{"malformed JSON with a valid signature", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "order.created", "d1", []byte(`{"id":395,"status":`))
		}, 200, check{status: ledger.DeliveryFailed, errHas: "decode order"}},
		{"an order without modification date", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "order.updated", "d1", []byte(`{"id":395,"status":"completed","total":"1.00"}`))
		}, 200, check{status: ledger.DeliveryFailed, errHas: "no modification date"}},
		{"legacy body", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "order.updated", "d1", legacyBody(77, "processing", mod))
		}, 200, check{status: ledger.DeliveryApplied, orderID: 77, orderSet: func(t *testing.T, f *fixture) {
			o, err := f.st.Order(ledger.OrderKey{Shop: f.shop.ID, ID: 77})
			if err != nil || o.Total != ledger.MustAmount("12.50") || o.Status != ledger.StatusProcessing ||
				!o.Modified.Equal(mod) || o.Warehouse != f.shop.Warehouse {
				t.Errorf("legacy order %+v, %v", o, err)
			}
		}}},
		{"restored", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "order.restored", "d1", orderBody(t, 78, "pending", mod))
		}, 200, check{status: ledger.DeliveryApplied, orderID: 78}},
		{"deleted topic", func(t *testing.T, f *fixture) *http.Request {
			body := orderBody(t, 79, "processing", mod)
			if _, err := f.st.ApplyOrders(f.shop.ID, []ledger.Order{decodeMust(t, body)}, ledger.SourcePoll, mod); err != nil {
				t.Fatal(err)
			}
			return delivery(f.path(), "order.deleted", "d1", []byte(`{"id":79}`))
		}, 200, check{status: ledger.DeliveryApplied, orderID: 79, orderSet: func(t *testing.T, f *fixture) {
			o, _ := f.st.Order(ledger.OrderKey{Shop: f.shop.ID, ID: 79})
			h, _ := f.st.History(o.Key())
			if !o.Deleted || len(h) != 2 || h[1].To != "deleted" || h[1].Source != ledger.SourceWebhook {
				t.Errorf("deleted order %v, history %+v", o.Deleted, h)
			}
			if st, _ := f.st.SyncState(f.shop.ID); !st.Cursor.Equal(mod) {
				t.Errorf("cursor moved to %v", st.Cursor)
			}
		}}},
		{"deleted order not in the books", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "order.deleted", "d1", []byte(`{"id":"80"}`))
		}, 200, check{status: ledger.DeliveryIgnored, orderID: 80, errHas: "not in the books"}},
		{"deleted without id", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "order.deleted", "d1", []byte(`{}`))
		}, 200, check{status: ledger.DeliveryFailed, errHas: "no id"}},
		{"updated with only the id", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "order.updated", "d1", []byte(`{"id":81}`))
		}, 200, check{status: ledger.DeliveryIgnored, errHas: "only the id"}},
		{"unknown topic", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "product.updated", "d1", []byte(`{"id":10,"name":"Blue Mug"}`))
		}, 200, check{status: ledger.DeliveryIgnored, errHas: "not about orders"}},
		{"action topic", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "action.woocommerce_payment_complete", "d1", []byte(`{"action":"woocommerce_payment_complete","arg":395}`))
		}, 200, check{status: ledger.DeliveryIgnored, errHas: "not about orders"}},
		{"unknown order event", func(t *testing.T, f *fixture) *http.Request {
			return delivery(f.path(), "order.exploded", "d1", sampleBody(t))
		}, 200, check{status: ledger.DeliveryIgnored, errHas: "not one ShopLedger acts on"}},
		{"PHP notice before the JSON", func(t *testing.T, f *fixture) *http.Request {
			body := append([]byte("\xef\xbb\xbfNotice: Undefined index: foo in /var/www/x.php on line 3\n"), orderBody(t, 82, "processing", mod)...)
			return delivery(f.path(), "order.created", "d1", body)
		}, 200, check{status: ledger.DeliveryApplied, orderID: 82}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, Config{})
			resp := f.serve(c.req(t, f))
			if resp.StatusCode != c.code {
				body, _ := io.ReadAll(resp.Body)
				t.Errorf("status %s (%s), want %d", resp.Status, strings.TrimSpace(string(body)), c.code)
			}
			f.wait()
			ds := f.deliveries()
			// What docs/RELIABILITY.md's table quotes, as measured.
			if stored := "nothing stored"; len(ds) == 0 {
				t.Logf("%s: %d, %s", c.name, resp.StatusCode, stored)
			} else {
				t.Logf("%s: %d, %d delivery stored, %s %q (order %d)", c.name, resp.StatusCode, len(ds), ds[0].Status, ds[0].Error, ds[0].OrderID)
			}
			if c.want.status == "" {
				if len(ds) != 0 {
					t.Fatalf("%d deliveries stored, want none", len(ds))
				}
				if st, _ := f.st.SyncState(f.shop.ID); !st.LastDelivery.IsZero() {
					t.Error("LastDelivery set by a rejected request")
				}
				rejected := false
				for _, e := range f.events() {
					_, rejected = e.(events.WebhookRejected)
				}
				// Paths outside /webhooks/ are none of the receiver's business.
				if outside := c.name == "another path"; rejected == outside {
					t.Errorf("WebhookRejected published: %v", rejected)
				}
				return
			}
			if len(ds) != 1 {
				t.Fatalf("%d deliveries stored, want 1", len(ds))
			}
			d := ds[0]
			if d.Status != c.want.status || !strings.Contains(d.Error, c.want.errHas) || d.OrderID != c.want.orderID {
				t.Errorf("delivery %s %q order %d; want %s %q order %d", d.Status, d.Error, d.OrderID,
					c.want.status, c.want.errHas, c.want.orderID)
			}
			if c.want.orderSet != nil {
				c.want.orderSet(t, f)
			}
		})
	}
}

func decodeMust(t *testing.T, body []byte) ledger.Order {
	t.Helper()
	o, err := DecodeOrder(body)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// TestKeyring: a locked keyring gets 503 and nothing is stored; a secret
// read before keeps working; a missing secret is 401; a changed secret is
// read again.
func TestKeyring(t *testing.T) {
	f := newFixture(t, Config{})
	mod := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	locked := &secrets.UnavailableError{Err: errors.New("no answer within 3s (is the keyring locked?)")}
	f.keys.setFail(locked)
	resp := f.serve(delivery(f.path(), "order.created", "d1", orderBody(t, 1, "pending", mod)))
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("locked keyring: %s", resp.Status)
	}
	if len(f.deliveries()) != 0 {
		t.Fatal("stored while the keyring was locked")
	}

	f.keys.setFail(nil)
	if resp := f.serve(delivery(f.path(), "order.created", "d2", orderBody(t, 2, "pending", mod))); resp.StatusCode != 200 {
		t.Fatalf("unlocked: %s", resp.Status)
	}
	f.keys.setFail(locked)
	reads := f.keys.readCount()
	if resp := f.serve(delivery(f.path(), "order.created", "d3", orderBody(t, 3, "pending", mod))); resp.StatusCode != 200 {
		t.Errorf("locked again, secret in memory: %s", resp.Status)
	}
	if f.keys.readCount() != reads {
		t.Error("the keyring was read for every delivery")
	}
	f.keys.setFail(nil)

	// A secret changed in the keyring: deliveries signed with the new one
	// pass once the cached one is old enough to be doubted, or at once after
	// ForgetSecret.
	if err := secrets.SaveWebhookSecret(f.keys, f.shop.ID, "new-secret-0123456789"); err != nil {
		t.Fatal(err)
	}
	newly := func(id string) *http.Request {
		body := orderBody(t, 4, "pending", mod)
		req := delivery(f.path(), "order.created", id, body)
		req.Header["X-WC-Webhook-Signature"] = []string{sign("new-secret-0123456789", body)}
		return req
	}
	if resp := f.serve(newly("d4")); resp.StatusCode != 401 {
		t.Errorf("new secret right after the cache: %s (a bad signature must not reread the keyring each time)", resp.Status)
	}
	f.r.secrets.mu.Lock()
	c := f.r.secrets.m[f.shop.ID]
	c.loaded = c.loaded.Add(-time.Minute)
	f.r.secrets.m[f.shop.ID] = c
	f.r.secrets.mu.Unlock()
	if resp := f.serve(newly("d5")); resp.StatusCode != 200 {
		t.Errorf("new secret, cache old: %s", resp.Status)
	}
	if err := secrets.SaveWebhookSecret(f.keys, f.shop.ID, realSecret); err != nil {
		t.Fatal(err)
	}
	f.r.ForgetSecret(f.shop.ID)
	if resp := f.serve(delivery(f.path(), "order.created", "d6", orderBody(t, 6, "pending", mod))); resp.StatusCode != 200 {
		t.Errorf("after ForgetSecret: %s", resp.Status)
	}

	// No secret at all: the shop's deliveries cannot be checked.
	f.keys.Delete("shop-1-webhook-secret")
	f.r.ForgetSecret(f.shop.ID)
	if resp := f.serve(delivery(f.path(), "order.created", "d7", orderBody(t, 7, "pending", mod))); resp.StatusCode != 401 {
		t.Errorf("no secret: %s", resp.Status)
	}
	f.wait()
	if n := len(f.deliveries()); n != 4 { // d2, d3, d5, d6
		t.Errorf("%d deliveries stored, want 4", n)
	}
}

// TestEntityEncodedSecret: WooCommerce signs with
// wp_specialchars_decode(secret), so a secret typed with &amp; still works.
func TestEntityEncodedSecret(t *testing.T) {
	f := newFixture(t, Config{})
	if err := secrets.SaveWebhookSecret(f.keys, f.shop.ID, "a&amp;b"); err != nil {
		t.Fatal(err)
	}
	f.r.ForgetSecret(f.shop.ID)
	body := []byte(`{"id":1}`)
	req := delivery(f.path(), "order.deleted", "d1", body)
	req.Header["X-WC-Webhook-Signature"] = []string{sign("a&b", body)}
	if resp := f.serve(req); resp.StatusCode != 200 {
		t.Errorf("decoded secret: %s", resp.Status)
	}
}

// TestUpdateThenDeleteInOrder: deliveries for one order are applied in
// arrival order, so a deletion that follows an update stays.
func TestUpdateThenDeleteInOrder(t *testing.T) {
	f := newFixture(t, Config{Workers: 4})
	mod := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for i := range 50 {
		id := int64(100 + i)
		for j, req := range []*http.Request{
			delivery(f.path(), "order.created", "a", orderBody(t, id, "pending", mod)),
			delivery(f.path(), "order.updated", "b", orderBody(t, id, "processing", mod.Add(time.Minute))),
			delivery(f.path(), "order.deleted", "c", []byte(`{"id":`+strconv.FormatInt(id, 10)+`}`)),
		} {
			if resp := f.serve(req); resp.StatusCode != 200 {
				t.Fatalf("order %d delivery %d: %s", id, j, resp.Status)
			}
		}
	}
	f.wait()
	for i := range 50 {
		o, err := f.st.Order(ledger.OrderKey{Shop: f.shop.ID, ID: int64(100 + i)})
		if err != nil || !o.Deleted || o.Status != ledger.StatusProcessing {
			t.Fatalf("order %d: deleted %v status %s, %v", 100+i, o.Deleted, o.Status, err)
		}
	}
}

// TestRetry: a deletion that arrived before the order was in the books is
// ignored; once the order is imported, a retry marks it.
func TestRetry(t *testing.T) {
	f := newFixture(t, Config{})
	mod := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	f.serve(delivery(f.path(), "order.deleted", "d1", []byte(`{"id":5}`)))
	f.serve(delivery(f.path(), "order.created", "d2", []byte(`not json`)))
	f.wait()
	ds := f.deliveries()
	if len(ds) != 2 || ds[1].Status != ledger.DeliveryIgnored || ds[0].Status != ledger.DeliveryFailed {
		t.Fatalf("deliveries %+v", ds)
	}
	f.events()
	if _, err := f.st.ApplyOrders(f.shop.ID, []ledger.Order{decodeMust(t, orderBody(t, 5, "processing", mod))},
		ledger.SourcePoll, mod); err != nil {
		t.Fatal(err)
	}
	d, err := f.r.Retry(f.shop.ID, ds[1].Seq)
	if err != nil || d.Status != ledger.DeliveryApplied || d.Error != "" {
		t.Fatalf("Retry = %+v, %v", d, err)
	}
	if o, _ := f.st.Order(ledger.OrderKey{Shop: f.shop.ID, ID: 5}); !o.Deleted {
		t.Error("retry did not mark the order deleted")
	}
	// A body that is not an order fails again, and says so.
	d, err = f.r.Retry(f.shop.ID, ds[0].Seq)
	if err != nil || d.Status != ledger.DeliveryFailed || !strings.Contains(d.Error, "decode order") {
		t.Errorf("Retry of junk = %+v, %v", d, err)
	}
	var failed, applied int
	for _, e := range f.events() {
		switch e.(type) {
		case events.WebhookFailed:
			failed++
		case events.WebhookApplied:
			applied++
		}
	}
	if failed != 1 || applied != 1 {
		t.Errorf("retries published %d applied, %d failed; want 1, 1", applied, failed)
	}
	if _, err := f.r.Retry(f.shop.ID, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Retry of a missing delivery: %v", err)
	}
}

// TestSweep: deliveries stored but not applied (a crash between the 200
// and the apply) are applied by the next receiver; so are deliveries that
// did not fit in the queue.
func TestSweep(t *testing.T) {
	f := newFixture(t, Config{})
	mod := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	f.stop()
	for i := range 3 {
		if _, _, err := f.st.AddDelivery(ledger.Delivery{Shop: f.shop.ID, DeliveryID: "x", Topic: "order.created",
			Body: orderBody(t, int64(200+i), "pending", mod)}); err != nil {
			t.Fatal(err)
		}
	}
	f.r = New(f.st, f.keys, f.bus, Config{QueueSize: 1})
	f.start()
	for _, d := range f.deliveries() {
		if d.Status != ledger.DeliveryApplied {
			t.Errorf("after restart delivery %d is %s", d.Seq, d.Status)
		}
	}

	// A decoder queue of one, and 40 concurrent deliveries: the writer
	// decodes what the decoders could not take.
	done := make(chan int, 40)
	for i := range 40 {
		go func() {
			done <- f.serve(delivery(f.path(), "order.created", "y", orderBody(t, int64(300+i), "pending", mod))).StatusCode
		}()
	}
	for range 40 {
		if code := <-done; code != 200 {
			t.Errorf("status %d", code)
		}
	}
	f.wait()
	for i := range 40 {
		if _, err := f.st.Order(ledger.OrderKey{Shop: f.shop.ID, ID: int64(300 + i)}); err != nil {
			t.Errorf("order %d: %v", 300+i, err)
		}
	}
	if n, _ := f.st.Deliveries(f.shop.ID, ledger.DeliveryReceived, 0, 0); len(n) != 0 {
		t.Errorf("%d deliveries still waiting", len(n))
	}
}

func TestPrune(t *testing.T) {
	f := newFixture(t, Config{})
	f.serve(delivery(f.path(), "product.updated", "d1", []byte(`{}`)))
	f.wait()
	if n, err := f.r.Prune(time.Hour); err != nil || n != 0 {
		t.Errorf("Prune(1h) = %d, %v", n, err)
	}
	if n, err := f.r.Prune(-time.Second); err != nil || n != 1 {
		t.Errorf("Prune(-1s) = %d, %v", n, err)
	}
}

func TestURLAndToken(t *testing.T) {
	f := newFixture(t, Config{PublicBaseURL: "https://hooks.example.test/"})
	if got, want := f.r.URL(f.shop), "https://hooks.example.test/webhooks/"+f.shop.WebhookToken; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	if len(f.shop.WebhookToken) != 32 {
		t.Errorf("token %q is not 128 bits of hex", f.shop.WebhookToken)
	}
	if tok, err := EnsureToken(f.st, f.shop.ID); err != nil || tok != f.shop.WebhookToken {
		t.Errorf("EnsureToken again = %q, %v: the token must stay", tok, err)
	}
	if f.r.URL(ledger.Shop{}) != "" {
		t.Error("a shop without a token has a URL")
	}
	if NewToken() == NewToken() {
		t.Error("two equal tokens")
	}
	r := New(f.st, f.keys, nil, Config{})
	if got := r.BaseURL(); got != "http://"+DefaultAddr {
		t.Errorf("default BaseURL = %q", got)
	}
}

// TestServe runs the receiver on loopback: deliveries over real HTTP, the
// read-header timeout against a slow client, the header size limit, and a
// clean stop.
func TestServe(t *testing.T) {
	f := newStoppedFixture(t, Config{ReadHeaderTimeout: 300 * time.Millisecond, MaxHeaderBytes: 4 << 10})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- f.r.ServeListener(ctx, ln) }()
	select {
	case <-f.r.Ready():
	case err := <-served:
		t.Fatalf("ServeListener: %v", err)
	}
	url := f.r.URL(f.shop)
	if !strings.HasPrefix(url, "http://"+ln.Addr().String()+"/webhooks/") {
		t.Fatalf("URL %q does not use the listener's address", url)
	}

	req := delivery(url, "order.created", "d1", sampleBody(t))
	req.RequestURI = ""
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("delivery over HTTP: %s", resp.Status)
	}

	// A client that sends half a request line and stalls is cut off.
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("POST /webhooks/x HTTP/1.1\r\nHost: x\r\n"))
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	n, _ := conn.Read(make([]byte, 1))
	conn.Close()
	if took := time.Since(start); n != 0 || took > 3*time.Second {
		t.Errorf("slow client: read %d bytes after %v, want the connection closed after ~300ms", n, took)
	}

	// Headers over the limit: 431.
	big := delivery(url, "order.created", "d1", sampleBody(t))
	big.RequestURI = ""
	big.Header.Set("X-Padding", strings.Repeat("a", 8<<10))
	if resp, err := http.DefaultClient.Do(big); err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("huge headers: %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}

	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if ds := f.deliveries(); len(ds) != 1 || ds[0].Status != ledger.DeliveryApplied {
		t.Errorf("deliveries after stop: %+v", ds)
	}
}

func TestServeBadAddress(t *testing.T) {
	f := newStoppedFixture(t, Config{Addr: "127.0.0.1:-1"})
	if err := f.r.Serve(context.Background()); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("Serve on a bad address = %v", err)
	}
}
