package autosync_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

const roKey, roSecret = "ck_readonly000000000000000000000000000000", "cs_readonly000000000000000000000000000000"

// registered is a webhook shop whose webhooks ShopLedger registered, with
// its receiver.
func registered(t *testing.T, o woosim.Options) *env {
	t.Helper()
	e := newEnv(t, o, nil)
	url, _ := e.receiver()
	if _, err := e.b.RegisterWebhooks(context.Background(), e.shop.ID, url); err != nil {
		t.Fatal(err)
	}
	sh, err := e.b.Shop(e.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.shop = sh
	return e
}

func (e *env) useKey(key, secret string) {
	e.t.Helper()
	if err := secrets.SaveShop(e.keys, e.shop.ID, secrets.Credentials{Key: key, Secret: secret}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) simStatus(id int64) string {
	for _, w := range e.sim.Webhooks() {
		if w.ID == id {
			return w.Status
		}
	}
	return "missing"
}

// TestHealthReactivates: a webhook WooCommerce disabled is switched back on
// at the hourly check. When that fails (the key was made read-only) the
// shop is polled hourly and told why, until the webhooks are active again.
func TestHealthReactivates(t *testing.T) {
	t.Parallel()
	e := registered(t, woosim.Options{Orders: 10, ReadOnlyKey: roKey, ReadOnlySecret: roSecret})
	ids := e.shop.WebhookIDs
	svc := e.serve(e.options())
	e.expect(1, "started:start", "finished:10 new", "health:ok")
	t0 := e.clk.Now()

	e.sim.SetWebhookStatus(ids[1], woo.WebhookDisabled)
	e.step(t0.Add(time.Hour), 1, fmt.Sprintf("health:reactivated [%d]", ids[1]))
	if got := e.simStatus(ids[1]); got != woo.WebhookActive {
		t.Fatalf("webhook %d is %s after the check", ids[1], got)
	}

	e.useKey(roKey, roSecret)
	e.sim.SetWebhookStatus(ids[0], woo.WebhookDisabled)
	e.sim.SetWebhookStatus(ids[2], woo.WebhookPaused)
	// Polling starts at once: the last pass was more than an hour ago.
	e.step(t0.Add(2*time.Hour), 1, "health:fallback", "started:schedule", "finished:0 new", "health:fallback")
	if h := e.health; !h.FallbackToPolling || !strings.Contains(h.Reason, "Read/Write") || !strings.Contains(h.Reason, "order.created webhook is disabled") {
		t.Errorf("WebhookHealth %+v", h)
	}
	if st := e.state(); st.Fallback != e.health.Reason {
		t.Errorf("Fallback %q, want the event's reason", st.Fallback)
	}
	if st, _ := svc.Status(); st.Mode != autosync.ModeFallback {
		t.Errorf("mode %s, want fallback", st.Mode)
	}
	e.step(t0.Add(3*time.Hour-time.Second), 1)
	e.step(t0.Add(3*time.Hour), 1, "started:schedule", "finished:0 new", "health:fallback")

	e.useKey(woosim.DefaultKey, woosim.DefaultSecret)
	e.step(t0.Add(4*time.Hour), 1, "started:schedule", "finished:0 new", fmt.Sprintf("health:reactivated [%d %d]", ids[0], ids[2]))
	if st := e.state(); st.Fallback != "" {
		t.Errorf("Fallback %q after the webhooks are healthy", st.Fallback)
	}
	// Back to the nightly catch-up (the clock reads 01:00).
	e.step(t0.Add(4*time.Hour+59*time.Minute), 1)
	e.step(t0.Add(5*time.Hour), 1, "started:schedule", "finished:0 new", "health:ok")
}

// TestSilentWebhooks: webhooks that are active but deliver nothing (the
// receiver cannot be reached) show when polling finds new orders created
// after the last delivery; the shop is polled until deliveries resume.
func TestSilentWebhooks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, woosim.Options{Orders: 10}, nil)
	url, down := e.receiver()
	if _, err := e.b.RegisterWebhooks(context.Background(), e.shop.ID, url); err != nil {
		t.Fatal(err)
	}
	svc := e.serve(e.options())
	e.expect(1, "started:start", "finished:10 new", "health:ok")
	t0 := e.clk.Now()
	ctx := context.Background()

	down.Store(true)
	e.step(t0.Add(90*time.Minute), 1, "health:ok") // the check due at 22:00, late
	e.sim.AddOrders(3)
	if err := e.sim.WaitIdle(ctx); err != nil { // the deliveries fail
		t.Fatal(err)
	}
	// Not polled in webhook mode: nothing to go by at the hourly check.
	e.step(t0.Add(150*time.Minute), 1, "health:ok")
	if _, err := svc.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	e.expect(1, "started:manual", "finished:3 new", "health:fallback")
	if r := e.state().Fallback; !strings.Contains(r, "No webhook delivery has arrived yet, but 3 new orders") {
		t.Errorf("Fallback %q", r)
	}

	// Deliveries resume: the next order arrives by webhook.
	down.Store(false)
	e.step(t0.Add(3*time.Hour), 1)
	e.sim.AddOrders(1)
	if err := e.sim.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	if st := e.state(); !st.LastDelivery.Equal(t0.Add(3 * time.Hour)) {
		t.Fatalf("LastDelivery %s", st.LastDelivery)
	}
	e.step(t0.Add(210*time.Minute), 1, "started:schedule", "finished:1 new", "health:ok")
	if st, _ := svc.Status(); st.Mode != autosync.ModeWebhook || st.Fallback != "" {
		t.Errorf("status %+v, want webhook mode", st)
	}
}

// TestHealthFindsManualWebhooks: webhooks an admin added by hand with the
// shop's delivery URL are recognised by it, and a shop without any is
// told so and polled.
func TestHealthFindsManualWebhooks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, woosim.Options{Orders: 5}, func(sh *ledger.Shop) { sh.SyncMode = ledger.SyncWebhook })
	url, _ := e.receiver()
	opt := e.options()
	opt.DeliveryURL = func(ledger.Shop) string { return url }
	for _, topic := range []string{"order.created", "order.updated"} {
		if _, err := e.sim.CreateWebhook(woosim.WebhookSpec{Topic: topic, DeliveryURL: url}); err != nil {
			t.Fatal(err)
		}
	}
	svc := e.serve(opt)
	e.expect(1, "started:start", "finished:5 new", "health:fallback")
	if r := e.health.Reason; !strings.Contains(r, "no ShopLedger webhook for order.deleted") {
		t.Errorf("reason %q", r)
	}
	if _, err := e.sim.CreateWebhook(woosim.WebhookSpec{Topic: "order.deleted", DeliveryURL: url}); err != nil {
		t.Fatal(err)
	}
	// Polled meanwhile: the pass due now comes first, then the check.
	e.step(e.clk.Now().Add(time.Hour), 1, "started:schedule", "finished:0 new", "health:ok")
	if st, _ := svc.Status(); st.Mode != autosync.ModeWebhook {
		t.Errorf("mode %s", st.Mode)
	}
}
