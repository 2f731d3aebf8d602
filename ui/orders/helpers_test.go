package orders

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/orderindex"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

func TestMain(m *testing.M) { uitest.Main(m) }

// shell stands in for the window: it hosts the screen, owns the search
// index, and reloads as the window does — the shops and the catalog read
// in one background job with the list's first page, then Show.
type shell struct {
	t     testing.TB
	win   fyne.Window
	br    *bridge.Bridge
	b     *books.Books
	ix    *orderindex.Index
	ready bool     // the index has been read
	errs  []string // what ShowError said, in words
	page  *Page
}

func (s *shell) Window() fyne.Window                    { return s.win }
func (s *shell) Bridge() *bridge.Bridge                 { return s.br }
func (s *shell) Now() time.Time                         { return uitest.Now }
func (s *shell) SearchIndex() (*orderindex.Index, bool) { return s.ix, s.ready }
func (s *shell) ShowError(err error)                    { s.errs = append(s.errs, i18n.UserMessage(err)) }

// snapshot is what the window's reload reads besides the list.
type snapshot struct {
	shops []ledger.Shop
	whs   []ledger.Warehouse
	ccs   []ledger.CostCenter
	res   Result
}

// reload is the window's reload.
func (s *shell) reload() {
	r := s.page.Prepare()
	bridge.Load(s.br, func(context.Context) (v snapshot, err error) {
		if v.shops, err = s.b.Shops(); err != nil {
			return v, err
		}
		if v.whs, err = s.b.Warehouses(); err != nil {
			return v, err
		}
		if v.ccs, err = s.b.CostCenters(); err != nil {
			return v, err
		}
		v.res, err = r.Read()
		return v, err
	}, func(v snapshot, err error) {
		if err != nil {
			s.t.Fatal(err)
		}
		s.page.Show(v.shops, v.whs, v.ccs, r, v.res)
	})
}

// refreshIndex reads the search index in the background, as the window
// does after its start, and tells the screen when it is ready.
func (s *shell) refreshIndex() {
	ix, b := s.ix, s.b
	bridge.Load(s.br, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, ix.Refresh(ctx, b)
	}, func(_ struct{}, err error) {
		if err != nil {
			s.t.Fatal(err)
		}
		s.ready = true
		s.page.IndexReady()
	})
}

// openPage shows the screen over b in a window of its own, in English,
// reading pageSize orders at once (0: PageSize); its background work runs
// when the test drains j. Nothing is read until the test reloads.
func openPage(t testing.TB, b *books.Books, pageSize int) (*Page, *shell, *uitest.Jobs) {
	t.Helper()
	return openPageIn(t, b, pageSize, "en")
}

// openPageIn is openPage in a language: "en" or "bg".
func openPageIn(t testing.TB, b *books.Books, pageSize int, language string) (*Page, *shell, *uitest.Jobs) {
	t.Helper()
	uitest.English(t)
	i18n.SetLanguage(language)
	j := &uitest.Jobs{}
	ctx, cancel := context.WithCancel(context.Background())
	s := &shell{t: t, win: test.NewWindow(nil), br: bridge.New(ctx, j.Run), b: b, ix: orderindex.New()}
	s.page = New(s, b, fyne.CurrentApp().Preferences(), pageSize)
	s.win.SetContent(s.page.Content())
	s.win.Resize(fyne.NewSize(1180, 720))
	t.Cleanup(func() {
		cancel()
		j.Drain(t)
		s.br.Stop()
		s.win.Close()
	})
	return s.page, s, j
}

// The two shops of twoShops.
const (
	demoOrders   = 40
	outletOrders = 16
)

// twoShops syncs two simulated shops into fresh books and shows the
// screen over them, read and indexed.
func twoShops(t *testing.T) (*books.Books, *Page, *shell, *uitest.Jobs) {
	t.Helper()
	b := uitest.OpenBooks(t)
	uitest.AddShop(t, b, "Demo shop", uitest.StartShop(t, demoOrders))
	outlet, err := woosim.Start(woosim.Options{Orders: outletOrders, Seed: 9}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(outlet.Close)
	uitest.AddShop(t, b, "Outlet", outlet)
	results, err := b.SyncAll(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	p, s, j := openPage(t, b, 0)
	s.reload()
	s.refreshIndex()
	j.Drain(t)
	if n := p.Rows(); n != demoOrders+outletOrders {
		t.Fatalf("the list has %d rows, want %d", n, demoOrders+outletOrders)
	}
	return b, p, s, j
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

// column returns a column of the list, every row.
func column(p *Page, col int) []string {
	out := make([]string, p.Rows())
	for i := range out {
		out[i] = p.Cell(i, col)
	}
	return out
}

// listed returns the keys of the orders the list shows, in order, reading
// the pages it does not hold.
func listed(t *testing.T, p *Page, j *uitest.Jobs) []ledger.OrderKey {
	t.Helper()
	var keys []ledger.OrderKey
	for row := range p.Rows() {
		o, missing := p.list.model.order(row)
		if o == nil && missing >= 0 {
			p.list.want(missing)
			j.Drain(t)
			o, _ = p.list.model.order(row)
		}
		if o == nil {
			t.Fatalf("row %d never arrived", row)
		}
		keys = append(keys, o.Key())
	}
	return keys
}

func keysOf(orders []ledger.Order) []ledger.OrderKey {
	keys := make([]ledger.OrderKey, len(orders))
	for i := range orders {
		keys[i] = orders[i].Key()
	}
	return keys
}
