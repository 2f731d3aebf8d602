package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/syncer"
)

func runSync(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "sync")
	shopRef := fs.String("shop", "", "sync only this shop (name or id); default all shops")
	quiet := fs.Bool("quiet", false, "print only the summary")
	if err := parse(fs, args); err != nil {
		return err
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()

	var shops []ledger.Shop
	if *shopRef != "" {
		sh, err := findShop(b, *shopRef)
		if err != nil {
			return err
		}
		shops = []ledger.Shop{sh}
	} else if shops, err = b.Store.Shops(); err != nil {
		return err
	}
	if len(shops) == 0 {
		fmt.Fprintln(env.Stdout, "no shops to sync; add one with `shopledger shop add`")
		return nil
	}
	var failed []error
	for _, sh := range shops {
		start := time.Now()
		progress := func(p syncer.Progress) {
			if !*quiet {
				fmt.Fprintf(env.Stderr, "%s: page %d of ~%d, %d orders\n", sh.Name, p.Page, p.Pages, p.Orders)
			}
		}
		res, err := b.Sync(ctx, sh.ID, progress)
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: %s\n", sh.Name, books.UserMessage(err))
			if books.NeedsUser(err) {
				fmt.Fprintf(env.Stderr, "  New keys: `shopledger shop keys --shop %q`.\n", sh.Name)
			}
			failed = append(failed, err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: %d new, %d updated, %d unchanged (%d status changes, %d requests, %s)\n",
			sh.Name, res.New, res.Updated, res.Unchanged, res.StatusChanged, res.Requests, time.Since(start).Round(time.Millisecond))
		// The refunds' detail an import (or a migrated database) leaves
		// to the backfill, as automatic sync runs it after a pass.
		start = time.Now()
		bp, err := b.BackfillRefunds(ctx, sh.ID, func(p syncer.BackfillProgress) {
			if !*quiet && !p.Done {
				fmt.Fprintf(env.Stderr, "%s: refunds: %d of %d orders looked at, %d fetched\n", sh.Name, p.Scanned, p.Total, p.Fetched)
			}
		})
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: refunds: %s\n", sh.Name, books.UserMessage(err))
			failed = append(failed, err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		if bp.Fetched > 0 {
			fmt.Fprintf(env.Stdout, "%s: the refunds of %d orders fetched with their detail (%s)\n",
				sh.Name, bp.Fetched, time.Since(start).Round(time.Millisecond))
		}
	}
	if len(failed) == 1 {
		return failed[0]
	}
	if len(failed) > 1 {
		return fmt.Errorf("%d shops failed to sync: %w", len(failed), errors.Join(failed...))
	}
	return nil
}
