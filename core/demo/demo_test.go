package demo

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/webhook"
)

// deadline bounds every wait: generous, since -race on a busy machine is
// slow; a passing test never waits for it.
const deadline = 90 * time.Second

// env is the app around a demo: real books (bbolt in a temp dir, mock
// keyring), the webhook receiver on a loopback port and, optionally,
// automatic sync, as the window runs them.
type env struct {
	t   *testing.T
	b   *books.Books
	bus *events.Bus
	sub *events.Subscription
	rcv *webhook.Receiver
	mgr *autosync.Manager
}

func newEnv(t *testing.T, withSync bool) *env {
	t.Helper()
	b, err := books.Open(t.TempDir(), secrets.NewMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	e := &env{t: t, b: b, bus: events.NewBus()}
	e.sub = e.bus.Subscribe()
	t.Cleanup(e.bus.Close)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.rcv = webhook.New(b.Store, b.Secrets, e.bus, webhook.Config{Addr: ln.Addr().String()})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := e.rcv.ServeListener(ctx, ln); err != nil {
			t.Errorf("receiver: %v", err)
		}
	}()
	if withSync {
		e.mgr = autosync.NewManager(b, autosync.Options{Bus: e.bus, DeliveryURL: e.rcv.URL})
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.mgr.Serve(ctx)
		}()
	}
	return e
}

// serving returns once the receiver has answered a request, so that its
// HTTP server's goroutine runs: goleak.IgnoreCurrent then counts it.
func (e *env) serving() {
	e.t.Helper()
	select {
	case <-e.rcv.Ready():
	case <-time.After(deadline):
		e.t.Fatalf("the receiver did not listen within %v", deadline)
	}
	req, err := http.NewRequest(http.MethodGet, e.rcv.BaseURL()+"/", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Close = true // no connection kept open
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
}

// served is a demo that a test serves.
type served struct {
	*Demo
	cancel context.CancelFunc
	done   chan error
}

// start serves a new demo until stop or the end of the test, and waits
// until it is ready.
func (e *env) start(opt Options) *served {
	e.t.Helper()
	if e.mgr != nil {
		opt.Refresh = e.mgr.Refresh
	}
	s := serve(New(e.b, e.rcv, opt))
	e.t.Cleanup(func() { s.stop(e.t) })
	select {
	case <-s.Ready():
	case err := <-s.done:
		s.done <- err
		e.t.Fatalf("Serve: %v", err)
	case <-time.After(deadline):
		e.t.Fatalf("the demo was not ready within %v", deadline)
	}
	return s
}

// serve runs d.Serve in a goroutine of the test's.
func serve(d *Demo) *served {
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{Demo: d, cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- d.Serve(ctx) }()
	return s
}

// stop ends Serve and returns its error; later calls return the same.
func (s *served) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	return s.wait(t)
}

// wait waits until Serve returns, and returns its error.
func (s *served) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(deadline):
		t.Fatalf("Serve did not return within %v", deadline)
		return nil
	}
}

// returned tells whether Serve has returned.
func (s *served) returned() bool {
	select {
	case err := <-s.done:
		s.done <- err
		return true
	default:
		return false
	}
}

// eventually polls cond until it holds or the deadline passes; cond says
// what it saw, for the failure message.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	end := time.Now().Add(deadline)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%s: still %s after %v", what, saw, deadline)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// awaitFinished reads events until a sync of shop finishes.
func (e *env) awaitFinished(shop ledger.ShopID) events.SyncFinished {
	e.t.Helper()
	timeout := time.After(deadline)
	for {
		select {
		case ev := <-e.sub.C:
			switch ev := ev.(type) {
			case events.SyncFinished:
				if ev.Shop == shop {
					return ev
				}
			case events.SyncFailed:
				if ev.Shop == shop {
					e.t.Fatalf("sync of the demo shop failed: %v", ev.Err)
				}
			}
		case <-timeout:
			e.t.Fatal("the demo shop's first sync did not finish")
		}
	}
}

// arrived waits until the books have order id with status and reports how
// it learnt of the order's latest state.
func (e *env) arrived(shop ledger.ShopID, id int64, status string) ledger.Source {
	e.t.Helper()
	key := ledger.OrderKey{Shop: shop, ID: id}
	var src ledger.Source
	eventually(e.t, "order arrives", func() (bool, string) {
		o, err := e.b.Order(key)
		if err != nil {
			return false, err.Error()
		}
		h, err := e.b.History(key)
		if err != nil || len(h) == 0 {
			return false, "without history"
		}
		src = h[len(h)-1].Source
		return string(o.Status) == status, "status " + string(o.Status)
	})
	return src
}

