// Package uitest holds what the tests of ui's screens share: a queue that
// runs background work on the test goroutine, real books over bbolt in a
// temp dir, a simulated shop on loopback, the engine and signed webhook
// deliveries to it, and the window's languages.
// Only tests import it.
package uitest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/engine"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woosim"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// Now is the clock screens see in tests, so the times they show are exact.
var Now = time.Date(2026, 11, 27, 14, 2, 0, 0, time.UTC)

// Main runs a screen package's tests in a fixed time zone, so dates in
// cells and golden files do not depend on the machine's.
func Main(m *testing.M) {
	time.Local = time.FixedZone("EET", 2*60*60)
	os.Exit(m.Run())
}

// Jobs is the tests' executor: background work is queued and runs, in
// order, when the test drains it on the test goroutine. So every test sees
// exactly the states it asks for, with no sleeps and nothing for -race to
// flag.
type Jobs struct {
	mu sync.Mutex
	q  []func()
}

// Run queues f; it is the bridge's run in tests.
func (j *Jobs) Run(f func()) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.q = append(j.q, f)
}

// Pending returns how many jobs wait.
func (j *Jobs) Pending() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.q)
}

// Drain runs queued work, and the work it queues, until none is left.
func (j *Jobs) Drain(t testing.TB) {
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

// OpenBooks opens real books over bbolt in a temp dir, with an in-memory
// keyring of its own.
func OpenBooks(t testing.TB) *books.Books {
	t.Helper()
	b, err := books.Open(t.TempDir(), secrets.NewMemory())
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

// StartShop serves a simulated WooCommerce shop with n orders on loopback.
func StartShop(t testing.TB, orders int) *woosim.Server {
	t.Helper()
	srv, err := woosim.Start(woosim.Options{Orders: orders, Seed: 1}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// AddShop connects a simulated shop through the core, under the MAIN
// warehouse and WEB cost center, made if missing.
func AddShop(t testing.TB, b *books.Books, name string, srv *woosim.Server) ledger.Shop {
	t.Helper()
	wh, err := b.WarehouseByCode("MAIN")
	if err != nil {
		if wh, err = b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main warehouse"}); err != nil {
			t.Fatal(err)
		}
	}
	cc, err := b.CostCenterByCode("WEB")
	if err != nil {
		if cc, err = b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web sales"}); err != nil {
			t.Fatal(err)
		}
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

// SeedOrders stores n orders of a shop straight into the books, one a
// minute from 2025-01-01 09:00 UTC, as a sync would: order i is "Customer
// i", processing, i×1.00 EUR. It is for list tests that need many orders
// and no shop to fetch them from (the shop has no keys to sync with).
func SeedOrders(t testing.TB, b *books.Books, n int) ledger.Shop {
	t.Helper()
	wh, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web"})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := b.CreateShop(ledger.Shop{Name: "Seeded shop", URL: "https://shop.example", Warehouse: wh.ID, CostCenter: cc.ID})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	const batch = 1000
	for first := 1; first <= n; first += batch {
		orders := make([]ledger.Order, 0, batch)
		for id := first; id < first+batch && id <= n; id++ {
			at := start.Add(time.Duration(id) * time.Minute)
			orders = append(orders, ledger.Order{
				ID: int64(id), Number: fmt.Sprint(id), Status: ledger.StatusProcessing, Currency: "EUR",
				Total: ledger.Amount(id * 10000), Created: at, Modified: at,
				Billing: ledger.Address{FirstName: "Customer", LastName: fmt.Sprint(id)},
			})
		}
		if _, err := b.ApplyOrders(sh.ID, orders, ledger.SourcePoll, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	return sh
}

// English starts a test app speaking English, for the test.
func English(t testing.TB) {
	t.Helper()
	test.NewTempApp(t)
	_, file, _, _ := runtime.Caller(0)
	i18n.Load(os.DirFS(filepath.Join(filepath.Dir(file), "..", "..", "translations")))
	i18n.SetLanguage("en")
	t.Cleanup(func() { i18n.SetLanguage("") })
}

// TypeInto replaces an entry's text the way a person would type it.
func TypeInto(e *widget.Entry, text string) {
	e.SetText("")
	test.Type(e, text)
}

// StartEngine serves the app's background over b (automatic sync, the
// webhook receiver on a free loopback port, the demo shop) until the test
// ends, before b closes.
func StartEngine(t testing.TB, b *books.Books) *engine.Engine {
	t.Helper()
	eng := engine.New(b, engine.Options{Addr: "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- eng.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Error(err)
		}
		eng.Bus.Close()
	})
	select {
	case <-eng.Ready():
	case <-time.After(60 * time.Second):
		t.Fatal("the engine did not listen")
	}
	return eng
}

// Deliver posts a delivery to a webhook URL signed with secret, as
// WooCommerce sends it, and fails the test unless the receiver takes it.
func Deliver(t testing.TB, url, secret, topic, body string) {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-WC-Webhook-Topic", topic)
	req.Header.Set("X-WC-Webhook-Resource", "order")
	req.Header.Set("X-WC-Webhook-Event", strings.TrimPrefix(topic, "order."))
	req.Header.Set("X-WC-Webhook-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req.Header.Set("X-WC-Webhook-ID", "1")
	req.Header.Set("X-WC-Webhook-Delivery-ID", "test-delivery-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the receiver answered %s", resp.Status)
	}
}
