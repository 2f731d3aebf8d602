package ui

import (
	"context"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/engine"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/orderindex"
	booksui "codeberg.org/shopledger/shopledger/ui/books"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/catalog"
	ordersui "codeberg.org/shopledger/shopledger/ui/orders"
	"codeberg.org/shopledger/shopledger/ui/settings"
	"codeberg.org/shopledger/shopledger/ui/shops"
	"codeberg.org/shopledger/shopledger/ui/tray"
	"codeberg.org/shopledger/shopledger/ui/webhooks"
)

// options adjust the window for tests; the zero value is the app's.
type options struct {
	// run starts background work; nil means a goroutine per job.
	run func(func())
	// now is the clock for status times and throttling; nil means time.Now.
	now func() time.Time
	// pageSize is how many orders the list reads at once; 0 means
	// ordersui.PageSize. Tests make it small to cross pages with few orders.
	pageSize int
	// engine is the running background: automatic sync, the webhook
	// receiver, the demo shop. Main starts it before the window.
	engine *engine.Engine
	// sync and bus are the automatic sync that "Sync now" goes through and
	// the events the window shows; with engine set they are the engine's.
	// Tests of views that run no engine pass a fake of syncRunner that
	// publishes on a bus of their own, as the engine does.
	sync syncRunner
	bus  *events.Bus
	// notify sends notifications; nil means the app.
	notify notifier
	// win is the window to build in, and shell what owns it and the
	// books (shell.go); nil: a new window, and no restore.
	win   fyne.Window
	shell *shell
}

// progressReloadEvery spaces out list refreshes while a sync imports pages,
// so a first import of 100,000 orders shows them arriving without reading
// the index a thousand times.
const progressReloadEvery = 2 * time.Second

// mainWindow is ShopLedger's main window: a header with the sync status and
// Sync now, and a navigation on the left between the orders, the shops,
// the warehouses and cost centers, the webhooks and the settings. Each part
// lives in its own file and talks to the core only through Backend and the
// bridge.
type mainWindow struct {
	win      fyne.Window
	backend  Backend
	br       *bridge.Bridge
	cancel   context.CancelFunc
	now      func() time.Time
	settings prefs
	pageSize int
	eng      *engine.Engine // nil in tests without one: no demo, schedules or webhooks
	runner   syncRunner     // what "Sync now" and Cancel ask
	bus      *events.Bus    // the core's events

	// index is the search index over every order. It is read once in the
	// background after start and again after a sync brings changes; until
	// the first read is done (indexState.ready) a search waits for it.
	index      *orderindex.Index
	indexState indexState

	// The widgets, built by build and built again on a language change.
	status     *statusLine
	syncBtn    *widget.Button
	cancelBtn  *widget.Button
	tabs       *container.AppTabs
	orders     *ordersui.Page
	empty      *emptyState
	ordersTab  *fyne.Container // the orders page or, with no shop, the empty state
	demoBanner *demoBanner     // over the orders while a demo shop is in the books
	shopsPage  *shops.Page
	catalog    *catalog.Page
	books      *booksui.Page
	webhooks   *webhooks.Page
	prefs      *settings.Page
	tray       *tray.Tray // the tray icon's menu; nil until Main sets it up
	shell      *shell     // what owns the window and the books; nil in tests of screens

	// What the last reload read, and this session's sync failures; the UI
	// goroutine owns all of it.
	shops       []ledger.Shop
	warehouses  []ledger.Warehouse
	costCenters []ledger.CostCenter
	states      map[ledger.ShopID]ledger.SyncState
	syncErrs    map[ledger.ShopID]error
	log         []logLine // newest first
	lastLog     string

	demo       demoState // Try with a demo shop
	sync       syncState // Sync now, and what the status line shows
	lastReload time.Time

	liveState // syncs and deliveries under way, from the core's events (events.go)
}

func newMainWindow(a fyne.App, b Backend, opt options) *mainWindow {
	loadTranslations()
	ctx, cancel := context.WithCancel(context.Background())
	w := &mainWindow{
		win:      opt.win,
		shell:    opt.shell,
		backend:  b,
		br:       bridge.New(ctx, opt.run),
		cancel:   cancel,
		now:      opt.now,
		settings: newPrefs(a),
		pageSize: opt.pageSize,
		eng:      opt.engine,
		runner:   opt.sync,
		bus:      opt.bus,
		index:    orderindex.New(),
		syncErrs: map[ledger.ShopID]error{},
	}
	if w.win == nil {
		w.win = a.NewWindow(lang.L("ShopLedger"))
		w.win.Resize(fyne.NewSize(1180, 720))
	}
	if opt.engine != nil {
		w.runner, w.bus = opt.engine.Sync, opt.engine.Bus
	}
	if opt.notify == nil {
		opt.notify = a
	}
	w.liveState = newLiveState(opt.notify)
	if w.now == nil {
		w.now = time.Now
	}
	w.subscribe()
	w.build()
	w.addShortcuts()
	return w
}

