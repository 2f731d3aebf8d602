package ui

import (
	"context"
	"errors"
	"html"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
	ordersui "codeberg.org/shopledger/shopledger/ui/orders"
)

// testNow is the clock the window sees in tests, so status lines are exact.
var testNow = uitest.Now

// The tests run in a fixed time zone, so dates in cells and golden files
// do not depend on the machine's.
func TestMain(m *testing.M) { uitest.Main(m) }

// jobs is the tests' executor (uitest.Jobs): background work is queued and
// runs, in order, when the test drains it on the test goroutine, so every
// test sees exactly the states it asks for (Next disabled while the test
// is queued, the list after the sync).
type jobs struct{ uitest.Jobs }

func (j *jobs) run(f func())       { j.Run(f) }
func (j *jobs) pending() int       { return j.Pending() }
func (j *jobs) drain(t testing.TB) { t.Helper(); j.Drain(t) }

// openBooks opens real books over bbolt in a temp dir, with an in-memory
// keyring of its own.
func openBooks(t testing.TB) *books.Books { t.Helper(); return uitest.OpenBooks(t) }

// startShop serves a simulated WooCommerce shop on loopback.
func startShop(t testing.TB, orders int) *woosim.Server {
	t.Helper()
	return startShopWith(t, woosim.Options{Orders: orders, Seed: 1}, false)
}

func startShopWith(t testing.TB, o woosim.Options, useTLS bool) *woosim.Server {
	t.Helper()
	srv, err := woosim.Start(o, useTLS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// openWindow builds the main window on Fyne's test driver over b, in
// English. The window's work stops before b closes: cleanups run
// last-registered first.
func openWindow(t testing.TB, b Backend, opt options) (*mainWindow, *jobs) {
	t.Helper()
	// Start at login is read from, and written to, the test's own config.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	a := test.NewTempApp(t)
	setLanguage("en")
	t.Cleanup(func() { setLanguage("") })
	j := &jobs{}
	opt.run, opt.now = j.run, func() time.Time { return testNow }
	if opt.engine == nil && opt.sync == nil {
		bus := events.NewBus()
		t.Cleanup(bus.Close) // after the window's work has stopped
		opt.sync, opt.bus = newBooksSync(b.(syncBooks), bus), bus
	}
	w := newMainWindow(a, b, opt)
	w.win.Resize(fyne.NewSize(1180, 720))
	w.win.Show()
	t.Cleanup(func() {
		w.cancel()
		j.drain(t)
		w.br.Stop()
		w.win.Close()
	})
	return w, j
}

// started opens the window and runs its start: the books are read, the
// index is filled and the shops are synced, as the engine's pass at start
// would sync them.
func started(t testing.TB, b Backend) (*mainWindow, *jobs) {
	t.Helper()
	w, j := openWindow(t, b, options{})
	startAndSync(t, w, j)
	return w, j
}

// startAndSync runs the window's start, then the sync the engine would
// run at start (booksSync has no pass of its own).
func startAndSync(t testing.TB, w *mainWindow, j *jobs) {
	t.Helper()
	w.start()
	j.drain(t)
	w.syncNow()
	j.drain(t)
}

// syncBooks is what booksSync syncs: the books.
type syncBooks interface {
	Shops() ([]ledger.Shop, error)
	SyncState(ledger.ShopID) (ledger.SyncState, error)
	SyncAll(ctx context.Context, progress func(syncer.Progress)) ([]books.ShopResult, error)
}

// booksSync stands in for the engine's automatic sync in tests of views
// that run no engine: "Sync now" syncs the books directly on the caller's
// goroutine (a job of the test's queue), and the window hears the progress
// and the outcome as events on bus, as the engine publishes them.
type booksSync struct {
	b   syncBooks
	bus *events.Bus

	mu      sync.Mutex
	cancels map[*context.CancelFunc]struct{}
}

func newBooksSync(b syncBooks, bus *events.Bus) *booksSync {
	return &booksSync{b: b, bus: bus, cancels: map[*context.CancelFunc]struct{}{}}
}

func (s *booksSync) SyncAllNow(ctx context.Context) ([]books.ShopResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.cancels[&cancel] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.cancels, &cancel)
		s.mu.Unlock()
		cancel()
	}()
	shops, err := s.b.Shops()
	if err != nil {
		return nil, err
	}
	never := map[ledger.ShopID]bool{} // shops whose pass is their import
	for _, sh := range shops {
		st, err := s.b.SyncState(sh.ID)
		if err != nil {
			return nil, err
		}
		never[sh.ID] = st.LastSuccess.IsZero()
	}
	results, err := s.b.SyncAll(ctx, func(p syncer.Progress) {
		s.bus.Publish(events.SyncProgress{Base: events.Base{Shop: p.Shop}, Pages: p.Page, PagesExpected: p.Pages, Orders: p.Orders})
	})
	for _, r := range results {
		base := events.Base{Shop: r.Shop.ID}
		switch {
		case errors.Is(r.Err, context.Canceled):
			s.bus.Publish(events.SyncCancelled{Base: base, New: r.Result.New, Updated: r.Result.Updated})
		case r.Err != nil:
			s.bus.Publish(events.SyncFailed{Base: base, Err: r.Err})
		default:
			s.bus.Publish(events.SyncFinished{Base: base, New: r.Result.New, Updated: r.Result.Updated,
				Unchanged: r.Result.Unchanged, Requests: r.Result.Requests, First: never[r.Shop.ID]})
		}
	}
	return results, err
}

