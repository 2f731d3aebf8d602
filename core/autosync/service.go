// Package autosync keeps the books current by themselves: one service per
// shop polls it, or, for a shop with webhooks, catches up once a night and
// after the computer wakes, checks the webhooks every hour and falls back
// to polling while they are unhealthy. A Manager runs the services of
// every shop and detects the computer waking up.
//
// All timing goes through a clock.Clock, so tests drive the schedules with
// a fake clock instead of sleeping. What happens is published on an
// events.Bus for the window, the tray and the log.
package autosync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
)

// Options are what the services share; the zero value is usable.
type Options struct {
	// Clock tells the time and waits (clock.System when nil).
	Clock clock.Clock
	// Bus receives the events; nil publishes nothing.
	Bus *events.Bus
	// DeliveryURL returns a shop's public webhook URL, used to recognise
	// webhooks an admin added by hand; nil when none is known.
	DeliveryURL func(ledger.Shop) string
	// Log gets what is worth a line in a log file (nil: nothing). Events
	// are for the user; the log is for whoever reads it later.
	Log *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = clock.System
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// maxSleep bounds each wait, so that a service on its own (without a
// Manager to tell it the computer woke) still notices within the hour that
// a timer slept through a suspend.
const maxSleep = time.Hour

// ErrNotServing is returned by SyncNow when the service is not running.
var ErrNotServing = errors.New("automatic sync is not running")

// ErrCancelled is the outcome of a pass that Cancel stopped. It is also
// context.Canceled, for callers that only tell a stop from a failure.
var ErrCancelled = fmt.Errorf("sync cancelled: %w", context.Canceled)

// Service keeps one shop current. Create it with NewService and run Serve.
type Service struct {
	books *books.Books
	id    ledger.ShopID
	opt   Options
	poke  chan struct{} // something changed: plan again

	mu     sync.Mutex
	ctx    context.Context // Serve's, for the passes; nil while not serving
	mem    memory
	cur    *flight
	timer  clock.Timer // the loop's, while it sleeps
	passes sync.WaitGroup
	noted  string // the last schedule note logged
}

// flight is a pass under way; callers that ask meanwhile wait for it.
type flight struct {
	done   chan struct{}
	res    syncer.Result
	err    error
	cancel context.CancelFunc // stops this pass only
	// cancelled: Cancel stopped it (not the service stopping). s.mu.
	cancelled bool
}

// NewService returns the service for shop id.
func NewService(b *books.Books, id ledger.ShopID, opt Options) *Service {
	return &Service{books: b, id: id, opt: opt.withDefaults(), poke: make(chan struct{}, 1)}
}

// Serve runs the shop's schedule until ctx is cancelled: a pass at once,
// then as decide says. It returns nil when cancelled, once every pass it
// started has stopped, and an error only when the shop no longer exists.
func (s *Service) Serve(ctx context.Context) error {
	if err := s.bind(ctx); err != nil {
		return err
	}
	return s.loop(ctx)
}

// bind makes ctx the one the service's passes run under, so that SyncNow
// works from the moment Serve is called, before its goroutine runs.
func (s *Service) bind(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx != nil {
		return fmt.Errorf("shop %d: automatic sync is already running", s.id)
	}
	s.ctx, s.mem.started = ctx, false
	return nil
}

// loop is Serve after bind.
func (s *Service) loop(ctx context.Context) error {
	defer func() {
		s.mu.Lock()
		s.ctx = nil
		s.mu.Unlock()
		s.passes.Wait() // cancelled with ctx; none may outlive Serve
	}()
	s.passes.Add(1)
	go func() {
		defer s.passes.Done()
		s.refunds(ctx)
	}()
	for ctx.Err() == nil {
		now := s.opt.Clock.Now()
		sh, err := s.books.Shop(s.id)
		var st ledger.SyncState
		if err == nil {
			st, err = s.books.SyncState(s.id)
		}
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("automatic sync of shop %d: %w", s.id, err)
		}
		if err != nil {
			s.opt.Log.Error("read shop", "shop", s.id, "err", err)
			s.sleep(ctx, time.Minute)
			continue
		}
		s.note(sh)
		s.mu.Lock()
		p := decide(now, sh, st, s.mem)
		switch {
		case p.trigger != "":
			s.mem.started = true
			s.mem.wake = false // any pass catches up
			f := s.startLocked(p.trigger)
			s.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
			}
		case p.health:
			s.mem.healthDue, s.mem.lastHealth = false, now
			s.mu.Unlock()
			s.checkHealth(ctx, sh)
		default:
			s.mu.Unlock()
			d := maxSleep
			if !p.wakeAt.IsZero() {
				d = min(p.wakeAt.Sub(now), maxSleep)
			}
			s.sleep(ctx, d)
		}
	}
	return nil
}

