package autosync_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// stall holds order list requests (of full pages: the pass pages by
// keyset, not by page number) after the first, while on, until their
// request ends: it stops a pass after its first page.
type stall struct {
	h       http.Handler
	on      atomic.Bool
	lists   atomic.Int32
	stalled chan struct{} // gets a value when a request is held
}

func (s *stall) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	full := strings.HasSuffix(r.URL.Path, "/orders") && strings.Contains(r.URL.RawQuery, "=100")
	if full && s.lists.Add(1) > 1 && s.on.Load() {
		select {
		case s.stalled <- struct{}{}:
		default:
		}
		<-r.Context().Done()
		return
	}
	s.h.ServeHTTP(w, r)
}

// TestCancelAllKeepsCommittedPages: Cancel stops a pass that "Sync now"
// joined after its first page; the page stays in the books, the pass is
// reported cancelled and not failed, the schedule goes on, and the next
// pass takes the rest.
func TestCancelAllKeepsCommittedPages(t *testing.T) {
	t.Parallel()
	e := &env{t: t, keys: secrets.NewMemory(), bus: events.NewBus()}
	e.clk = clock.NewFake(start(t))
	e.sim = woosim.New(woosim.Options{Orders: 250, Now: e.clk.Now})
	st := &stall{h: e.sim.Handler(), stalled: make(chan struct{}, 1)}
	st.on.Store(true)
	srv := httptest.NewTLSServer(st)
	t.Cleanup(srv.Close)
	sum := sha256.Sum256(srv.Certificate().Raw)
	e.connect(srv.URL, hex.EncodeToString(sum[:]), nil)

	m := autosync.NewManager(e.b, e.options())
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- m.Serve(ctx) }()
	t.Cleanup(func() {
		stop()
		<-served
	})

	if p := await[events.SyncProgress](e); p.Pages != 1 || p.Orders != 100 {
		t.Fatalf("first page: %+v", p)
	}
	select {
	case <-st.stalled:
	case <-time.After(wait):
		t.Fatal("the second page was never asked for")
	}
	callerCtx, callerCancel := context.WithCancel(context.Background())
	type outcome struct {
		res []error
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		all, err := m.SyncAllNow(callerCtx)
		var o outcome
		for _, r := range all {
			o.res = append(o.res, r.Err)
		}
		o.err = err
		done <- o
	}()
	waitBlocked(t, "autosync.(*Service).SyncNow", 1)
	callerCancel()
	if n := m.CancelAll(); n != 1 {
		t.Errorf("CancelAll stopped %d passes, want 1", n)
	}
	select {
	case o := <-done:
		if !errors.Is(o.err, context.Canceled) {
			t.Errorf("SyncAllNow after cancel: %v", o.err)
		}
	case <-time.After(wait):
		t.Fatal("SyncAllNow did not return")
	}
	c := await[events.SyncCancelled](e)
	if c.New != 100 {
		t.Errorf("cancelled pass reports %d new, want the committed 100", c.New)
	}
	for _, ev := range e.drain() {
		if ev == "failed" {
			t.Error("a cancelled pass was reported as failed")
		}
	}
	if n, err := e.b.CountOrders(store.OrderFilter{}); err != nil || n != 100 {
		t.Errorf("books hold %d orders (%v) after the cancel, want the committed 100", n, err)
	}
	status, err := m.Status(e.shop.ID)
	if err != nil || status.Running || status.Failures != 0 {
		t.Errorf("status after cancel: %+v, %v", status, err)
	}
	if m.CancelAll() != 0 {
		t.Error("CancelAll found a pass with none running")
	}

	// Sync now afterwards resumes: the other 150 orders arrive.
	st.on.Store(false)
	res, err := m.SyncNow(context.Background(), e.shop.ID)
	if err != nil || res.New != 150 {
		t.Errorf("next pass: %+v, %v; want 150 new", res.ApplyResult, err)
	}
	if n, _ := e.b.CountOrders(store.OrderFilter{}); n != 250 {
		t.Errorf("books hold %d orders, want 250", n)
	}
}
