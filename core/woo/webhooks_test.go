package woo_test

import (
	"context"
	"testing"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

func TestWebhooksAPI(t *testing.T) {
	for _, dialect := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		for _, useTLS := range []bool{true, false} {
			t.Run(string(dialect)+map[bool]string{true: " https", false: " http"}[useTLS], func(t *testing.T) {
				srv, err := woosim.Start(woosim.Options{Orders: 1, ReadOnlyKey: "ck_ro", ReadOnlySecret: "cs_ro"}, useTLS)
				if err != nil {
					t.Fatal(err)
				}
				defer srv.Close()
				ctx := context.Background()
				c, _ := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Dialect: dialect, CertSHA256: srv.CertSHA256})
				w, err := c.CreateWebhook(ctx, woo.Webhook{Name: "ShopLedger order.created", Topic: "order.created",
					DeliveryURL: "http://127.0.0.1:9/webhooks/x", Secret: "abcdefghijklmnopqrstuvwxyz0123456789"})
				if err != nil {
					t.Fatal(err)
				}
				if w.ID == 0 || w.Topic != "order.created" || w.Status != woo.WebhookActive {
					t.Fatalf("created %+v", w)
				}
				if _, err := c.SetWebhookStatus(ctx, w.ID, woo.WebhookDisabled); err != nil {
					t.Fatal(err)
				}
				list, err := c.Webhooks(ctx)
				if err != nil || len(list) != 1 || list[0].Status != woo.WebhookDisabled || list[0].DeliveryURL != w.DeliveryURL {
					t.Fatalf("list = %+v, %v", list, err)
				}
				if err := c.DeleteWebhook(ctx, w.ID); err != nil {
					t.Fatal(err)
				}
				if list, _ := c.Webhooks(ctx); len(list) != 0 {
					t.Fatalf("after delete: %+v", list)
				}
				ro, _ := woo.New(woo.Config{URL: srv.URL, Key: "ck_ro", Secret: "cs_ro", Dialect: dialect, CertSHA256: srv.CertSHA256})
				_, err = ro.CreateWebhook(ctx, woo.Webhook{Topic: "order.created", DeliveryURL: "http://127.0.0.1:9/x", Secret: "s"})
				if woo.KindOf(err) != woo.KindAuth {
					t.Fatalf("read-only key creating a webhook: %v, want an auth error", err)
				}
			})
		}
	}
}

// TestUpdateWebhook moves a webhook to a new URL and secret in both
// dialects: the secret can only be checked on the shop's side.
func TestUpdateWebhook(t *testing.T) {
	for _, dialect := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		t.Run(string(dialect), func(t *testing.T) {
			srv, err := woosim.Start(woosim.Options{Orders: 1}, true)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			ctx := context.Background()
			c, _ := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Dialect: dialect, CertSHA256: srv.CertSHA256})
			w, err := c.CreateWebhook(ctx, woo.Webhook{Name: "old", Topic: "order.updated", DeliveryURL: "http://127.0.0.1:9/old", Secret: "old0secret"})
			if err != nil {
				t.Fatal(err)
			}
			srv.Sim.SetWebhookStatus(w.ID, woo.WebhookDisabled)
			got, err := c.UpdateWebhook(ctx, w.ID, woo.Webhook{Name: "new", Status: woo.WebhookActive, DeliveryURL: "http://127.0.0.1:9/new", Secret: "new0secret"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "new" || got.Status != woo.WebhookActive || got.DeliveryURL != "http://127.0.0.1:9/new" || got.Topic != "order.updated" {
				t.Errorf("updated = %+v", got)
			}
			if sims := srv.Sim.Webhooks(); len(sims) != 1 || sims[0].Secret != "new0secret" {
				t.Errorf("shop side: %+v", sims)
			}
		})
	}
}
