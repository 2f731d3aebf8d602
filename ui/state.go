package ui

// The window's state machines: each is one typed state with named states
// and the transitions between them, rather than a set of booleans whose
// combinations have to be kept consistent by hand. All run on the UI
// goroutine.

// syncState is where "Sync now" stands, and what the status line shows
// when none runs.
type syncState uint8

const (
	// syncNever: no sync finished this session (or the language changed
	// since); the status line shows the stored outcome of earlier ones.
	syncNever syncState = iota
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
func (s syncState) running() bool { return s >= syncRunning }

// request asks for a sync; it reports whether one should start now.
func (s *syncState) request() (start bool) {
	switch *s {
	case syncNever, syncDone:
		*s = syncRunning
		return true
	case syncRunning:
		*s = syncQueued
	}
	return false
}

// cancel stops the sync under way; it reports whether one was.
func (s *syncState) cancel() bool {
	if *s == syncRunning || *s == syncQueued {
		*s = syncCancelling
		return true
	}
	return false
}

// finish ends the sync under way: cancelled tells whether Cancel stopped
// it, again whether another was asked for meanwhile.
func (s *syncState) finish() (cancelled, again bool) {
	cancelled, again = *s == syncCancelling, *s == syncQueued
	*s = syncDone
	return cancelled, again
}

// passEnded notes that an automatic pass ended; it reports whether the
// status line should say so, which it does when no "Sync now" runs (that
// one sums up every shop when it ends).
func (s *syncState) passEnded() bool {
	if s.running() {
		return false
	}
	*s = syncDone
	return true
}

// forget makes the status line show the stored outcome again at the next
// reload (its sentence was in another language).
func (s *syncState) forget() {
	if *s == syncDone {
		*s = syncNever
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
