package autosync_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestPollEveryInterval: a pass at start, then one every poll interval,
// and nothing in between.
func TestPollEveryInterval(t *testing.T) {
	t.Parallel()
	e := newEnv(t, woosim.Options{Orders: 20}, func(sh *ledger.Shop) { sh.PollInterval = 30 * time.Minute })
	e.serve(e.options())
	e.expect(1, "started:start", "finished:20 new")
	t0 := e.clk.Now()
	e.step(t0.Add(29*time.Minute), 1)
	e.step(t0.Add(30*time.Minute), 1, "started:schedule", "finished:0 new")
	e.sim.AddOrders(2)
	e.step(t0.Add(59*time.Minute), 1)
	e.step(t0.Add(60*time.Minute), 1, "started:schedule", "finished:2 new")
	e.step(t0.Add(90*time.Minute), 1, "started:schedule", "finished:0 new")
}

// TestPollIntervalClamped: a poll interval below the minimum is raised to
// it, and the status says so.
func TestPollIntervalClamped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, woosim.Options{Orders: 5}, func(sh *ledger.Shop) { sh.PollInterval = time.Second })
	svc := e.serve(e.options())
	e.expect(1, "started:start", "finished:5 new")
	t0 := e.clk.Now()
	e.step(t0.Add(59*time.Second), 1)
	e.step(t0.Add(time.Minute), 1, "started:schedule", "finished:0 new")
	st, err := svc.Status()
	if err != nil || st.Mode != autosync.ModePoll || !strings.Contains(st.Note, "minimum") || !st.Next.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("status %+v, %v", st, err)
	}
}

// TestNightlyCatchUp: a webhook shop catches up at start, at 02:00 each
// night, after the computer slept through 02:00, and at start when the
// computer was off; its webhooks are checked every hour in between.
func TestNightlyCatchUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t, woosim.Options{Orders: 10}, nil)
	url, _ := e.receiver()
	if _, err := e.b.RegisterWebhooks(context.Background(), e.shop.ID, url); err != nil {
		t.Fatal(err)
	}
	m := autosync.NewManager(e.b, e.options())
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- m.Serve(ctx) }()
	const timers = 2 // the shop's service and the wake watch

	day := func(d, h, min int) time.Time {
		return time.Date(2026, 3, d, h, min, 0, 0, e.clk.Now().Location())
	}
	e.expect(timers, "started:start", "finished:10 new", "health:ok")
	for h := 22; h < 26; h++ {
		e.step(day(10, h, 0), timers, "health:ok")
	}
	e.step(day(11, 1, 59), timers)
	e.step(day(11, 2, 0), timers, "started:schedule", "finished:0 new", "health:ok")
	if st := e.state(); !st.LastCatchUp.Equal(day(11, 2, 0)) {
		t.Errorf("LastCatchUp = %s", st.LastCatchUp)
	}
	e.step(day(11, 3, 0), timers, "health:ok")

	// Asleep from 23:30 to 07:10: the catch-up at 02:00 is missed and
	// made up when the wake is noticed, within a tick.
	e.clk.AdvanceTo(day(11, 23, 30))
	e.settle(timers) // the hourly checks until then
	e.clk.Suspend(day(12, 7, 10).Sub(e.clk.Now()))
	e.step(day(12, 7, 11), timers, "started:wake", "finished:0 new", "health:ok")
	e.clk.AdvanceTo(day(13, 1, 59))
	e.settle(timers)
	e.step(day(13, 2, 0), timers, "started:schedule", "finished:0 new", "health:ok")

	// Off over a night: the next start catches up.
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	e.clk.Set(day(14, 9, 0))
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	go func() { served <- m.Serve(ctx) }()
	e.expect(timers, "started:start", "finished:0 new", "health:ok")
	if st := e.state(); !st.LastCatchUp.Equal(day(14, 9, 0)) {
		t.Errorf("LastCatchUp after a night off = %s", st.LastCatchUp)
	}
	e.clk.AdvanceTo(day(15, 2, 0))
	if got := e.settle(timers); len(got) == 0 || strings.Join(got[len(got)-3:], ", ") != "started:schedule, finished:0 new, health:ok" {
		t.Errorf("the night after: %q", got)
	}
	cancel()
	<-served
}

// TestWakeInPollMode: a poll shop syncs when the computer wakes, and its
// period restarts from there; short pauses are not wakes.
func TestWakeInPollMode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, woosim.Options{Orders: 10}, nil)
	m := autosync.NewManager(e.b, e.options())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.Serve(ctx)
	e.expect(2, "started:start", "finished:10 new")
	t0 := e.clk.Now()
	e.clk.Suspend(3 * time.Minute) // below WakeJump: noise
	e.step(t0.Add(5*time.Minute), 2)
	e.clk.Suspend(40 * time.Minute)
	woke := e.clk.Now().Add(time.Minute)
	e.step(woke, 2, "started:wake", "finished:0 new")
	e.step(woke.Add(59*time.Minute), 2)
	e.step(woke.Add(60*time.Minute), 2, "started:schedule", "finished:0 new")
}

// gate holds the shop's order list requests while closed, to catch a pass
// in the middle.
type gate struct {
	h        http.Handler
	mu       sync.Mutex
	closed   chan struct{} // nil while open
	entered  chan struct{}
	requests atomic.Int32
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/orders") {
		g.requests.Add(1)
		g.mu.Lock()
		c, entered := g.closed, g.entered
		g.mu.Unlock()
		if c != nil {
			select {
			case entered <- struct{}{}:
			default:
			}
			select {
			case <-c:
			case <-r.Context().Done():
				return
			}
		}
	}
	g.h.ServeHTTP(w, r)
}

