package demo

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// simClock is the simulated shop's clock: the real one, except while the
// shop is being built or orders of earlier sessions are replayed, when it
// reads the time they were made at.
type simClock struct{ at atomic.Pointer[time.Time] }

func (c *simClock) now() time.Time {
	if t := c.at.Load(); t != nil {
		return *t
	}
	return time.Now()
}

func (c *simClock) set(t time.Time) { c.at.Store(&t) }
func (c *simClock) real()           { c.at.Store(nil) }

// Timezone is the demo shop's time zone: it is a Bulgarian shop.
const Timezone = "Europe/Sofia"

// euroDay is when Bulgaria adopted the euro: the demo shop's orders are in
// BGN before it and in EUR from it on.
var euroDay = time.Date(2026, 1, 1, 0, 0, 0, 0, sofia)

var sofia = func() *time.Location {
	loc, err := time.LoadLocation(Timezone)
	if err != nil {
		panic("demo: " + err.Error()) // ledger embeds time/tzdata
	}
	return loc
}()

// newSim builds the shop's orders as of anchor. A shop with books (vat)
// is a Bulgarian VAT shop: prices with 20 % and 9 % VAT (19 %/7 % for
// German customers), coupons, COD fees, refunds with their items, Sofia
// time, BGN until 2026-01-01 and EUR after. Demo shops made before that
// (without a time zone in the books) keep the orders they were made with.
func newSim(opt Options, anchor time.Time, vat bool) (*woosim.Sim, *simClock) {
	clk := &simClock{}
	clk.set(anchor)
	o := woosim.Options{
		Orders: opt.Orders, Seed: opt.Seed, Key: Key, Secret: Secret, Now: clk.now,
		StoreName: opt.Name, DeliveryDelay: opt.DeliveryDelay,
	}
	if vat {
		o.VAT, o.SiteTimezone = true, sofia
		o.CurrencyChange = &woosim.CurrencyChange{At: euroDay, Before: "BGN", After: "EUR"}
	}
	sim := woosim.New(o)
	clk.real()
	return sim, clk
}

// ensureCatalog returns the DEMO warehouse and cost center, creating them
// if missing.
func ensureCatalog(b *books.Books, opt Options) (ledger.WarehouseID, ledger.CostCenterID, error) {
	wh, err := b.WarehouseByCode(Code)
	if errors.Is(err, store.ErrNotFound) {
		wh, err = b.CreateWarehouse(ledger.Warehouse{Code: Code, Name: opt.WarehouseName})
	}
	if err != nil {
		return 0, 0, fmt.Errorf("demo warehouse: %w", err)
	}
	cc, err := b.CostCenterByCode(Code)
	if errors.Is(err, store.ErrNotFound) {
		cc, err = b.CreateCostCenter(ledger.CostCenter{Code: Code, Name: opt.CostCenterName})
	}
	if err != nil {
		return 0, 0, fmt.Errorf("demo cost center: %w", err)
	}
	return wh.ID, cc.ID, nil
}

// replay places again, at their original times, the orders customers
// placed in earlier sessions, so that the shop's order ids go on from
// where they were and each order has the content the books have. Their
// statuses start over; the books keep the later ones, since an older
// modification never overwrites a newer one.
func replay(b *books.Books, sim *woosim.Sim, clk *simClock, id ledger.ShopID, base int, anchor time.Time) error {
	created := map[int64]time.Time{}
	var max int64
	err := b.EachOrder(store.OrderFilter{Shop: id, From: anchor}, func(o *ledger.Order) error {
		if o.ID > int64(base) {
			created[o.ID] = o.Created
			max = maxOf(max, o.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer clk.real()
	at := anchor
	for n := int64(base) + 1; n <= max; n++ {
		if t, ok := created[n]; ok && t.After(at) {
			at = t // an order the books never got keeps its predecessor's time
		}
		clk.set(at)
		sim.AddOrders(1) // no webhooks yet: nothing is delivered
	}
	return nil
}

func maxOf(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
