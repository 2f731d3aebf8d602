package books_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestRegisterWebhooks registers ShopLedger's webhooks in both dialects:
// it reuses and corrects its own, never duplicates them, leaves others'
// alone, and needs a Read/Write key.
func TestRegisterWebhooks(t *testing.T) {
	for _, dialect := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		t.Run(string(dialect), func(t *testing.T) {
			b := openBooks(t)
			wh, cc := catalog(t, b)
			srv, err := woosim.Start(woosim.Options{Orders: 1, ReadOnlyKey: "ck_ro", ReadOnlySecret: "cs_ro"}, true)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			sim := srv.Sim
			recv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			defer recv.Close()
			const path = "/webhooks/00112233445566778899aabbccddeeff"
			url := recv.URL + path
			sh, err := b.AddShop(books.NewShop{Name: "Sim", URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret,
				Warehouse: wh, CostCenter: cc, CertSHA256: srv.CertSHA256})
			if err != nil {
				t.Fatal(err)
			}
			sh.Dialect = dialect
			if err := b.UpdateShop(sh); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()

			foreign, _ := sim.CreateWebhook(woosim.WebhookSpec{Topic: "order.created", DeliveryURL: "https://erp.example/hook"})
			// Ours from before the public address changed, disabled since.
			stale, _ := sim.CreateWebhook(woosim.WebhookSpec{Name: "old", Topic: "order.updated", DeliveryURL: "http://127.0.0.1:9" + path})
			sim.SetWebhookStatus(stale.ID, woo.WebhookDisabled)
			dup, _ := sim.CreateWebhook(woosim.WebhookSpec{Topic: "order.updated", DeliveryURL: url})

			got, err := b.RegisterWebhooks(ctx, sh.ID, url)
			if err != nil {
				t.Fatal(err)
			}
			secret, err := secrets.LoadWebhookSecret(b.Secrets, sh.ID)
			if err != nil || len(secret) != secrets.WebhookSecretLength {
				t.Fatalf("webhook secret: %d characters, %v", len(secret), err)
			}
			var ids []int64
			for _, w := range got {
				ids = append(ids, w.ID)
			}
			if len(got) != 3 || !slices.Contains(ids, stale.ID) || slices.Contains(ids, dup.ID) {
				t.Errorf("registered %v; want 3, reusing %d, not %d", ids, stale.ID, dup.ID)
			}
			checkShopSide := func() {
				t.Helper()
				apiVersion := map[ledger.Dialect]string{ledger.DialectWCV3: "wp_api_v3", ledger.DialectLegacyV3: "legacy_v3"}[dialect]
				var topics []string
				for _, w := range sim.Webhooks() {
					if w.ID == foreign.ID {
						if w.DeliveryURL != "https://erp.example/hook" || w.Status != woo.WebhookActive {
							t.Errorf("someone else's webhook changed: %+v", w)
						}
						continue
					}
					topics = append(topics, w.Topic)
					if w.Name != books.WebhookName(w.Topic) || w.Status != woo.WebhookActive || w.DeliveryURL != url || w.Secret != secret {
						t.Errorf("webhook %d: %q %s %s, secret as stored: %v", w.ID, w.Name, w.Status, w.DeliveryURL, w.Secret == secret)
					}
					if w.ID != stale.ID && w.APIVersion != apiVersion {
						t.Errorf("webhook %d renders %s, want %s", w.ID, w.APIVersion, apiVersion)
					}
				}
				slices.Sort(topics)
				if fmt.Sprint(topics) != "[order.created order.deleted order.updated]" {
					t.Errorf("ShopLedger's webhooks in the shop: %v", topics)
				}
			}
			checkShopSide()
			stored, _ := b.Shop(sh.ID)
			slices.Sort(ids)
			if fmt.Sprint(stored.WebhookIDs) != fmt.Sprint(ids) || stored.SyncMode != ledger.SyncWebhook {
				t.Errorf("shop keeps %v in %s mode, want %v in webhook mode", stored.WebhookIDs, stored.SyncMode, ids)
			}

			// Again: nothing new.
			again, err := b.RegisterWebhooks(ctx, sh.ID, url)
			if err != nil || len(again) != 3 || len(sim.Webhooks()) != 4 {
				t.Fatalf("registering again: %d, %v; the shop has %d webhooks", len(again), err, len(sim.Webhooks()))
			}
			checkShopSide()

			setup, err := b.WebhookInstructions(sh.ID, url)
			if err != nil || setup.Secret != secret || setup.DeliveryURL != url || len(setup.Topics) != 3 || setup.Names["order.deleted"] != "ShopLedger order.deleted" {
				t.Errorf("instructions %+v, %v", setup, err)
			}
			if want := map[ledger.Dialect]string{ledger.DialectWCV3: "WP REST API Integration v3", ledger.DialectLegacyV3: "Legacy API v3"}[dialect]; setup.APIVersion != want {
				t.Errorf("API version %q, want %q", setup.APIVersion, want)
			}
			for _, s := range []string{fmt.Sprint(setup), fmt.Sprintf("%+v", setup), fmt.Sprintf("%#v", setup)} {
				if strings.Contains(s, secret) {
					t.Errorf("the setup prints its secret: %s", s)
				}
			}

			// A read-only key can neither register nor switch webhooks on.
			secrets.SaveShop(b.Secrets, sh.ID, secrets.Credentials{Key: "ck_ro", Secret: "cs_ro"})
			sim.SetWebhookStatus(ids[0], woo.WebhookDisabled)
			_, err = b.RegisterWebhooks(ctx, sh.ID, url)
			var ro *books.ReadOnlyKeyError
			if !errors.As(err, &ro) || !strings.Contains(books.UserMessage(err), "Read/Write permission") {
				t.Errorf("read-only key: %v / %q", err, books.UserMessage(err))
			}
			chk, err := b.CheckWebhooks(ctx, sh.ID, "")
			if err != nil || !errors.As(chk.Err, &ro) || len(chk.Inactive()) != 1 || chk.Inactive()[0].ID != ids[0] || len(chk.Missing) != 0 {
				t.Errorf("check with a read-only key: %+v, %v", chk, err)
			}

			secrets.SaveShop(b.Secrets, sh.ID, secrets.Credentials{Key: woosim.DefaultKey, Secret: woosim.DefaultSecret})
			chk, err = b.CheckWebhooks(ctx, sh.ID, "")
			if err != nil || chk.Err != nil || fmt.Sprint(chk.Reactivated) != fmt.Sprint(ids[:1]) || len(chk.Inactive()) != 0 {
				t.Errorf("check: %+v, %v", chk, err)
			}

			if err := b.UnregisterWebhooks(ctx, sh.ID, url); err != nil {
				t.Fatal(err)
			}
			if left := sim.Webhooks(); len(left) != 1 || left[0].ID != foreign.ID {
				t.Errorf("after unregistering the shop has %+v", left)
			}
			stored, _ = b.Shop(sh.ID)
			if len(stored.WebhookIDs) != 0 || stored.SyncMode != ledger.SyncPoll {
				t.Errorf("after unregistering: %v, %s", stored.WebhookIDs, stored.SyncMode)
			}
		})
	}
}

func TestRegisterWebhooksRefusesBadURL(t *testing.T) {
	b := openBooks(t)
	for _, u := range []string{"", "webhooks/x", "ftp://h/x", "http:///x"} {
		if _, err := b.RegisterWebhooks(context.Background(), 1, u); err == nil {
			t.Errorf("RegisterWebhooks(%q) accepted", u)
		}
	}
}
