package webhooks

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/demo"
	"codeberg.org/shopledger/shopledger/core/engine"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

func TestMain(m *testing.M) { uitest.Main(m) }

// shell stands in for the window. Reload reads the shops and their sync
// states and shows them, as the window's reload does, and it reloads when
// the engine tells of a delivery applied or failed, as the window does
// (without the window's coalescing delay). The public address is kept in
// a field, and the search index's refreshes are counted.
type shell struct {
	t         testing.TB
	win       fyne.Window
	br        *bridge.Bridge
	b         *books.Books
	page      *Page
	public    string
	refreshes int
}

func (s *shell) Bridge() *bridge.Bridge         { return s.br }
func (s *shell) RefreshIndex()                  { s.refreshes++ }
func (s *shell) PublicWebhookURL() string       { return s.public }
func (s *shell) SetPublicWebhookURL(url string) { s.public = url }

// snapshot is what Reload reads.
type snapshot struct {
	shops  []ledger.Shop
	states map[ledger.ShopID]ledger.SyncState
}

func (s *shell) Reload() {
	bridge.Load(s.br, func(context.Context) (snapshot, error) {
		shops, err := s.b.Shops()
		if err != nil {
			return snapshot{}, err
		}
		v := snapshot{shops: shops, states: map[ledger.ShopID]ledger.SyncState{}}
		for _, sh := range shops {
			if v.states[sh.ID], err = s.b.SyncState(sh.ID); err != nil {
				return v, err
			}
		}
		return v, nil
	}, func(v snapshot, err error) {
		if err != nil {
			s.t.Error(err)
			return
		}
		s.page.Show(v.shops, v.states)
	})
}

// openPage shows the screen over b and eng (nil: no engine runs) in a
// window of its own, in the language given ("en" or "bg"), as the
// navigation opens it: hidden while the first reload shows the shops, then
// shown and Opened. Its background work runs when the test drains j.
func openPage(t *testing.T, b *books.Books, eng *engine.Engine, language string) (*Page, *shell, *uitest.Jobs) {
	t.Helper()
	uitest.English(t)
	i18n.SetLanguage(language)
	j := &uitest.Jobs{}
	ctx, cancel := context.WithCancel(context.Background())
	s := &shell{t: t, win: test.NewWindow(nil), br: bridge.New(ctx, j.Run), b: b}
	var be Backend
	if eng != nil {
		be = eng
		sub := eng.Bus.Subscribe()
		bridge.Stream(s.br, sub.C, func(e events.Event) {
			switch e.(type) {
			case events.WebhookApplied, events.WebhookFailed:
				s.Reload()
			}
		}, sub.Close)
	}
	s.page = New(s, s, be)
	s.win.SetContent(s.page.Content())
	s.win.Resize(fyne.NewSize(1180, 720))
	t.Cleanup(func() {
		cancel()
		j.Drain(t)
		s.br.Stop()
		s.win.Close()
	})
	s.page.Content().Hide()
	s.Reload()
	j.Drain(t)
	s.page.Content().Show()
	s.page.Opened()
	j.Drain(t)
	return s.page, s, j
}

// webhookPage connects a simulated shop with 12 orders, starts the engine
// and opens the screen.
func webhookPage(t *testing.T) (*books.Books, *woosim.Server, *engine.Engine, *Page, *shell, *uitest.Jobs) {
	t.Helper()
	b := uitest.OpenBooks(t)
	srv := uitest.StartShop(t, 12)
	uitest.AddShop(t, b, "Corner shop", srv)
	eng := uitest.StartEngine(t, b)
	p, s, j := openPage(t, b, eng, "en")
	return b, srv, eng, p, s, j
}

