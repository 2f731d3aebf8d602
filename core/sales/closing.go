package sales

import (
	"bytes"
	"encoding/binary"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Closing is how far a shop's books are closed, with every close and
// reopen that led there.
type Closing struct {
	Shop ledger.ShopID `json:"shop"`
	// Through is the last closed day; zero when nothing is closed.
	Through Day            `json:"through,omitzero"`
	History []ClosingEvent `json:"history,omitempty"`
}

// ClosingEvent is one close or reopen.
type ClosingEvent struct {
	Action  string    `json:"action"` // "close" or "reopen"
	Through Day       `json:"through,omitzero"`
	At      time.Time `json:"at"`
	By      string    `json:"by,omitempty"`
}

// The closing actions.
const (
	ActionClose  = "close"
	ActionReopen = "reopen"
)

// Closed reports whether day d is closed.
func (c *Closing) Closed(d Day) bool { return c.Through != 0 && d <= c.Through }

// Change is an order that changed, after its shop's books were closed, in
// what it books on a closed day: a status moving in or out of the counted
// set, a total, a refund dated in the closed period, a reassigned
// warehouse. The closed journal keeps Before; the difference is booked on
// BookOn, the first day that was open when the change arrived.
type Change struct {
	Seq     uint64        `json:"seq"`
	Shop    ledger.ShopID `json:"shop"`
	Order   int64         `json:"order"`
	Arrived time.Time     `json:"arrived"`
	// ClosedThrough is the shop's closing when the change arrived.
	ClosedThrough Day `json:"closed_through"`
	BookOn        Day `json:"book_on"`
	// Before is nil for an order first seen after the closing.
	Before *Record `json:"before"`
	After  Record  `json:"after"`
}

// ClosedPartChanged reports whether what after books on days through
// "through" differs from what before books there (before nil: a new
// order), under a shop's basis and time zone.
func ClosedPartChanged(before, after *Record, basis ledger.BooksBasis, loc *time.Location, through Day) bool {
	z := NewZone(loc)
	var b []byte
	if before != nil {
		b = before.closedPart(nil, basis, z, through)
	}
	return !bytes.Equal(b, after.closedPart(nil, basis, z, through))
}

// closedPart appends a canonical form of everything r books on days
// through "through": each such event's day and figures, and the fields
// every line carries.
func (r *Record) closedPart(dst []byte, basis ledger.BooksBasis, z *Zone, through Day) []byte {
	var events [8]Event
	n := 0
	for _, e := range r.Events(events[:0], basis, z) {
		if e.Day > through {
			continue
		}
		n++
		dst = binary.AppendVarint(dst, int64(e.Day))
		dst = append(dst, byte(e.Kind))
		switch e.Kind {
		case KindSale, KindFullRefund:
			c := *r
			c.Refunds, c.Status, c.Modified, c.Paid, c.Completed, c.Created = nil, "", 0, 0, 0, 0
			c.MethodTitle = ""
			dst = c.Append(dst)
		case KindRefund:
			f := *e.Refund
			f.Date = 0
			dst = (&Record{Refunds: []Refund{f}}).Append(dst)
		}
	}
	if n > 0 {
		dst = appendString(dst, r.Currency)
		dst = appendString(dst, r.Method)
		dst = binary.AppendUvarint(dst, uint64(r.Warehouse))
		dst = binary.AppendUvarint(dst, uint64(r.CostCenter))
	}
	return dst
}

// MarshalText writes the day as "2026-10-31".
func (d Day) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2026-10-31".
func (d *Day) UnmarshalText(b []byte) error {
	v, err := ParseDay(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
