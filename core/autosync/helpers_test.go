package autosync_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	_ "time/tzdata"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// wait bounds every wait for goroutines under test. It is never reached
// when things work: the clock is fake, and tests only wait for work to be
// done, never for time to pass.
const wait = 10 * time.Second

// env is a shop in woosim, the books that sync it, and a fake clock that
// both read: the shop's clock is the fake one too, so the orders it makes
// are dated in the tests' time.
type env struct {
	t    *testing.T
	clk  *clock.Fake
	b    *books.Books
	keys *secrets.Memory
	sim  *woosim.Sim
	url  string // the shop's
	bus  *events.Bus
	sub  *events.Subscription
	shop ledger.Shop
	// health is the last WebhookHealth event drained.
	health events.WebhookHealth
}

// start is when every test begins: a Tuesday evening in Sofia.
func start(t *testing.T) time.Time {
	loc, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(2026, 3, 10, 21, 0, 0, 0, loc)
}

// newEnv starts a shop with orders and connects it; edit changes the shop
// before it is stored (poll interval, mode). The shop speaks TLS so that
// Basic auth works: OAuth's timestamps would meet the fake clock.
func newEnv(t *testing.T, o woosim.Options, edit func(*ledger.Shop)) *env {
	t.Helper()
	e := &env{t: t, clk: clock.NewFake(start(t)), keys: secrets.NewMemory(), bus: events.NewBus()}
	o.Now = e.clk.Now
	srv, err := woosim.Start(o, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	e.sim, e.url = srv.Sim, srv.URL
	e.connect(srv.URL, srv.CertSHA256, edit)
	return e
}

// connect opens the books and adds the shop at url.
func (e *env) connect(url, cert string, edit func(*ledger.Shop)) {
	t := e.t
	b, err := books.Open(t.TempDir(), e.keys)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	e.b = b
	wh, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web"})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := b.AddShop(books.NewShop{Name: "Sim", URL: url, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret,
		Warehouse: wh.ID, CostCenter: cc.ID, CertSHA256: cert})
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&sh)
		if err := b.UpdateShop(sh); err != nil {
			t.Fatal(err)
		}
	}
	e.shop = sh
	e.sub = e.bus.Subscribe()
	t.Cleanup(e.sub.Close)
}

func (e *env) options() autosync.Options {
	return autosync.Options{Clock: e.clk, Bus: e.bus}
}

// serve runs a service for the shop until the test ends, and checks then
// that Serve returned.
func (e *env) serve(opt autosync.Options) *autosync.Service {
	svc := autosync.NewService(e.b, e.shop.ID, opt)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Serve(ctx) }()
	e.t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				e.t.Errorf("Serve: %v", err)
			}
		case <-time.After(wait):
			e.t.Error("Serve did not return after cancel")
		}
	})
	return svc
}

// settle waits until n timers are armed, that is until every goroutine
// under test is waiting for the clock, and returns the events published
// meanwhile, progress left out.
func (e *env) settle(n int) []string {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := e.clk.WaitTimers(ctx, n); err != nil {
		e.t.Fatalf("waiting for %d timers (have %d): %v", n, e.clk.Timers(), err)
	}
	return e.drain()
}

// drain returns the events already published, progress left out.
func (e *env) drain() []string {
	var out []string
	for {
		select {
		case ev := <-e.sub.C:
			if h, ok := ev.(events.WebhookHealth); ok {
				e.health = h
			}
			if s := describe(ev); s != "" {
				out = append(out, s)
			}
		default:
			return out
		}
	}
}

// describe is an event in a few words, for comparing sequences.
func describe(ev events.Event) string {
	switch ev := ev.(type) {
	case events.SyncStarted:
		return "started:" + string(ev.Trigger)
	case events.SyncFinished:
		return fmt.Sprintf("finished:%d new", ev.New)
	case events.SyncFailed:
		return "failed"
	case events.WebhookHealth:
		switch {
		case !ev.Healthy:
			return "health:fallback"
		case len(ev.Reactivated) > 0:
			return fmt.Sprintf("health:reactivated %v", ev.Reactivated)
		}
		return "health:ok"
	}
	return ""
}

// step advances the clock to t, waits for n timers and checks the events.
func (e *env) step(to time.Time, n int, want ...string) {
	e.t.Helper()
	e.clk.AdvanceTo(to)
	e.expect(n, want...)
}

func (e *env) expect(n int, want ...string) {
	e.t.Helper()
	got := e.settle(n)
	// Under load the timer count can reach n before a woken goroutine has
	// published what it does; give the events that are due the same wait.
	for timeout := time.After(wait); len(got) < len(want); {
		select {
		case ev := <-e.sub.C:
			if h, ok := ev.(events.WebhookHealth); ok {
				e.health = h
			}
			if s := describe(ev); s != "" {
				got = append(got, s)
			}
			continue
		case <-timeout:
		}
		break
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		e.t.Fatalf("at %s: events %q, want %q", e.clk.Now().Format("Jan 2 15:04"), got, want)
	}
}

// state reads the shop's sync state.
func (e *env) state() ledger.SyncState {
	e.t.Helper()
	st, err := e.b.SyncState(e.shop.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

// receiver stands in for ShopLedger's webhook receiver: it answers pings,
// checks each delivery's signature against the shop's secret in the
// keyring, and notes the delivery's arrival as the receiver does. It
// stores no orders, so those come by polling.
// While down is set it answers deliveries 500, as an unreachable or
// broken receiver would.
func (e *env) receiver() (url string, down *atomic.Bool) {
	down = new(atomic.Bool)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sig := r.Header.Get("X-WC-Webhook-Signature")
		if sig == "" { // the ping
			return
		}
		if down.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		secret, err := secrets.LoadWebhookSecret(e.keys, e.shop.ID)
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		if err != nil || !hmac.Equal([]byte(sig), []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil)))) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		now := e.clk.Now().UTC()
		e.b.UpdateSyncState(e.shop.ID, func(st *ledger.SyncState) { st.LastDelivery = now })
	}))
	e.t.Cleanup(srv.Close)
	return srv.URL + "/webhooks/0123456789abcdef0123456789abcdef", down
}

// leftGoroutines is how many more goroutines run this package's code than
// `before`, once those on their way out (past a WaitGroup's Done, say)
// have had the chance to end.
func leftGoroutines(before int) int {
	deadline := time.Now().Add(wait)
	for {
		n := autosyncGoroutines() - before
		if n <= 0 || time.Now().After(deadline) {
			return n
		}
		runtime.Gosched()
	}
}

// autosyncGoroutines counts goroutines running this package's code.
func autosyncGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "core/autosync.(*") || strings.Contains(g, "core/autosync.watchWake") {
			n++
		}
	}
	return n
}

// await reads events until one of type T arrives, and returns it.
func await[T events.Event](e *env) T {
	e.t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case ev := <-e.sub.C:
			if v, ok := ev.(T); ok {
				return v
			}
		case <-timeout:
			var zero T
			e.t.Fatalf("no %T event", zero)
			return zero
		}
	}
}

// waitBlocked waits until n goroutines are blocked in fn, e.g. callers
// waiting for a pass to end. Nothing else tells that they have arrived.
func waitBlocked(t *testing.T, fn string, n int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		got := 0
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, fn) && strings.Contains(g, "[select") {
				got++
			}
		}
		if got >= n {
			return
		}
		runtime.Gosched()
	}
	t.Fatalf("%d goroutines never blocked in %s", n, fn)
}
