package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/verify"
)

// verifyShops is `shopledger sync --verify`: a verification pass per shop
// (core/verify), one after another; one shop's failure does not stop the
// others. A pass stopped by Ctrl+C goes on from there next time.
func verifyShops(ctx context.Context, env *Env, b *books.Books, shops []ledger.Shop, quiet bool) error {
	var failed []error
	for _, sh := range shops {
		start := time.Now()
		opt := verify.Options{Progress: func(p verify.Progress) {
			if !quiet {
				fmt.Fprintf(env.Stderr, "%s: verified page %d of %d, %d orders compared, %d differed\n",
					sh.Name, p.Page, p.Pages, p.Compared, p.Differed)
			}
		}}
		rep, err := b.Verify(ctx, sh.ID, opt)
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: %s\n", sh.Name, books.UserMessage(err))
			failed = append(failed, err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		resumed := ""
		if rep.Resumed {
			resumed = ", resumed"
		}
		fmt.Fprintf(env.Stdout, "%s: %s (%d compared, %d requests%s, %s)\n",
			sh.Name, rep, rep.Compared, rep.Requests, resumed, time.Since(start).Round(time.Millisecond))
	}
	if len(failed) == 1 {
		return failed[0]
	}
	if len(failed) > 1 {
		return fmt.Errorf("%d shops failed to verify: %w", len(failed), errors.Join(failed...))
	}
	return nil
}