func (g *gate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed, g.entered = make(chan struct{}), make(chan struct{}, 1)
}

func (g *gate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	close(g.closed)
	g.closed = nil
}

// newGatedEnv is newEnv with a gate between the books and the shop.
func newGatedEnv(t *testing.T, orders int) (*env, *gate) {
	t.Helper()
	e := &env{t: t, keys: secrets.NewMemory(), bus: events.NewBus()}
	e.clk = clock.NewFake(start(t))
	e.sim = woosim.New(woosim.Options{Orders: orders, Now: e.clk.Now})
	g := &gate{h: e.sim.Handler()}
	srv := httptest.NewTLSServer(g)
	t.Cleanup(srv.Close)
	sum := sha256.Sum256(srv.Certificate().Raw)
	e.url = srv.URL
	e.connect(srv.URL, hex.EncodeToString(sum[:]), nil)
	return e, g
}

// TestSyncNowJoinsRunningPass: "Sync now" while a scheduled pass runs, twice
// at once, joins it: one pass, one SyncStarted, the same result for all.
func TestSyncNowJoinsRunningPass(t *testing.T) {
	t.Parallel()
	e, g := newGatedEnv(t, 10)
	svc := e.serve(e.options())
	e.expect(1, "started:start", "finished:10 new")
	g.close()
	e.clk.Advance(time.Hour)
	<-g.entered // the scheduled pass waits for its first page
	before := g.requests.Load()
	var wg sync.WaitGroup
	results := make([]syncer.Result, 2)
	errs := make([]error, 2)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i], errs[i] = svc.SyncNow(context.Background()) }()
	}
	e.sim.AddOrders(3)
	waitBlocked(t, "autosync.(*Service).SyncNow", 2)
	g.open()
	wg.Wait()
	for i := range results {
		if errs[i] != nil || results[i].New != 3 {
			t.Errorf("SyncNow %d: %+v, %v; want the scheduled pass's 3 new orders", i, results[i].ApplyResult, errs[i])
		}
	}
	if got := g.requests.Load() - before; got != 0 {
		t.Errorf("%d more list requests: a second pass ran", got)
	}
	e.expect(1, "started:schedule", "finished:3 new")
	// Afterwards "Sync now" starts a pass of its own.
	if res, err := svc.SyncNow(context.Background()); err != nil || res.New != 0 {
		t.Errorf("SyncNow after: %+v, %v", res, err)
	}
	e.expect(1, "started:manual", "finished:0 new")
}

// TestCancelStopsMidPass: cancelling stops a service in the middle of a
// pass; Serve returns and leaves no goroutine behind.
func TestCancelStopsMidPass(t *testing.T) {
	e, g := newGatedEnv(t, 10)
	before := autosyncGoroutines()
	g.close()
	m := autosync.NewManager(e.b, e.options())
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- m.Serve(ctx) }()
	<-g.entered
	syncNow := make(chan error, 1)
	go func() { _, err := m.SyncNow(context.Background(), e.shop.ID); syncNow <- err }()
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("Serve did not return")
	}
	if err := <-syncNow; !errors.Is(err, context.Canceled) && !errors.Is(err, autosync.ErrNotServing) {
		t.Errorf("SyncNow during shutdown: %v", err)
	}
	if n := leftGoroutines(before); n > 0 {
		t.Errorf("%d goroutines of autosync left running", n)
	}
	for _, ev := range e.drain() {
		if ev == "failed" {
			t.Error("a cancelled pass was reported as failed")
		}
	}
	if _, err := m.SyncNow(context.Background(), e.shop.ID); !errors.Is(err, autosync.ErrNotServing) {
		t.Errorf("SyncNow after stop: %v", err)
	}
}

// TestFailureBackoff: while the keyring is unavailable each pass fails with
// its typed error, retried after 5 and 15 minutes and then on the hour;
// once the keyring answers, the shop syncs and its schedule is normal.
func TestFailureBackoff(t *testing.T) {
	t.Parallel()
	e := newEnv(t, woosim.Options{Orders: 20}, nil)
	e.keys.Fail(errors.New("no answer within 3s (is the keyring locked?)"))
	svc := e.serve(e.options())
	failed := await[events.SyncFailed](e)
	var ue *secrets.UnavailableError
	if !errors.As(failed.Err, &ue) || failed.Shop != e.shop.ID {
		t.Fatalf("SyncFailed %+v, want the keyring's *secrets.UnavailableError", failed)
	}
	if msg := books.UserMessage(failed.Err); !strings.Contains(msg, "keyring") {
		t.Errorf("message %q does not mention the keyring", msg)
	}
	e.expect(1) // the start pass's events were read above
	t0 := e.clk.Now()
	for _, at := range []time.Duration{5 * time.Minute, 20 * time.Minute, 80 * time.Minute, 140 * time.Minute} {
		e.step(t0.Add(at-time.Second), 1)
		e.step(t0.Add(at), 1, "started:schedule", "failed")
	}
	if st := e.state(); !strings.Contains(st.LastError, "keyring") {
		t.Errorf("LastError %q", st.LastError)
	}
	// Meanwhile the orders already in the books stay readable.
	if _, err := e.b.CountOrders(store.OrderFilter{Shop: e.shop.ID}); err != nil {
		t.Fatal(err)
	}
	e.keys.Fail(nil)
	if st, _ := svc.Status(); st.Failures != 5 {
		t.Errorf("status %+v", st)
	}
	e.step(t0.Add(200*time.Minute), 1, "started:schedule", "finished:20 new")
	e.step(t0.Add(259*time.Minute), 1)
	e.step(t0.Add(260*time.Minute), 1, "started:schedule", "finished:0 new")
}
