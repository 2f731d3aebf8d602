package ui

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/demo"
	"codeberg.org/shopledger/shopledger/core/engine"
	"codeberg.org/shopledger/shopledger/core/store"
)

// startEngineWith runs the app's background over b as startEngine does,
// with opt (its address is a free loopback port).
func startEngineWith(t testing.TB, b *books.Books, opt engine.Options) *engine.Engine {
	t.Helper()
	eng, _ := serveEngine(t, b, opt)
	return eng
}

// serveEngine is startEngineWith that also returns a stop, which ends
// the engine's Serve and returns its error (the cleanup calls it too).
func serveEngine(t testing.TB, b *books.Books, opt engine.Options) (*engine.Engine, func() error) {
	t.Helper()
	opt.Addr = "127.0.0.1:0"
	eng := engine.New(b, opt)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- eng.Serve(ctx) }()
	stop := sync.OnceValue(func() error {
		cancel()
		err := <-served
		eng.Bus.Close()
		return err
	})
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	})
	select {
	case <-eng.Ready():
	case <-time.After(60 * time.Second):
		t.Fatal("the engine did not listen")
	}
	return eng, stop
}

// drainUntil drains the window's work until cond holds; the demo's own
// goroutines (its simulator, the receiver, automatic sync) run meanwhile.
func drainUntil(t *testing.T, j *jobs, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		j.drain(t)
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWelcome: with no shop, the Orders tab welcomes: what ShopLedger
// does, Connect your shop, and Try with a demo shop where an engine can
// run one.
func TestWelcome(t *testing.T) {
	w, _ := started(t, openBooks(t))
	if !w.empty.content.Visible() || w.orders.Content().Visible() || w.demoBanner.content.Visible() {
		t.Fatal("no welcome screen with no shops")
	}
	markup := test.RenderObjectToMarkup(w.empty.content)
	for _, text := range []string{"Welcome to ShopLedger", "ShopLedger imports the orders of your WooCommerce shops", "Connect your shop"} {
		if !strings.Contains(markup, text) {
			t.Errorf("the welcome screen lacks %q", text)
		}
	}
	if w.empty.demo.Visible() {
		t.Error("Try with a demo shop offered with no engine to run it")
	}

	b := openBooks(t)
	w, _ = openWindow(t, b, options{engine: startEngine(t, b)})
	if !w.empty.demo.Visible() || w.empty.demo.Disabled() {
		t.Error("Try with a demo shop is not offered")
	}
}

// TestTryDemoShop: "Try with a demo shop" starts the simulated shop through
// the real engine; the window shows progress, then the demo's orders under
// a banner that says they are sample data; "Remove demo shop" takes it and
// its orders away, and the welcome comes back.
func TestTryDemoShop(t *testing.T) {
	b := openBooks(t)
	eng := startEngine(t, b)
	w, j := openWindow(t, b, options{engine: eng})
	w.start()
	j.drain(t)

	test.Tap(w.empty.demo)
	if !w.empty.busy.Visible() || !w.empty.demo.Disabled() || !w.empty.add.Disabled() {
		t.Fatal("no progress while the demo shop starts")
	}
	if got := w.status.text(); got != "Starting the demo shop…" {
		t.Errorf("status while starting: %q", got)
	}
	test.Tap(w.empty.demo) // a second press while it starts does nothing
	drainUntil(t, j, "the demo's orders in the list", func() bool { return len(w.shops) == 1 && w.orders.Rows() > 0 && !w.sync.running() })

	sh, found, err := demo.Find(b)
	if err != nil || !found || sh.Name != "Demo shop (sample data)" {
		t.Fatalf("demo shop in the books: %+v, %v, %v", sh, found, err)
	}
	if wh, err := b.WarehouseByCode(demo.Code); err != nil || wh.Name != "Demo warehouse (sample data)" {
		t.Errorf("demo warehouse %+v, %v", wh, err)
	}
	if eng.Demo() == nil || !eng.Demo().Owns(sh.ID) {
		t.Error("the engine does not run the demo shop")
	}
	n, err := b.CountOrders(store.OrderFilter{Shop: sh.ID})
	if err != nil || n < demo.DefaultOrders {
		t.Errorf("%d demo orders in the books (%v), want at least %d", n, err, demo.DefaultOrders)
	}
	if w.empty.content.Visible() || !w.orders.Content().Visible() {
		t.Error("the welcome screen did not give way to the orders")
	}
	if got := cell(w, 0, colShop); got != "Demo shop (sample data)" {
		t.Errorf("shop column %q", got)
	}
	if !w.demoBanner.content.Visible() || !strings.HasPrefix(w.demoBanner.text.Text, "Demo data: the orders of “Demo shop (sample data)” come from a simulated shop") {
		t.Errorf("demo banner: visible %v, %q", w.demoBanner.content.Visible(), w.demoBanner.text.Text)
	}
	if strings.Contains(w.status.text(), "could not") {
		t.Errorf("status after the demo's first sync: %q", w.status.text())
	}

	// Remove demo shop: asked, orders not kept by default; the engine
	// stops the simulator.
	url := eng.Demo().URL()
	test.Tap(w.demoBanner.remove)
	r := w.shopsPage.Removal()
	if r == nil || r.Keep.Checked {
		t.Fatal("Remove demo shop did not ask, or would keep the sample orders")
	}
	test.Tap(r.Remove)
	drainUntil(t, j, "the welcome after removing the demo", func() bool { return w.empty.content.Visible() })
	if w.demoBanner.content.Visible() {
		t.Error("the demo banner stayed")
	}
	if eng.Demo() != nil { // not left for the customers to notice at their next visit
		t.Error("the engine still runs the removed demo shop")
	}
	if resp, err := http.Get(url + "/wp-json/"); err == nil {
		resp.Body.Close()
		t.Errorf("the demo's simulator answers after its removal: %s", resp.Status)
	}
	if _, found, _ := demo.Find(b); found {
		t.Error("the demo shop is still in the books")
	}
	if n, _ := b.CountOrders(store.OrderFilter{Shop: sh.ID}); n != 0 {
		t.Errorf("%d sample orders left in the books", n)
	}
	if _, err := b.WarehouseByCode(demo.Code); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the demo warehouse stayed: %v", err)
	}
	if _, err := b.CostCenterByCode(demo.Code); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the demo cost center stayed: %v", err)
	}
}