// build makes every widget of the window in the current language.
func (w *mainWindow) build() {
	w.win.SetTitle(lang.L("ShopLedger"))
	w.status = newStatusLine()
	w.status.onDone = w.statusDone
	if w.tray != nil {
		w.tray.Relabel()
		if len(w.log) > 0 {
			w.tray.SetLastSync(w.log[0].said()) // in the new language
		}
	}
	w.syncBtn = widget.NewButtonWithIcon(lang.L("Sync now"), theme.ViewRefreshIcon(), w.syncNow)
	w.syncBtn.Importance = widget.HighImportance
	if w.sync.running() || len(w.shops) == 0 {
		w.syncBtn.Disable()
	}
	w.cancelBtn = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), w.cancelSync)
	w.cancelBtn.Hide()
	old := w.orders
	w.orders = ordersui.New(w, w.backend, w.settings.p, w.pageSize)
	if old != nil {
		w.orders.KeepFilters(old) // a language switch keeps what the list shows
	}
	var onDemo func()
	if w.demos() != nil {
		onDemo = w.tryDemo
	}
	w.empty = newEmptyState(func() { w.shopsPage.OpenWizard() }, onDemo)
	if w.demo == demoStarting {
		w.empty.starting()
	}
	w.demoBanner = newDemoBanner(w.removeDemo)
	w.ordersTab = container.NewBorder(w.demoBanner.content, nil, nil, nil, w.orders.Content(), w.empty.content)
	w.empty.content.Hide()
	w.shopsPage = shops.New(w, w.backend, w.scheduler())
	w.catalog = catalog.New(w, w.backend)
	w.books = booksui.New(w, w.backend)
	var hooks webhooks.Backend // none without the engine: no receiver runs
	if w.eng != nil {
		hooks = w.eng
	}
	w.webhooks = webhooks.New(w, w.settings, hooks)
	w.prefs = settings.New(w, w.settings, w.backend.Path(), w.logLines())

	w.tabs = navigation(w.screens())

	header := container.NewBorder(nil, nil, nil, container.NewHBox(w.cancelBtn, w.syncBtn), w.status.content)
	top := container.NewVBox(container.NewPadded(header), widget.NewSeparator())
	w.win.SetContent(container.NewBorder(top, nil, nil, nil, w.tabs))
	w.showSyncState()
}

// addShortcuts binds the keyboard: Ctrl+R syncs, Ctrl+F searches the
// orders, Ctrl+N adds a shop, Ctrl+1… open the screens, Esc closes the order detail. The canvas outlives a rebuild, so
// they are bound once and act on the widgets of the moment.
func (w *mainWindow) addShortcuts() {
	c := w.win.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.syncNow()
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.tabs.SelectIndex(tabOrders)
		w.orders.FocusSearch()
	})
	// Ctrl+N adds a shop, as "new" does in most applications.
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.shopsPage.OpenWizard()
	})
	// Ctrl+1 … Ctrl+9 open the screens in their order, as in browsers.
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}
	for i, key := range keys[:min(len(keys), len(w.tabs.Items))] {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
			w.tabs.SelectIndex(i)
		})
	}
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyEscape {
			w.orders.CloseDetail()
		}
	})
}

// start loads the books and syncs once; Main calls it from
// Lifecycle().SetOnStarted, tests call it directly. The search index is
// read after the first rows show, so they show at once; a demo shop is
// started again before the sync, which needs its simulator.
func (w *mainWindow) start() {
	w.status.busy(lang.L("Opening the books…"))
	w.reload(func() {
		w.refreshIndex()
		w.resumeDemo(func() {
			// The engine's own pass at start syncs every shop and the
			// window shows it from the events; but a demo shop's simulator
			// only runs from now on, so it is synced now.
			if _, demo := demoShop(w.shops); demo {
				w.syncNow()
			}
		})
	})
}

// stop cancels background work and waits for it, before the books close.
func (w *mainWindow) stop() {
	w.cancel()
	w.br.Stop()
}

// ChangeLanguage switches the window to a language ("" for the system's),
// remembers the choice and builds the widgets again in it.
func (w *mainWindow) ChangeLanguage(code string) {
	w.settings.setLanguage(code)
	setLanguage(code)
	w.sync.forget() // the status line's sentence was in the old language
	w.build()
	w.tabs.SelectIndex(tabSettings)
	w.reload(nil)
}

