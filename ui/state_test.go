package ui

import (
	"testing"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// TestSyncState walks "Sync now" through its states: a request while one
// runs queues one more pass, Cancel drops it, an automatic pass only sets
// the status line when no "Sync now" runs, and a language change forgets
// the session's sentence.
func TestSyncState(t *testing.T) {
	var s syncState
	if s.running() || !s.request() || s.phase != syncRunning {
		t.Fatalf("first request: %v", s.phase)
	}
	if s.request() || s.phase != syncQueued || s.passEnded(1) {
		t.Fatalf("request while running: %v", s.phase)
	}
	if c, again := s.finish(nil); c || !again || s.phase != syncDone {
		t.Fatalf("finish after a queued request: cancelled %v, again %v, %v", c, again, s.phase)
	}
	if !s.request() || !s.cancel() || s.request() || s.phase != syncCancelling {
		t.Fatalf("cancel: %v", s.phase)
	}
	if c, again := s.finish(nil); !c || again || s.phase != syncDone {
		t.Fatalf("finish after cancel: cancelled %v, again %v", c, again)
	}
	if s.cancel() {
		t.Error("cancel with nothing running")
	}
	s.forget()
	if s.phase != syncNever || !s.passEnded(1) || !s.done() {
		t.Errorf("an automatic pass after forget: %v", s.phase)
	}
	s.phase = syncRunning
	s.forget()
	if s.phase != syncRunning {
		t.Errorf("forget while running: %v", s.phase)
	}
}

// TestSyncStateSummedPasses: the passes still open when "Sync now" sums
// up are in its sentence; their events that arrive after it do not tell of
// them again, once each. A shop's next pass does.
func TestSyncStateSummedPasses(t *testing.T) {
	var s syncState
	s.request()
	s.finish([]ledger.ShopID{1, 2})
	if s.tells(1) || s.tells(2) || !s.tells(3) {
		t.Fatal("the summed passes' progress tells, or another's does not")
	}
	if s.passEnded(1) || !s.passEnded(1) {
		t.Error("shop 1: its summed pass's end should be kept quiet once, the next told")
	}
	s.passStarted(2)
	if !s.tells(2) || !s.passEnded(2) {
		t.Error("shop 2: a pass that began after the summary should tell")
	}
	if !s.passEnded(3) {
		t.Error("shop 3: never summed, its pass should tell")
	}
	s.request()
	s.finish(nil)
	if !s.tells(1) || !s.tells(2) {
		t.Error("a later Sync now that found no pass open left summed shops")
	}
}

// TestIndexState: reads of the index never overlap; one asked for during
// a read follows it once it succeeds; a failed first read leaves the index
// unread, a failed re-read keeps the earlier one.
func TestIndexState(t *testing.T) {
	for _, c := range []struct {
		name      string
		from      indexState
		start     bool
		after     indexState
		ok        bool
		again     bool
		finished  indexState
		readyThen bool
	}{
		{"first read", indexUnread, true, indexReading, true, false, indexRead, true},
		{"first read fails", indexUnread, true, indexReading, false, false, indexUnread, false},
		{"asked during the first read", indexReading, false, indexReadingQueued, true, true, indexRead, true},
		{"asked during a failing first read", indexReading, false, indexReadingQueued, false, false, indexUnread, false},
		{"re-read", indexRead, true, indexRereading, true, false, indexRead, true},
		{"re-read fails", indexRead, true, indexRereading, false, false, indexRead, true},
		{"asked during a re-read", indexRereadingQueued, false, indexRereadingQueued, true, true, indexRead, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := c.from
			if start := s.request(); start != c.start || s != c.after {
				t.Fatalf("request: start %v, state %v; want %v, %v", start, s, c.start, c.after)
			}
			if again := s.finish(c.ok); again != c.again || s != c.finished || s.ready() != c.readyThen {
				t.Errorf("finish(%v): again %v, state %v, ready %v", c.ok, again, s, s.ready())
			}
		})
	}
}