// TestResumeDemoAtStart: a demo shop from an earlier run is started again
// when the window starts, before its sync, so the sync reaches it.
func TestResumeDemoAtStart(t *testing.T) {
	b := openBooks(t)
	first, stopFirst := serveEngine(t, b, engine.Options{})
	if _, err := first.StartDemo(context.Background(), demo.Options{Interval: -1}); err != nil {
		t.Fatal(err)
	}
	if err := stopFirst(); err != nil { // the app quit; the shop stays in the books
		t.Fatal(err)
	}

	// As Main starts it: the engine resumes the demo before automatic
	// sync; the window's own resume finds it running.
	opt := demoOptions()
	opt.Interval = -1 // no new orders: on a busy machine the test outlasts DefaultInterval
	eng := startEngineWith(t, b, engine.Options{Demo: &opt})
	w, j := openWindow(t, b, options{engine: eng})
	w.start()
	drainUntil(t, j, "the first sync", func() bool { return w.sync.done() && !w.sync.running() })
	if eng.Demo() == nil {
		t.Fatal("the demo shop was not started again")
	}
	// The window's sync joins automatic sync's start pass, or follows it.
	if got := w.status.text(); got != "Synced 300 orders from Demo shop (sample data) at 16:02" &&
		got != "Demo shop (sample data) is up to date (checked at 16:02)" {
		t.Errorf("status after start: %q", got)
	}
	if n, _ := b.CountOrders(store.OrderFilter{}); n != demo.DefaultOrders || w.orders.Rows() == 0 {
		t.Errorf("%d orders in the books, %d rows listed", n, w.orders.Rows())
	}
	if !w.demoBanner.content.Visible() {
		t.Error("no demo banner")
	}
}
