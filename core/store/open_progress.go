package store

// OpenStep is a long step of opening the books, which a window shows with
// a progress bar.
type OpenStep int

const (
	// StepSales builds every order's sales record: books made by an
	// older version, or records of another layout.
	StepSales OpenStep = iota + 1
	// StepCompact copies the file compacted, rewriting values of an older
	// format (see compactIfGrown).
	StepCompact
)

// OpenProgress is how far a long step of opening has come: Done of Total
// records (orders for StepSales, keys of every bucket for StepCompact).
type OpenProgress struct {
	Step        OpenStep
	Done, Total int64
}

// progressEvery is how many records pass between two reports.
const progressEvery = 4096

// OpenWithProgress is Open, telling progress, on Open's goroutine, how far
// its long steps have come: every few thousand records and once when a
// step ends (Done == Total). Counting the records first reads every page
// of the file once, which the step itself reads next; without progress
// nothing is counted.
func OpenWithProgress(path string, progress func(OpenProgress)) (*Store, error) {
	return open(path, progress)
}

// counter reports a step's progress; its zero value reports nothing.
type counter struct {
	step        OpenStep
	done, total int64
	report      func(OpenProgress)
}

// add counts n records, reporting every progressEvery.
func (c *counter) add(n int64) {
	if c.report == nil {
		return
	}
	before := c.done / progressEvery
	c.done += n
	if c.done/progressEvery != before {
		c.report(OpenProgress{Step: c.step, Done: min(c.done, c.total), Total: c.total})
	}
}

// end reports the step done.
func (c *counter) end() {
	if c.report != nil {
		c.report(OpenProgress{Step: c.step, Done: c.total, Total: c.total})
	}
}
