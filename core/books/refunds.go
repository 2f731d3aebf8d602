package books

import (
	"context"
	"fmt"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// detectTimezone asks a shop connected before ShopLedger knew time zones
// for its own, and remembers it. A shop that does not tell one stays
// without (the books read it as UTC) and is asked again after the next pass.
func (b *Books) detectTimezone(ctx context.Context, id ledger.ShopID, c *woo.Client) {
	zone, err := c.ShopTimezone(ctx)
	if err != nil || zone == "" {
		return
	}
	if cur, err := b.Store.Shop(id); err == nil && cur.Timezone == "" {
		cur.Timezone = zone
		_ = b.Store.UpdateShop(cur)
	}
}

// RefreshRefunds fetches the refunds of a stored order that needs them
// (ledger.Order.NeedsRefundDetail), as after a webhook delivery, and
// reports whether it asked the shop.
func (b *Books) RefreshRefunds(ctx context.Context, key ledger.OrderKey) (bool, error) {
	o, err := b.Store.Order(key)
	if err != nil || o.Deleted || !o.NeedsRefundDetail() {
		return false, err
	}
	sh, c, err := b.connect(ctx, key.Shop)
	if err != nil {
		return false, fmt.Errorf("refunds of order %d of %s: %w", key.ID, sh.Name, err)
	}
	return syncer.RefreshRefunds(ctx, c, b.Store, key, false)
}

// BackfillRefunds runs the shop's one-time refund backfill if its sync
// state asks for one (see syncer.BackfillRefunds).
func (b *Books) BackfillRefunds(ctx context.Context, id ledger.ShopID, progress func(syncer.BackfillProgress)) (syncer.BackfillProgress, error) {
	st, err := b.Store.SyncState(id)
	if err != nil || !st.RefundBackfill {
		return syncer.BackfillProgress{Shop: id}, err
	}
	sh, c, err := b.connect(ctx, id)
	if err != nil {
		return syncer.BackfillProgress{Shop: id}, fmt.Errorf("refund backfill of %s: %w", sh.Name, err)
	}
	return syncer.BackfillRefunds(ctx, c, b.Store, sh, progress)
}
