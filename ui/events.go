package ui

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2/lang"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// How the window spaces out the work that events cause, so that a shop
// whose webhooks deliver every few seconds does not keep the window busy.
const (
	// indexRefreshAfter gathers the passes that changed orders into one
	// new read of the search index (seconds at 100,000 orders).
	indexRefreshAfter = 5 * time.Second
	// webhookApplyAfter gathers webhook deliveries into one update of the
	// search index (only their orders) and one reload of the list.
	webhookApplyAfter = 2 * time.Second
	// notifyNewAfter gathers the new orders webhooks bring into one
	// notification per shop.
	notifyNewAfter = 15 * time.Second
)

// liveState is what the window knows of the syncs and deliveries under
// way, from the core's events. The UI goroutine owns all of it.
type liveState struct {
	sub *eventSource
	// listening: the events are being handed to onEvent (see listen).
	listening bool
	passes    map[ledger.ShopID]*passState
	// current is the shop whose pass the progress bar shows.
	current ledger.ShopID
	// cancelManual stops the "Sync now" under way, if any.
	cancelManual context.CancelFunc

	// Webhook deliveries applied since the last update, by order.
	hookOrders map[ledger.OrderKey]bool
	hookNew    map[ledger.ShopID]int // new orders not notified yet
	due        struct{ index, hooks, notify bool }

	notifier notifier
	imported map[ledger.ShopID]bool // first import notified
	problems map[problemKey]bool    // notified and not cleared since
}

// eventSource is the window's one subscription to the core's events.
type eventSource struct {
	sub    *events.Subscription
	missed int // how many the window knows it missed
}

func newLiveState(n notifier) liveState {
	return liveState{
		passes:     map[ledger.ShopID]*passState{},
		hookOrders: map[ledger.OrderKey]bool{},
		hookNew:    map[ledger.ShopID]int{},
		notifier:   n,
		imported:   map[ledger.ShopID]bool{},
		problems:   map[problemKey]bool{},
	}
}

// subscribe subscribes to the engine's events once, when the window is
// made, so that what happens while it opens waits in the subscription.
func (w *mainWindow) subscribe() {
	if w.bus == nil || w.sub != nil {
		return
	}
	w.sub = &eventSource{sub: w.bus.Subscribe()}
}

// listen starts handing the events to onEvent on the UI goroutine, until
// the window stops or the bus closes; once, after the first snapshot. It is the one way core events reach
// widgets.
func (w *mainWindow) listen() {
	if w.sub == nil || w.listening {
		return
	}
	w.listening = true
	sub := w.sub.sub
	bridge.Stream(w.br, sub.C, w.onEvent, sub.Close)
}

// onEvent updates the window for one event of the core.
func (w *mainWindow) onEvent(e events.Event) {
	w.noteMissed()
	switch e := e.(type) {
	case events.SyncStarted:
		w.pass(e.Shop)
		w.sync.passStarted(e.Shop)
		w.status.busy(lang.L("Syncing {{.Shop}}…", map[string]any{"Shop": w.shopName(e.Shop)}))
		w.showSyncState()
	case events.SyncProgress:
		p := w.pass(e.Shop)
		p.pages, p.expected, p.orders = e.Pages, e.PagesExpected, e.Orders
		w.current = e.Shop
		if w.sync.tells(e.Shop) {
			w.status.busy(progressText(w.shopName(e.Shop), e.Pages, e.PagesExpected, e.Orders))
		}
		w.showSyncState()
		if w.now().Sub(w.lastReload) >= progressReloadEvery {
			w.reload(nil) // the orders arrive as the pages commit
		}
	case events.SyncFinished:
		w.endPass(e.Shop)
		delete(w.syncErrs, e.Shop)
		w.problemCleared(e.Shop, problemAuth)
		if e.New > 0 {
			w.notifyNewOrders(e.Shop, e.New, e.First)
		}
		if w.sync.passEnded(e.Shop) {
			r := books.ShopResult{Shop: w.shopByID(e.Shop),
				Result: syncer.Result{ApplyResult: store.ApplyResult{New: e.New, Updated: e.Updated, Unchanged: e.Unchanged}}}
			w.status.done(resultText([]books.ShopResult{r}, nil, w.now()))
		}
		w.passEnded(e.New+e.Updated > 0)
	case events.SyncFailed:
		w.endPass(e.Shop)
		w.syncErrs[e.Shop] = e.Err
		if books.NeedsUser(e.Err) {
			w.problem(e.Shop, problemAuth, lang.L("{{.Shop}} cannot be synced", map[string]any{"Shop": w.shopName(e.Shop)}),
				i18n.UserMessage(e.Err))
		}
		if w.sync.passEnded(e.Shop) {
			w.status.done(resultText([]books.ShopResult{{Shop: w.shopByID(e.Shop), Err: e.Err}}, nil, w.now()))
		}
		w.passEnded(false)
	case events.SyncCancelled:
		w.endPass(e.Shop)
		if w.sync.passEnded(e.Shop) {
			w.status.done(lang.L("Sync cancelled"), false)
		}
		w.passEnded(e.New+e.Updated > 0)
	case events.VerifyFinished:
		// A verification runs after the pass it follows has finished: the
		// orders it corrected show only if the list and index reload.
		if e.New+e.Updated > 0 {
			w.passEnded(true)
		}
	case events.WebhookApplied:
		w.hookOrders[ledger.OrderKey{Shop: e.Shop, ID: e.OrderID}] = true
		if e.New {
			w.hookNew[e.Shop]++
			w.soon(&w.due.notify, notifyNewAfter, w.notifyWebhookOrders)
		}
		w.soon(&w.due.hooks, webhookApplyAfter, w.applyWebhookOrders)
	case events.WebhookFailed:
		// No order changed, but the Webhooks page's log shows it, with Retry.
		w.soon(&w.due.hooks, webhookApplyAfter, w.applyWebhookOrders)
	case events.WebhookHealth:
		if e.Healthy {
			w.problemCleared(e.Shop, problemWebhooks)
		} else {
			name := w.shopName(e.Shop)
			w.problem(e.Shop, problemWebhooks,
				lang.L("The webhooks of {{.Shop}} are not working", map[string]any{"Shop": name}),
				lang.L("ShopLedger syncs {{.Shop}} every hour until they work again. Open Webhooks to check them.", map[string]any{"Shop": name}))
		}
		if st := w.states[e.Shop]; st.Fallback != e.Reason {
			w.reload(nil) // the Shops page shows how the shop is synced
		}
	}
}

