package ui

import (
	"context"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/syncer"
)

// syncNow syncs every shop in the background. While it runs the button is
// off; a request meanwhile (a shop just added) runs one more pass after it,
// since the running pass does not know the new shop.
func (w *mainWindow) syncNow() {
	if len(w.shops) == 0 {
		return
	}
	if w.syncing {
		w.syncAgain = true
		return
	}
	w.syncing = true
	w.syncBtn.Disable()
	w.status.busy(startText(w.shops))
	names := make(map[ledger.ShopID]string, len(w.shops))
	for _, sh := range w.shops {
		names[sh.ID] = sh.Name
	}
	onProgress := progress(w.br, func(p syncer.Progress) {
		if !w.syncing {
			return // a late report after the pass ended
		}
		w.status.busy(progressText(names[p.Shop], p))
		if w.now().Sub(w.lastReload) >= progressReloadEvery {
			w.reload(nil)
		}
	})
	load(w.br, func(ctx context.Context) ([]books.ShopResult, error) {
		return w.backend.SyncAll(ctx, onProgress)
	}, func(results []books.ShopResult, err error) {
		w.syncing, w.synced = false, true
		w.syncBtn.Enable()
		w.status.done(resultText(results, err, w.now()))
		changed := false
		for _, r := range results {
			if r.Err != nil {
				w.syncErrs[r.Shop.ID] = r.Err
			} else {
				delete(w.syncErrs, r.Shop.ID)
			}
			changed = changed || r.Result.New+r.Result.Updated > 0
		}
		if changed {
			w.refreshIndex() // the search finds the new orders and statuses
		}
		again := w.syncAgain
		w.syncAgain = false
		w.reload(func() {
			if again {
				w.syncNow()
			}
		})
	})
}
