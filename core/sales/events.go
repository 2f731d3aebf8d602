package sales

import (
	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Counted reports whether WooCommerce's sales report counts an order of
// this status: completed, processing, on-hold and refunded. A deleted
// (trashed) order is not counted, as the shop no longer counts it.
func Counted(s ledger.Status) bool {
	switch s {
	case ledger.StatusCompleted, ledger.StatusProcessing, ledger.StatusOnHold, ledger.StatusRefunded:
		return true
	}
	return false
}

// Basis is a shop's books basis, with its default.
func Basis(b ledger.BooksBasis) ledger.BooksBasis {
	switch b {
	case ledger.BasisPaid, ledger.BasisCompleted:
		return b
	}
	return ledger.BasisCreated
}

// Kind is what an event books.
type Kind uint8

const (
	// KindSale is a counted order on its basis date.
	KindSale Kind = iota + 1
	// KindRefund is one refund of an order that is not fully refunded, on
	// the refund's date: its own amount, tax and shipping.
	KindRefund
	// KindFullRefund is an order whose status is refunded: WooCommerce's
	// report counts it as one refund of the order's own totals, on the date
	// of its refunds. ShopLedger takes the latest refund's date, so a month
	// that holds an earlier partial refund of the order does not count the
	// whole order as refunded a second time (WooCommerce's report would).
	KindFullRefund
)

// Event is a record's contribution to one day.
type Event struct {
	Day    Day
	Kind   Kind
	Refund *Refund // KindRefund
}

// Events appends to dst what the record contributes to the books, under a
// shop's basis and time zone.
func (r *Record) Events(dst []Event, basis ledger.BooksBasis, z *Zone) []Event {
	if r.Deleted || !Counted(r.Status) {
		return dst
	}
	var at int64
	switch Basis(basis) {
	case ledger.BasisPaid:
		at = r.Paid
	case ledger.BasisCompleted:
		at = r.Completed
	default:
		at = r.Created
	}
	if at != 0 {
		dst = append(dst, Event{Day: z.Day(at), Kind: KindSale})
	}
	if len(r.Refunds) == 0 {
		return dst
	}
	if r.Status == ledger.StatusRefunded {
		var latest int64
		for i := range r.Refunds {
			latest = max(latest, r.Refunds[i].Date)
		}
		if latest == 0 { // no refund detail yet: the order's last change is the best guess
			latest = r.Modified
		}
		return append(dst, Event{Day: z.Day(latest), Kind: KindFullRefund})
	}
	for i := range r.Refunds {
		f := &r.Refunds[i]
		at := f.Date
		if at == 0 {
			at = r.Modified
		}
		dst = append(dst, Event{Day: z.Day(at), Kind: KindRefund, Refund: f})
	}
	return dst
}