// snapshot is everything the window shows, read in one background job.
type snapshot struct {
	shops       []ledger.Shop
	warehouses  []ledger.Warehouse
	costCenters []ledger.CostCenter
	states      map[ledger.ShopID]ledger.SyncState
	orders      ordersui.Result
}

func readSnapshot(b Backend, read func() (ordersui.Result, error)) (s snapshot, err error) {
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
	s.orders, err = read()
	return s, err
}

// reload reads shops, the catalog and the orders the filters ask for, and
// shows them; then, if given, runs on the UI goroutine afterwards.
func (w *mainWindow) reload(then func()) {
	w.lastReload = w.now()
	read := w.orders.Prepare()
	bridge.Load(w.br, func(context.Context) (snapshot, error) {
		return readSnapshot(w.backend, read.Read)
	}, func(s snapshot, err error) {
		// The core's events name shops by id: they are heard once the
		// window knows the shops, or the engine's pass at start, which
		// often ends first, reads as "(removed shop)". They wait in the
		// subscription meanwhile.
		defer w.listen()
		if err != nil {
			w.status.say(explains(err), true)
			return
		}
		w.show(s, read)
		if then != nil {
			then()
		}
	})
}

// show puts a snapshot on every page; the order list shows its orders
// unless a later query of the list overtook read.
func (w *mainWindow) show(s snapshot, read ordersui.Reading) {
	w.shops, w.warehouses, w.costCenters, w.states = s.shops, s.warehouses, s.costCenters, s.states
	w.orders.Show(s.shops, s.warehouses, s.costCenters, read, s.orders)
	w.shopsPage.Show(shops.Snapshot{Shops: s.shops, States: s.states, SyncErrs: w.syncErrs,
		Warehouses: s.warehouses, CostCenters: s.costCenters})
	w.catalog.Show(s.warehouses, s.costCenters)
	w.books.Show(s.shops, s.warehouses, s.costCenters) // reads its totals again: orders may have changed
	w.webhooks.Show(s.shops, s.states)
	w.demoBanner.show(s.shops)

	if none := len(s.shops) == 0; none != w.empty.content.Visible() {
		if none {
			w.orders.Content().Hide()
			w.empty.content.Show()
		} else {
			w.empty.content.Hide()
			w.orders.Content().Show()
		}
		w.ordersTab.Refresh()
	}
	if !w.sync.running() {
		if len(s.shops) > 0 {
			w.syncBtn.Enable()
		} else {
			w.syncBtn.Disable()
		}
	}
	switch {
	case w.syncBusy(), w.sync.done():
	case len(s.shops) == 0:
		w.status.say(func() string { return lang.L("No shop connected yet") }, false)
	default:
		w.status.say(lastSyncSaid(s.shops, s.states))
	}
}

// refreshIndex reads the search index again in the background; a search
// typed meanwhile runs on the previous one, and again when it is done.
func (w *mainWindow) refreshIndex() {
	if !w.indexState.request() {
		return // one runs; another follows it
	}
	ix, b := w.index, w.backend
	bridge.Load(w.br, func(ctx context.Context) (struct{}, error) {
		err := ix.Refresh(ctx, b)
		// Reading every order leaves hundreds of megabytes of decoded
		// garbage at 100,000 orders; give the pages back to the system
		// now rather than keep them for the next refresh.
		debug.FreeOSMemory()
		return struct{}{}, err
	}, func(_ struct{}, err error) {
		again := w.indexState.finish(err == nil)
		if err != nil {
			if w.br.Context().Err() == nil {
				w.status.say(explains(err), true)
			}
			return
		}
		w.orders.IndexReady()
		if again {
			w.refreshIndex()
		}
	})
}

// forgetShop drops what the window remembers of a removed shop.
func (w *mainWindow) forgetShop(id ledger.ShopID) {
	delete(w.syncErrs, id)
	delete(w.problems, problemKey{id, problemAuth})
	delete(w.problems, problemKey{id, problemWebhooks})
	w.demoRemoved(id)
}

// logLine is a line of the session log: when, and the sentence, said
// anew in the language of the moment each time the log is shown.
type logLine struct {
	at   time.Time
	said sentence
}

// addLog notes a status sentence in the session log, with its time.
func (w *mainWindow) addLog(said sentence) {
	text := said()
	if text == "" || text == w.lastLog {
		return
	}
	w.lastLog = text
	w.log = append([]logLine{{w.now(), said}}, w.log...)
	if len(w.log) > settings.LogSize {
		w.log = w.log[:settings.LogSize]
	}
	if w.prefs != nil {
		w.prefs.ShowLog(w.logLines())
	}
}

// logLines says the session log in the window's language, newest first.
func (w *mainWindow) logLines() []string {
	lines := make([]string, len(w.log))
	for i, l := range w.log {
		lines[i] = clock(l.at) + "  " + l.said()
	}
	return lines
}
