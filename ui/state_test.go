package ui

import "testing"

// TestSyncState walks "Sync now" through its states: a request while one
// runs queues one more pass, Cancel drops it, an automatic pass only sets
// the status line when no "Sync now" runs, and a language change forgets
// the session's sentence.
func TestSyncState(t *testing.T) {
	var s syncState
	if s.running() || !s.request() || s != syncRunning {
		t.Fatalf("first request: %v", s)
	}
	if s.request() || s != syncQueued || s.passEnded() {
		t.Fatalf("request while running: %v", s)
	}
	if c, again := s.finish(); c || !again || s != syncDone {
		t.Fatalf("finish after a queued request: cancelled %v, again %v, %v", c, again, s)
	}
	if !s.request() || !s.cancel() || s.request() || s != syncCancelling {
		t.Fatalf("cancel: %v", s)
	}
	if c, again := s.finish(); !c || again || s != syncDone {
		t.Fatalf("finish after cancel: cancelled %v, again %v", c, again)
	}
	if s.cancel() {
		t.Error("cancel with nothing running")
	}
	s.forget()
	if s != syncNever || !s.passEnded() || s != syncDone {
		t.Errorf("an automatic pass after forget: %v", s)
	}
	s = syncRunning
	s.forget()
	if s != syncRunning {
		t.Errorf("forget while running: %v", s)
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