func (s *booksSync) CancelAll() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.cancels {
		(*c)()
	}
	return len(s.cancels)
}

// seedCatalog makes the MAIN warehouse and WEB cost center.
func seedCatalog(t testing.TB, b *books.Books) (ledger.Warehouse, ledger.CostCenter) {
	t.Helper()
	wh, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main warehouse"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web sales"})
	if err != nil {
		t.Fatal(err)
	}
	return wh, cc
}

// addShopDirectly connects a simulated shop through the core, for tests
// that are not about the wizard; it uses MAIN and WEB, made if missing.
func addShopDirectly(t testing.TB, b *books.Books, name string, srv *woosim.Server) ledger.Shop {
	t.Helper()
	wh, err := b.WarehouseByCode("MAIN")
	if err != nil {
		wh, _ = seedCatalog(t, b)
	}
	cc, err := b.CostCenterByCode("WEB")
	if err != nil {
		t.Fatal(err)
	}
	sh, err := b.AddShop(books.NewShop{
		Name: name, URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret,
		Warehouse: wh.ID, CostCenter: cc.ID,
	})
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

// cell returns the text the list shows at row, col, through the same
// callbacks the table draws with.
func cell(w *mainWindow, row, col int) string { return w.orders.Cell(row, col) }

// column returns a column of the list, every row.
func column(w *mainWindow, col int) []string {
	out := make([]string, w.orders.Rows())
	for i := range out {
		out[i] = cell(w, i, col)
	}
	return out
}

// column indexes, as the Orders screen lists them.
const (
	colNumber     = ordersui.ColNumber
	colDate       = ordersui.ColDate
	colCustomer   = ordersui.ColCustomer
	colTotal      = ordersui.ColTotal
	colStatus     = ordersui.ColStatus
	colShop       = ordersui.ColShop
	colWarehouse  = ordersui.ColWarehouse
	colCostCenter = ordersui.ColCostCenter
)

// notDrawn returns those of texts that no cell of the table shows, judged
// from one rendering by the test driver (a Scroll's cells are not in
// LaidOutObjects, and rendering is the slow part of these tests).
func notDrawn(w *mainWindow, texts ...string) []string {
	markup := test.RenderObjectToMarkup(w.orders.Table())
	var missing []string
	for _, text := range texts {
		if !strings.Contains(markup, ">"+html.EscapeString(text)+"</text>") {
			missing = append(missing, text)
		}
	}
	return missing
}

// typeInto replaces an entry's text the way a person would type it.
func typeInto(e *widget.Entry, text string) {
	e.SetText("")
	test.Type(e, text)
}

// shortcut presses a key with Ctrl (Cmd on macOS) on the window.
func shortcut(w *mainWindow, key fyne.KeyName) {
	s := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
	w.win.Canvas().(fyne.Shortcutable).TypedShortcut(s)
}

// pressEscape types Escape on the canvas with nothing focused.
func pressEscape(w *mainWindow) {
	w.win.Canvas().Unfocus()
	w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
}

// storeOrders lists what the books hold under a filter, newest first.
func storeOrders(t testing.TB, b *books.Books, f store.OrderFilter) []ledger.Order {
	t.Helper()
	var out []ledger.Order
	if err := b.EachOrder(f, func(o *ledger.Order) error { out = append(out, *o); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// runWizard adds a shop through every step of the wizard with the
// defaults, creating nothing: the catalog must hold MAIN and WEB.
func runWizard(t testing.TB, w *mainWindow, j *jobs, name, url string) {
	t.Helper()
	w.shopsPage.OpenWizard()
	fillWizard(t, w, j, name, url)
}

// fillWizard adds a shop through the open wizard, as runWizard does.
func fillWizard(t testing.TB, w *mainWindow, j *jobs, name, url string) {
	t.Helper()
	z := w.shopsPage.Wizard()
	typeInto(z.Name, name)
	typeInto(z.URL, url)
	test.Tap(z.Next)
	j.drain(t) // the name and address are checked in the background
	typeInto(z.Key, woosim.DefaultKey)
	typeInto(z.Secret, woosim.DefaultSecret)
	test.Tap(z.Next) // tests the connection, then moves on
	j.drain(t)
	z.Warehouse.Choose(mustCode(t, w, "MAIN"))
	z.CostCenter.Select.SetSelectedIndex(0)
	test.Tap(z.Next)
	test.Tap(z.Next) // import: all orders
	test.Tap(z.Next)
	test.Tap(z.Next) // Add shop
	j.drain(t)
	if w.shopsPage.Wizard() != nil {
		t.Fatalf("the wizard stayed open: %q / %q", z.Problem.Text, z.Result.Text)
	}
}

func mustCode(t testing.TB, w *mainWindow, code string) uint64 {
	t.Helper()
	for _, wh := range w.warehouses {
		if wh.Code == code {
			return uint64(wh.ID)
		}
	}
	t.Fatalf("no warehouse %s", code)
	return 0
}
