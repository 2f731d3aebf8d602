package events

// RefundBackfill: the one-time refund backfill of a shop made progress:
// Scanned of Total stored orders looked at, Fetched refund lists fetched.
// Done comes once, at the end; Err when it stopped (it goes on from where
// it stopped next time).
type RefundBackfill struct {
	Base
	Scanned, Total, Fetched int
	Done                    bool
	Err                     error
}

// RefundsFetched: an order's refunds were fetched with their detail
// outside a pass (after a webhook delivery).
type RefundsFetched struct {
	Base
	OrderID int64
}

func (RefundBackfill) event() {}
func (RefundsFetched) event() {}
