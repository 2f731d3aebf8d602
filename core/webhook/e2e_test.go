package webhook

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestEndToEndWithWoosim: a simulated shop with webhooks pointing at the
// receiver, real HTTP both ways, in both API dialects.
func TestEndToEndWithWoosim(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		name := "wc-v3"
		if legacy {
			name = "legacy"
		}
		t.Run(name, func(t *testing.T) { testEndToEnd(t, legacy) })
	}
}

func testEndToEnd(t *testing.T, legacy bool) {
	f := newFixture(t, Config{})
	secret := secrets.NewWebhookSecret()
	if err := secrets.SaveWebhookSecret(f.keys, f.shop.ID, secret); err != nil {
		t.Fatal(err)
	}
	f.r.ForgetSecret(f.shop.ID)

	shop, err := woosim.Start(woosim.Options{Orders: 5, Seed: 7}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer shop.Close()
	sim := shop.Sim
	for _, topic := range []string{"order.created", "order.updated", "order.deleted"} {
		w, err := sim.CreateWebhook(woosim.WebhookSpec{Topic: topic, DeliveryURL: f.r.URL(f.shop), Secret: secret, Legacy: legacy})
		if err != nil {
			t.Fatal(err)
		}
		if w.PendingDelivery || w.Status != "active" {
			t.Fatalf("webhook %s after its ping: %+v (the ping must get 200)", topic, w)
		}
	}
	idle := func() {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := sim.WaitIdle(ctx); err != nil {
			t.Fatal(err)
		}
		f.wait()
	}

	ids := sim.AddOrders(3)
	idle()
	if err := sim.SetStatus(ids[0], "completed"); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetStatus(ids[1], "cancelled"); err != nil {
		t.Fatal(err)
	}
	if err := sim.DeleteOrder(ids[2]); err != nil {
		t.Fatal(err)
	}
	idle()

	snap := map[int64]woosim.OrderSummary{}
	for _, o := range sim.Snapshot() {
		snap[o.ID] = o
	}
	for i, id := range ids {
		o, err := f.st.Order(ledger.OrderKey{Shop: f.shop.ID, ID: id})
		if err != nil {
			t.Fatalf("order %d: %v", id, err)
		}
		want := snap[id]
		if o.Total.String() != want.Total || o.Warehouse != f.shop.Warehouse || o.CostCenter != f.shop.CostCenter {
			t.Errorf("order %d: total %s warehouse %d; shop says %s", id, o.Total, o.Warehouse, want.Total)
		}
		h, _ := f.st.History(o.Key())
		for _, ch := range h {
			if ch.Source != ledger.SourceWebhook {
				t.Errorf("order %d history entry from %s", id, ch.Source)
			}
		}
		switch i {
		case 0, 1:
			if string(o.Status) != want.Status || o.Deleted || len(h) != 2 || string(h[1].To) != want.Status {
				t.Errorf("order %d: status %s deleted %v history %+v; shop says %s", id, o.Status, o.Deleted, h, want.Status)
			}
		case 2:
			if !o.Deleted || len(h) != 2 || h[1].To != "deleted" {
				t.Errorf("order %d: deleted %v history %+v", id, o.Deleted, h)
			}
		}
	}
	ds := f.deliveries()
	if len(ds) != 6 {
		t.Errorf("%d deliveries, want 6 (3 created, 2 updated, 1 deleted)", len(ds))
	}
	for _, d := range ds {
		if d.Status != ledger.DeliveryApplied {
			t.Errorf("delivery %d %s: %s %q", d.Seq, d.Topic, d.Status, d.Error)
		}
	}
	for _, w := range sim.Webhooks() {
		if w.FailureCount != 0 || w.Status != "active" {
			t.Errorf("webhook %s: %d failures, %s", w.Topic, w.FailureCount, w.Status)
		}
	}
	if st, _ := f.st.SyncState(f.shop.ID); st.LastDelivery.IsZero() || !st.Cursor.IsZero() {
		t.Errorf("sync state %+v", st)
	}

	first, err := f.st.Delivery(f.shop.ID, ds[len(ds)-1].Seq)
	if err != nil {
		t.Fatal(err)
	}
	if isLegacy := bytes.HasPrefix(first.Body, []byte(`{"order":{`)); isLegacy != legacy || first.Topic != "order.created" {
		t.Errorf("first delivery %s: legacy body %v, want %v", first.Topic, isLegacy, legacy)
	}

	// A repeat of a delivery, as the shop sent it: 200, and nothing changes.
	last, err := f.st.Delivery(f.shop.ID, ds[0].Seq)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, f.r.URL(f.shop), bytes.NewReader(last.Body))
	for k, v := range last.Headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	f.wait()
	if resp.StatusCode != 200 || len(f.deliveries()) != 6 {
		t.Errorf("repeat: %s, %d deliveries", resp.Status, len(f.deliveries()))
	}
	h, _ := f.st.History(ledger.OrderKey{Shop: f.shop.ID, ID: ids[2]})
	if len(h) != 2 {
		t.Errorf("repeat changed the history: %+v", h)
	}
}
