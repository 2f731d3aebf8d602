package ui

import (
	"html"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// testNow is the clock the window sees in tests, so status lines are exact.
var testNow = time.Date(2026, 11, 27, 14, 2, 0, 0, time.UTC)

// jobs is the tests' executor: background work is queued and runs, in
// order, when the test drains it on the test goroutine. So every test sees
// exactly the states it asks for (Save disabled while the check is queued,
// the list after the sync), with no sleeps and nothing for -race to flag.
type jobs struct {
	mu sync.Mutex
	q  []func()
}

func (j *jobs) run(f func()) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.q = append(j.q, f)
}

func (j *jobs) pending() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.q)
}

// drain runs queued work, and the work it queues, until none is left.
func (j *jobs) drain(t testing.TB) {
	t.Helper()
	for n := 0; ; n++ {
		if n > 10_000 {
			t.Fatal("background work keeps queueing more work")
		}
		j.mu.Lock()
		if len(j.q) == 0 {
			j.mu.Unlock()
			return
		}
		f := j.q[0]
		j.q = j.q[1:]
		j.mu.Unlock()
		f()
	}
}

// openBooks opens real books over bbolt in a temp dir, with go-keyring's
// in-memory keyring.
func openBooks(t testing.TB) *books.Books {
	t.Helper()
	keyring.MockInit()
	b, err := books.Open(t.TempDir(), secrets.NewKeyring())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Error(err)
		}
	})
	return b
}

// startShop serves a simulated WooCommerce shop on loopback.
func startShop(t testing.TB, orders int) *woosim.Server {
	t.Helper()
	srv, err := woosim.Start(woosim.Options{Orders: orders, Seed: 1}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// openWindow builds the main window on Fyne's test driver over b. The
// window's work stops before b closes: cleanups run last-registered first.
func openWindow(t testing.TB, b Backend, opt options) (*mainWindow, *jobs) {
	t.Helper()
	a := test.NewTempApp(t)
	j := &jobs{}
	opt.run, opt.now = j.run, func() time.Time { return testNow }
	w := newMainWindow(a, b, opt)
	w.win.Resize(fyne.NewSize(1180, 720))
	w.win.Show()
	t.Cleanup(func() {
		w.cancel()
		j.drain(t)
		w.br.stop()
		w.win.Close()
	})
	return w, j
}

// addShopDirectly connects the simulated shop through the core, for tests
// that are not about the form.
func addShopDirectly(t testing.TB, b *books.Books, srv *woosim.Server) ledger.Shop {
	t.Helper()
	wh, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main warehouse"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web sales"})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := b.AddShop(books.NewShop{
		Name: "Demo shop", URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret,
		Warehouse: wh.ID, CostCenter: cc.ID,
	})
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

// cell returns the text the list shows at row, col, through the same
// callbacks the table draws with.
func cell(w *mainWindow, row, col int) string {
	lbl := w.orders.createCell().(*widget.Label)
	w.orders.updateCell(widget.TableCellID{Row: row, Col: col}, lbl)
	return lbl.Text
}

// column indexes, as orderColumns lists them.
const (
	colNumber = iota
	colDate
	colCustomer
	colTotal
	colStatus
	colShop
	colWarehouse
	colCostCenter
)

// notDrawn returns those of texts that no cell of the table shows, judged
// from one rendering by the test driver (a Scroll's cells are not in
// LaidOutObjects, and rendering is the slow part of these tests).
func notDrawn(w *mainWindow, texts ...string) []string {
	markup := test.RenderObjectToMarkup(w.orders.table)
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
