package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// notifier sends desktop notifications; fyne.App is one, and tests record
// what would be sent.
type notifier interface {
	SendNotification(*fyne.Notification)
}

// problemKind is a kind of trouble that needs the bookkeeper.
type problemKind int

const (
	problemAuth     problemKind = iota // the shop refused the keys, or they are gone
	problemWebhooks                    // the webhooks are disabled or silent
)

type problemKey struct {
	shop ledger.ShopID
	kind problemKind
}

func (w *mainWindow) notify(title, body string) {
	if w.notifier != nil {
		w.notifier.SendNotification(fyne.NewNotification(title, body))
	}
}

// notifyNewOrders tells of new orders from a shop; a shop's first import
// is told once, as an import.
func (w *mainWindow) notifyNewOrders(id ledger.ShopID, n int, first bool) {
	data := map[string]any{"Count": n, "Shop": w.shopName(id)}
	if first && !w.imported[id] {
		w.imported[id] = true
		w.notify(lang.N("Imported {{.Count}} order from {{.Shop}}", n, data),
			lang.L("They are in the orders list, booked to the shop's warehouse and cost center."))
		return
	}
	w.notify(lang.N("{{.Count}} new order from {{.Shop}}", n, data), lang.L("Open ShopLedger to see them."))
}

// notifyWebhookOrders tells of the new orders webhooks brought since the
// last time, one notification per shop.
func (w *mainWindow) notifyWebhookOrders() {
	ids := make([]ledger.ShopID, 0, len(w.hookNew))
	for id := range w.hookNew {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		w.notifyNewOrders(id, w.hookNew[id], false)
	}
	clear(w.hookNew)
}

// problem tells of a problem that needs the bookkeeper, once: not again
// until it has cleared, however often the hourly sync runs into it.
func (w *mainWindow) problem(id ledger.ShopID, kind problemKind, title, body string) {
	k := problemKey{id, kind}
	if w.problems[k] {
		return
	}
	w.problems[k] = true
	w.notify(title, body)
}

// problemCleared notes that a problem went away, so that it is told again
// should it come back.
func (w *mainWindow) problemCleared(id ledger.ShopID, kind problemKind) {
	delete(w.problems, problemKey{id, kind})
}
