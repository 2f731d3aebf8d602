package engine

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/demo"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
)

// deadline bounds waits; -race on a loaded machine is slow.
const deadline = 90 * time.Second

// openBooks opens the books in dir with keys as the keyring; a test that
// reopens its books passes the same keys again, as the OS keyring would be.
func openBooks(t *testing.T, dir string, keys secrets.Store) *books.Books {
	t.Helper()
	b, err := books.Open(dir, keys)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// running is an engine served by a test.
type running struct {
	*Engine
	cancel context.CancelFunc
	served chan error
}

// serve runs New(b, opt) until stop or the end of the test, and waits
// until it listens.
func serve(t *testing.T, b *books.Books, opt Options) *running {
	t.Helper()
	r, err := tryServe(t, b, opt)
	if err != nil {
		t.Fatalf("Serve: %v", err)
	}
	return r
}

// tryServe is serve that returns Serve's error if it fails to start.
func tryServe(t *testing.T, b *books.Books, opt Options) (*running, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Engine: New(b, opt), cancel: cancel, served: make(chan error, 1)}
	go func() { r.served <- r.Serve(ctx) }()
	select {
	case <-r.Ready():
		t.Cleanup(func() { r.stop(t) })
		return r, nil
	case err := <-r.served:
		cancel()
		r.served <- err
		return nil, err
	case <-time.After(deadline):
		t.Fatalf("the engine did not listen within %v", deadline)
		return nil, nil
	}
}

// stop ends the engine's Serve and returns its error; later calls return
// the same.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.served:
		r.served <- err
		return err
	case <-time.After(deadline):
		t.Fatalf("Serve did not return within %v of its context ending", deadline)
		return nil
	}
}

// TestDemoThroughEngine starts the engine as the window does, starts the
// demo shop, and waits for its orders to be synced by automatic sync and
// for a live order to arrive by webhook; after a restart the demo resumes.
func TestDemoThroughEngine(t *testing.T) {
	dir := t.TempDir()
	keys := secrets.NewMemory()
	b := openBooks(t, dir, keys)
	bus := events.NewBus()
	sub := bus.Subscribe()
	e := serve(t, b, Options{Addr: "127.0.0.1:0", Bus: bus})
	if _, port, _ := net.SplitHostPort(e.Addr()); port == "0" {
		t.Fatalf("Addr %q: want the bound port", e.Addr())
	}
	if d, err := e.ResumeDemo(context.Background(), demo.Options{}); err != nil || d != nil {
		t.Fatalf("ResumeDemo without a demo shop = %v, %v; want nil, nil", d, err)
	}
	d, err := e.StartDemo(context.Background(), demo.Options{Orders: 40, Interval: -1, StatusChance: -1})
	if err != nil {
		t.Fatal(err)
	}
	if e.Demo() != d {
		t.Fatal("Demo() does not return the demo started")
	}
	waitOrders(t, b, sub, 40)
	d.PlaceOrder()
	waitOrders(t, b, sub, 41)

	url := d.URL()
	if err := e.stop(t); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if resp, err := http.Get(url + "/wp-json/"); err == nil {
		resp.Body.Close()
		t.Fatalf("the engine stopped with the demo's simulator answering: %s", resp.Status)
	}
	if e.Demo() != nil {
		t.Error("Demo() returns a demo after the engine stopped")
	}
	if _, err := e.StartDemo(context.Background(), demo.Options{}); err == nil {
		t.Fatal("StartDemo after the engine stopped started a demo")
	}
	bus.Close()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	// The next start resumes the demo shop the books keep.
	b = openBooks(t, dir, keys)
	t.Cleanup(func() { b.Close() }) // after the engine stops
	e = serve(t, b, Options{Addr: "127.0.0.1:0"})
	d, err = e.ResumeDemo(context.Background(), demo.Options{Orders: 40, Interval: -1, StatusChance: -1})
	if err != nil || d == nil {
		t.Fatalf("ResumeDemo = %v, %v; want the demo", d, err)
	}
}