// noteMissed notices events the window lost for being slow (a burst of
// progress while the UI was busy): what it shows may be stale, so it reads
// everything again.
func (w *mainWindow) noteMissed() {
	if w.sub == nil {
		return
	}
	n := w.sub.sub.Missed()
	if n == w.sub.missed {
		return
	}
	slog.Warn("the window missed core events", "missed", n-w.sub.missed, "total", n)
	w.sub.missed = n
	w.soon(&w.due.index, indexRefreshAfter, w.refreshIndex)
	w.reload(nil)
}

// pass returns the pass under way of a shop, noting it if it is new.
func (w *mainWindow) pass(id ledger.ShopID) *passState {
	p, ok := w.passes[id]
	if !ok {
		p = &passState{}
		w.passes[id] = p
	}
	return p
}

// endPass forgets the pass of a shop and returns it (a blank one for a
// pass the window did not see start).
func (w *mainWindow) endPass(id ledger.ShopID) *passState {
	p := w.pass(id)
	delete(w.passes, id)
	return p
}

// passEnded brings the window up to date after a pass: the list, the
// shops page and, when orders changed, soon the search index.
func (w *mainWindow) passEnded(changed bool) {
	w.showSyncState()
	if changed {
		w.soon(&w.due.index, indexRefreshAfter, w.refreshIndex)
	}
	w.reload(nil)
}

// applyWebhookOrders puts the orders webhooks changed into the search
// index, reading only those, and shows them in the list.
func (w *mainWindow) applyWebhookOrders() {
	keys := make([]ledger.OrderKey, 0, len(w.hookOrders))
	for k := range w.hookOrders {
		keys = append(keys, k)
	}
	clear(w.hookOrders)
	ix, b := w.index, w.backend
	bridge.Load(w.br, func(ctx context.Context) (struct{}, error) {
		orders := make([]ledger.Order, 0, len(keys))
		for _, k := range keys {
			o, err := b.Order(k)
			if errors.Is(err, store.ErrNotFound) {
				continue // gone with its shop
			}
			if err != nil {
				return struct{}{}, err
			}
			orders = append(orders, o)
		}
		return struct{}{}, ix.Upsert(orders...)
	}, func(_ struct{}, err error) {
		if err != nil {
			w.soon(&w.due.index, indexRefreshAfter, w.refreshIndex) // read it all instead
		}
		w.reload(nil)
	})
}

// soon runs fn on the UI goroutine after d, once, however often it is
// asked for meanwhile; pending remembers that it is asked for.
func (w *mainWindow) soon(pending *bool, d time.Duration, fn func()) {
	if *pending {
		return
	}
	*pending = true
	w.br.Later(d, func() {
		*pending = false
		fn()
	})
}
