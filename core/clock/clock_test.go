package clock

import (
	"context"
	"testing"
	"time"
)

func fired(t Timer) (time.Time, bool) {
	select {
	case v := <-t.C():
		return v, true
	default:
		return time.Time{}, false
	}
}

func TestFakeAdvanceFiresInOrder(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 21, 0, 0, 0, time.UTC)
	f := NewFake(t0)
	late, early, never := f.NewTimer(2*time.Hour), f.NewTimer(time.Minute), f.NewTimer(3*time.Hour)
	if f.Timers() != 3 {
		t.Fatalf("%d timers armed", f.Timers())
	}
	if !never.Stop() || never.Stop() {
		t.Error("Stop of an armed timer, then again")
	}
	f.Advance(2 * time.Hour)
	if v, ok := fired(early); !ok || !v.Equal(t0.Add(time.Minute)) {
		t.Errorf("early timer: %v, %v; want it at its deadline", v, ok)
	}
	if v, ok := fired(late); !ok || !v.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("late timer: %v, %v", v, ok)
	}
	if _, ok := fired(never); ok || f.Timers() != 0 {
		t.Error("a stopped timer fired")
	}
	if now := f.Now(); !now.Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("now %s", now)
	}
	if _, ok := fired(f.NewTimer(0)); !ok {
		t.Error("a timer of 0 does not fire at once")
	}
}

// TestFakeSuspend: while "asleep" the wall clock moves and timers stand
// still; they fire late, showing the jump.
func TestFakeSuspend(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 21, 0, 0, 0, time.UTC)
	f := NewFake(t0)
	tm := f.NewTimer(time.Minute)
	f.Suspend(8 * time.Hour)
	if _, ok := fired(tm); ok {
		t.Fatal("fired during the suspend")
	}
	if next, _ := f.Next(); !next.Equal(t0.Add(8*time.Hour + time.Minute)) {
		t.Errorf("next deadline %s", next)
	}
	f.Advance(time.Minute)
	if v, ok := fired(tm); !ok || !v.Equal(t0.Add(8*time.Hour+time.Minute)) {
		t.Errorf("after waking: %v, %v", v, ok)
	}
	f.Set(t0)
	if !f.Now().Equal(t0) {
		t.Error("Set")
	}
}

func TestFakeWaitTimers(t *testing.T) {
	f := NewFake(time.Unix(0, 0))
	go func() { f.NewTimer(time.Second); f.NewTimer(time.Second) }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.WaitTimers(ctx, 2); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if err := f.WaitTimers(ctx, 3); err == nil {
		t.Error("WaitTimers returned without the timers or an error")
	}
}
