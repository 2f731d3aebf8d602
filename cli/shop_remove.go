package cli

import (
	"context"
	"fmt"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/store"
)

// unregisterTimeout bounds the best-effort removal of a shop's webhooks: a
// shop being removed is often one that no longer answers.
const unregisterTimeout = 30 * time.Second

func runShopRemove(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "shop remove")
	shopRef := shopFlag(fs)
	del := fs.Bool("delete-orders", false, "delete the shop's orders too (by default they stay in the books)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopledger shop remove --shop NAME [--delete-orders]")
		fmt.Fprintln(fs.Output(), "Removes ShopLedger's webhooks from the shop (if it can), then the shop and its keys. Its orders stay unless --delete-orders.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireShop(env, "shop remove", *shopRef); err != nil {
		return err
	}
	b, sh, err := openShop(env, *dir, *shopRef)
	if err != nil {
		return err
	}
	defer b.Close()
	n, err := b.Store.CountOrders(store.OrderFilter{Shop: sh.ID})
	if err != nil {
		return err
	}
	// Webhooks first: once the shop is gone, so are the keys to delete
	// them with. A shop that never had any is not asked.
	if len(sh.WebhookIDs) > 0 || sh.WebhookToken != "" {
		cctx, cancel := context.WithTimeout(ctx, unregisterTimeout)
		err := b.UnregisterWebhooks(cctx, sh.ID, matchURL(sh))
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "warning: ShopLedger's webhooks could not be removed from %s: %s\n"+
				"  Delete the webhooks named \"ShopLedger order.…\" in WooCommerce → Settings → Advanced → Webhooks.\n",
				sh.Name, books.UserMessage(err))
		} else {
			fmt.Fprintf(env.Stdout, "removed ShopLedger's webhooks from %s\n", sh.URL)
		}
	}
	if err := b.RemoveShop(sh.ID, !*del); err != nil {
		return err
	}
	if *del {
		fmt.Fprintf(env.Stdout, "removed shop %q and its %d orders\n", sh.Name, n)
	} else {
		fmt.Fprintf(env.Stdout, "removed shop %q; its %d orders stay in the books (add --delete-orders to delete them)\n", sh.Name, n)
	}
	return nil
}
