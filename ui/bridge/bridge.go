// Package bridge is the one place where work leaves Fyne's goroutine and
// where its results come back: core calls run through Background or Load,
// and every widget change they cause goes through Do, that is fyne.Do.
// Every screen of ShopLedger uses it; nothing else under ui/ starts a
// goroutine for the UI or calls fyne.Do (ui/internal/rules checks).
package bridge

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// Bridge runs one window's background work and brings its results back to
// the UI goroutine. Its zero value is not usable; make one with New.
type Bridge struct {
	// run starts background work. It is `go f()` in the app; tests replace
	// it with a queue they drain on the test goroutine, so every run is
	// deterministic and the race detector sees no sleeps.
	run func(func())
	ctx context.Context
	// manual is set when tests supply run: then delays (later) run at
	// once through run, and streams are received by the test calling pump
	// on its goroutine instead of by a goroutine of their own.
	manual bool

	wg      sync.WaitGroup
	stopped atomic.Bool

	mu     sync.Mutex
	pumps  []func() int // manual streams; each delivers what has arrived
	ends   []func()     // manual streams' ends, run by stop
	timers map[*time.Timer]struct{}
}

// New returns a bridge whose work runs under ctx. run starts background
// work; nil means a goroutine per job. Tests pass a queue they drain on
// the test goroutine, which also makes Later run at once and streams wait
// for Pump.
func New(ctx context.Context, run func(func())) *Bridge {
	b := &Bridge{run: run, ctx: ctx, manual: run != nil, timers: map[*time.Timer]struct{}{}}
	if run == nil {
		b.run = func(f func()) { go f() }
	}
	return b
}

// Background runs work off the UI goroutine. Widgets must not be touched
// from it except through do.
func (b *Bridge) Background(work func(ctx context.Context)) {
	b.wg.Add(1)
	b.run(func() {
		defer b.wg.Done()
		work(b.ctx)
	})
}

// Do applies fn on the UI goroutine. Once the app has stopped, updates are
// dropped: the windows they would change are gone.
func (b *Bridge) Do(fn func()) {
	if b.stopped.Load() {
		return
	}
	fyne.Do(fn)
}

// Stop drops later updates and waits for background work to end; the
// caller cancels the context first so that long work ends soon.
func (b *Bridge) Stop() {
	b.stopped.Store(true)
	b.mu.Lock()
	for t := range b.timers {
		if t.Stop() {
			b.wg.Done() // its function will not run
		}
	}
	b.timers = map[*time.Timer]struct{}{}
	ends := b.ends
	b.pumps, b.ends = nil, nil
	b.mu.Unlock()
	for _, end := range ends {
		end()
	}
	b.wg.Wait()
}

// Later applies fn on the UI goroutine after d; it is how updates are
// spaced out and bursts coalesced. In tests it runs fn through run, at
// once, so they see the coalesced outcome without waiting.
func (b *Bridge) Later(d time.Duration, fn func()) {
	if b.stopped.Load() {
		return
	}
	if b.manual {
		b.Background(func(context.Context) { b.Do(fn) })
		return
	}
	b.wg.Add(1)
	b.mu.Lock()
	defer b.mu.Unlock()
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		defer b.wg.Done()
		b.mu.Lock()
		delete(b.timers, t)
		b.mu.Unlock()
		b.Do(fn)
	})
	b.timers[t] = struct{}{}
}

// Stream applies each value received on c on the UI goroutine, in order,
// until c is closed or the bridge stops; then end runs (off the UI
// goroutine), e.g. to close a subscription. In tests Pump receives.
func Stream[T any](b *Bridge, c <-chan T, apply func(T), end func()) {
	if b.manual {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.ends = append(b.ends, end)
		b.pumps = append(b.pumps, func() int {
			n := 0
			for {
				select {
				case v, ok := <-c:
					if !ok {
						return n
					}
					b.Do(func() { apply(v) })
					n++
				default:
					return n
				}
			}
		})
		return
	}
	b.Background(func(ctx context.Context) {
		defer end()
		for {
			select {
			case <-ctx.Done():
				return
			case v, ok := <-c:
				if !ok {
					return
				}
				b.Do(func() { apply(v) })
			}
		}
	})
}

// Pump delivers, on the caller's goroutine, what the streams have
// received so far, and returns how many values that was. Only tests call
// it (manual bridges).
func (b *Bridge) Pump() int {
	b.mu.Lock()
	pumps := append([]func() int(nil), b.pumps...)
	b.mu.Unlock()
	n := 0
	for _, p := range pumps {
		n += p()
	}
	return n
}

// Load runs fetch off the UI goroutine and hands its outcome to apply on it.
// It is how views read the core: one fetch, one widget update. In tests
// (a manual bridge) the events streams received while fetch ran are
// delivered first, as the core published them before fetch returned.
func Load[T any](b *Bridge, fetch func(ctx context.Context) (T, error), apply func(T, error)) {
	b.Background(func(ctx context.Context) {
		v, err := fetch(ctx)
		if b.manual {
			b.Pump()
		}
		b.Do(func() { apply(v, err) })
	})
}

// Progress turns a core progress callback, called on the core's goroutine,
// into widget updates on the UI goroutine.
func Progress[P any](b *Bridge, apply func(P)) func(P) {
	return func(p P) { b.Do(func() { apply(p) }) }
}

// Context is the bridge's context: it ends when the window stops, and
// work started for it should end then too.
func (b *Bridge) Context() context.Context { return b.ctx }