// sleep waits for d on the clock, a poke or ctx.
func (s *Service) sleep(ctx context.Context, d time.Duration) {
	t := s.opt.Clock.NewTimer(d)
	s.mu.Lock()
	s.timer = t
	s.mu.Unlock()
	select {
	case <-t.C():
	case <-s.poke:
	case <-ctx.Done():
	}
	s.mu.Lock()
	s.timer = nil
	s.mu.Unlock()
	t.Stop()
}

// wakeUp makes the service plan again at once.
func (s *Service) wakeUp() {
	// Stopping the timer at once, not when the loop gets round to it,
	// keeps "every timer armed" meaning "everyone is idle" for a fake
	// clock's WaitTimers.
	s.mu.Lock()
	if s.timer != nil {
		s.timer.Stop()
	}
	s.mu.Unlock()
	select {
	case s.poke <- struct{}{}:
	default: // a poke is already waiting
	}
}

// Reload makes the service read its shop again now (its schedule changed),
// rather than at its next planned look.
func (s *Service) Reload() { s.wakeUp() }

// Woke tells the service the computer woke from sleep: it catches up.
func (s *Service) Woke() {
	s.mu.Lock()
	s.mem.wake = true
	s.mu.Unlock()
	s.wakeUp()
}

// note logs what PollInterval and CatchUpAt changed, once per change.
func (s *Service) note(sh ledger.Shop) {
	n := scheduleNote(sh)
	if n != s.noted {
		s.noted = n
		if n != "" {
			s.opt.Log.Warn("schedule adjusted", "shop", s.id, "note", n)
		}
	}
}

// SyncNow runs a pass now ("Sync now"), or joins the one under way, and
// returns its outcome. The pass runs under Serve's context; ctx only bounds
// the wait.
func (s *Service) SyncNow(ctx context.Context) (syncer.Result, error) {
	s.mu.Lock()
	if err := ctx.Err(); err != nil {
		// Checked under the lock that starts the pass: a caller that
		// cancels its ctx and then calls Cancel leaves no pass running.
		s.mu.Unlock()
		return syncer.Result{}, err
	}
	f := s.startLocked(events.TriggerManual)
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.res, f.err
	case <-ctx.Done():
		return syncer.Result{}, ctx.Err()
	}
}

// startLocked starts a pass, or returns the one under way. s.mu is held.
func (s *Service) startLocked(trigger events.Trigger) *flight {
	if s.cur != nil {
		return s.cur
	}
	f := &flight{done: make(chan struct{})}
	if s.ctx == nil {
		f.err = fmt.Errorf("shop %d: %w", s.id, ErrNotServing)
		close(f.done)
		return f
	}
	ctx, cancel := context.WithCancel(s.ctx)
	f.cancel = cancel
	s.cur = f
	s.mem.running, s.mem.cancelled, s.mem.lastAttempt = true, false, s.opt.Clock.Now()
	// Whatever started it, this pass is the one due at start: "Sync now"
	// for a shop just added must not be followed by another.
	s.mem.started = true
	s.passes.Add(1)
	go func() {
		defer s.passes.Done()
		defer cancel()
		f.res, f.err = s.pass(ctx, trigger)
		s.mu.Lock()
		byUser := f.cancelled
		s.mu.Unlock()
		switch {
		case f.err != nil && byUser:
			f.err = fmt.Errorf("sync of shop %d: %w", s.id, ErrCancelled)
		case f.err != nil && ctx.Err() != nil:
			// Whatever the pass ran into, it stopped because the service
			// did: callers can tell that from a failure by errors.Is.
			f.err = fmt.Errorf("sync of shop %d stopped: %w", s.id, ctx.Err())
		}
		s.mu.Lock()
		s.cur, s.mem.running = nil, false
		switch {
		case f.err == nil:
			s.mem.failures, s.mem.healthDue = 0, true
		case byUser:
			s.mem.cancelled = true
		case ctx.Err() == nil:
			s.mem.failures++
		}
		s.mu.Unlock()
		if f.err != nil && byUser {
			// What the pass committed stays: the next pass resumes there.
			s.publish(events.SyncCancelled{Base: s.base(), New: f.res.New, Updated: f.res.Updated})
		}
		close(f.done)
		s.wakeUp()
	}()
	return f
}

