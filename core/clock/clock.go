// Package clock lets schedulers ask for the time and wait through an
// interface, so tests drive them with a fake clock they advance by hand
// instead of sleeping.
//
// The interface separates the two clocks a computer has, because a
// scheduler that lives in the tray needs both: the wall clock says when
// "02:00" is, and timers measure elapsed time on the monotonic clock, which
// on Linux and macOS stands still while the computer sleeps. A timer that
// fires far later by the wall clock than it was set for is how a suspend
// shows itself (see Fake.Suspend).
package clock

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// Clock tells the time and makes timers.
type Clock interface {
	// Now is the wall-clock time, in the location schedules are read in
	// (time.Local for System).
	Now() time.Time
	// NewTimer fires once on C after d of elapsed (monotonic) time; d <= 0
	// fires at once.
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer, like *time.Timer.
type Timer interface {
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it did.
	Stop() bool
}

// System is the computer's clock.
var System Clock = systemClock{}

type systemClock struct{}

func (systemClock) Now() time.Time                 { return time.Now() }
func (systemClock) NewTimer(d time.Duration) Timer { return systemTimer{time.NewTimer(d)} }

type systemTimer struct{ t *time.Timer }

func (t systemTimer) C() <-chan time.Time { return t.t.C }
func (t systemTimer) Stop() bool          { return t.t.Stop() }

// Fake is a clock that moves only when told to. Its wall clock and its
// monotonic clock advance together (Advance) or the wall clock alone
// (Suspend, Set), so tests can play a night, a suspend or a clock change.
// It is safe for concurrent use.
type Fake struct {
	mu      sync.Mutex
	wall    time.Time
	mono    time.Duration // elapsed since NewFake
	timers  []*fakeTimer  // armed, by deadline
	changed chan struct{} // closed and replaced whenever timers change
}

// NewFake returns a fake clock showing start, in start's location.
func NewFake(start time.Time) *Fake {
	return &Fake{wall: start.Round(0), changed: make(chan struct{})}
}

// Now returns the fake wall-clock time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.wall
}

// NewTimer arms a timer that fires when the fake monotonic clock has
// advanced by d.
func (f *Fake) NewTimer(d time.Duration) Timer {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := &fakeTimer{f: f, c: make(chan time.Time, 1), deadline: f.mono + d}
	if d <= 0 {
		t.c <- f.wall
		return t
	}
	f.timers = append(f.timers, t)
	f.sortLocked()
	f.notifyLocked()
	return t
}

// Advance moves both clocks forward by d, firing the timers that fall due
// in deadline order, each with the time at its deadline. It does not wait
// for anyone to react to them.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	end := f.mono + d
	for len(f.timers) > 0 && f.timers[0].deadline <= end {
		t := f.timers[0]
		f.timers = f.timers[1:]
		f.wall = f.wall.Add(t.deadline - f.mono)
		f.mono = t.deadline
		t.c <- f.wall // buffered and fired once: never blocks
	}
	f.wall = f.wall.Add(end - f.mono)
	f.mono = end
	f.notifyLocked()
}

// AdvanceTo advances both clocks until the wall clock shows t (no-op if it
// already does or is past it).
func (f *Fake) AdvanceTo(t time.Time) {
	f.Advance(t.Sub(f.Now()))
}

// Suspend plays a computer asleep for d: the wall clock jumps ahead, the
// monotonic clock and so every timer stand still, as on Linux and macOS.
// Timers fire late, at the next Advance.
func (f *Fake) Suspend(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wall = f.wall.Add(d)
}

// Set sets the wall clock alone, as a user or NTP changing the time would.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wall = t.Round(0)
}

// Timers returns how many timers are armed.
func (f *Fake) Timers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.timers)
}

// WaitTimers blocks until at least n timers are armed, that is until the
// goroutines under test have settled down to wait, or ctx is done.
func (f *Fake) WaitTimers(ctx context.Context, n int) error {
	for {
		f.mu.Lock()
		armed, changed := len(f.timers), f.changed
		f.mu.Unlock()
		if armed >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Next returns the earliest armed timer's deadline on the wall clock as it
// stands now (a suspend moves it), and whether any timer is armed.
func (f *Fake) Next() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.timers) == 0 {
		return time.Time{}, false
	}
	return f.wall.Add(f.timers[0].deadline - f.mono), true
}

func (f *Fake) sortLocked() {
	slices.SortStableFunc(f.timers, func(a, b *fakeTimer) int { return cmp.Compare(a.deadline, b.deadline) })
}

func (f *Fake) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

type fakeTimer struct {
	f        *Fake
	c        chan time.Time
	deadline time.Duration
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	f := t.f
	f.mu.Lock()
	defer f.mu.Unlock()
	i := slices.Index(f.timers, t)
	if i < 0 {
		return false
	}
	f.timers = slices.Delete(f.timers, i, i+1)
	f.notifyLocked()
	return true
}
