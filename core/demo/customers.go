package demo

import (
	"slices"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// visit is one customer's: a new order, and sometimes an order moved on.
func (d *Demo) visit() {
	d.PlaceOrder()
	d.mu.Lock()
	change := d.rng.Float64() < d.opt.StatusChance
	d.mu.Unlock()
	if change {
		d.ChangeStatus()
	}
}

// PlaceOrder has a customer place an order now and returns its id; the
// shop's webhook tells the books.
func (d *Demo) PlaceOrder() int64 {
	return d.srv.Sim.AddOrders(1)[0]
}

// next are the moves an open order can make, with their weights.
var next = map[string][]struct {
	to     string
	weight int
}{
	"checkout-draft": {{"pending", 1}},
	"pending":        {{"processing", 8}, {"cancelled", 1}, {"failed", 1}},
	"on-hold":        {{"processing", 4}, {"cancelled", 1}},
	"processing":     {{"completed", 9}, {"refunded", 1}},
}

// recent is how many of the newest open orders ChangeStatus picks from.
const recent = 25

// ChangeStatus moves one of the newest open orders along, as the shop's
// staff would (paid, shipped, now and then cancelled or refunded), and
// returns it and its new status; ok is false when no order is open.
func (d *Demo) ChangeStatus() (id int64, status string, ok bool) {
	var open []woosim.OrderSummary
	for _, o := range d.srv.Sim.Snapshot() {
		if _, ok := next[o.Status]; ok {
			open = append(open, o)
		}
	}
	if len(open) == 0 {
		return 0, "", false
	}
	slices.SortFunc(open, func(a, b woosim.OrderSummary) int { return int(b.ID - a.ID) })
	open = open[:min(len(open), recent)]
	d.mu.Lock()
	o := open[d.rng.IntN(len(open))]
	moves := next[o.Status]
	total := 0
	for _, m := range moves {
		total += m.weight
	}
	r := d.rng.IntN(total)
	d.mu.Unlock()
	to := moves[0].to
	for _, m := range moves {
		if r < m.weight {
			to = m.to
			break
		}
		r -= m.weight
	}
	if to == string(ledger.StatusRefunded) {
		// Staff refund the items, shipping and fees: a refund with its
		// lines, which leaves the order refunded.
		if _, err := d.srv.Sim.AddRefund(o.ID, woosim.RefundRequest{All: true, Reason: "Върната пратка"}); err == nil {
			return o.ID, to, true
		}
	}
	if err := d.srv.Sim.SetStatus(o.ID, to); err != nil {
		d.opt.Log.Warn("demo shop: change an order's status", "order", o.ID, "err", err)
		return 0, "", false
	}
	return o.ID, to, true
}
