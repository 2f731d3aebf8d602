package engine

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

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

// TestDemoThroughEngine starts the engine as the window does, starts the
// demo shop, and waits for its orders to be synced by automatic sync and
// for a live order to arrive by webhook; after a restart the demo resumes.
func TestDemoThroughEngine(t *testing.T) {
	dir := t.TempDir()
	keys := secrets.NewMemory()
	b := openBooks(t, dir, keys)
	bus := events.NewBus()
	sub := bus.Subscribe()
	e, err := Start(context.Background(), b, Options{Addr: "127.0.0.1:0", Bus: bus})
	if err != nil {
		t.Fatal(err)
	}
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

	if err := e.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := e.Stop(); err != nil { // twice is harmless
		t.Fatalf("second Stop: %v", err)
	}
	select {
	case <-d.Done():
	default:
		t.Fatal("Stop left the demo running")
	}
	if _, err := e.StartDemo(context.Background(), demo.Options{}); err == nil {
		t.Fatal("StartDemo after Stop started a demo")
	}
	bus.Close()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	// The next start resumes the demo shop the books keep.
	b = openBooks(t, dir, keys)
	defer b.Close()
	e, err = Start(context.Background(), b, Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop()
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
	e, err := Start(context.Background(), b, Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.StartDemo(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	id := d.Shop()
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b = openBooks(t, dir, keys)
	defer b.Close()
	began := time.Now()
	e, err = Start(context.Background(), b, Options{Addr: "127.0.0.1:0", Demo: &opt})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop()
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

	if _, err := Start(context.Background(), b, Options{Addr: busy.Addr().String()}); err == nil ||
		!strings.Contains(err.Error(), "cannot listen on "+busy.Addr().String()) {
		t.Fatalf("Start on a taken port: err = %v", err)
	}
	e, err := Start(context.Background(), b, Options{Addr: busy.Addr().String(), AnyPort: true})
	if err != nil {
		t.Fatal(err)
	}
	if e.Addr() == busy.Addr().String() || !strings.HasPrefix(e.Addr(), "127.0.0.1:") {
		t.Fatalf("Addr = %q; want another loopback port", e.Addr())
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
}

// TestContextEndsEngine: cancelling Start's context stops everything, as
// SIGTERM does for serve.
func TestContextEndsEngine(t *testing.T) {
	b := openBooks(t, t.TempDir(), secrets.NewMemory())
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	e, err := Start(ctx, b, Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-e.Done():
	case <-time.After(deadline):
		t.Fatal("the engine did not stop when its context ended")
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
}
