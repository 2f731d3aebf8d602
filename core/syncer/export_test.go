package syncer

import (
	"context"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// FetchAll reads what a pass of shop would read, with the pass's pager and
// its fetch loop, and stores nothing: the raw rate that the import
// benchmark compares with. It returns the orders and requests read.
func FetchAll(ctx context.Context, src Source, shop ledger.Shop, state ledger.SyncState, opt Options) (orders, requests int, err error) {
	opt = opt.withDefaults()
	pg, _ := newPager(shop, state, opt)
	fetchPages(ctx, src, pg, false, func(f fetched) bool {
		requests = f.requests
		if f.err != nil {
			err = f.err
			return false
		}
		orders += len(f.page.Orders)
		return true
	})
	return orders, requests, err
}
