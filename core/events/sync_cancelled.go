package events

// SyncCancelled: the user stopped a pass under way. What it committed
// stays (New and Updated count it); the next pass resumes from there.
type SyncCancelled struct {
	Base
	New, Updated int
}

func (SyncCancelled) event() {}
