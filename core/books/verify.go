package books

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"sync/atomic"

	"golang.org/x/sync/singleflight"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/verify"
)

// verified is what a verification leaves in the shop's flight: callers of
// Verify that join it read the report; a Sync that joins it finds no
// syncer.Result there and returns only its error.
type verified struct{ rep verify.Report }

// Verify runs a verification pass for a shop (see core/verify): every
// order compared with the shop, what differs corrected. It shares Sync's
// exclusion (the same flight per shop): it waits for a sync of the shop
// under way to finish and then verifies, a Sync that arrives meanwhile
// waits for it, and a second Verify joins the one under way. opt's
// Progress and Bus are used only by the pass this call starts, which runs
// on this call's ctx.
func (b *Books) Verify(ctx context.Context, id ledger.ShopID, opt verify.Options) (verify.Report, error) {
	key := strconv.FormatInt(int64(id), 10)
	for {
		var mine atomic.Bool
		ch := b.passes.DoChan(key, func() (any, error) {
			mine.Store(true)
			rep, err := b.verifyPass(ctx, id, opt)
			return verified{rep}, err
		})
		var r singleflight.Result
		select {
		case r = <-ch:
		case <-ctx.Done():
			if !mine.Load() {
				return verify.Report{}, ctx.Err()
			}
			r = <-ch // the pass sees ctx too and stops after its last page
		}
		if v, ok := r.Val.(verified); ok {
			return v.rep, r.Err
		}
		// That was a sync of the shop: now verify.
	}
}

func (b *Books) verifyPass(ctx context.Context, id ledger.ShopID, opt verify.Options) (verify.Report, error) {
	sh, c, err := b.connect(ctx, id)
	if sh.ID == 0 {
		return verify.Report{}, err
	}
	if err != nil {
		return verify.Report{Shop: id}, fmt.Errorf("verify %s: %w", sh.Name, err)
	}
	return verify.Run(ctx, b.Store, sh, c, opt)
}

// askVerification marks every shop of the books in dataDir for a
// verification at its next pass (SyncState.VerifyDue): restored books are
// as old as their backup, and what changed in a shop since without a new
// date_modified no sync would ever bring.
func askVerification(dataDir string) error {
	st, err := store.Open(filepath.Join(dataDir, DBFile))
	if err != nil {
		return fmt.Errorf("ask for a verification after the restore: %w", err)
	}
	defer st.Close()
	shops, err := st.Shops()
	if err != nil {
		return fmt.Errorf("ask for a verification after the restore: %w", err)
	}
	for _, sh := range shops {
		if err := st.UpdateSyncState(sh.ID, func(s *ledger.SyncState) { s.VerifyDue = true }); err != nil {
			return fmt.Errorf("ask for a verification of %s after the restore: %w", sh.Name, err)
		}
	}
	return nil
}
