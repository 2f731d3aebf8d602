package autosync

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
)

// Wake detection: every WakeTick the manager compares how far the wall
// clock moved with the tick it waited for. Timers run on the monotonic
// clock, which stands still while the computer sleeps (Linux, macOS), or
// fire late after it (Windows); either way the wall clock has moved much
// further than the tick, and a catch-up is due.
const (
	WakeTick = time.Minute
	// WakeJump is how much further than the tick the wall clock must move
	// to count as a wake: less is scheduling noise or a small clock
	// correction.
	WakeJump = 5 * time.Minute
)

// Manager runs one Service per shop in the books, and tells them when the
// computer wakes up. Create it with NewManager and run Serve.
type Manager struct {
	books *books.Books
	opt   Options

	mu   sync.Mutex
	ctx  context.Context // Serve's; nil while not serving
	svcs map[ledger.ShopID]*running
	wg   sync.WaitGroup
}

type running struct {
	svc    *Service
	cancel context.CancelFunc
}

// NewManager returns a manager for the shops in b.
func NewManager(b *books.Books, opt Options) *Manager {
	return &Manager{books: b, opt: opt.withDefaults(), svcs: map[ledger.ShopID]*running{}}
}

// Serve runs a service for every shop and watches for the computer waking
// until ctx is cancelled; it returns once every service has stopped.
func (m *Manager) Serve(ctx context.Context) error {
	m.mu.Lock()
	if m.ctx != nil {
		m.mu.Unlock()
		return errors.New("automatic sync is already running")
	}
	m.ctx = ctx
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.ctx = nil
		for id, r := range m.svcs {
			r.cancel()
			delete(m.svcs, id)
		}
		m.mu.Unlock()
		m.wg.Wait()
	}()
	if err := m.Refresh(); err != nil {
		// The books may still open later reads; the window shows orders
		// whatever the schedule does.
		m.opt.Log.Error("start automatic sync", "err", err)
	}
	watchWake(ctx, m.opt.Clock, m.woke)
	return nil
}

// Refresh brings the services in line with the shops: it starts one for
// a shop added, stops the one of a shop removed, and has the others read
// their shop again (its schedule may have changed). Call it after adding,
// editing or removing a shop.
func (m *Manager) Refresh() error {
	shops, err := m.books.Shops()
	if err != nil {
		return fmt.Errorf("refresh automatic sync: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx == nil {
		return nil // Serve refreshes when it starts
	}
	keep := map[ledger.ShopID]bool{}
	for _, sh := range shops {
		keep[sh.ID] = true
		if r, ok := m.svcs[sh.ID]; ok {
			r.svc.Reload()
			continue
		}
		m.startLocked(sh.ID)
	}
	for id, r := range m.svcs {
		if !keep[id] {
			r.cancel()
			delete(m.svcs, id)
		}
	}
	return nil
}

// startLocked starts the service of shop id. m.mu is held.
func (m *Manager) startLocked(id ledger.ShopID) {
	ctx, cancel := context.WithCancel(m.ctx)
	r := &running{svc: NewService(m.books, id, m.opt), cancel: cancel}
	m.svcs[id] = r
	// Bound now, not when the goroutine runs: SyncNow right after Refresh
	// (a shop just added) must find the service serving.
	if err := r.svc.bind(ctx); err != nil {
		m.opt.Log.Error("start automatic sync", "shop", id, "err", err)
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		err := r.svc.loop(ctx)
		cancel()
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			m.opt.Log.Error("automatic sync stopped", "shop", id, "err", err)
		}
		m.mu.Lock()
		if m.svcs[id] == r {
			delete(m.svcs, id) // the shop is gone; a Refresh may bring it back
		}
		m.mu.Unlock()
	}()
}

// Service returns the running service of a shop.
func (m *Manager) Service(id ledger.ShopID) (*Service, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.svcs[id]
	if !ok {
		return nil, false
	}
	return r.svc, true
}

// SyncNow syncs a shop now ("Sync now" in the window or the tray), or
// joins its pass under way, and returns the outcome.
func (m *Manager) SyncNow(ctx context.Context, id ledger.ShopID) (syncer.Result, error) {
	svc, ok := m.Service(id)
	if !ok {
		// A shop added since the last Refresh.
		if err := m.Refresh(); err != nil {
			return syncer.Result{}, err
		}
		if svc, ok = m.Service(id); !ok {
			return syncer.Result{}, fmt.Errorf("sync shop %d: %w", id, ErrNotServing)
		}
	}
	return svc.SyncNow(ctx)
}

// SyncAllNow syncs every shop now, one after another, joining passes under
// way; one shop's failure does not stop the others.
func (m *Manager) SyncAllNow(ctx context.Context) ([]books.ShopResult, error) {
	shops, err := m.books.Shops()
	if err != nil {
		return nil, err
	}
	out := make([]books.ShopResult, 0, len(shops))
	for _, sh := range shops {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		res, err := m.SyncNow(ctx, sh.ID)
		out = append(out, books.ShopResult{Shop: sh, Result: res, Err: err})
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

// CancelAll stops every pass under way (see Service.Cancel), whoever
// started it, and returns how many it stopped. To stop a SyncAllNow as
// well, cancel its ctx first: then no later shop's pass starts.
func (m *Manager) CancelAll() int {
	m.mu.Lock()
	svcs := make([]*Service, 0, len(m.svcs))
	for _, r := range m.svcs {
		svcs = append(svcs, r.svc)
	}
	m.mu.Unlock()
	n := 0
	for _, svc := range svcs {
		if svc.Cancel() {
			n++
		}
	}
	return n
}

// Status reports a shop's schedule.
func (m *Manager) Status(id ledger.ShopID) (Status, error) {
	svc, ok := m.Service(id)
	if !ok {
		return Status{}, fmt.Errorf("shop %d: %w", id, ErrNotServing)
	}
	return svc.Status()
}

// woke tells every service the computer woke up.
func (m *Manager) woke(slept time.Duration) {
	m.opt.Log.Info("the computer woke up: catching up", "slept", slept.Round(time.Second))
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.svcs {
		r.svc.Woke()
	}
}

// watchWake calls woke each time the wall clock moves more than WakeJump
// further than a WakeTick, until ctx is done.
func watchWake(ctx context.Context, clk clock.Clock, woke func(slept time.Duration)) {
	for {
		armed := clk.Now()
		t := clk.NewTimer(WakeTick)
		var fired time.Time
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case fired = <-t.C():
		}
		// Round(0) drops the monotonic readings, which Sub would compare
		// otherwise, and which stood still while the computer slept.
		if gap := fired.Round(0).Sub(armed.Round(0)) - WakeTick; gap > WakeJump {
			woke(gap)
		}
	}
}
