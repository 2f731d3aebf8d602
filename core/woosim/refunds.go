package woosim

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// RefundItemIDBase is where the ids of refunds' own order items start (and
// of their meta). WooCommerce draws them from the order items' sequence;
// the simulator gives refunds a range of their own, so that refunding an
// order does not shift the item ids of the orders generated after it.
const RefundItemIDBase = 100_000_000

// refundedByAdmin is the user id refunds carry in refunded_by: the shop's
// administrator.
const refundedByAdmin = 1

// RefundRequest describes a refund for AddRefund.
type RefundRequest struct {
	// At is the refund's date (now when zero). It may lie in the past, but
	// not before the order was created.
	At time.Time
	// Reason is the refund's reason ("" for none).
	Reason string
	// Items refunds order items by id: line items (Quantity of them, all
	// not refunded yet when 0), shipping lines and fee lines (in full).
	Items []RefundItem
	// All refunds every item not refunded yet, as the admin's "refund all"
	// does; with earlier amount-only refunds it may ask for more than is
	// left, which is refused.
	All bool
	// Amount, when there are no Items and not All, is an amount-only
	// refund ("5.00"), as "Refund manually" with only an amount makes.
	Amount string
}

// RefundItem is one order item a refund takes back.
type RefundItem struct {
	ID       int64 `json:"id"`
	Quantity int64 `json:"quantity,omitempty"`
}

// ErrBadRefund is returned for a refund WooCommerce would refuse.
var ErrBadRefund = errors.New("woosim: invalid refund")

// AddRefund refunds (part of) an order as WooCommerce's wc_create_refund()
// does: the refund gets the next refund id and its own date, the order's
// date_modified moves to now (or At, if later), and once everything is
// refunded the order's status becomes "refunded". Webhooks hear it as
// order.updated. It returns the refund's id.
func (s *Sim) AddRefund(orderID int64, req RefundRequest) (int64, error) {
	s.mu.Lock()
	o := s.orderLocked(orderID)
	if o == nil {
		s.mu.Unlock()
		return 0, fmt.Errorf("%w: %d", ErrNoOrder, orderID)
	}
	id, err := s.addRefundLocked(o, req)
	s.mu.Unlock()
	if err != nil {
		return 0, err
	}
	s.emit("order.updated", orderID)
	return id, nil
}

func (s *Sim) addRefundLocked(o *order, req RefundRequest) (int64, error) {
	now := s.clock()
	at := now
	if !req.At.IsZero() {
		at = req.At.Unix()
	}
	if at < o.created {
		return 0, fmt.Errorf("%w: order %d was created at %s, after the refund's date",
			ErrBadRefund, o.id, time.Unix(o.created, 0).UTC().Format(time.RFC3339))
	}
	if o.status == "trash" {
		return 0, fmt.Errorf("%w: order %d is in the trash", ErrBadRefund, o.id)
	}
	d := s.doc(o)
	left := o.total
	for _, rf := range o.refunds {
		left -= rf.Amount
	}
	rf := refund{Reason: req.Reason, Created: at}
	switch {
	case req.All || len(req.Items) > 0:
		lines, err := refundLinesFor(d, o.refunds, req)
		if err != nil {
			return 0, fmt.Errorf("%w: order %d: %v", ErrBadRefund, o.id, err)
		}
		rf.Lines = lines
		for _, l := range lines {
			rf.Amount += l.Total + l.Tax
		}
	default:
		a, err := parseMoney(req.Amount)
		if err != nil {
			return 0, fmt.Errorf("%w: amount %q: %v", ErrBadRefund, req.Amount, err)
		}
		rf.Amount = a
	}
	if rf.Amount <= 0 || rf.Amount > left {
		// wc_create_refund(): "Invalid refund amount."
		return 0, fmt.Errorf("%w: amount %s of order %d, which has %s left to refund", ErrBadRefund, rf.Amount, o.id, left)
	}
	id := s.appendRefundLocked(o, d, rf)
	s.touchLocked(o, max(now, at))
	if rf.Amount == left && o.status != string(ledger.StatusRefunded) {
		// wc_create_refund(): a fully refunded order becomes "refunded".
		o.status = string(ledger.StatusRefunded)
	}
	return id, nil
}

