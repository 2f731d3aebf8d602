package autosync_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woo"
)

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "woo", "testdata", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRefundsAfterWebhookAndBackfill: the service fetches the refunds of an
// order a webhook delivery changed, once, and runs the refund backfill a
// migration asked for at start. The shop serves captured answers on
// 127.0.0.1 until woosim speaks refunds.
func TestRefundsAfterWebhookAndBackfill(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	refunds := map[string][]byte{
		"1318": sample(t, "wc-v3-order-refunds-partial.json"),
		"1307": sample(t, "wc-v3-order-refunds-full.json"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		p, ok := strings.CutPrefix(r.URL.Path, "/wp-json/wc/v3/orders")
		switch {
		case ok && p == "":
			w.Write([]byte("[]")) // no order changed since the webhooks
		case ok && strings.HasSuffix(p, "/refunds"):
			id := strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/refunds")
			mu.Lock()
			asked[id]++
			mu.Unlock()
			w.Write(refunds[id])
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	b, err := books.Open(t.TempDir(), secrets.NewMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	wh, err := b.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := b.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web"})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := b.AddShop(books.NewShop{Name: "VAT", URL: srv.URL, Key: "ck_x", Secret: "cs_x", Warehouse: wh.ID, CostCenter: cc.ID})
	if err != nil {
		t.Fatal(err)
	}
	sh.Dialect, sh.Timezone = ledger.DialectWCV3, "Europe/Sofia"
	if err := b.UpdateShop(sh); err != nil {
		t.Fatal(err)
	}
	var orders []ledger.Order
	for _, name := range []string{"wc-v3-order-vat-partial-refund.json", "wc-v3-order-fully-refunded.json"} {
		o, err := woo.DecodeOrder(sample(t, name))
		if err != nil {
			t.Fatal(err)
		}
		orders = append(orders, o)
	}
	// 1307 was stored by an older ShopLedger (the migration asks for a
	// backfill); 1318 arrives by webhook once the service runs.
	if _, err := b.ApplyOrders(sh.ID, orders[1:], ledger.SourcePoll, orders[1].Modified); err != nil {
		t.Fatal(err)
	}
	if err := b.UpdateSyncState(sh.ID, func(s *ledger.SyncState) { s.RefundBackfill = true }); err != nil {
		t.Fatal(err)
	}

	bus := events.NewBus()
	sub := bus.Subscribe()
	defer sub.Close()
	svc := autosync.NewService(b, sh.ID, autosync.Options{Bus: bus})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Serve(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	waitFor := func(what string, match func(events.Event) bool) {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case e := <-sub.C:
				if match(e) {
					return
				}
			case <-timeout:
				t.Fatalf("no %s", what)
			}
		}
	}
	waitFor("finished backfill", func(e events.Event) bool {
		f, ok := e.(events.RefundBackfill)
		return ok && f.Done && f.Fetched == 1
	})

	if _, err := b.ApplyOrders(sh.ID, orders[:1], ledger.SourceWebhook, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second delivery finds the detail there
		bus.Publish(events.WebhookApplied{Base: bus.Stamp(sh.ID), OrderID: 1318})
	}
	waitFor("refunds fetched", func(e events.Event) bool {
		f, ok := e.(events.RefundsFetched)
		return ok && f.OrderID == 1318
	})
	// A barrier, since the service handles deliveries in order: 1307
	// changes in the shop (it lists another refund), and is fetched again.
	changed := orders[1]
	changed.Modified = changed.Modified.Add(time.Hour)
	changed.Refunds = append([]ledger.Refund{{ID: 1399, Amount: 100}}, changed.Refunds...)
	if _, err := b.ApplyOrders(sh.ID, []ledger.Order{changed}, ledger.SourceWebhook, time.Time{}); err != nil {
		t.Fatal(err)
	}
	bus.Publish(events.WebhookApplied{Base: bus.Stamp(sh.ID), OrderID: 1307})
	waitFor("refunds fetched again", func(e events.Event) bool {
		f, ok := e.(events.RefundsFetched)
		return ok && f.OrderID == 1307
	})
	for _, c := range []struct {
		id   int64
		body string
	}{{1318, "wc-v3-order-refunds-partial.json"}, {1307, "wc-v3-order-refunds-full.json"}} {
		o, err := b.Order(ledger.OrderKey{Shop: sh.ID, ID: c.id})
		if err != nil {
			t.Fatal(err)
		}
		want, err := woo.DecodeRefunds(sample(t, c.body))
		if err != nil {
			t.Fatal(err)
		}
		if o.NeedsRefundDetail() || !reflect.DeepEqual(o.Refunds, want) {
			t.Errorf("order %d: refunds %+v", c.id, o.Refunds)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if !reflect.DeepEqual(asked, map[string]int{"1318": 1, "1307": 2}) {
		t.Errorf("refunds asked for %v, want 1318 once, 1307 at the backfill and after its change", asked)
	}
}
