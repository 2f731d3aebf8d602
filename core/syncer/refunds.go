package syncer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// Refunds with their detail come from GET orders/<id>/refunds, one request
// per order. They are fetched only for orders whose refunds changed:
//   - wc/v3 lists an order's refunds (ids and totals): they are fetched
//     when the list differs from the stored one, or the stored refunds
//     lack their detail;
//   - legacy lists none: they are fetched when the order is new or its
//     date_modified moved (a refund moves it) and its status is one money
//     was taken in, or the stored order is marked RefundsStale.
//
// A shop's import (the first pass) fetches none: it leaves them to the
// refund backfill that runs right after it (refundFiller.atImport), so the
// orders are in the books as fast as without refunds, and their refunds'
// detail follows with progress. A real shop answers a request in a few
// hundred milliseconds; a tenth of 100,000 orders refunded would add some
// 10,000 of them to the import (legacy: one per order in a counted status).

// RefundSource fetches an order's refunds with their detail; *woo.Client
// is one.
type RefundSource interface {
	Refunds(ctx context.Context, orderID int64) ([]ledger.Refund, error)
}

// RefundLookup tells what refunds are stored; *store.Store is one.
type RefundLookup interface {
	RefundsOf(shop ledger.ShopID, ids []int64) (map[int64]store.StoredRefunds, error)
}

// RefundStats counts what FillRefunds did.
type RefundStats struct {
	Requests int // refund lists fetched
	// Skipped counts orders whose refunds the shop would not give
	// (woo.Unsupported): they stay marked as needing their detail.
	Skipped int
}

// FillRefunds is the sync's step between decoding a page and committing
// it: for each order of the page whose refunds changed, it fetches them
// and puts them, with their detail, in the order, so the order and its
// refunds are committed together. A failed request fails the page (it is
// read again by the next pass), except one the shop cannot answer (the
// order is gone, or the shop does not implement refunds: woo.Unsupported),
// which leaves the order as it came, marked as still needing them.
func FillRefunds(ctx context.Context, src RefundSource, st RefundLookup, shop ledger.ShopID, orders []ledger.Order) (RefundStats, error) {
	var stats RefundStats
	var ids []int64
	for i := range orders {
		if o := &orders[i]; o.RefundsUnlisted && o.Status.MayHaveRefunds() || !o.RefundsUnlisted && len(o.Refunds) > 0 {
			ids = append(ids, o.ID)
		}
	}
	if len(ids) == 0 {
		return stats, nil
	}
	stored, err := st.RefundsOf(shop, ids)
	if err != nil {
		return stats, err
	}
	for i := range orders {
		o := &orders[i]
		prev, known := stored[o.ID]
		if !refundsChanged(o, prev, known) {
			continue
		}
		refunds, err := src.Refunds(ctx, o.ID)
		stats.Requests++
		if woo.Unsupported(err) {
			stats.Skipped++
			if notImplemented(err) {
				break // the shop has no refunds endpoint: no use asking for the rest
			}
			continue
		}
		if err != nil {
			return stats, fmt.Errorf("fetch refunds of order %d: %w", o.ID, err)
		}
		setRefunds(o, refunds)
	}
	return stats, nil
}

// refundsChanged reports whether the refunds of o, as the shop sent it,
// must be fetched, given what is stored (known: anything is).
func refundsChanged(o *ledger.Order, prev store.StoredRefunds, known bool) bool {
	if o.RefundsUnlisted {
		return o.Status.MayHaveRefunds() && (!known || o.Modified.After(prev.Modified) || prev.NeedsDetail())
	}
	if len(o.Refunds) == 0 {
		return false
	}
	if !known || !ledger.SameRefunds(o.Refunds, prev.Refunds) {
		return true
	}
	for _, r := range prev.Refunds {
		if !r.Detailed {
			return true
		}
	}
	return false
}

// setRefunds gives o the refunds fetched for it, completing what the
// legacy API leaves out from the order.
func setRefunds(o *ledger.Order, refunds []ledger.Refund) {
	o.Refunds, o.RefundsUnlisted, o.RefundsStale = refunds, false, false
	woo.DeriveRefundTaxes(o)
}

// refundFiller runs FillRefunds on the decoded pages of one pass when the
// source and the store can. The pass re-reads an order whose modification
// second a page ends in at the start of the next page, often before the
// first page is committed; what was fetched for it is remembered, so its
// refunds are asked for once.
type refundFiller struct {
	src  RefundSource
	st   RefundLookup
	shop ledger.Shop
	// atImport leaves every refund to the backfill after the pass: the
	// orders are stored with their refunds in brief (wc/v3) or marked
	// RefundsStale (legacy), and the shop's sync state asks for the
	// backfill.
	atImport bool
	pass     Store // the pass's, for noting a backfill
	mu       sync.Mutex
	seen     map[int64]fetchedRefunds
	requests int
}

