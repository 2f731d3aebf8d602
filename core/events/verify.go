package events

// The verification pass (core/verify): a comparison of every order with
// the shop that finds changes WooCommerce did not announce.

// VerifyStarted: a verification pass began; Resumed when it goes on from
// where a stopped one was.
type VerifyStarted struct {
	Base
	Resumed bool
}

// VerifyProgress: a page of summaries was compared and what differed on
// it applied.
type VerifyProgress struct {
	Base
	Pages, PagesExpected int
	Compared, Differed   int
}

// VerifyFinished: a pass completed. Gone lists stored orders the shop no
// longer lists (deleted or in the trash); they are kept, not deleted.
type VerifyFinished struct {
	Base
	Compared, Differed int
	New, Updated       int
	Gone               []int64
	Requests           int
	Summary            string // "3 orders differed and were updated"
}

// VerifyFailed: a pass stopped with an error (typed, as in SyncFailed) or
// was cancelled; what it applied stays and the next pass resumes.
type VerifyFailed struct {
	Base
	Err error
}

func (VerifyStarted) event()  {}
func (VerifyProgress) event() {}
func (VerifyFinished) event() {}
func (VerifyFailed) event()   {}
