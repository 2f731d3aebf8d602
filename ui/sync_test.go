package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/demo"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/verify"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// notes records the notifications the window sends.
type notes struct {
	mu   sync.Mutex
	sent []string // "title | content"
}

func (n *notes) SendNotification(x *fyne.Notification) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sent = append(n.sent, x.Title+" | "+x.Content)
}

func (n *notes) list() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.sent...)
}

// count returns how many notifications have a title starting with prefix.
func (n *notes) count(prefix string) int {
	c := 0
	for _, s := range n.list() {
		if strings.HasPrefix(s, prefix) {
			c++
		}
	}
	return c
}

// openEngineWindow opens the window with the app's engine running over b:
// automatic sync, and the webhook receiver on a loopback port. Shops added
// to b afterwards are unknown to the automatic sync until something syncs
// them, so each test decides when a pass runs. The window's clock moves a
// minute at each reading, so the list reloads with every page, as it does
// every two seconds in the app.
func openEngineWindow(t *testing.T, b *books.Books) (*mainWindow, *jobs, *notes) {
	t.Helper()
	eng := startEngine(t, b) // its cleanup is registered first, so it runs after the window's
	n := &notes{}
	w, j := openWindow(t, b, options{engine: eng, notify: n})
	tick := testNow
	w.now = func() time.Time {
		tick = tick.Add(time.Minute)
		return tick
	}
	return w, j, n
}

// waitWindow runs the window's background work and hands it the core's
// events until cond holds; the core works on its own goroutines, so this
// polls, with a deadline that only a broken test reaches.
func waitWindow(t *testing.T, w *mainWindow, j *jobs, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		j.drain(t)
		w.br.Pump()
		j.drain(t)
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; status %q", what, w.status.text())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stall holds a shop's order list requests after the first full page while
// on, until the request ends: a pass stops after committing one page.
type stall struct {
	h     http.Handler
	on    atomic.Bool
	lists atomic.Int32
}

func (s *stall) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	full := strings.HasSuffix(r.URL.Path, "/orders") && strings.Contains(r.URL.RawQuery, "=100")
	if full && s.lists.Add(1) > 1 && s.on.Load() {
		<-r.Context().Done()
		return
	}
	s.h.ServeHTTP(w, r)
}

// startStalledShop serves a simulated shop with n orders behind a stall.
func startStalledShop(t *testing.T, n int) (*woosim.Sim, *stall, string) {
	t.Helper()
	sim := woosim.New(woosim.Options{Orders: n, Seed: 1})
	st := &stall{h: sim.Handler()}
	srv := httptest.NewServer(st)
	t.Cleanup(srv.Close)
	return sim, st, srv.URL
}

// TestSyncNowThroughEngine: Sync now goes through the automatic sync; the
// orders appear, the status says how many, the first import is notified
// once as an import, and new orders later as news.
func TestSyncNowThroughEngine(t *testing.T) {
	b := openBooks(t)
	srv := startShop(t, 120)
	w, j, n := openEngineWindow(t, b)
	sh := addShopDirectly(t, b, "Demo shop", srv)
	w.start()
	j.drain(t)
	if w.status.text() != "Not synced yet" {
		t.Errorf("status before any sync = %q", w.status.text())
	}

	test.Tap(w.syncBtn)
	if !w.syncBtn.Disabled() || !w.cancelBtn.Visible() {
		t.Error("Sync now is not under way: the button is on or Cancel hidden")
	}
	waitWindow(t, w, j, "the first import", func() bool { return !w.syncBusy() && w.orders.Rows() == 120 })
	if !strings.HasPrefix(w.status.text(), "Synced 120 orders from Demo shop at ") {
		t.Errorf("status = %q", w.status.text())
	}
	if shown, _ := w.status.progressShown(); shown || w.cancelBtn.Visible() {
		t.Error("progress or Cancel still shown after the sync")
	}
	if got := n.list(); len(got) != 1 || !strings.HasPrefix(got[0], "Imported 120 orders from Demo shop |") {
		t.Errorf("notifications after the first import: %q", got)
	}

	// A pass nobody pressed for (the hourly one): its orders show too.
	srv.Sim.AddOrders(3)
	go w.eng.Sync.SyncNow(context.Background(), sh.ID)
	waitWindow(t, w, j, "the automatic pass", func() bool { return w.orders.Rows() == 123 && n.count("3 new orders") == 1 })
	if !strings.HasPrefix(w.status.text(), "Synced 3 orders from Demo shop at ") {
		t.Errorf("status after the automatic pass = %q", w.status.text())
	}
	// … and the search finds them once the index caught up.
	newest := storeOrders(t, b, store.OrderFilter{})[0]
	waitWindow(t, w, j, "the index", func() bool { return w.index.Len() == 123 })
	typeInto(w.orders.Search, newest.Number)
	j.drain(t)
	if got := column(w, colNumber); len(got) != 1 || got[0] != newest.Number {
		t.Errorf("search for the new order %s shows %q", newest.Number, got)
	}
}

