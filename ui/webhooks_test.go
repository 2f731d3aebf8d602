package ui

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/demo"
	"codeberg.org/shopledger/shopledger/core/engine"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// startEngine runs the app's background over b on a free loopback port;
// it stops before b closes.
func startEngine(t testing.TB, b *books.Books) *engine.Engine {
	t.Helper()
	return startEngineWith(t, b, engine.Options{})
}

// webhookWindow connects a simulated shop, starts the engine and opens
// the window on the Webhooks page.
func webhookWindow(t *testing.T) (*books.Books, *woosim.Server, *engine.Engine, *mainWindow, *jobs) {
	t.Helper()
	b := openBooks(t)
	srv := startShop(t, 12)
	addShopDirectly(t, b, "Corner shop", srv)
	eng := startEngine(t, b)
	w, j := openWindow(t, b, options{engine: eng})
	w.start()
	j.drain(t)
	w.tabs.SelectIndex(tabWebhooks)
	j.drain(t)
	return b, srv, eng, w, j
}

// TestWebhooksPageAddressAndSecret: the page shows the shop's delivery URL
// and copies it; the secret stays masked until Reveal and is the one the
// receiver checks with.
func TestWebhooksPageAddressAndSecret(t *testing.T) {
	b, _, eng, w, j := webhookWindow(t)
	p := w.webhooks
	sh, err := b.Shop(w.shops[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := eng.Receiver.URL(sh)
	if sh.WebhookToken == "" || p.url.Text != want || !strings.HasPrefix(want, eng.Receiver.BaseURL()+"/webhooks/") {
		t.Fatalf("the page shows %q, want the receiver's %q", p.url.Text, want)
	}
	test.Tap(p.copyURL)
	if got := fyne.CurrentApp().Clipboard().Content(); got != want {
		t.Errorf("the clipboard holds %q after Copy", got)
	}
	if p.reach.Visible() {
		t.Errorf("a shop on this computer gets the warning %q", p.reach.Text)
	}

	if p.secret.Text != secretMask {
		t.Fatalf("the secret shows before Reveal: %q", p.secret.Text)
	}
	test.Tap(p.reveal)
	j.drain(t)
	secret, err := b.WebhookSecret(sh.ID)
	if err != nil || len(secret) < 16 || p.secret.Text != secret {
		t.Fatalf("Reveal shows %q, the shop's secret is %d characters (%v)", p.secret.Text, len(secret), err)
	}
	if p.reveal.Text != "Hide" {
		t.Errorf("the button reads %q after Reveal", p.reveal.Text)
	}
	test.Tap(p.reveal)
	if p.secret.Text != secretMask {
		t.Error("Hide left the secret on screen")
	}
	test.Tap(p.copySecret)
	j.drain(t)
	if fyne.CurrentApp().Clipboard().Content() != secret || p.secret.Text != secretMask {
		t.Error("Copy did not put the secret on the clipboard, or showed it")
	}

	// A shop whose webhooks fell silent is polled; the page says why.
	if err := b.UpdateSyncState(sh.ID, func(st *ledger.SyncState) { st.Fallback = "the webhooks seem to be silent" }); err != nil {
		t.Fatal(err)
	}
	w.reload(nil)
	j.drain(t)
	if !p.fallback.Visible() || p.fallbackWhy.Text != "the webhooks seem to be silent" {
		t.Errorf("the fallback shows as %q / %q", p.fallback.Text, p.fallbackWhy.Text)
	}
}

// TestWebhooksPageWarnsAboutARemoteShop: a shop on the internet cannot
// deliver to 127.0.0.1; the page says so and what to do, and a public
// address entered in the page is used at once and kept.
func TestWebhooksPageWarnsAboutARemoteShop(t *testing.T) {
	b, _, eng, w, j := webhookWindow(t)
	wh, cc := w.warehouses[0], w.costCenters[0]
	if _, err := b.CreateShop(ledger.Shop{Name: "Online shop", URL: "https://myshop.example.bg", Warehouse: wh.ID, CostCenter: cc.ID}); err != nil {
		t.Fatal(err)
	}
	w.reload(nil)
	j.drain(t)
	p := w.webhooks
	p.shop.SetSelected("Online shop")
	j.drain(t)
	if !p.reach.Visible() || !strings.Contains(p.reach.Text, "only works for a shop on this computer") {
		t.Fatalf("no warning for a shop on the internet: %q", p.reach.Text)
	}

	typeInto(p.public, "hooks.example.com")
	test.Tap(p.savePublic)
	if !strings.HasPrefix(p.publicNote.Text, "Enter a web address") || w.settings.publicWebhookURL() != "" {
		t.Fatalf("a bad address was taken: %q", p.publicNote.Text)
	}
	typeInto(p.public, "https://hooks.example.com/")
	test.Tap(p.savePublic)
	j.drain(t)
	if w.settings.publicWebhookURL() != "https://hooks.example.com" || eng.Receiver.BaseURL() != "https://hooks.example.com" {
		t.Fatalf("the public address was not kept and used: %q, %q", w.settings.publicWebhookURL(), eng.Receiver.BaseURL())
	}
	if !strings.HasPrefix(p.url.Text, "https://hooks.example.com/webhooks/") || p.reach.Visible() {
		t.Errorf("after the public address the page shows %q, warning %q", p.url.Text, p.reach.Text)
	}
}

// TestRegisterInShopAndDeliveries registers the webhooks in the simulated
// shop: the shop switches to webhook mode and the health shows them
// active. A status change in the shop is then delivered and appears in the
// log, applied; a delivery that cannot be used appears failed, and Retry
// applies one again.
func TestRegisterInShopAndDeliveries(t *testing.T) {
	b, srv, eng, w, j := webhookWindow(t)
	p := w.webhooks
	// A polled shop needs no webhooks: said neutrally, with the way to them.
	if p.health.Text != "Corner shop is synced by polling and needs no webhooks. To get new and changed orders at once, press Register in shop." ||
		p.health.Importance != widget.MediumImportance {
		t.Fatalf("before registering, the health says %q (importance %v)", p.health.Text, p.health.Importance)
	}
	test.Tap(p.register)
	j.drain(t)
	if p.registered.Text != "Registered 3 webhooks in Corner shop. New and changed orders now arrive at once, and a catch-up sync runs every night." {
		t.Fatalf("Register in shop said %q", p.registered.Text)
	}
	sh, _ := b.Shop(w.shops[0].ID)
	if sh.SyncMode != ledger.SyncWebhook || len(sh.WebhookIDs) != 3 || len(srv.Sim.Webhooks()) != 3 {
		t.Fatalf("after registering: mode %s, %d webhook ids, %d webhooks in the shop", sh.SyncMode, len(sh.WebhookIDs), len(srv.Sim.Webhooks()))
	}
	if p.health.Text != "Healthy: every webhook is active." || !strings.Contains(p.healthMore.Text, "Order created: active") {
		t.Fatalf("the health says %q / %q", p.health.Text, p.healthMore.Text)
	}
	if !strings.Contains(p.mode.Text, "Webhooks") {
		t.Errorf("the mode reads %q", p.mode.Text)
	}
	if st, err := eng.SyncStatus(sh.ID); err != nil || st.Mode != "webhook" {
		t.Errorf("the automatic sync does not serve the shop: %v", err)
	}

	// The shop delivers a status change.
	order := storeOrders(t, b, store.OrderFilter{Shop: sh.ID})[0]
	if err := srv.Sim.SetStatus(order.ID, "on-hold"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Sim.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	if err := eng.Receiver.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	test.Tap(p.log.refresh)
	j.drain(t)
	if len(p.log.items) == 0 {
		t.Fatal("the delivery is not in the log")
	}
	d := p.log.items[0]
	if d.Topic != "order.updated" || d.OrderID != order.ID || d.Status != ledger.DeliveryApplied {
		t.Fatalf("the log's newest delivery is %s", p.log.row(0))
	}
	if got, _ := b.Order(order.Key()); got.Status != ledger.StatusOnHold {
		t.Errorf("the delivered status is not in the books: %s", got.Status)
	}
	w.reload(nil)
	j.drain(t)
	if !strings.HasPrefix(p.lastSeen.Text, "Last delivery: 2") {
		t.Errorf("after a delivery the page says %q", p.lastSeen.Text)
	}

	// A delivery whose order cannot be read fails, and fails again on
	// Retry. It shows by itself: the window hears of it and reloads.
	secret, _ := b.WebhookSecret(sh.ID)
	post(t, p.url.Text, secret, "order.updated", `{"id":4242,"number":"4242","status":"processing"}`)
	if err := eng.Receiver.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	before := len(p.log.items)
	waitWindow(t, w, j, "the failed delivery in the log", func() bool { return len(p.log.items) == before+1 })
	bad := p.log.items[0]
	if bad.Status != ledger.DeliveryFailed || bad.Error == "" {
		t.Fatalf("the unreadable delivery is %s (%s)", p.log.row(0), bad.Error)
	}
	if detail := deliveryDetail(bad); !strings.Contains(detail, "Press Retry") {
		t.Errorf("a failed delivery reads %q", detail)
	}
	p.log.retry(bad.Seq)
	j.drain(t)
	if !strings.HasPrefix(p.log.message.Text, "It failed again:") || p.log.items[0].Status != ledger.DeliveryFailed {
		t.Errorf("Retry of an unreadable delivery said %q", p.log.message.Text)
	}

	// A delivery that failed for a passing reason is applied by Retry.
	if err := b.UpdateDelivery(sh.ID, d.Seq, func(x *ledger.Delivery) {
		x.Status, x.Error = ledger.DeliveryFailed, "the disk was full"
	}); err != nil {
		t.Fatal(err)
	}
	test.Tap(p.log.refresh)
	j.drain(t)
	row := -1
	for i, x := range p.log.items {
		if x.Seq == d.Seq {
			row = i
		}
	}
	if row < 0 || p.log.items[row].Status != ledger.DeliveryFailed {
		t.Fatal("the failed delivery is not in the log")
	}
	// Retry as the row's button does it.
	c := p.log.createRow()
	p.log.updateRow(row, c)
	r := p.log.rows[c.(*fyne.Container)]
	if !r.retry.Visible() {
		t.Fatal("a failed delivery has no Retry button")
	}
	test.Tap(r.retry)
	j.drain(t)
	if p.log.message.Text != "The delivery was applied." || p.log.items[row].Status != ledger.DeliveryApplied {
		t.Errorf("Retry said %q; the delivery is %s", p.log.message.Text, p.log.row(row))
	}
}

// TestWebhooksPageWithoutEngine: without the receiver the page says so.
func TestWebhooksPageWithoutEngine(t *testing.T) {
	b := openBooks(t)
	addShopDirectly(t, b, "Corner shop", startShop(t, 3))
	w, j := started(t, b)
	w.tabs.SelectIndex(tabWebhooks)
	j.drain(t)
	if !w.webhooks.notRunning.Visible() || w.webhooks.body.Visible() {
		t.Error("the page offers webhooks without a receiver")
	}
}

// post sends a signed delivery as WooCommerce does.
func post(t *testing.T, url, secret, topic, body string) {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-WC-Webhook-Topic", topic)
	req.Header.Set("X-WC-Webhook-Resource", "order")
	req.Header.Set("X-WC-Webhook-Event", strings.TrimPrefix(topic, "order."))
	req.Header.Set("X-WC-Webhook-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req.Header.Set("X-WC-Webhook-ID", "1")
	req.Header.Set("X-WC-Webhook-Delivery-ID", "test-delivery-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the receiver answered %s", resp.Status)
	}
}

// TestWebhooksPageShowsTheDemoShop: the demo shop's webhooks are on the
// page like any shop's, labelled as demo data, healthy, and an order a
// demo customer places arrives in the deliveries log.
func TestWebhooksPageShowsTheDemoShop(t *testing.T) {
	b := openBooks(t)
	seedCatalog(t, b)
	eng := startEngine(t, b)
	d, err := eng.StartDemo(context.Background(), demo.Options{Orders: 15, Interval: -1})
	if err != nil {
		t.Fatal(err)
	}
	w, j := openWindow(t, b, options{engine: eng})
	w.start()
	j.drain(t)
	w.tabs.SelectIndex(tabWebhooks)
	j.drain(t)
	p := w.webhooks
	if p.current() == nil || p.current().ID != d.Shop() || !p.demoNote.Visible() {
		t.Fatal("the page does not show the demo shop as such")
	}
	if p.url.Text == "" || p.reach.Visible() {
		t.Errorf("the demo shop's URL is %q, warning %q", p.url.Text, p.reach.Text)
	}
	if p.health.Text != "Healthy: every webhook is active." {
		t.Errorf("the demo shop's health: %q / %q", p.health.Text, p.healthMore.Text)
	}

	// The order arrives in the log by itself: the window hears the
	// delivery and reads the log's top again.
	id := d.PlaceOrder()
	waitWindow(t, w, j, "the demo order in the deliveries log", func() bool {
		return len(p.log.items) > 0 && p.log.items[0].OrderID == id && p.log.items[0].Status == ledger.DeliveryApplied
	})
}

// TestRegisterWithAReadOnlyKey: the shop refuses a read-only key's
// webhooks; the page says what to do about it, in Bulgarian too, and the
// shop stays polled.
func TestRegisterWithAReadOnlyKey(t *testing.T) {
	b := openBooks(t)
	srv := startShopWith(t, woosim.Options{Orders: 3, Seed: 1, ReadOnlyKey: "ck_ro", ReadOnlySecret: "cs_ro"}, false)
	wh, cc := seedCatalog(t, b)
	sh, err := b.AddShop(books.NewShop{Name: "Read-only shop", URL: srv.URL, Key: "ck_ro", Secret: "cs_ro", Warehouse: wh.ID, CostCenter: cc.ID})
	if err != nil {
		t.Fatal(err)
	}
	eng := startEngine(t, b)
	w, j := openWindow(t, b, options{engine: eng})
	w.start()
	j.drain(t)
	setLanguage("bg")
	w.build()
	w.reload(nil)
	j.drain(t)
	w.tabs.SelectIndex(tabWebhooks)
	j.drain(t)
	p := w.webhooks
	test.Tap(p.register)
	j.drain(t)
	if !strings.Contains(p.registered.Text, "може само да чете") || !strings.Contains(p.registered.Text, "„Четене/Запис“") ||
		!strings.HasSuffix(p.registered.Text, "натиснете отново „Регистрирай в магазина“.") {
		t.Errorf("a read-only key's refusal reads %q", p.registered.Text)
	}
	if got, _ := b.Shop(sh.ID); got.SyncMode == ledger.SyncWebhook || len(srv.Sim.Webhooks()) != 0 {
		t.Errorf("after the refusal: mode %s, %d webhooks in the shop", got.SyncMode, len(srv.Sim.Webhooks()))
	}
}