func (e *env) count(shop ledger.ShopID) int {
	n, err := e.b.CountOrders(store.OrderFilter{Shop: shop})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestDemoImportsAndGoesLive: the demo shop is added and marked, its
// orders are imported by automatic sync, and what its customers do next
// arrives by webhook.
func TestDemoImportsAndGoesLive(t *testing.T) {
	e := newEnv(t, true)
	d := e.start(Options{Interval: -1})

	sh, err := e.b.Shop(d.Shop())
	if err != nil {
		t.Fatal(err)
	}
	if !IsDemo(sh) || sh.Name != DefaultName || sh.SyncMode != ledger.SyncWebhook || len(sh.WebhookIDs) != 3 {
		t.Fatalf("demo shop: %+v; want it marked, named %q, in webhook mode with 3 webhooks", sh, DefaultName)
	}
	if sh.URL != d.URL() {
		t.Errorf("shop URL %s, simulator at %s", sh.URL, d.URL())
	}
	wh, err := e.b.WarehouseByCode(Code)
	if err != nil || wh.ID != sh.Warehouse {
		t.Errorf("warehouse %+v (%v); shop books into %d", wh, err, sh.Warehouse)
	}
	cc, err := e.b.CostCenterByCode(Code)
	if err != nil || cc.ID != sh.CostCenter {
		t.Errorf("cost center %+v (%v); shop books under %d", cc, err, sh.CostCenter)
	}
	if !d.Owns(sh.ID) || d.Owns(sh.ID+1) {
		t.Error("Owns does not tell the demo's shop")
	}

	fin := e.awaitFinished(d.Shop())
	if fin.New != DefaultOrders || e.count(d.Shop()) != DefaultOrders {
		t.Fatalf("first sync: %d new, %d in the books; want %d", fin.New, e.count(d.Shop()), DefaultOrders)
	}
	o, err := e.b.Order(ledger.OrderKey{Shop: d.Shop(), ID: 1})
	if err != nil || o.Warehouse != sh.Warehouse || o.CostCenter != sh.CostCenter {
		t.Errorf("order 1: %v; stamped %d/%d, want %d/%d", err, o.Warehouse, o.CostCenter, sh.Warehouse, sh.CostCenter)
	}
	if age := time.Since(o.Created); age < 0 || age > 401*24*time.Hour {
		t.Errorf("order 1 created %v ago; want within the last 400 days", age)
	}
	checkBooksData(t, e, d.Shop())

	id := d.PlaceOrder()
	if id != DefaultOrders+1 {
		t.Errorf("new order id %d, want %d", id, DefaultOrders+1)
	}
	status := snapshotStatus(d, id)
	if src := e.arrived(d.Shop(), id, status); src != ledger.SourceWebhook {
		t.Errorf("new order arrived by %s, want webhook", src)
	}
	oid, to, ok := d.ChangeStatus()
	if !ok {
		t.Fatal("ChangeStatus found no open order")
	}
	if src := e.arrived(d.Shop(), oid, to); src != ledger.SourceWebhook {
		t.Errorf("status change of order %d to %s arrived by %s, want webhook", oid, to, src)
	}

	url := d.URL()
	if err := d.stop(t); err != nil {
		t.Errorf("Serve after its context ended = %v, want nil", err)
	}
	if resp, err := http.Get(url + "/wp-json/"); err == nil {
		resp.Body.Close()
		t.Errorf("the simulator still answers after Serve returned: %s", resp.Status)
	}
	if n := leftGoroutines(); n != 0 {
		t.Errorf("%d goroutines of the demo or the simulator left after Serve returned:\n%s", n, demoStacks())
	}
}

func snapshotStatus(d *served, id int64) string {
	for _, o := range d.srv.Sim.Snapshot() {
		if o.ID == id {
			return o.Status
		}
	}
	return ""
}

// TestDemoResumes: a second start finds the demo shop, rebuilds the same
// orders — those customers placed included — on a new port, and goes on
// delivering.
func TestDemoResumes(t *testing.T) {
	e := newEnv(t, true)
	d := e.start(Options{Interval: -1})
	shop := d.Shop()
	e.awaitFinished(shop)
	a, b := d.PlaceOrder(), d.PlaceOrder()
	e.arrived(shop, a, snapshotStatus(d, a))
	e.arrived(shop, b, snapshotStatus(d, b))
	before, err := e.b.Order(ledger.OrderKey{Shop: shop, ID: b})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.stop(t); err != nil {
		t.Fatal(err)
	}

	d2 := e.start(Options{Interval: -1})
	if d2.Shop() != shop {
		t.Fatalf("resumed shop %d, want %d", d2.Shop(), shop)
	}
	if shops, _ := e.b.Shops(); len(shops) != 1 {
		t.Fatalf("%d shops after a second start, want the one demo shop", len(shops))
	}
	if n := d2.srv.Sim.Count(); n != DefaultOrders+2 {
		t.Fatalf("resumed simulator has %d orders, want %d", n, DefaultOrders+2)
	}
	for _, o := range d2.srv.Sim.Snapshot() {
		if o.ID == b && (o.Total != before.Total.String() || o.Currency != before.Currency) {
			t.Errorf("replayed order %d: %s %s; the books have %s %s", b, o.Total, o.Currency, before.Total, before.Currency)
		}
	}
	sh, err := e.b.Shop(shop)
	if err != nil {
		t.Fatal(err)
	}
	if sh.URL != d2.URL() || !IsDemo(sh) || sh.SyncMode != ledger.SyncWebhook {
		t.Errorf("resumed shop %+v; want it at %s, marked, in webhook mode", sh, d2.URL())
	}
	c := d2.PlaceOrder()
	if c != DefaultOrders+3 {
		t.Errorf("next order id %d, want %d", c, DefaultOrders+3)
	}
	if src := e.arrived(shop, c, snapshotStatus(d2, c)); src != ledger.SourceWebhook {
		t.Errorf("order placed after resuming arrived by %s, want webhook", src)
	}
	after, err := e.b.Order(ledger.OrderKey{Shop: shop, ID: b})
	if err != nil || !after.Modified.Equal(before.Modified) || after.Total != before.Total {
		t.Errorf("order %d changed across the restart: %v %+v", b, err, after)
	}
}

// TestCustomersAndRemoval: customers visit on the clock; removing the shop
// from the books ends Serve at their next visit.
func TestCustomersAndRemoval(t *testing.T) {
	e := newEnv(t, false)
	clk := clock.NewFake(time.Now())
	d := e.start(Options{Clock: clk, Interval: time.Minute, StatusChance: 1})
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()

	visit := func() {
		t.Helper()
		if err := clk.WaitTimers(ctx, 1); err != nil {
			t.Fatal("the customers are not waiting for their next visit")
		}
		clk.Advance(time.Minute)
	}
	for i := range 3 {
		n := DefaultOrders + i + 1
		visit()
		eventually(t, "a customer places an order", func() (bool, string) {
			c := d.srv.Sim.Count()
			return c == n, strconv.Itoa(c) + " orders"
		})
	}

	if err := e.b.RemoveShop(d.Shop(), false); err != nil {
		t.Fatal(err)
	}
	visit()
	if err := d.wait(t); err != nil {
		t.Errorf("Serve after its shop was removed = %v, want nil", err)
	}
	if d.srv.Sim.Count() != DefaultOrders+3 {
		t.Errorf("a customer visited a removed shop")
	}
	if _, found, _ := Find(e.b); found {
		t.Error("Find still finds a demo shop")
	}
	if n := leftGoroutines(); n != 0 {
		t.Errorf("%d goroutines left after the shop's removal:\n%s", n, demoStacks())
	}
	d2 := e.start(Options{Interval: -1})
	if d2.Shop() == d.Shop() {
		t.Fatal("a demo served after the removal took the removed shop")
	}
}

// TestStartFailsCleanly: without a receiver to deliver to, Serve returns
// why and leaves neither a shop nor a simulator behind.
func TestStartFailsCleanly(t *testing.T) {
	e := newEnv(t, false)
	d := New(e.b, nil, Options{Interval: -1})
	if err := d.Serve(context.Background()); err == nil || !strings.Contains(err.Error(), "no webhook receiver") {
		t.Fatalf("Serve without a receiver = %v; want the missing receiver", err)
	}
	if shops, _ := e.b.Shops(); len(shops) != 0 {
		t.Errorf("a failed start left %d shops", len(shops))
	}
	if n := leftGoroutines(); n != 0 {
		t.Errorf("%d goroutines left:\n%s", n, demoStacks())
	}
	select {
	case <-d.Ready():
		t.Error("Ready after a failed start")
	default:
	}
	if d.Owns(0) || d.Shop() != 0 || d.URL() != "" {
		t.Error("a demo that did not start owns a shop")
	}
	var none *Demo
	if none.Owns(1) {
		t.Error("a nil demo owns a shop")
	}
}

// TestLifecycle: New starts nothing and touches neither the books nor the
// network; Serve returns nil promptly once its context ends, with no
// goroutine left — not the simulator's listener, not the customers'
// timer, not a connection of its webhook deliveries; a demo is served
// once.
func TestLifecycle(t *testing.T) {
	e := newEnv(t, false)
	clk := clock.NewFake(time.Now())
	e.serving()
	before := goleak.IgnoreCurrent()
	d := New(e.b, e.rcv, Options{Clock: clk, Interval: time.Minute, StatusChance: -1})
	goleak.VerifyNone(t, before)
	if shops, _ := e.b.Shops(); len(shops) != 0 {
		t.Fatalf("New added %d shops", len(shops))
	}

	s := serve(d)
	select {
	case <-d.Ready():
	case err := <-s.done:
		t.Fatalf("Serve: %v", err)
	case <-time.After(deadline):
		t.Fatalf("not ready within %v", deadline)
	}
	if err := d.Serve(context.Background()); err == nil {
		t.Error("a second Serve ran")
	}
	// A customer's visit: the order's webhooks are delivered, so the
	// simulator has connections to the receiver when Serve is stopped.
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	if err := clk.WaitTimers(ctx, 1); err != nil {
		t.Fatal("the customers are not waiting for their visit")
	}
	clk.Advance(time.Minute)
	eventually(t, "the order arrives by webhook", func() (bool, string) {
		_, err := e.b.Order(ledger.OrderKey{Shop: d.Shop(), ID: DefaultOrders + 1})
		return err == nil, fmt.Sprint(err)
	})
	if err := s.stop(t); err != nil {
		t.Errorf("Serve after its context ended = %v, want nil", err)
	}
	noLeaks(t, before)
}

// noLeaks fails t if goroutines other than those ignored still run after
// 10 seconds: goleak's own retries last half a second, too short for
// connections to close under -race on a busy machine.
func noLeaks(t *testing.T, ignore goleak.Option) {
	t.Helper()
	end := time.Now().Add(10 * time.Second)
	for {
		err := goleak.Find(ignore)
		if err == nil {
			return
		}
		if time.Now().After(end) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestIsDemo(t *testing.T) {
	for _, c := range []struct {
		url, token string
		want       bool
	}{
		{"http://127.0.0.1:4711", "demo-0123456789abcdef0123456789abcdef", true},
		{"http://[::1]:4711", "demo-0123", true},
		{"http://localhost:4711", "demo-0123", true},
		{"http://127.0.0.1:4711", "0123456789abcdef0123456789abcdef", false},
		{"http://127.0.0.1:4711", "", false},
		{"https://shop.example", "demo-0123", false},
		{"http://192.168.1.10", "demo-0123", false},
		{"::not a url", "demo-0123", false},
	} {
		if got := IsDemo(ledger.Shop{URL: c.url, WebhookToken: c.token}); got != c.want {
			t.Errorf("IsDemo(%s, %s) = %v, want %v", c.url, c.token, got, c.want)
		}
	}
	if len(Key) != 43 || len(Secret) != 43 || !strings.HasPrefix(Key, "ck_") || !strings.HasPrefix(Secret, "cs_") {
		t.Errorf("demo keys do not look like WooCommerce's: %q %q", Key, Secret)
	}
}

// leftGoroutines polls until no goroutine runs the demo's or the
// simulator's code, and returns how many still do at the deadline.
func leftGoroutines() int {
	end := time.Now().Add(10 * time.Second)
	for {
		n := 0
		if s := demoStacks(); s != "" {
			n = strings.Count(s, "\n\n") + 1
		}
		if n == 0 || time.Now().After(end) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// demoStacks returns the stacks of goroutines in the demo's or the
// simulator's code, blank-line separated.
func demoStacks() string {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "core/woosim.") || strings.Contains(g, "core/demo.(*Demo)") {
			out = append(out, g)
		}
	}
	return strings.Join(out, "\n\n")
}

// checkBooksData: the demo shop is a Bulgarian VAT shop, so its orders
// give the books something to do: VAT at 20 % and 9 %, coupons, COD fees,
// refunds, BGN before 2026-01-01 and EUR after, Sofia time.
func checkBooksData(t *testing.T, e *env, shop ledger.ShopID) {
	t.Helper()
	sh, err := e.b.Shop(shop)
	if err != nil || sh.Timezone != Timezone {
		t.Errorf("shop time zone %q (%v), want %s", sh.Timezone, err, Timezone)
	}
	seen := map[string]int{}
	err = e.b.EachOrder(store.OrderFilter{Shop: shop}, func(o *ledger.Order) error {
		seen[o.Currency]++
		if o.Currency == "BGN" && !o.Created.Before(euroDay) || o.Currency == "EUR" && o.Created.Before(euroDay) {
			t.Errorf("order %d created %v in %s", o.ID, o.Created, o.Currency)
		}
		for _, tl := range o.TaxLines {
			seen["rate "+strconv.FormatInt(tl.RateID, 10)]++
		}
		if len(o.CouponLines) > 0 {
			seen["coupon"]++
		}
		if len(o.FeeLines) > 0 {
			seen["fee"]++
		}
		if len(o.Refunds) > 0 {
			seen["refund"]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"EUR", "rate 1", "rate 2", "coupon", "fee", "refund"}
	if time.Since(euroDay) < 390*24*time.Hour {
		want = append(want, "BGN") // the 400 days of orders reach back before the euro
	}
	for _, k := range want {
		if seen[k] == 0 {
			t.Errorf("no %s among the demo's orders: %v", k, seen)
		}
	}
}
