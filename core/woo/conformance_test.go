package woo_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// target is a shop the conformance suite runs against: a simulator in
// some configuration, or a real shop from the environment.
type target struct {
	cfg woo.Config
	sim *woosim.Sim // nil for a real shop: the suite then only reads
}

// conformance checks what ShopLedger relies on from any shop in any
// dialect and authentication mode.
func conformance(t *testing.T, tg target) {
	ctx := context.Background()
	c, err := woo.New(tg.cfg)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("paging lists every order once", func(t *testing.T) {
		first, err := c.ListOrders(ctx, woo.ListOptions{PerPage: 7, OrderBy: "id"})
		if err != nil {
			t.Fatal(err)
		}
		if first.Total == 0 {
			t.Skip("the shop has no orders")
		}
		pages := min(first.TotalPages, 5)
		seen := map[int64]bool{}
		for p := 1; p <= pages; p++ {
			page, err := c.ListOrders(ctx, woo.ListOptions{Page: p, PerPage: 7, OrderBy: "id"})
			if err != nil {
				t.Fatalf("page %d: %v", p, err)
			}
			for _, o := range page.Orders {
				if seen[o.ID] {
					t.Fatalf("order %d on two pages", o.ID)
				}
				seen[o.ID] = true
				if o.Created.IsZero() || o.Modified.Before(o.Created) || o.Currency == "" || o.Status == "" || len(o.Raw) == 0 {
					t.Fatalf("order %d decoded incompletely: %+v", o.ID, o)
				}
			}
		}
		if want := min(first.Total, pages*7); len(seen) != want {
			t.Fatalf("%d pages held %d orders, want %d", pages, len(seen), want)
		}
	})

	t.Run("single order matches the list", func(t *testing.T) {
		page, err := c.ListOrders(ctx, woo.ListOptions{PerPage: 1})
		if err != nil || len(page.Orders) == 0 {
			t.Skipf("no order to compare: %v", err)
		}
		listed := page.Orders[0]
		single, err := c.Order(ctx, listed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if single.Number != listed.Number || single.Total != listed.Total || single.Status != listed.Status || !single.Modified.Equal(listed.Modified) {
			t.Fatalf("single %+v differs from listed %+v", single, listed)
		}
	})

	t.Run("missing order is not found", func(t *testing.T) {
		_, err := c.Order(ctx, 987654321)
		if woo.KindOf(err) != woo.KindNotFound {
			t.Fatalf("err = %v, want not found", err)
		}
	})

	t.Run("modified after lists only later changes", func(t *testing.T) {
		if tg.sim == nil {
			t.Skip("changes orders: simulator only")
		}
		after := time.Now().UTC().Truncate(time.Second).Add(time.Second)
		waitUntil(after.Add(time.Second))
		if err := tg.sim.SetStatus(3, "on-hold"); err != nil {
			t.Fatal(err)
		}
		page, err := c.ListOrders(ctx, woo.ListOptions{ModifiedAfter: after})
		if err != nil {
			t.Fatal(err)
		}
		if page.FilterIgnored || len(page.Orders) != 1 || page.Orders[0].ID != 3 || page.Orders[0].Status != ledger.StatusOnHold {
			t.Fatalf("modified after %s: %d orders (filter ignored %v)", after, len(page.Orders), page.FilterIgnored)
		}
	})

	t.Run("wrong secret is an auth error", func(t *testing.T) {
		bad := tg.cfg
		bad.Secret = "cs_definitely_wrong"
		bc, err := woo.New(bad)
		if err != nil {
			t.Fatal(err)
		}
		_, err = bc.ListOrders(ctx, woo.ListOptions{PerPage: 1})
		var e *woo.Error
		if !errors.As(err, &e) || e.Kind != woo.KindAuth || e.Retryable() {
			t.Fatalf("err = %v, want a permanent auth error", err)
		}
	})

	summaryConformance(t, c, tg.sim) // summary_test.go
	countConformance(t, c)           // count_test.go
}

// waitUntil sleeps until t: the filter has one-second resolution, so a
// change must land in a later second than the filter's date.
func waitUntil(t time.Time) { time.Sleep(time.Until(t)) }

func TestConformanceSimulator(t *testing.T) {
	for _, dialect := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		for _, mode := range []struct {
			name   string
			tls    bool
			auth   woo.AuthMode
			oauth  woo.SignatureMethod
			faults woosim.FaultConfig
			want   woo.AuthMode
		}{
			{"https basic", true, "", "", woosim.FaultConfig{}, woo.AuthBasic},
			{"https query keys", true, woo.AuthQuery, "", woosim.FaultConfig{}, woo.AuthQuery},
			{"https header stripped", true, "", "", woosim.FaultConfig{StripAuthorization: true}, woo.AuthQuery},
			{"http oauth sha256", false, "", woo.HMACSHA256, woosim.FaultConfig{}, woo.AuthOAuth},
			{"http oauth sha1", false, "", woo.HMACSHA1, woosim.FaultConfig{}, woo.AuthOAuth},
		} {
			t.Run(fmt.Sprintf("%s %s", dialect, mode.name), func(t *testing.T) {
				t.Parallel()
				srv, err := woosim.Start(woosim.Options{Orders: 40, Seed: 21, Faults: mode.faults}, mode.tls)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(srv.Close)
				cfg := woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Dialect: dialect,
					Auth: mode.auth, OAuth: mode.oauth, CertSHA256: srv.CertSHA256, Retry: woo.Retry{Attempts: 1}}
				conformance(t, target{cfg: cfg, sim: srv.Sim})
				c, _ := woo.New(cfg)
				if _, err := c.ListOrders(context.Background(), woo.ListOptions{PerPage: 1}); err != nil || c.Auth() != mode.want {
					t.Errorf("authentication in use: %s (%v), want %s", c.Auth(), err, mode.want)
				}
			})
		}
	}
}

// TestConformanceRealShop runs the read-only part of the suite against a
// real WooCommerce shop named by WOO_TEST_URL, WOO_TEST_CK and WOO_TEST_CS
// (WOO_TEST_CA: a PEM file of extra trusted roots; WOO_TEST_DIALECT:
// legacy/v3 to test the legacy API).
func TestConformanceRealShop(t *testing.T) {
	url, ck, cs := os.Getenv("WOO_TEST_URL"), os.Getenv("WOO_TEST_CK"), os.Getenv("WOO_TEST_CS")
	if url == "" || ck == "" || cs == "" {
		t.Skip("no real shop: set WOO_TEST_URL, WOO_TEST_CK and WOO_TEST_CS (and optionally WOO_TEST_CA) to run the suite against one")
	}
	cfg := woo.Config{URL: url, Key: ck, Secret: cs, Dialect: ledger.Dialect(os.Getenv("WOO_TEST_DIALECT"))}
	if ca := os.Getenv("WOO_TEST_CA"); ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			t.Fatal(err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		pool.AppendCertsFromPEM(pem)
		cfg.HTTPClient = woo.DefaultHTTPClient()
		cfg.HTTPClient.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	conformance(t, target{cfg: cfg})
}