// count is the refund lists fetched so far.
func (f *refundFiller) count() int {
	if f == nil {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

type fetchedRefunds struct {
	modified time.Time
	refunds  []ledger.Refund
}

// seenLimit bounds what a pass remembers: re-reads are of the page just before.
const seenLimit = 4 * woo.MaxPerPage

func newRefundFiller(src Source, st Store, shop ledger.Shop, state ledger.SyncState) *refundFiller {
	rs, ok1 := src.(RefundSource)
	rl, ok2 := st.(RefundLookup)
	if !ok1 || !ok2 {
		return nil
	}
	return &refundFiller{src: rs, st: rl, shop: shop, atImport: state.Cursor.IsZero(), pass: st, seen: map[int64]fetchedRefunds{}}
}

// withRefunds puts the refund step among a pass's steps, after decoding
// and the filter check and before the orders are prepared for the books,
// so that each order is committed with its refunds. A nil f (a source or
// store that cannot) adds nothing.
func withRefunds(steps []step, f *refundFiller) []step {
	if f == nil {
		return steps
	}
	at := min(2, len(steps)) // decodeStep, filterStep
	return append(steps[:at:at], append([]step{f.step}, steps[at:]...)...)
}

func (f *refundFiller) step(ctx context.Context, j *job) error { return f.fill(ctx, f.pass, j.f.page) }

// fill fills in a decoded page's refunds, and notes orders it had to skip
// for the backfill (st is the pass's store). Pages are filled one at a
// time, so that an order on two pages decoded side by side is fetched once.
func (f *refundFiller) fill(ctx context.Context, st Store, page *woo.OrderPage) error {
	if f == nil || page.FilterIgnored && !f.shop.ModifiedAfterIgnored {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	// Orders read earlier in this pass in the same version take what was
	// fetched for them then; the rest go to FillRefunds.
	if f.atImport {
		for i := range page.Orders {
			if o := &page.Orders[i]; len(o.Refunds) > 0 || o.RefundsUnlisted && o.Status.MayHaveRefunds() {
				return st.UpdateSyncState(f.shop.ID, func(s *ledger.SyncState) { s.RefundBackfill = true })
			}
		}
		return nil
	}
	var rest []int
	for i := range page.Orders {
		o := &page.Orders[i]
		if prev, ok := f.seen[o.ID]; ok && prev.modified.Equal(o.Modified) && (o.RefundsUnlisted || ledger.SameRefunds(o.Refunds, prev.refunds)) {
			setRefunds(o, slices.Clone(prev.refunds))
			continue
		}
		rest = append(rest, i)
	}
	orders := make([]ledger.Order, len(rest))
	for j, i := range rest {
		orders[j] = page.Orders[i]
	}
	stats, err := FillRefunds(ctx, f.src, f.st, f.shop.ID, orders)
	f.requests += stats.Requests
	if err != nil {
		return err
	}
	if len(f.seen) > seenLimit {
		clear(f.seen)
	}
	for j, i := range rest {
		o := &orders[j]
		// Payloads never carry detail: an order has it, or lost its
		// RefundsUnlisted, when its refunds were fetched.
		if o.RefundsUnlisted != page.Orders[i].RefundsUnlisted || len(o.Refunds) > 0 && o.Refunds[0].Detailed {
			f.seen[o.ID] = fetchedRefunds{modified: o.Modified, refunds: o.Refunds}
		}
		page.Orders[i] = *o
	}
	if stats.Skipped > 0 {
		return st.UpdateSyncState(f.shop.ID, func(s *ledger.SyncState) { s.RefundBackfill = true })
	}
	return nil
}

// RefundStore is what refreshing stored orders' refunds needs; *store.Store
// is one.
type RefundStore interface {
	Order(ledger.OrderKey) (ledger.Order, error)
	SetRefunds(key ledger.OrderKey, modified time.Time, refunds []ledger.Refund) (bool, error)
}

// RefreshRefunds fetches and stores the refunds of a stored order that
// needs them (ledger.Order.NeedsRefundDetail), as after a webhook
// delivery; with force, whatever the order says. It reports whether it
// fetched.
func RefreshRefunds(ctx context.Context, src RefundSource, st RefundStore, key ledger.OrderKey, force bool) (bool, error) {
	o, err := st.Order(key)
	if err != nil {
		return false, err
	}
	if o.Deleted || !force && !o.NeedsRefundDetail() {
		return false, nil
	}
	refunds, err := src.Refunds(ctx, key.ID)
	if err != nil {
		return true, fmt.Errorf("fetch refunds of order %d: %w", key.ID, err)
	}
	setRefunds(&o, refunds)
	// Stored only for the version fetched for: a newer one is the next
	// fetch's business.
	_, err = st.SetRefunds(key, o.Modified, o.Refunds)
	return true, err
}

// notImplemented reports whether the shop answered 501: it does not
// implement the request at all.
func notImplemented(err error) bool {
	var e *woo.Error
	return errors.As(err, &e) && e.Status == 501
}