// appendRefundLocked gives rf its ids and adds it to o. s.mu must be held
// for writing (or s not yet shared).
func (s *Sim) appendRefundLocked(o *order, d *orderDoc, rf refund) int64 {
	rf.ID = s.nextRefund
	s.nextRefund++
	if len(rf.Lines) > 0 {
		rf.itemBase, rf.metaBase = s.nextRefundItem, s.nextRefundMeta
		s.nextRefundItem += int64(len(rf.Lines) + len(refundTaxes(d, &rf)))
		s.nextRefundMeta += int64(len(rf.Lines))
	}
	o.refunds = append(o.refunds, rf)
	return rf.ID
}

// refundLinesFor resolves a request's items against the order and what
// earlier refunds took back, in WooCommerce's item order: line items,
// fees, shipping.
func refundLinesFor(d *orderDoc, earlier []refund, req RefundRequest) ([]refundLine, error) {
	type key struct {
		kind  uint8
		index int32
	}
	doneQty := map[key]int64{}
	doneTotal := map[key][2]money{}
	for _, rf := range earlier {
		for _, l := range rf.Lines {
			k := key{l.Kind, l.Index}
			doneQty[k] += l.Qty
			t := doneTotal[k]
			doneTotal[k] = [2]money{t[0] + l.Total, t[1] + l.Tax}
		}
	}
	var out []refundLine
	add := func(kind uint8, i int, qty int64) error {
		k := key{kind, int32(i)}
		if slices.ContainsFunc(out, func(l refundLine) bool { return l.Kind == kind && l.Index == int32(i) }) {
			return errors.New("an item is refunded twice")
		}
		var total, tax money
		var full, itemID int64 = 1, 0
		switch kind {
		case itemLine:
			total, tax, full, itemID = d.Lines[i].Total, d.Lines[i].TotalTax, d.Lines[i].Quantity, d.Lines[i].ID
		case itemFee:
			total, tax, itemID = d.Fees[i].Total, d.Fees[i].TotalTax, d.Fees[i].ID
		case itemShipping:
			total, tax, itemID = d.Ships[i].Total, d.Ships[i].TotalTax, d.Ships[i].ID
		}
		left := full - doneQty[k]
		if kind != itemLine {
			qty = 1
		}
		if qty == 0 {
			qty = left
		}
		if qty <= 0 || qty > left {
			if req.All {
				return nil
			}
			return fmt.Errorf("item %d has %d left to refund, not %d", itemID, left, qty)
		}
		l := refundLine{Kind: kind, Index: int32(i), Qty: qty}
		if qty == left {
			// The last of the line: what earlier refunds left, so that
			// the refunds add up to the line to the cent.
			l.Total, l.Tax = total-doneTotal[k][0], tax-doneTotal[k][1]
		} else {
			l.Total, l.Tax = ratio(total, qty, full), ratio(tax, qty, full)
		}
		if l.Total == 0 && l.Tax == 0 {
			return nil
		}
		out = append(out, l)
		return nil
	}
	if req.All {
		for i := range d.Lines {
			if err := add(itemLine, i, 0); err != nil {
				return nil, err
			}
		}
		for i := range d.Fees {
			if err := add(itemFee, i, 0); err != nil {
				return nil, err
			}
		}
		for i := range d.Ships {
			if err := add(itemShipping, i, 0); err != nil {
				return nil, err
			}
		}
	} else {
		for _, it := range req.Items {
			kind, i, ok := findItem(d, it.ID)
			if !ok {
				return nil, fmt.Errorf("no order item %d", it.ID)
			}
			if it.Quantity < 0 {
				return nil, fmt.Errorf("quantity %d of item %d", it.Quantity, it.ID)
			}
			if err := add(kind, i, it.Quantity); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("nothing left to refund")
	}
	slices.SortStableFunc(out, func(a, b refundLine) int {
		if a.Kind != b.Kind {
			return int(a.Kind) - int(b.Kind)
		}
		return int(a.Index - b.Index)
	})
	return out, nil
}

// ratio is amount*num/den rounded half away from zero to a cent.
func ratio(amount money, num, den int64) money {
	v := int64(amount) * num
	if v < 0 {
		return -money((-v + den/2) / den)
	}
	return money((v + den/2) / den)
}

func findItem(d *orderDoc, id int64) (kind uint8, index int, ok bool) {
	for i := range d.Lines {
		if d.Lines[i].ID == id {
			return itemLine, i, true
		}
	}
	for i := range d.Fees {
		if d.Fees[i].ID == id {
			return itemFee, i, true
		}
	}
	for i := range d.Ships {
		if d.Ships[i].ID == id {
			return itemShipping, i, true
		}
	}
	return 0, 0, false
}

// parseMoney reads a decimal amount with at most two decimals ("5", "5.5",
// "5.25").
func parseMoney(s string) (money, error) {
	whole, frac, _ := cutDot(s)
	if whole == "" || len(frac) > 2 {
		return 0, errors.New("not an amount with at most two decimals")
	}
	w, err := strconv.ParseUint(whole, 10, 40)
	if err != nil {
		return 0, errors.New("not an amount with at most two decimals")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, err := strconv.ParseUint(frac, 10, 8)
	if err != nil {
		return 0, errors.New("not an amount with at most two decimals")
	}
	return money(w*100 + f), nil
}

func cutDot(s string) (string, string, bool) {
	for i := range len(s) {
		if s[i] == '.' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// refundTax is one tax rate's share of a refund (positive amounts).
type refundTax struct {
	rate       *taxLine // the order's tax line of the rate: code, label, percent
	cart, ship money
}

// refundTaxes is WC_Abstract_Order::update_taxes() for a refund: one tax
// line per rate its items carry, the rates of line items and fees first,
// then those only shipping carries.
func refundTaxes(d *orderDoc, rf *refund) []refundTax {
	var out []refundTax
	at := func(rateID int64) *refundTax {
		if rateID == 0 {
			return nil
		}
		for i := range out {
			if out[i].rate.RateID == rateID {
				return &out[i]
			}
		}
		for i := range d.Taxes {
			if d.Taxes[i].RateID == rateID {
				out = append(out, refundTax{rate: &d.Taxes[i]})
				return &out[len(out)-1]
			}
		}
		return nil
	}
	for pass := range 2 {
		for _, l := range rf.Lines {
			if (l.Kind == itemShipping) != (pass == 1) {
				continue
			}
			var t *refundTax
			switch l.Kind {
			case itemLine:
				t = at(d.Lines[l.Index].TaxRateID)
			case itemFee:
				t = at(d.Fees[l.Index].TaxRateID)
			case itemShipping:
				t = at(d.Ships[l.Index].TaxRateID)
			}
			if t == nil {
				continue
			}
			if l.Kind == itemShipping {
				t.ship += l.Tax
			} else {
				t.cart += l.Tax
			}
		}
	}
	return out
}

// sortedRefunds returns o's refunds newest first, as WC_Order::get_refunds()
// and the refunds endpoints list them.
func sortedRefunds(o *order) []*refund {
	out := make([]*refund, len(o.refunds))
	for i := range o.refunds {
		out[len(out)-1-i] = &o.refunds[i]
	}
	slices.SortStableFunc(out, func(a, b *refund) int {
		switch {
		case a.Created > b.Created:
			return -1
		case a.Created < b.Created:
			return 1
		}
		return 0
	})
	return out
}

// RefundSummary is what tests compare refunds with.
type RefundSummary struct {
	ID       int64     `json:"id"`
	OrderID  int64     `json:"order_id"`
	Created  time.Time `json:"date_created_gmt"` // UTC
	Amount   string    `json:"amount"`
	Reason   string    `json:"reason"`
	Detailed bool      `json:"detailed"` // has line items (not an amount-only refund)
}

// Refunds returns an order's refunds, newest first.
func (s *Sim) Refunds(orderID int64) ([]RefundSummary, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o := s.orderLocked(orderID)
	if o == nil {
		return nil, fmt.Errorf("%w: %d", ErrNoOrder, orderID)
	}
	var out []RefundSummary
	for _, rf := range sortedRefunds(o) {
		out = append(out, RefundSummary{ID: rf.ID, OrderID: o.id, Created: time.Unix(rf.Created, 0).UTC(),
			Amount: rf.Amount.String(), Reason: rf.Reason, Detailed: len(rf.Lines) > 0})
	}
	return out, nil
}