// waitFor runs the screen's work, and hands it the engine's events, until
// cond holds; the engine's goroutines run meanwhile.
func waitFor(t *testing.T, s *shell, j *uitest.Jobs, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		j.Drain(t)
		s.br.Pump()
		j.Drain(t)
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// storeOrders lists what the books hold under a filter, newest first.
func storeOrders(t testing.TB, b *books.Books, f store.OrderFilter) []ledger.Order {
	t.Helper()
	var out []ledger.Order
	if err := b.EachOrder(f, func(o *ledger.Order) error { out = append(out, *o); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWebhooksPageAddressAndSecret: the page shows the shop's delivery URL
// and copies it; the secret stays masked until Reveal and is the one the
// receiver checks with.
func TestWebhooksPageAddressAndSecret(t *testing.T) {
	b, _, eng, p, s, j := webhookPage(t)
	sh, err := b.Shop(p.shops[0].ID)
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
	j.Drain(t)
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
	j.Drain(t)
	if fyne.CurrentApp().Clipboard().Content() != secret || p.secret.Text != secretMask {
		t.Error("Copy did not put the secret on the clipboard, or showed it")
	}

	// A shop whose webhooks fell silent is polled; the page says why.
	if err := b.UpdateSyncState(sh.ID, func(st *ledger.SyncState) { st.Fallback = "the webhooks seem to be silent" }); err != nil {
		t.Fatal(err)
	}
	s.Reload()
	j.Drain(t)
	if !p.fallback.Visible() || p.fallbackWhy.Text != "the webhooks seem to be silent" {
		t.Errorf("the fallback shows as %q / %q", p.fallback.Text, p.fallbackWhy.Text)
	}
}

// TestWebhooksPageWarnsAboutARemoteShop: a shop on the internet cannot
// deliver to 127.0.0.1; the page says so and what to do, and a public
// address entered in the page is used at once and kept.
func TestWebhooksPageWarnsAboutARemoteShop(t *testing.T) {
	b, _, eng, p, s, j := webhookPage(t)
	corner := p.shops[0]
	if _, err := b.CreateShop(ledger.Shop{Name: "Online shop", URL: "https://myshop.example.bg", Warehouse: corner.Warehouse, CostCenter: corner.CostCenter}); err != nil {
		t.Fatal(err)
	}
	s.Reload()
	j.Drain(t)
	p.shop.SetSelected("Online shop")
	j.Drain(t)
	if !p.reach.Visible() || !strings.Contains(p.reach.Text, "only works for a shop on this computer") {
		t.Fatalf("no warning for a shop on the internet: %q", p.reach.Text)
	}

	uitest.TypeInto(p.public, "hooks.example.com")
	test.Tap(p.savePublic)
	if !strings.HasPrefix(p.publicNote.Text, "Enter a web address") || s.public != "" {
		t.Fatalf("a bad address was taken: %q", p.publicNote.Text)
	}
	uitest.TypeInto(p.public, "https://hooks.example.com/")
	test.Tap(p.savePublic)
	j.Drain(t)
	if s.public != "https://hooks.example.com" || eng.Receiver.BaseURL() != "https://hooks.example.com" {
		t.Fatalf("the public address was not kept and used: %q, %q", s.public, eng.Receiver.BaseURL())
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
	b, srv, eng, p, s, j := webhookPage(t)
	// A polled shop needs no webhooks: said neutrally, with the way to them.
	if p.health.Text != "Corner shop is synced by polling and needs no webhooks. To get new and changed orders at once, press Register in shop." ||
		p.health.Importance != widget.MediumImportance {
		t.Fatalf("before registering, the health says %q (importance %v)", p.health.Text, p.health.Importance)
	}
	test.Tap(p.register)
	j.Drain(t)
	if p.registered.Text != "Registered 3 webhooks in Corner shop. New and changed orders now arrive at once, and a catch-up sync runs every night." {
		t.Fatalf("Register in shop said %q", p.registered.Text)
	}
	sh, _ := b.Shop(p.shops[0].ID)
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
	j.Drain(t)
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
	s.Reload()
	j.Drain(t)
	if !strings.HasPrefix(p.lastSeen.Text, "Last delivery: 2") {
		t.Errorf("after a delivery the page says %q", p.lastSeen.Text)
	}

	// A delivery whose order cannot be read fails, and fails again on
	// Retry. It shows by itself: the shell hears of it and reloads.
	secret, _ := b.WebhookSecret(sh.ID)
	uitest.Deliver(t, p.url.Text, secret, "order.updated", `{"id":4242,"number":"4242","status":"processing"}`)
	if err := eng.Receiver.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	before := len(p.log.items)
	waitFor(t, s, j, "the failed delivery in the log", func() bool { return len(p.log.items) == before+1 })
	bad := p.log.items[0]
	if bad.Status != ledger.DeliveryFailed || bad.Error == "" {
		t.Fatalf("the unreadable delivery is %s (%s)", p.log.row(0), bad.Error)
	}
	if detail := deliveryDetail(bad); !strings.Contains(detail, "Press Retry") {
		t.Errorf("a failed delivery reads %q", detail)
	}
	p.log.retry(bad.Seq)
	j.Drain(t)
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
	j.Drain(t)
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
	j.Drain(t)
	if p.log.message.Text != "The delivery was applied." || p.log.items[row].Status != ledger.DeliveryApplied {
		t.Errorf("Retry said %q; the delivery is %s", p.log.message.Text, p.log.row(row))
	}
	if s.refreshes != 1 {
		t.Errorf("the search index was read %d times after the retry, want once", s.refreshes)
	}
}

// TestWebhooksPageWithoutEngine: without the receiver the page says so.
func TestWebhooksPageWithoutEngine(t *testing.T) {
	b := uitest.OpenBooks(t)
	uitest.AddShop(t, b, "Corner shop", uitest.StartShop(t, 3))
	p, _, _ := openPage(t, b, nil, "en")
	if p.current() == nil || !p.notRunning.Visible() || p.body.Visible() {
		t.Error("the page offers webhooks without a receiver")
	}
}

// TestWebhooksPageShowsTheDemoShop: the demo shop's webhooks are on the
// page like any shop's, labelled as demo data, healthy, and an order a
// demo customer places arrives in the deliveries log.
func TestWebhooksPageShowsTheDemoShop(t *testing.T) {
	b := uitest.OpenBooks(t)
	if _, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main warehouse"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web sales"}); err != nil {
		t.Fatal(err)
	}
	eng := uitest.StartEngine(t, b)
	d, err := eng.StartDemo(context.Background(), demo.Options{Orders: 15, Interval: -1})
	if err != nil {
		t.Fatal(err)
	}
	p, s, j := openPage(t, b, eng, "en")
	if p.current() == nil || p.current().ID != d.Shop() || !p.demoNote.Visible() {
		t.Fatal("the page does not show the demo shop as such")
	}
	if p.url.Text == "" || p.reach.Visible() {
		t.Errorf("the demo shop's URL is %q, warning %q", p.url.Text, p.reach.Text)
	}
	if p.health.Text != "Healthy: every webhook is active." {
		t.Errorf("the demo shop's health: %q / %q", p.health.Text, p.healthMore.Text)
	}

	// The order arrives in the log by itself: the shell hears the
	// delivery and the screen reads the log's top again.
	id := d.PlaceOrder()
	waitFor(t, s, j, "the demo order in the deliveries log", func() bool {
		return len(p.log.items) > 0 && p.log.items[0].OrderID == id && p.log.items[0].Status == ledger.DeliveryApplied
	})
}

// TestRegisterWithAReadOnlyKey: the shop refuses a read-only key's
// webhooks; the page says what to do about it, in Bulgarian too, and the
// shop stays polled.
func TestRegisterWithAReadOnlyKey(t *testing.T) {
	b := uitest.OpenBooks(t)
	srv, err := woosim.Start(woosim.Options{Orders: 3, Seed: 1, ReadOnlyKey: "ck_ro", ReadOnlySecret: "cs_ro"}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	wh, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main warehouse"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web sales"})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := b.AddShop(books.NewShop{Name: "Read-only shop", URL: srv.URL, Key: "ck_ro", Secret: "cs_ro", Warehouse: wh.ID, CostCenter: cc.ID})
	if err != nil {
		t.Fatal(err)
	}
	eng := uitest.StartEngine(t, b)
	p, _, j := openPage(t, b, eng, "bg")
	test.Tap(p.register)
	j.Drain(t)
	if !strings.Contains(p.registered.Text, "може само да чете") || !strings.Contains(p.registered.Text, "„Четене/Запис“") ||
		!strings.HasSuffix(p.registered.Text, "натиснете отново „Регистрирай в магазина“.") {
		t.Errorf("a read-only key's refusal reads %q", p.registered.Text)
	}
	if got, _ := b.Shop(sh.ID); got.SyncMode == ledger.SyncWebhook || len(srv.Sim.Webhooks()) != 0 {
		t.Errorf("after the refusal: mode %s, %d webhooks in the shop", got.SyncMode, len(srv.Sim.Webhooks()))
	}
}
