package syncer

import (
	"context"
	"fmt"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// The refund backfill brings stored orders up to date once: orders stored
// before ShopLedger fetched refunds with their detail (schema 4 asks for
// it for every shop), or whose fetch was skipped. It walks the shop's
// orders by id, fetches the refunds of those that need them and stores
// them, and remembers in the shop's sync state how far it got, so a
// backfill stopped midway (cancelled, killed, offline) goes on from there
// and loses nothing. It is not a re-import: only refund lists are asked for.

// BackfillStore is what the backfill needs; *store.Store is one.
type BackfillStore interface {
	RefundStore
	SyncState(ledger.ShopID) (ledger.SyncState, error)
	UpdateSyncState(ledger.ShopID, func(*ledger.SyncState)) error
	OrdersNeedingRefunds(shop ledger.ShopID, after int64, scan int, everyCounted bool) ([]int64, int64, error)
	CountOrders(store.OrderFilter) (int, error)
}

// BackfillProgress reports a running backfill.
type BackfillProgress struct {
	Shop    ledger.ShopID
	Scanned int // orders looked at so far, of Total
	Total   int
	Fetched int // refund lists fetched so far
	Done    bool
}

const (
	backfillScan = 500 // orders looked at per read transaction
	// backfillSaveEvery is how many fetches go between two notes of how
	// far the backfill got: at most that many are fetched again after a kill.
	backfillSaveEvery = 20
)

// BackfillRefunds runs the shop's refund backfill if its sync state asks
// for one, and clears the request when it has walked every order. It
// fetches the refunds of the orders that need them
// (ledger.Order.NeedsRefundDetail), and with RefundBackfillAll (a legacy
// shop's orders stored before ShopLedger read refunds, which carry no
// mark) of every order in a status money was taken in. progress, if set,
// hears after every few fetches and at the end.
func BackfillRefunds(ctx context.Context, src RefundSource, st BackfillStore, shop ledger.Shop, progress func(BackfillProgress)) (BackfillProgress, error) {
	p := BackfillProgress{Shop: shop.ID}
	state, err := st.SyncState(shop.ID)
	if err != nil || !state.RefundBackfill {
		return p, err
	}
	if p.Total, err = st.CountOrders(store.OrderFilter{Shop: shop.ID}); err != nil {
		return p, err
	}
	after := state.RefundBackfillAfter
	everyCounted := state.RefundBackfillAll
	tell := func() {
		if progress != nil {
			progress(p)
		}
	}
	save := func(after int64) error {
		return st.UpdateSyncState(shop.ID, func(s *ledger.SyncState) { s.RefundBackfillAfter = after })
	}
walk:
	for {
		ids, next, err := st.OrdersNeedingRefunds(shop.ID, after, backfillScan, everyCounted)
		if err != nil {
			return p, err
		}
		unsaved := 0
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return p, err
			}
			fetched, err := RefreshRefunds(ctx, src, st, ledger.OrderKey{Shop: shop.ID, ID: id}, everyCounted)
			if notImplemented(err) {
				break walk // no refunds endpoint: nothing to be had from this shop
			}
			if woo.Unsupported(err) {
				err = nil // gone from the shop: nothing to fetch
			}
			if err != nil {
				return p, fmt.Errorf("refund backfill of shop %d: %w", shop.ID, err)
			}
			if fetched {
				p.Fetched++
				unsaved++
			}
			if unsaved == backfillSaveEvery {
				if err := save(id); err != nil {
					return p, err
				}
				unsaved = 0
				tell()
			}
		}
		if next == 0 {
			break
		}
		p.Scanned += backfillScan
		after = next
		if err := save(after); err != nil {
			return p, err
		}
		tell()
	}
	err = st.UpdateSyncState(shop.ID, func(s *ledger.SyncState) {
		s.RefundBackfill, s.RefundBackfillAfter, s.RefundBackfillAll = false, 0, false
	})
	if err != nil {
		return p, err
	}
	p.Scanned, p.Done = p.Total, true
	tell()
	return p, nil
}