// TestCancelSync: a pass that stalls after its first page shows its
// progress; Cancel stops it and Sync now that joined it, says so plainly,
// and the committed page stays in the books and the list.
func TestCancelSync(t *testing.T) {
	b := openBooks(t)
	sim, st, url := startStalledShop(t, 250)
	st.on.Store(true)
	w, j, n := openEngineWindow(t, b)
	sh := addShopDirectly(t, b, "Slow shop", &woosim.Server{URL: url, Sim: sim})
	w.start()
	j.drain(t)

	// An automatic pass: the window shows it without anything pressed.
	passDone := make(chan error, 1)
	go func() { _, err := w.eng.Sync.SyncNow(context.Background(), sh.ID); passDone <- err }()
	waitWindow(t, w, j, "the first page", func() bool { return w.orders.Rows() == 100 })
	if shown, text := w.status.progressShown(); !shown || text != "Page 1 of 3 · 100 orders" {
		t.Errorf("progress bar shown %v reading %q", shown, text)
	}
	if got, want := w.status.text(), "Syncing Slow shop: page 1 of 3, 100 orders…"; got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
	if !w.cancelBtn.Visible() || w.cancelBtn.Disabled() {
		t.Fatal("no Cancel while the pass runs")
	}

	test.Tap(w.syncBtn) // joins the pass (queued, not yet run)
	test.Tap(w.cancelBtn)
	if w.status.text() != "Cancelling…" || !w.cancelBtn.Disabled() {
		t.Errorf("after Cancel: status %q, Cancel disabled %v", w.status.text(), w.cancelBtn.Disabled())
	}
	waitWindow(t, w, j, "the cancel", func() bool { return !w.syncBusy() })
	select {
	case err := <-passDone:
		if err == nil {
			t.Error("the cancelled pass reported success")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the pass did not stop")
	}
	if got := w.status.text(); got != "Sync cancelled" {
		t.Errorf("status after cancel = %q", got)
	}
	if shown, _ := w.status.progressShown(); shown || w.cancelBtn.Visible() {
		t.Error("progress or Cancel still shown after the cancel")
	}
	if c, _ := b.CountOrders(store.OrderFilter{}); c != 100 || w.orders.Rows() != 100 {
		t.Errorf("after cancel the books hold %d orders and the list %d; want the committed 100", c, w.orders.Rows())
	}
	if _, failed := w.syncErrs[sh.ID]; failed {
		t.Error("a cancelled sync is shown as failed")
	}
	for _, s := range n.list() {
		if strings.Contains(s, "cannot be synced") {
			t.Errorf("a cancel was notified as a problem: %q", s)
		}
	}

	// Sync now afterwards brings the rest.
	st.on.Store(false)
	test.Tap(w.syncBtn)
	waitWindow(t, w, j, "the rest", func() bool { return !w.syncBusy() && w.orders.Rows() == 250 })
}

// TestWebhookDeliveriesCoalesce: a burst of webhook deliveries gives one
// notification per shop and one update of the index and the list.
func TestWebhookDeliveriesCoalesce(t *testing.T) {
	b := openBooks(t)
	srv := startShop(t, 5)
	w, j, n := openEngineWindow(t, b)
	sh := addShopDirectly(t, b, "Demo shop", srv)
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	w.start()
	j.drain(t)
	waitWindow(t, w, j, "the index", func() bool { return w.index.Len() == 5 })

	// Orders change in the books the way the receiver applies them, and
	// the receiver's events follow.
	srv.Sim.AddOrders(4)
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	for _, o := range storeOrders(t, b, store.OrderFilter{})[:4] {
		w.eng.Bus.Publish(events.WebhookApplied{Base: w.eng.Bus.Stamp(sh.ID), OrderID: o.ID, New: true, Topic: "order.created"})
	}
	waitWindow(t, w, j, "the deliveries", func() bool { return n.count("4 new orders from Demo shop") == 1 })
	if got := n.list(); len(got) != 1 {
		t.Errorf("notifications for one burst: %q", got)
	}
	if w.index.Len() != 9 || w.orders.Rows() != 9 {
		t.Errorf("index %d, list %d orders after the deliveries; want 9", w.index.Len(), w.orders.Rows())
	}
}

// TestProblemsNotifiedOnce: a shop that refuses the keys and webhooks that
// stop working are each notified once, again only after they cleared;
// the Shops page says what is wrong in plain words, with the technical
// text behind Details, and when the shop syncs next.
func TestProblemsNotifiedOnce(t *testing.T) {
	b := openBooks(t)
	srv := startShop(t, 5)
	w, j, n := openEngineWindow(t, b)
	wh, cc := seedCatalog(t, b)
	sh, err := b.AddShop(books.NewShop{Name: "Locked shop", URL: srv.URL, Key: woosim.DefaultKey, Secret: "cs_wrong",
		Warehouse: wh.ID, CostCenter: cc.ID})
	if err != nil {
		t.Fatal(err)
	}
	w.start()
	j.drain(t)

	for range 2 {
		test.Tap(w.syncBtn)
		waitWindow(t, w, j, "the failed sync", func() bool { return !w.syncBusy() && w.syncErrs[sh.ID] != nil })
	}
	if got := n.count("Locked shop cannot be synced |"); got != 1 {
		t.Errorf("the refused keys were notified %d times, want once: %q", got, n.list())
	}
	authMsg := i18n.UserMessage(w.syncErrs[sh.ID])
	if !strings.Contains(n.list()[0], authMsg) {
		t.Errorf("notification %q does not say %q", n.list()[0], authMsg)
	}

	w.tabs.SelectIndex(tabShops)
	waitWindow(t, w, j, "the next run", func() bool {
		c := w.shopsPage.Card("Locked shop")
		return c != nil && c.Next.Visible()
	})
	c := w.shopsPage.Card("Locked shop")
	if !strings.HasPrefix(c.Next.Text, "Next sync: ") {
		t.Errorf("next run reads %q", c.Next.Text)
	}
	if want := "Last sync failed: " + authMsg; c.Problem.Text != want {
		t.Errorf("problem reads %q, want %q", c.Problem.Text, want)
	}
	if c.Detail.Visible() || !c.Details.Visible() {
		t.Fatal("the details are not behind the Details button")
	}
	test.Tap(c.Details)
	if !c.Detail.Visible() || c.Detail.Text != w.syncErrs[sh.ID].Error() {
		t.Errorf("details show %q", c.Detail.Text)
	}
	if c.Details.Text != "Hide details" {
		t.Errorf("the button reads %q once open", c.Details.Text)
	}
	if c.Mode.Text != "Sync: Every hour" {
		t.Errorf("mode reads %q", c.Mode.Text)
	}

	// Webhooks: unhealthy twice is one notification; after they recover,
	// failing again is news again.
	health := func(ok bool) {
		w.eng.Bus.Publish(events.WebhookHealth{Base: w.eng.Bus.Stamp(sh.ID), Healthy: ok,
			Reason: map[bool]string{false: "the order.created webhook is disabled"}[ok]})
	}
	health(false)
	health(false)
	waitWindow(t, w, j, "the health events", func() bool { return n.count("The webhooks of Locked shop are not working") == 1 })
	health(true)
	health(false)
	waitWindow(t, w, j, "the second failure", func() bool { return n.count("The webhooks of Locked shop are not working") == 2 })
}

// TestWebhookDeliveryShows: an order placed in the demo shop arrives by
// webhook, through the real receiver, and shows in the list and in a
// notification without anything pressed.
func TestWebhookDeliveryShows(t *testing.T) {
	b := openBooks(t)
	seedCatalog(t, b)
	w, j, n := openEngineWindow(t, b)
	d, err := w.eng.StartDemo(context.Background(), demo.Options{Orders: 15, Interval: -1})
	if err != nil {
		t.Fatal(err)
	}
	w.start()
	waitWindow(t, w, j, "the demo's import", func() bool { return !w.syncBusy() && w.orders.Rows() == 15 })
	name := w.shopName(d.Shop())
	if got := n.count("Imported 15 orders from " + name); got != 1 {
		t.Errorf("the demo's import was notified %d times: %q", got, n.list())
	}

	id := d.PlaceOrder()
	waitWindow(t, w, j, "the delivered order", func() bool {
		return w.orders.Rows() == 16 && n.count("1 new order from "+name) == 1
	})
	if got := storeOrders(t, b, store.OrderFilter{})[0]; got.ID != id {
		t.Errorf("the newest order is %d, want the delivered %d", got.ID, id)
	}
	waitWindow(t, w, j, "the index", func() bool { return w.index.Len() == 16 })
}

// TestVerificationShows: orders a verification corrected (changed in the
// shop without a new date_modified) show in the list without anything
// pressed, although the pass it followed had already finished.
func TestVerificationShows(t *testing.T) {
	b := openBooks(t)
	srv := startShop(t, 5)
	w, j, _ := openEngineWindow(t, b)
	sh := addShopDirectly(t, b, "Demo shop", srv)
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	w.start()
	j.drain(t)
	waitWindow(t, w, j, "the list", func() bool { return w.orders.Rows() == 5 })

	o := storeOrders(t, b, store.OrderFilter{})[0]
	want := ledger.StatusCancelled
	if o.Status == want {
		want = ledger.StatusOnHold
	}
	if err := srv.Sim.SilentlyChange(o.ID, func(s *woosim.Silent) { s.Status = string(want) }); err != nil {
		t.Fatal(err)
	}
	rep, err := b.Verify(context.Background(), sh.ID, verify.Options{Bus: w.eng.Bus})
	if err != nil || rep.Updated != 1 {
		t.Fatalf("Verify = %+v, %v; want one order updated", rep, err)
	}
	shown := func() bool {
		for i := range w.orders.Rows() {
			if got := w.orders.Order(i); got != nil && got.ID == o.ID {
				return got.Status == want
			}
		}
		return false
	}
	waitWindow(t, w, j, "the corrected order", shown)
}

// TestStartPassNamesTheShop: the engine's pass at start finishes before the
// window has read the books; the status line names the shop, never
// "(removed shop)" (issue 12: seen after every restart).
func TestStartPassNamesTheShop(t *testing.T) {
	b := openBooks(t)
	srv := startShop(t, 3)
	w, j, _ := openEngineWindow(t, b)
	sh := addShopDirectly(t, b, "Demo shop", srv)
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	// As the engine's start pass reports it, before the window started.
	w.eng.Bus.Publish(events.SyncStarted{Base: w.eng.Bus.Stamp(sh.ID)})
	w.eng.Bus.Publish(events.SyncFinished{Base: w.eng.Bus.Stamp(sh.ID), New: 1})
	w.start()
	waitWindow(t, w, j, "the start pass's result", func() bool { return strings.Contains(w.status.text(), "Demo shop") })
	if strings.Contains(w.status.text(), "(removed shop)") {
		t.Errorf("status %q", w.status.text())
	}
}

// answerRunner stands in for the engine's automatic sync: "Sync now" gets
// results at once, and the test publishes the passes' events itself. In
// the app the engine publishes a pass's end before SyncAllNow returns, but
// the window receives the two by separate paths (the event stream, and the
// bridge's Load of Sync now), so the end can arrive after the answer; the
// test publishes it after, to have that order every time.
type answerRunner struct{ results []books.ShopResult }

func (r *answerRunner) SyncAllNow(context.Context) ([]books.ShopResult, error) {
	return r.results, nil
}

func (r *answerRunner) CancelAll() int { return 0 }

// TestLateEventsKeepSyncNowSummary (issue 10): "Sync now" joins an
// automatic pass of one shop and syncs another, and sums both up in the
// status line; the joined pass's last progress and its end, arriving after
// the summary, leave it as it is. A pass that begins afterwards tells of
// itself.
func TestLateEventsKeepSyncNowSummary(t *testing.T) {
	b := openBooks(t)
	wh, cc := seedCatalog(t, b)
	var shops []ledger.Shop
	for _, name := range []string{"Corner shop", "Outlet"} {
		sh, err := b.CreateShop(ledger.Shop{Name: name, URL: "https://" + strings.ReplaceAll(name, " ", "") + ".example",
			Warehouse: wh.ID, CostCenter: cc.ID})
		if err != nil {
			t.Fatal(err)
		}
		shops = append(shops, sh)
	}
	corner, outlet := shops[0], shops[1]
	bus := events.NewBus()
	t.Cleanup(bus.Close)
	r := &answerRunner{}
	w, j := openWindow(t, b, options{sync: r, bus: bus})
	w.start()
	j.drain(t)
	deliver := func(es ...events.Event) {
		t.Helper()
		for _, e := range es {
			bus.Publish(e)
		}
		if n := w.br.Pump(); n != len(es) {
			t.Fatalf("the window received %d events of %d", n, len(es))
		}
		j.drain(t)
	}

	// The hourly pass of Corner shop is under way; Sync now joins it.
	deliver(events.SyncStarted{Base: bus.Stamp(corner.ID), Trigger: events.TriggerSchedule})
	r.results = []books.ShopResult{
		{Shop: corner, Result: syncer.Result{ApplyResult: store.ApplyResult{New: 2}}},
		{Shop: outlet, Result: syncer.Result{ApplyResult: store.ApplyResult{New: 1}}},
	}
	w.syncNow()
	j.drain(t)
	summary := "Synced 3 orders from 2 shops at " + clock(testNow)
	if w.status.text() != summary {
		t.Fatalf("after Sync now the status line reads %q", w.status.text())
	}

	deliver(events.SyncProgress{Base: bus.Stamp(corner.ID), Pages: 1, PagesExpected: 1, Orders: 2})
	if w.status.text() != summary {
		t.Errorf("the joined pass's late progress made the status line %q", w.status.text())
	}
	deliver(events.SyncFinished{Base: bus.Stamp(corner.ID), New: 2})
	if w.status.text() != summary {
		t.Errorf("the joined pass's late end made the status line %q", w.status.text())
	}
	if w.syncBusy() || w.cancelBtn.Visible() {
		t.Error("the window still shows a sync under way")
	}

	deliver(events.SyncStarted{Base: bus.Stamp(outlet.ID), Trigger: events.TriggerSchedule},
		events.SyncFinished{Base: bus.Stamp(outlet.ID), New: 1})
	if want := "Synced 1 order from Outlet at " + clock(testNow); w.status.text() != want {
		t.Errorf("a pass after the summary: the status line reads %q, want %q", w.status.text(), want)
	}
}