// TestDemoResumedBeforeAutosync: with Options.Demo, a restart resumes the
// demo shop before automatic sync's start pass, which then reaches the
// simulator at its new address instead of failing.
func TestDemoResumedBeforeAutosync(t *testing.T) {
	dir := t.TempDir()
	keys := secrets.NewMemory()
	b := openBooks(t, dir, keys)
	opt := demo.Options{Orders: 40, Interval: -1, StatusChance: -1}
	e := serve(t, b, Options{Addr: "127.0.0.1:0"})
	d, err := e.StartDemo(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	id := d.Shop()
	if err := e.stop(t); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b = openBooks(t, dir, keys)
	t.Cleanup(func() { b.Close() })
	began := time.Now()
	e = serve(t, b, Options{Addr: "127.0.0.1:0", Demo: &opt})
	timeout := time.After(deadline)
	for {
		st, err := b.SyncState(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.LastAttempt.After(began) && st.LastError != "" {
			t.Fatalf("the start pass failed: %s", st.LastError)
		}
		if st.LastSuccess.After(began) {
			break
		}
		select {
		case <-time.After(50 * time.Millisecond):
		case <-timeout:
			t.Fatalf("no start pass of the demo shop within %v", deadline)
		}
	}
	if e.Demo() == nil || !e.Demo().Owns(id) {
		t.Error("the demo shop is not running")
	}
}

// waitOrders waits until the books hold n orders, reading them again at
// every event.
func waitOrders(t *testing.T, b *books.Books, sub *events.Subscription, n int) {
	t.Helper()
	timeout := time.After(deadline)
	for {
		got, err := b.CountOrders(store.OrderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
		select {
		case <-sub.C:
		case <-time.After(200 * time.Millisecond):
		case <-timeout:
			t.Fatalf("waited %v for %d orders; the books have %d", deadline, n, got)
		}
	}
}

// TestAnyPort: with the port taken, the window's engine listens on another
// one, and serve's fails with a sentence naming the address.
func TestAnyPort(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	b := openBooks(t, t.TempDir(), secrets.NewMemory())
	defer b.Close()

	if _, err := tryServe(t, b, Options{Addr: busy.Addr().String()}); err == nil ||
		!strings.Contains(err.Error(), "cannot listen on "+busy.Addr().String()) {
		t.Fatalf("Serve on a taken port: err = %v", err)
	}
	e := serve(t, b, Options{Addr: busy.Addr().String(), AnyPort: true})
	if e.Addr() == busy.Addr().String() || !strings.HasPrefix(e.Addr(), "127.0.0.1:") {
		t.Fatalf("Addr = %q; want another loopback port", e.Addr())
	}
	if err := e.stop(t); err != nil {
		t.Fatal(err)
	}
}

// TestLifecycle: New starts nothing, not even the receiver's writer;
// Serve runs until its context ends, as SIGTERM does for serve, and then
// returns nil promptly, leaving nothing running, not even the demo shop's
// simulator; an engine is served once.
func TestLifecycle(t *testing.T) {
	b := openBooks(t, t.TempDir(), secrets.NewMemory())
	t.Cleanup(func() { b.Close() })
	before := goleak.IgnoreCurrent()
	e := New(b, Options{Addr: "127.0.0.1:0"})
	goleak.VerifyNone(t, before)
	select {
	case <-e.Ready():
		t.Fatal("Ready before Serve")
	default:
	}
	if _, err := e.StartDemo(ctxDone(), demo.Options{}); err == nil {
		t.Fatal("StartDemo before Serve started a demo")
	}

	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- e.Serve(ctx) }()
	select {
	case <-e.Ready():
	case err := <-served:
		t.Fatalf("Serve: %v", err)
	}
	if err := e.Serve(context.Background()); err == nil {
		t.Error("a second Serve ran")
	}
	// A demo running as the engine stops is stopped with it.
	if _, err := e.StartDemo(context.Background(), demo.Options{Orders: 10, Interval: -1}); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after its context ended = %v, want nil", err)
		}
	case <-time.After(deadline):
		t.Fatalf("Serve did not return within %v of its context ending", deadline)
	}
	goleak.VerifyNone(t, before)
	e.Bus.Close()
}

// TestStopDemo: "Remove demo shop" stops the demo through the engine —
// its simulator stops answering, while the engine goes on — and a start
// after it resumes the shop on a new port; a start while one runs returns
// it; a demo whose shop left the books is replaced by a new one at the
// next start, before its customers notice.
func TestStopDemo(t *testing.T) {
	b := openBooks(t, t.TempDir(), secrets.NewMemory())
	t.Cleanup(func() { b.Close() })
	e := serve(t, b, Options{Addr: "127.0.0.1:0"})
	opt := demo.Options{Orders: 10, Interval: -1}
	d, err := e.StartDemo(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := e.StartDemo(context.Background(), opt); again != d || err != nil {
		t.Fatalf("StartDemo while the demo runs = %p, %v; want the running one", again, err)
	}
	if again, err := e.ResumeDemo(context.Background(), opt); again != d || err != nil {
		t.Fatalf("ResumeDemo while the demo runs = %p, %v; want the running one", again, err)
	}

	url := d.URL()
	e.StopDemo()
	if resp, err := http.Get(url + "/wp-json/"); err == nil {
		resp.Body.Close()
		t.Fatalf("the simulator answers after StopDemo: %s", resp.Status)
	}
	if e.Demo() != nil {
		t.Error("Demo() returns the stopped demo")
	}
	e.StopDemo() // none runs: harmless
	d2, err := e.ResumeDemo(context.Background(), opt)
	if err != nil || d2 == nil || d2 == d || d2.Shop() != d.Shop() {
		t.Fatalf("ResumeDemo after StopDemo = %v, %v; want a new demo of shop %d", d2, err, d.Shop())
	}
	if sh, err := b.Shop(d2.Shop()); err != nil || sh.URL != d2.URL() || d2.URL() == url {
		t.Errorf("resumed shop at %q (%v); want the new simulator's %s", sh.URL, err, d2.URL())
	}

	if err := b.RemoveShop(d2.Shop(), false); err != nil {
		t.Fatal(err)
	}
	d3, err := e.StartDemo(context.Background(), opt)
	if err != nil || d3 == d2 || d3.Shop() == d2.Shop() {
		t.Fatalf("StartDemo after the shop's removal = %v, %v; want a new shop", d3, err)
	}
	if resp, err := http.Get(d2.URL() + "/wp-json/"); err == nil {
		resp.Body.Close()
		t.Errorf("the removed shop's simulator runs on beside the new one: %s", resp.Status)
	}
	if err := e.stop(t); err != nil {
		t.Fatal(err)
	}
}

// ctxDone is a context that has ended.
func ctxDone() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
