package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Golden renderings of the main screens, in ui/testdata. They are made
// deterministic: fixed clock and time zone (testNow, TestMain), orders
// stored with fixed dates and contents, shops that were never synced or
// whose sync state is written here, and a fixed database path. After an
// intended change, copy ui/testdata/failed/* over the masters.

// goldenBackend is the real books with a database path that does not
// depend on the temp dir, and status histories whose times do not depend
// on when the store saw the changes: an hour apart, the last an hour
// before testNow.
type goldenBackend struct{ *books.Books }

func (goldenBackend) Path() string { return "/home/maria/.config/ShopLedger/shopledger.db" }

func (g goldenBackend) History(k ledger.OrderKey) ([]ledger.StatusChange, error) {
	h, err := g.Books.History(k)
	for i := range h {
		h[i].At = testNow.Add(-time.Duration(len(h)-i) * time.Hour)
	}
	return h, err
}

var goldenNames = []struct{ first, last, email string }{
	{"Maria", "Ivanova", "maria.ivanova@abv.bg"},
	{"Георги", "Петров", "g.petrov@mail.bg"},
	{"Margaret", "Hamilton", "margaret@example.com"},
	{"Елена", "Димитрова", "elena.d@gmail.com"},
	{"Stoyan", "Kostov", "stoyan@kostov.bg"},
}

// goldenBooks holds two shops, a second warehouse, and 40 orders with
// every status, in two currencies, one of them deleted in its shop.
func goldenBooks(t *testing.T) goldenBackend {
	t.Helper()
	b := openBooks(t)
	wh, cc := seedCatalog(t, b)
	if _, err := b.CreateWarehouse(ledger.Warehouse{Code: "EAST", Name: "East depot"}); err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	demo, err := b.CreateShop(ledger.Shop{Name: "Demo shop", URL: "https://demo.example", Warehouse: wh.ID, CostCenter: cc.ID,
		SyncMode: ledger.SyncPoll, Created: created})
	if err != nil {
		t.Fatal(err)
	}
	outlet, err := b.CreateShop(ledger.Shop{Name: "Outlet", URL: "https://outlet.example", Warehouse: wh.ID, CostCenter: cc.ID,
		SyncMode: ledger.SyncWebhook, Created: created})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.UpdateSyncState(outlet.ID, func(s *ledger.SyncState) {
		s.LastAttempt = time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)
		s.LastError = "sync Outlet: list orders page 1: auth (HTTP 401): Consumer secret is invalid."
	}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 20, 8, 15, 0, 0, time.UTC)
	for _, shop := range []ledger.Shop{demo, outlet} {
		var orders []ledger.Order
		for i := 1; i <= 20; i++ {
			n := goldenNames[(i+int(shop.ID))%len(goldenNames)]
			at := start.Add(time.Duration(i*7+int(shop.ID)*3) * time.Hour)
			currency := "BGN"
			if shop.ID == outlet.ID {
				currency = "EUR"
			}
			o := ledger.Order{
				ID: int64(1000 + i), Number: fmt.Sprint(int(shop.ID)*1000 + i),
				Status:   ledger.KnownStatuses[(i+int(shop.ID))%len(ledger.KnownStatuses)],
				Currency: currency, Total: ledger.Amount(int64(i*i*1_375+9_500) * 100), Created: at, Modified: at,
				Billing: ledger.Address{FirstName: n.first, LastName: n.last, Email: n.email, City: "Sofia", Country: "BG"},
				Lines: []ledger.LineItem{{ID: int64(i), Name: "Ceramic mug", SKU: fmt.Sprintf("MUG-%03d", i),
					Quantity: ledger.MustAmount("2"), Price: ledger.MustAmount("12.50"), Total: ledger.MustAmount("25"), TotalTax: ledger.MustAmount("5")}},
				PaymentMethodTitle: "Cash on delivery",
			}
			orders = append(orders, o)
		}
		if _, err := b.ApplyOrders(shop.ID, orders, ledger.SourcePoll, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.MarkDeleted(ledger.OrderKey{Shop: outlet.ID, ID: 1019}, ledger.SourcePoll, time.Time{}); err != nil {
		t.Fatal(err)
	}
	return goldenBackend{b}
}

// goldenWindow opens the window over the golden books, read and indexed,
// in the given language.
func goldenWindow(t *testing.T, language string) (*mainWindow, *jobs) {
	t.Helper()
	// The settings name the system's language: make it English everywhere.
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANGUAGE", "en")
	w, j := openWindow(t, goldenBooks(t), options{})
	setLanguage(language)
	w.build()
	w.reload(w.refreshIndex)
	j.drain(t)
	return w, j
}

// TestGoldenScreens renders each page of the window in English: the
// orders, the Shops page, the catalog, the webhooks, the first two steps of
// the wizard, and the detail of an order found by SKU. One window serves
// them all; the order detail comes last since it changes the list.
func TestGoldenScreens(t *testing.T) {
	w, j := goldenWindow(t, "en")
	test.AssertRendersToMarkup(t, "orders.xml", w.win.Canvas())
	test.AssertRendersToImage(t, "orders.png", w.win.Canvas())
	for _, page := range []struct {
		tab  int
		file string
	}{{tabShops, "shops.xml"}, {tabCatalog, "catalog.xml"}, {tabWebhooks, "webhooks.xml"}} {
		w.tabs.SelectIndex(page.tab)
		test.AssertRendersToMarkup(t, page.file, w.win.Canvas())
	}
	w.tabs.SelectIndex(tabOrders)

	w.shopsPage.OpenWizard()
	z := w.shopsPage.Wizard()
	typeInto(z.Name, "My shop")
	typeInto(z.URL, "https://myshop.example")
	test.AssertRendersToMarkup(t, "wizard_address.xml", w.win.Canvas())
	test.Tap(z.Next)
	j.drain(t)
	test.AssertRendersToMarkup(t, "wizard_keys.xml", w.win.Canvas())
	z.Close()

	typeInto(w.orders.Search, "mug-01")
	j.drain(t)
	w.orders.Select(0, colCustomer)
	j.drain(t)
	test.AssertRendersToMarkup(t, "order_detail.xml", w.win.Canvas())
	test.AssertRendersToImage(t, "order_detail.png", w.win.Canvas())
}

// TestGoldenScreensBulgarian renders the orders and the settings in
// Bulgarian: translated labels, dates and amounts as written there.
func TestGoldenScreensBulgarian(t *testing.T) {
	w, _ := goldenWindow(t, "bg")
	test.AssertRendersToMarkup(t, "orders_bg.xml", w.win.Canvas())
	test.AssertRendersToImage(t, "orders_bg.png", w.win.Canvas())
	w.tabs.SelectIndex(tabSettings)
	test.AssertRendersToMarkup(t, "settings_bg.xml", w.win.Canvas())
}
