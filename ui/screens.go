package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/orderindex"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/shops"
)

// screen is one entry of the navigation.
type screen struct {
	title   string
	icon    fyne.Resource
	content fyne.CanvasObject
	// opened, if set, runs each time the screen is selected.
	opened func()
}

// The screens' places in the navigation, as screens lists them; tests and
// the shortcuts select them by these.
const (
	tabOrders = iota
	tabShops
	tabCatalog
	tabWebhooks
	tabBooks
	tabSettings
)

// screens lists the navigation's entries, in order. It is the one place a
// screen joins the window: a new screen is built in build, listed here,
// and shown by show from the snapshot; Ctrl+1… follow this order.
func (w *mainWindow) screens() []screen {
	return []screen{
		tabOrders:   {lang.L("Orders"), theme.ListIcon(), w.ordersTab, nil},
		tabShops:    {lang.L("Shops"), theme.StorageIcon(), w.shopsPage.Content(), nil},
		tabCatalog:  {lang.L("Warehouses & cost centers"), theme.FolderIcon(), w.catalog.Content(), nil},
		tabWebhooks: {lang.L("Webhooks"), theme.MailSendIcon(), w.webhooks.Content(), w.webhooks.Opened},
		tabBooks:    {lang.L("Books"), theme.DocumentIcon(), w.books.Content(), w.books.Opened},
		tabSettings: {lang.L("Settings"), theme.SettingsIcon(), w.prefs.Content(), w.prefs.Opened},
	}
}

// navigation lays the screens out as tabs down the left side.
func navigation(screens []screen) *container.AppTabs {
	items := make([]*container.TabItem, len(screens))
	opened := map[*container.TabItem]func(){}
	for i, s := range screens {
		items[i] = container.NewTabItemWithIcon(s.title, s.icon, s.content)
		if s.opened != nil {
			opened[items[i]] = s.opened
		}
	}
	tabs := container.NewAppTabs(items...)
	tabs.SetTabLocation(container.TabLocationLeading)
	tabs.OnSelected = func(ti *container.TabItem) {
		if f := opened[ti]; f != nil {
			f()
		}
	}
	return tabs
}

// What the screens ask of the shell; each screen package declares the part
// it needs as an interface of its own (catalog.UI, …).

// Window is the main window, which hosts the screens' dialogs.
func (w *mainWindow) Window() fyne.Window { return w.win }

// Bridge runs the screens' background work.
func (w *mainWindow) Bridge() *bridge.Bridge { return w.br }

// Now is the window's clock.
func (w *mainWindow) Now() time.Time { return w.now() }

// Reload reads the books again and shows them on every screen.
func (w *mainWindow) Reload() { w.reload(nil) }

// SearchIndex is the search index over every order, and whether it has
// been read (until then a search waits for it).
func (w *mainWindow) SearchIndex() (*orderindex.Index, bool) { return w.index, w.indexState.ready() }

// ShowError says in the status line what failed.
func (w *mainWindow) ShowError(err error) { w.status.say(explains(err), true) }

// RefreshIndex reads the search index again (a retried webhook delivery
// brought an order).
func (w *mainWindow) RefreshIndex() { w.refreshIndex() }

// StatusBusy shows text in the status line with the spinner running.
func (w *mainWindow) StatusBusy(text string) { w.status.busy(text) }

// StatusDone shows in the status line what happened; failed shows it as a
// problem. The log keeps the sentence and says it again in each language.
func (w *mainWindow) StatusDone(say func() string, failed bool) { w.status.say(say, failed) }

// For the Shops screen (shops.UI).

// ShopAdded gives a shop the wizard added its first sync at once; the
// reload before it shows the shop on every screen.
func (w *mainWindow) ShopAdded(ledger.Shop) { w.reload(w.syncNow) }

// ShopRemoved forgets what the window remembers of a removed shop, and its
// orders in the search index unless they stay in the books.
func (w *mainWindow) ShopRemoved(id ledger.ShopID, keptOrders bool) {
	if !keptOrders {
		w.index.RemoveShop(id)
	}
	w.forgetShop(id)
}

// OrdersCorrected reads the list and the search index again after a
// verification changed orders, as after a sync that brought changes.
func (w *mainWindow) OrdersCorrected() { w.passEnded(true) }

// scheduler is the engine's automatic sync, which the Shops screen asks
// when each shop syncs next; nil without an engine.
func (w *mainWindow) scheduler() shops.Scheduler {
	if w.eng == nil || w.eng.Sync == nil {
		return nil
	}
	return w.eng.Sync
}
