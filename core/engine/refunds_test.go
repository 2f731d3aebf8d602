package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/demo"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
)

// TestRefundByWebhook: the demo shop (a VAT shop with webhooks) refunds an
// order; its order.updated delivery reaches the books, and automatic sync
// fetches the refund's detail by itself, once.
func TestRefundByWebhook(t *testing.T) {
	b := openBooks(t, t.TempDir(), secrets.NewMemory())
	t.Cleanup(func() { b.Close() })
	bus := events.NewBus()
	sub := bus.Subscribe()
	e := serve(t, b, Options{Addr: "127.0.0.1:0", Bus: bus})
	d, err := e.StartDemo(context.Background(), demo.Options{Orders: 40, Interval: -1, StatusChance: -1})
	if err != nil {
		t.Fatal(err)
	}
	waitOrders(t, b, sub, 40)

	// An order the shop took money for and has not refunded.
	orders, _, err := b.Orders(store.OrderFilter{Shop: d.Shop(), Status: ledger.StatusCompleted}, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	var id, item int64
	for _, o := range orders {
		if len(o.Refunds) == 0 && len(o.Lines) > 0 {
			id, item = o.ID, o.Lines[0].ID
			break
		}
	}
	if id == 0 {
		t.Fatal("the demo has no completed order without refunds")
	}
	body, _ := json.Marshal(map[string]any{"reason": "Повреден артикул", "items": []map[string]any{{"id": item, "quantity": 1}}})
	resp, err := http.Post(d.URL()+"/__woosim/orders/"+strconv.FormatInt(id, 10)+"/refunds", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var added struct {
		ID int64 `json:"id"`
	}
	json.NewDecoder(resp.Body).Decode(&added)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || added.ID == 0 {
		t.Fatalf("adding a refund: %s, id %d", resp.Status, added.ID)
	}

	timeout := time.After(deadline)
	for fetched := false; !fetched; {
		select {
		case ev := <-sub.C:
			f, ok := ev.(events.RefundsFetched)
			fetched = ok && f.OrderID == id
		case <-timeout:
			t.Fatalf("the refund of order %d was not fetched within %v", id, deadline)
		}
	}
	o, err := b.Order(ledger.OrderKey{Shop: d.Shop(), ID: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Refunds) != 1 || o.Refunds[0].ID != added.ID || !o.Refunds[0].Detailed || len(o.Refunds[0].Lines) != 1 ||
		o.Refunds[0].Created.IsZero() || len(o.Refunds[0].TaxLines) == 0 || o.NeedsRefundDetail() {
		t.Fatalf("order %d: refunds %+v", id, o.Refunds)
	}
}