// Cancel stops the pass under way, if any, after its last committed page,
// and tells whether there was one. Callers waiting for it get an error
// that is ErrCancelled. The schedule goes on: a cancelled pass is not a
// failure, and the next scheduled one comes no sooner than after a
// failure would (see nextPass).
func (s *Service) Cancel() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil || s.cur.cancel == nil {
		return false
	}
	s.cur.cancelled = true
	s.cur.cancel()
	return true
}

// pass runs one pass through books.Sync, which also joins a pass started
// elsewhere in the process (a command, the window), and publishes it.
func (s *Service) pass(ctx context.Context, trigger events.Trigger) (syncer.Result, error) {
	clk := s.opt.Clock
	s.publish(events.SyncStarted{Base: s.base(), Trigger: trigger})
	began := clk.Now()
	first := false
	if st, err := s.books.SyncState(s.id); err == nil {
		first = st.LastSuccess.IsZero()
	}
	res, err := s.books.Sync(ctx, s.id, func(p syncer.Progress) {
		s.publish(events.SyncProgress{Base: s.base(), Pages: p.Page, PagesExpected: p.Pages, Orders: p.Orders})
	})
	if err != nil {
		if ctx.Err() != nil {
			return res, err // stopping: not a failure worth telling anyone
		}
		s.opt.Log.Warn("sync failed", "shop", s.id, "trigger", trigger, "err", err)
		s.publish(events.SyncFailed{Base: s.base(), Err: err})
		return res, err
	}
	if sh, err := s.books.Shop(s.id); err == nil && sh.SyncMode == ledger.SyncWebhook {
		// Every pass reads all that changed since the cursor, so any
		// successful one is a catch-up: the next is due the next night.
		done := clk.Now().UTC()
		if err := s.books.UpdateSyncState(s.id, func(st *ledger.SyncState) { st.LastCatchUp = done }); err != nil {
			s.opt.Log.Error("note catch-up", "shop", s.id, "err", err)
		}
	}
	s.publish(events.SyncFinished{Base: s.base(), New: res.New, Updated: res.Updated, Unchanged: res.Unchanged,
		Requests: res.Requests, Took: clk.Now().Sub(began), First: first})
	return res, nil
}

func (s *Service) base() events.Base { return events.Base{Shop: s.id, At: s.opt.Clock.Now()} }

func (s *Service) publish(e events.Event) {
	if s.opt.Bus != nil {
		s.opt.Bus.Publish(e)
	}
}

// Status is a shop's schedule as the window and the tray show it.
type Status struct {
	Mode Mode
	// Running is set while a pass is under way.
	Running bool
	// Next is when the next scheduled pass is due; zero or past: now.
	Next time.Time
	// Failures counts the passes that failed in a row.
	Failures int
	// Fallback says why a webhook shop is polled for now.
	Fallback string
	// Note says what of the shop's schedule settings was adjusted.
	Note string
}

// Status reports the shop's schedule.
func (s *Service) Status() (Status, error) {
	sh, err := s.books.Shop(s.id)
	if err != nil {
		return Status{}, err
	}
	st, err := s.books.SyncState(s.id)
	if err != nil {
		return Status{}, err
	}
	s.mu.Lock()
	m := s.mem
	s.mu.Unlock()
	return Status{Mode: ModeOf(sh, st), Running: m.running, Next: nextPass(s.opt.Clock.Now().Location(), sh, st, m),
		Failures: m.failures, Fallback: st.Fallback, Note: scheduleNote(sh)}, nil
}

// scheduleNote says what PollInterval and CatchUpAt changed of the shop's
// settings.
func scheduleNote(sh ledger.Shop) string {
	_, n1 := PollInterval(sh)
	_, _, n2 := CatchUpAt(sh)
	return strings.TrimSpace(n1 + " " + n2)
}
