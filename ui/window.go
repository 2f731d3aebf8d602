package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// options adjust the window for tests; the zero value is the app's.
type options struct {
	// run starts background work; nil means a goroutine per job.
	run func(func())
	// now is the clock for status times and throttling; nil means time.Now.
	now func() time.Time
	// pageSize is how many orders the list reads at once; 0 means
	// listPageSize. Tests make it small to cross pages with few orders.
	pageSize int
}

// progressReloadEvery spaces out list refreshes while a sync imports pages,
// so a first import of 100,000 orders shows them arriving without reading
// the index a thousand times.
const progressReloadEvery = 2 * time.Second

// mainWindow is ShopLedger's main window: a header with the sync status and
// actions, and the order list (or, with no shop yet, an invitation to add
// one). It grows into the navigation of the full app; each part lives in its
// own file and talks to the core only through Backend and the bridge.
type mainWindow struct {
	win     fyne.Window
	backend Backend
	br      *bridge
	cancel  context.CancelFunc
	now     func() time.Time

	status  *statusLine
	count   *widget.Label
	addBtn  *widget.Button
	syncBtn *widget.Button
	orders  *ordersList
	empty   *emptyState
	body    *fyne.Container // the list or the empty state
	form    *shopForm       // the open Add shop form, if any

	// What the last reload read; the UI goroutine owns all of it.
	shops       []ledger.Shop
	warehouses  []ledger.Warehouse
	costCenters []ledger.CostCenter

	syncing    bool // a SyncAll is running
	syncAgain  bool // Sync was asked for while one ran
	synced     bool // a sync finished this session; the status shows it
	lastReload time.Time
}

func newMainWindow(a fyne.App, b Backend, opt options) *mainWindow {
	loadTranslations()
	ctx, cancel := context.WithCancel(context.Background())
	w := &mainWindow{
		win:     a.NewWindow(lang.L("ShopLedger")),
		backend: b,
		br:      newBridge(ctx, opt.run),
		cancel:  cancel,
		now:     opt.now,
		status:  newStatusLine(),
		count:   widget.NewLabel(""),
	}
	if w.now == nil {
		w.now = time.Now
	}
	w.addBtn = widget.NewButtonWithIcon(lang.L("Add shop"), theme.ContentAddIcon(), w.openShopForm)
	w.syncBtn = widget.NewButtonWithIcon(lang.L("Sync now"), theme.ViewRefreshIcon(), w.syncNow)
	w.syncBtn.Importance = widget.HighImportance
	w.syncBtn.Disable() // until shops are known
	w.orders = newOrdersList(b, w.br, opt.pageSize, func(err error) { w.status.done(books.UserMessage(err), true) })
	w.empty = newEmptyState(w.openShopForm)
	w.empty.content.Hide()

	header := container.NewBorder(nil, nil, nil,
		container.NewHBox(w.addBtn, w.syncBtn), w.status.content)
	top := container.NewVBox(container.NewPadded(header), widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), container.NewHBox(w.count))
	w.body = container.NewStack(w.orders.content, w.empty.content)
	w.win.SetContent(container.NewBorder(top, bottom, nil, nil, w.body))
	w.win.Resize(fyne.NewSize(1180, 720))
	return w
}

// start loads the books and syncs once; Main calls it from
// Lifecycle().SetOnStarted, tests call it directly.
func (w *mainWindow) start() {
	w.status.busy(lang.L("Opening the books…"))
	w.reload(func() {
		if len(w.shops) > 0 {
			w.syncNow()
		}
	})
}

// stop cancels background work and waits for it, before the books close.
func (w *mainWindow) stop() {
	w.cancel()
	w.br.stop()
}

// snapshot is everything the window shows, read in one background job.
type snapshot struct {
	shops       []ledger.Shop
	warehouses  []ledger.Warehouse
	costCenters []ledger.CostCenter
	states      map[ledger.ShopID]ledger.SyncState
	count       int
	first       []ledger.Order
	next        []byte
}

func readSnapshot(b Backend, f store.OrderFilter, pageSize int) (s snapshot, err error) {
	if s.shops, err = b.Shops(); err != nil {
		return s, err
	}
	if s.warehouses, err = b.Warehouses(); err != nil {
		return s, err
	}
	if s.costCenters, err = b.CostCenters(); err != nil {
		return s, err
	}
	s.states = make(map[ledger.ShopID]ledger.SyncState, len(s.shops))
	for _, sh := range s.shops {
		if s.states[sh.ID], err = b.SyncState(sh.ID); err != nil {
			return s, err
		}
	}
	if s.count, err = b.CountOrders(f); err != nil {
		return s, err
	}
	s.first, s.next, err = b.Orders(f, nil, pageSize)
	return s, err
}

// reload reads shops and the first page of orders again and shows them;
// then, if given, runs on the UI goroutine afterwards.
func (w *mainWindow) reload(then func()) {
	w.lastReload = w.now()
	f, size := w.orders.filter, w.orders.model.size
	load(w.br, func(context.Context) (snapshot, error) {
		return readSnapshot(w.backend, f, size)
	}, func(s snapshot, err error) {
		if err != nil {
			w.status.done(books.UserMessage(err), true)
			return
		}
		w.show(s)
		if then != nil {
			then()
		}
	})
}

func (w *mainWindow) show(s snapshot) {
	w.shops, w.warehouses, w.costCenters = s.shops, s.warehouses, s.costCenters
	w.orders.reset(newCatalogNames(s.shops, s.warehouses, s.costCenters), s.count, s.first, s.next)
	w.count.SetText(lang.N("{{.Count}} order", s.count, map[string]any{"Count": s.count}))
	if none := len(s.shops) == 0; none != w.empty.content.Visible() {
		if none {
			w.orders.content.Hide()
			w.count.Hide()
			w.empty.content.Show()
		} else {
			w.empty.content.Hide()
			w.orders.content.Show()
			w.count.Show()
		}
		w.win.Content().Refresh() // lay out what was hidden at the last layout
	}
	if !w.syncing {
		if len(s.shops) > 0 {
			w.syncBtn.Enable()
		} else {
			w.syncBtn.Disable()
		}
	}
	switch {
	case w.syncing, w.synced:
	case len(s.shops) == 0:
		w.status.done(lang.L("No shop connected yet"), false)
	default:
		w.status.done(lastSyncText(s.shops, s.states))
	}
}

// openShopForm shows the Add shop dialog; a shop it adds gets its first
// sync at once.
func (w *mainWindow) openShopForm() {
	f := newShopForm(w.backend, w.br, w.win, w.warehouses, w.costCenters, func(ledger.Shop) {
		w.reload(w.syncNow)
	})
	f.dlg.SetOnClosed(func() {
		if w.form == f {
			w.form = nil
		}
	})
	w.form = f
	f.show()
}
