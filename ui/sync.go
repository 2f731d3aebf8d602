package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2/lang"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/bridge"
)

// syncRunner is what "Sync now" asks of the core: the engine's automatic
// sync, which joins passes under way and can stop them.
type syncRunner interface {
	SyncAllNow(ctx context.Context) ([]books.ShopResult, error)
	// CancelAll stops every pass under way, whoever started it.
	CancelAll() int
}

// passState is a pass under way, as its events tell it.
type passState struct {
	pages, expected, orders int
}

// syncNow syncs every shop in the background ("Sync now", Ctrl+R, the
// tray) through the engine's automatic sync, joining a pass under way.
// Progress and outcome reach the window as events (onEvent). A
// request meanwhile (a shop just added) runs one more pass after it, since
// the running pass does not know the new shop.
func (w *mainWindow) syncNow() {
	if len(w.shops) == 0 {
		return
	}
	if !w.sync.request() {
		return // one runs; it is followed by another
	}
	ctx, cancel := context.WithCancel(w.br.Context())
	w.cancelManual = cancel
	w.syncBtn.Disable()
	w.status.busy(startText(w.shops))
	w.showSyncState()
	run := w.runner.SyncAllNow
	bridge.Load(w.br, func(context.Context) ([]books.ShopResult, error) {
		defer cancel()
		return run(ctx)
	}, func(results []books.ShopResult, err error) {
		cancelled, again := w.sync.finish(w.openPasses())
		w.cancelManual = nil
		w.syncBtn.Enable()
		kept := results[:0:0]
		for _, r := range results {
			if errors.Is(r.Err, context.Canceled) {
				continue // stopped, not failed: the shop keeps its last error
			}
			kept = append(kept, r)
			if r.Err != nil {
				w.syncErrs[r.Shop.ID] = r.Err
			} else {
				delete(w.syncErrs, r.Shop.ID)
			}
		}
		switch {
		case cancelled:
			w.status.done(lang.L("Sync cancelled"), false)
		case err != nil && errors.Is(err, context.Canceled):
			// The window is closing.
		default:
			w.status.done(resultText(kept, err, w.now()))
		}
		w.showSyncState()
		w.reload(func() {
			if again {
				w.syncNow()
			}
		})
	})
}

// cancelSync is the Cancel button: it stops "Sync now" and every pass under
// way, automatic ones too. What they committed stays in the books.
func (w *mainWindow) cancelSync() {
	if !w.syncBusy() {
		return
	}
	// The caller's context first, so no later shop's pass starts; then the
	// passes themselves, which run under the engine's context.
	if w.sync.cancel() {
		w.cancelManual()
	}
	w.runner.CancelAll()
	w.cancelBtn.Disable()
	w.status.busy(lang.L("Cancelling…"))
}

// openPasses are the shops whose passes the window has heard begin and
// not yet end.
func (w *mainWindow) openPasses() []ledger.ShopID {
	ids := make([]ledger.ShopID, 0, len(w.passes))
	for id := range w.passes {
		ids = append(ids, id)
	}
	return ids
}

// syncBusy tells whether a sync runs that the window shows: "Sync now" or
// an automatic pass.
func (w *mainWindow) syncBusy() bool { return w.sync.running() || len(w.passes) > 0 }

// showSyncState shows the progress bar and Cancel while a sync runs.
func (w *mainWindow) showSyncState() {
	if !w.syncBusy() {
		w.status.hideProgress()
		w.cancelBtn.Hide()
		return
	}
	p := w.passes[w.current]
	if p == nil {
		for _, q := range w.passes {
			p = q
			break
		}
	}
	if p == nil {
		p = &passState{}
	}
	w.status.showProgress(p.pages, p.expected, p.orders)
	if !w.cancelBtn.Visible() {
		w.cancelBtn.Enable()
		w.cancelBtn.Show()
	}
}

// shopName names a shop for a sentence.
func (w *mainWindow) shopName(id ledger.ShopID) string {
	for _, sh := range w.shops {
		if sh.ID == id {
			return sh.Name
		}
	}
	return lang.L("(removed shop)")
}

// shopByID returns a shop the window knows.
func (w *mainWindow) shopByID(id ledger.ShopID) ledger.Shop {
	for _, sh := range w.shops {
		if sh.ID == id {
			return sh
		}
	}
	return ledger.Shop{ID: id, Name: w.shopName(id)}
}
