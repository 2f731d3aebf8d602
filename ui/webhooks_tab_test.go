package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/engine"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// startEngine runs the app's background over b on a free loopback port;
// it stops before b closes.
func startEngine(t testing.TB, b *books.Books) *engine.Engine {
	t.Helper()
	return startEngineWith(t, b, engine.Options{})
}

// TestWebhooksTabFollowsDeliveries: the Webhooks screen (Ctrl+4) shows
// the deliveries that arrive while it is open without being touched: the
// window hears of each, applied or failed, and reloads the screen. The
// screen gets the room its layout is made for.
func TestWebhooksTabFollowsDeliveries(t *testing.T) {
	b := openBooks(t)
	sh := addShopDirectly(t, b, "Corner shop", startShop(t, 12))
	eng := startEngine(t, b)
	w, j := openWindow(t, b, options{engine: eng})
	w.start()
	j.drain(t)
	shortcut(w, fyne.Key4)
	j.drain(t)
	if w.tabs.SelectedIndex() != tabWebhooks {
		t.Fatalf("Ctrl+4 opens tab %d", w.tabs.SelectedIndex())
	}
	// ui/webhooks' TestHealthShowsWhole lays the screen out at 960×650:
	// what the window leaves it at its default size.
	if got := w.webhooks.Content().Size(); got.Width < 960 || got.Height < 650 {
		t.Errorf("at the window's default size the screen gets %v", got)
	}
	url, err := eng.WebhookURL(sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := b.WebhookSecret(sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	order := storeOrders(t, b, store.OrderFilter{Shop: sh.ID})[0]
	// The shop deletes an order (applied), then sends an order that cannot
	// be read (failed).
	for i, c := range []struct {
		topic, body string
		want        ledger.DeliveryStatus
	}{
		{"order.deleted", fmt.Sprintf(`{"id":%d}`, order.ID), ledger.DeliveryApplied},
		{"order.updated", `{"id":4242,"number":"4242","status":"processing"}`, ledger.DeliveryFailed},
	} {
		uitest.Deliver(t, url, secret, c.topic, c.body)
		waitWindow(t, w, j, fmt.Sprintf("the %s delivery in the log, %s", c.topic, c.want), func() bool {
			ds := w.webhooks.Deliveries()
			return len(ds) == i+1 && ds[0].Topic == c.topic && ds[0].Status == c.want
		})
	}
}
