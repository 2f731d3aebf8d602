package books

import (
	"context"
	"fmt"
	"path/filepath"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/verify"
)

// Verify runs a verification pass for a shop (see core/verify): every
// order compared with the shop, what differs corrected. It shares Sync's
// exclusion: it waits for a sync of the shop under way to finish first, a
// Sync that arrives meanwhile waits for it (and gets its counts), and a
// second Verify joins the one under way. opt's Progress and Bus are used
// only by the pass this call starts.
func (b *Books) Verify(ctx context.Context, id ledger.ShopID, opt verify.Options) (verify.Report, error) {
	var f *flight
	for f == nil {
		b.mu.Lock()
		cur, busy := b.running[id]
		if !busy {
			f = &flight{done: make(chan struct{})}
			b.running[id] = f
		}
		b.mu.Unlock()
		if !busy {
			break
		}
		select {
		case <-cur.done:
			if cur.verify != nil {
				return *cur.verify, cur.err
			}
			// A sync finished: now verify.
		case <-ctx.Done():
			return verify.Report{}, ctx.Err()
		}
	}
	rep, err := b.verifyPass(ctx, id, opt)
	f.verify, f.err = &rep, err
	f.res = syncer.Result{Requests: rep.Requests, ApplyResult: store.ApplyResult{
		New: rep.New, Updated: rep.Updated, Unchanged: rep.Unchanged}}
	b.mu.Lock()
	delete(b.running, id)
	b.mu.Unlock()
	close(f.done)
	return rep, err
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
