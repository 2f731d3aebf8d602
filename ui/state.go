package ui

import "codeberg.org/shopledger/shopledger/core/ledger"

// The window's state machines: each is one typed state with named states
// and the transitions between them, rather than a set of booleans whose
// combinations have to be kept consistent by hand. All run on the UI
// goroutine.

// syncState is where "Sync now" stands, and which passes' ends the status
// line still tells of when none runs.
type syncState struct {
	phase syncPhase
	// summed are the shops whose passes the window had heard begin and
	// not end when "Sync now" summed up. The engine publishes a pass's end
	// before Sync now returns, but the window gets the two by separate
	// paths (the event stream, the bridge's Load), so a pass's last
	// progress and its end can arrive after the summary, which counts it
	// already: they must not replace it with one shop's news.
	summed map[ledger.ShopID]bool
}

// syncPhase is the step "Sync now" is at.
type syncPhase uint8

const (
	// syncNever: no sync finished this session (or the language changed
	// since); the status line shows the stored outcome of earlier ones.
	syncNever syncPhase = iota
	// syncDone: a sync finished this session; the status line shows it.
	syncDone
	// syncRunning: a "Sync now" runs.
	syncRunning
	// syncQueued: it runs, and was asked for again meanwhile (a shop was
	// added): one more pass follows, since the running one does not know
	// the new shop.
	syncQueued
	// syncCancelling: it runs, and Cancel was pressed; nothing follows.
	syncCancelling
)

// running tells whether a "Sync now" is under way.
func (s *syncState) running() bool { return s.phase >= syncRunning }

// done tells whether the status line shows a sync of this session.
func (s *syncState) done() bool { return s.phase == syncDone }

// request asks for a sync; it reports whether one should start now.
func (s *syncState) request() (start bool) {
	switch s.phase {
	case syncNever, syncDone:
		s.phase = syncRunning
		return true
	case syncRunning:
		s.phase = syncQueued
	}
	return false
}

// cancel stops the sync under way; it reports whether one was.
func (s *syncState) cancel() bool {
	if s.phase == syncRunning || s.phase == syncQueued {
		s.phase = syncCancelling
		return true
	}
	return false
}

// finish ends the sync under way, whose sentence sums up the passes of
// the shops open, as the window has heard of them so far: cancelled tells
// whether Cancel stopped it, again whether another was asked for meanwhile.
func (s *syncState) finish(open []ledger.ShopID) (cancelled, again bool) {
	cancelled, again = s.phase == syncCancelling, s.phase == syncQueued
	s.phase = syncDone
	s.summed = make(map[ledger.ShopID]bool, len(open))
	for _, id := range open {
		s.summed[id] = true
	}
	return cancelled, again
}

// passStarted notes that a shop's pass began: one the summary cannot
// count, since its earlier pass has ended.
func (s *syncState) passStarted(shop ledger.ShopID) { delete(s.summed, shop) }

// tells reports whether the status line tells of a shop's pass under way:
// not of one "Sync now" has summed up already.
func (s *syncState) tells(shop ledger.ShopID) bool { return !s.summed[shop] }

// passEnded notes that a shop's pass ended; it reports whether the status
// line should say so, which it does when no "Sync now" runs (that one sums
// up every shop when it ends) and the pass is not one it summed up.
func (s *syncState) passEnded(shop ledger.ShopID) bool {
	if s.summed[shop] {
		delete(s.summed, shop)
		return false
	}
	if s.running() {
		return false
	}
	s.phase = syncDone
	return true
}

// forget makes the status line show the stored outcome again at the next
// reload (its sentence was in another language).
func (s *syncState) forget() {
	if s.phase == syncDone {
		s.phase = syncNever
	}
}

// indexState is where the search index stands: read or not, and whether
// a read of it runs.
type indexState uint8

const (
	// indexUnread: never read; a search waits for it.
	indexUnread indexState = iota
	// indexReading: the first read runs.
	indexReading
	// indexReadingQueued: it runs, and another was asked for meanwhile.
	indexReadingQueued
	// indexRead: read; searches use it.
	indexRead
	// indexRereading: read, and a new read runs; searches use the old one.
	indexRereading
	// indexRereadingQueued: that, and another was asked for meanwhile.
	indexRereadingQueued
)

// ready tells whether the index has been read and can answer searches.
func (s indexState) ready() bool { return s >= indexRead }

// request asks for a read; it reports whether one should start now.
func (s *indexState) request() (start bool) {
	switch *s {
	case indexUnread:
		*s = indexReading
		return true
	case indexRead:
		*s = indexRereading
		return true
	case indexReading:
		*s = indexReadingQueued
	case indexRereading:
		*s = indexRereadingQueued
	}
	return false
}

// finish ends the read under way; ok tells whether it succeeded. again
// tells whether to read once more, as was asked meanwhile; after a failure
// the next change asks again anyway.
func (s *indexState) finish(ok bool) (again bool) {
	queued := *s == indexReadingQueued || *s == indexRereadingQueued
	switch {
	case ok, *s == indexRereading, *s == indexRereadingQueued:
		*s = indexRead // a failed re-read keeps the earlier index
	default:
		*s = indexUnread
	}
	return ok && queued
}

// demoState is where "Try with a demo shop" stands.
type demoState uint8

const (
	demoIdle     demoState = iota // not pressed, or done
	demoStarting                  // pressed; the demo shop starts
)
