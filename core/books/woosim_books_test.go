package books_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// woosimReport is the figures of GET reports/sales, in both dialects.
type woosimReport struct {
	TotalSales    string      `json:"total_sales"`
	NetSales      string      `json:"net_sales"`
	TotalOrders   int64       `json:"total_orders"`
	TotalItems    int64       `json:"total_items"`
	TotalTax      string      `json:"total_tax"`
	TotalShipping string      `json:"total_shipping"`
	TotalRefunds  json.Number `json:"total_refunds"`
	TotalDiscount string      `json:"total_discount"`
}

// simClient trusts the simulator's certificate.
func simClient(t *testing.T, srv *woosim.Server) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(srv.CertPEM) {
		t.Fatal("the simulator's certificate does not parse")
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// salesReport asks a shop (over HTTPS, with basic auth) for its own sales
// report of a range.
func salesReport(t *testing.T, client *http.Client, base, key, secret string, dialect ledger.Dialect, from, to sales.Day) woosimReport {
	t.Helper()
	base = strings.TrimRight(base, "/")
	url := fmt.Sprintf("%s/wp-json/wc/v3/reports/sales?date_min=%s&date_max=%s", base, from, to)
	if dialect == ledger.DialectLegacyV3 {
		url = fmt.Sprintf("%s/wc-api/v3/reports/sales?filter[date_min]=%s&filter[date_max]=%s", base, from, to)
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(key, secret)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if dialect == ledger.DialectLegacyV3 {
		var env struct{ Sales woosimReport }
		if err := json.Unmarshal(body, &env); err != nil {
			t.Fatal(err)
		}
		return env.Sales
	}
	var list []woosimReport
	if err := json.Unmarshal(body, &list); err != nil || len(list) != 1 {
		t.Fatalf("report %s: %v", body, err)
	}
	return list[0]
}

// independent are a month's figures of one currency computed here
// straight from the stored orders and refunds, without core/sales.
type independent struct {
	orders                     int64
	sales, tax, refunds, gross ledger.Amount
}

func independentTotals(t *testing.T, b *books.Books, shop ledger.ShopID, loc *time.Location) map[string]*independent {
	t.Helper()
	out := map[string]*independent{}
	at := func(tm time.Time, currency string) *independent {
		k := tm.In(loc).Format("2006-01") + " " + currency
		if out[k] == nil {
			out[k] = &independent{}
		}
		return out[k]
	}
	err := b.Store.EachOrder(store.OrderFilter{Shop: shop}, func(o *ledger.Order) error {
		switch o.Status {
		case ledger.StatusCompleted, ledger.StatusProcessing, ledger.StatusOnHold, ledger.StatusRefunded:
		default:
			return nil
		}
		m := at(o.Created, o.Currency)
		m.orders++
		m.gross += o.Total
		m.tax += o.CartTax + o.ShippingTax
		if len(o.Refunds) == 0 {
			return nil
		}
		if o.Status == ledger.StatusRefunded { // the whole order, on its last refund's day
			last := o.Refunds[0].Created
			for _, r := range o.Refunds {
				if r.Created.After(last) {
					last = r.Created
				}
			}
			m := at(last, o.Currency)
			m.refunds += o.Total
			m.tax -= o.CartTax + o.ShippingTax
			return nil
		}
		for _, r := range o.Refunds {
			m := at(r.Created, o.Currency)
			m.refunds += r.Amount
			for _, tl := range r.TaxLines {
				m.tax += tl.TaxTotal + tl.ShippingTaxTotal // negative in a refund
			}
			if len(r.TaxLines) == 0 { // legacy, split unknown: the items' tax
				for _, l := range r.Lines {
					m.tax += l.TotalTax
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range out {
		m.sales = m.gross - m.refunds
	}
	return out
}

// On the simulated Bulgarian VAT shop (20 % and 9 %, coupons, COD fees,
// partial and full refunds, BGN until 2026-01-01 then EUR), synced in
// each dialect: every month's summary equals the shop's own report where
// the month has one currency, and the totals computed here from the
// stored orders in every month and currency.
func TestSummaryEqualsWoosimReport(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 20, 12, 0, 0, 0, loc)
	for _, dialect := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		t.Run(string(dialect), func(t *testing.T) {
			b := openBooks(t)
			sh, srv := syncedVATShop(t, b, dialect, 600, 11, time.Date(2026, 5, 1, 0, 0, 0, 0, loc), now)
			mine := independentTotals(t, b, sh.ID, loc)
			compared, refunded, twoCurrencies := 0, 0, 0
			for m := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC); m.Before(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
				from := sales.DateDay(m.Year(), m.Month(), 1)
				to := sales.DateDay(m.Year(), m.Month()+1, 1) - 1
				s, err := b.Summary(books.SummaryQuery{From: from, To: to, Shop: sh.ID})
				if err != nil {
					t.Fatal(err)
				}
				entries, err := b.Journal(books.JournalQuery{From: from, To: to, Shop: sh.ID, Per: journal.PerPeriod})
				if err != nil {
					t.Fatal(err)
				}
				vat := map[string]ledger.Amount{}
				for _, e := range entries {
					if d, c := e.Totals(); d != c {
						t.Errorf("%s %s: the journal entry does not balance: %s / %s", m.Format("2006-01"), e.Currency, d, c)
					}
					for _, l := range e.Lines {
						if l.What == journal.WhatVAT {
							vat[e.Currency] += l.Credit - l.Debit
						}
					}
				}
				for _, g := range s.Groups {
					if vat[g.Currency] != g.TotalTax() {
						t.Errorf("%s %s: the journal's VAT %s, total_tax %s", m.Format("2006-01"), g.Currency, vat[g.Currency], g.TotalTax())
					}
					want := mine[m.Format("2006-01")+" "+g.Currency]
					if want == nil {
						t.Fatalf("%s %s: no orders here", m.Format("2006-01"), g.Currency)
					}
					if g.TotalOrders() != want.orders || g.TotalSales() != want.sales || g.TotalRefunds() != want.refunds ||
						g.TotalTax() != sales.Cents(want.tax) {
						t.Errorf("%s %s: orders %d, sales %s, refunds %s, tax %s; from the orders %d, %s, %s, %s", m.Format("2006-01"), g.Currency,
							g.TotalOrders(), g.TotalSales(), g.TotalRefunds(), g.TotalTax(), want.orders, want.sales, want.refunds, sales.Cents(want.tax))
					}
					if g.Refunds != 0 {
						refunded++
					}
				}
				if len(s.Groups) != 1 {
					twoCurrencies++
					continue // WooCommerce's report adds currencies together
				}
				g := s.Groups[0]
				rep := salesReport(t, simClient(t, srv), srv.URL, woosim.DefaultKey, woosim.DefaultSecret, dialect, from, to)
				for _, f := range []struct{ name, got, want string }{
					{"total_sales", g.TotalSales().String(), rep.TotalSales},
					{"net_sales", g.NetSales().String(), rep.NetSales},
					{"total_tax", g.TotalTax().String(), rep.TotalTax},
					{"total_shipping", g.TotalShipping().String(), rep.TotalShipping},
					{"total_refunds", g.TotalRefunds().String(), ledger.MustAmount(rep.TotalRefunds.String()).String()},
					{"total_discount", g.TotalDiscount().String(), rep.TotalDiscount},
					{"total_orders", fmt.Sprint(g.TotalOrders()), fmt.Sprint(rep.TotalOrders)},
					{"total_items", fmt.Sprint(g.TotalItems()), fmt.Sprint(rep.TotalItems)},
				} {
					if f.got != f.want {
						t.Errorf("%s %s: %s = %s, the shop's report %s", m.Format("2006-01"), g.Currency, f.name, f.got, f.want)
					}
				}
				compared++
			}
			t.Logf("%d months equal the shop's report, %d have two currencies, %d groups have refunds", compared, twoCurrencies, refunded)
			if compared < 4 || refunded == 0 {
				t.Fatalf("compared %d months with the report, %d with refunds", compared, refunded)
			}
		})
	}
}

// TestSummaryEqualsRealShopReport syncs the real WooCommerce shop named by
// WOO_TEST_URL, WOO_TEST_CK and WOO_TEST_CS (an https address; WOO_TEST_CA:
// a PEM file of extra trusted roots; WOO_TEST_DIALECT: legacy/v3) and
// compares each of the last three months that has one currency with the
// shop's own report. total_discount may differ by up to half a cent per
// order: the report sums the unrounded stored discounts, the orders show
// them rounded; the difference is logged, never hidden.
func TestSummaryEqualsRealShopReport(t *testing.T) {
	b, sh, client, url, ck, cs := realShop(t, true)
	now := time.Now().In(sh.Location())
	for i := 3; i >= 1; i-- {
		m := time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		from, to := sales.DateDay(m.Year(), m.Month(), 1), sales.DateDay(m.Year(), m.Month()+1, 1)-1
		s, err := b.Summary(books.SummaryQuery{From: from, To: to, Shop: sh.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Groups) != 1 {
			t.Logf("%s: %d currencies, which the shop's report adds together; not compared", m.Format("2006-01"), len(s.Groups))
			continue
		}
		g := s.Groups[0]
		rep := salesReport(t, client, url, ck, cs, sh.Dialect, from, to)
		for _, f := range []struct{ name, got, want string }{
			{"total_sales", g.TotalSales().String(), rep.TotalSales},
			{"net_sales", g.NetSales().String(), rep.NetSales},
			{"total_tax", g.TotalTax().String(), rep.TotalTax},
			{"total_shipping", g.TotalShipping().String(), rep.TotalShipping},
			{"total_refunds", g.TotalRefunds().String(), ledger.MustAmount(rep.TotalRefunds.String()).String()},
			{"total_orders", fmt.Sprint(g.TotalOrders()), fmt.Sprint(rep.TotalOrders)},
			{"total_items", fmt.Sprint(g.TotalItems()), fmt.Sprint(rep.TotalItems)},
		} {
			if f.got != f.want {
				t.Errorf("%s: %s = %s, the shop's report %s", m.Format("2006-01"), f.name, f.got, f.want)
			}
		}
		diff := g.TotalDiscount() - ledger.MustAmount(rep.TotalDiscount)
		if diff < 0 {
			diff = -diff
		}
		limit := ledger.Amount(50 * g.TotalOrders()) // half a cent per order
		t.Logf("%s: total_discount %s, the shop's report %s (%s)", m.Format("2006-01"), g.TotalDiscount(), rep.TotalDiscount, sales.DiscountNote)
		if diff > limit {
			t.Errorf("%s: total_discount differs by %s, more than half a cent per order (%s)", m.Format("2006-01"), diff, limit)
		}
	}
}

// realShop syncs the real shop of WOO_TEST_URL, WOO_TEST_CK and
// WOO_TEST_CS into new books, or skips the test without one; https says
// the test needs an https address (basic auth).
func realShop(t *testing.T, https bool) (b *books.Books, sh ledger.Shop, client *http.Client, url, ck, cs string) {
	t.Helper()
	url, ck, cs = os.Getenv("WOO_TEST_URL"), os.Getenv("WOO_TEST_CK"), os.Getenv("WOO_TEST_CS")
	if url == "" || ck == "" || cs == "" {
		t.Skip("no real shop: set WOO_TEST_URL (https), WOO_TEST_CK and WOO_TEST_CS (and optionally WOO_TEST_CA, WOO_TEST_DIALECT) to compare the books with the shop")
	}
	if https && !strings.HasPrefix(url, "https://") {
		t.Skip("WOO_TEST_URL is not https: the report is read with basic auth, which WooCommerce refuses over http")
	}
	client = &http.Client{Timeout: time.Minute}
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
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	}
	b = openBooks(t)
	b.HTTPClient = client
	wh, cc := catalog(t, b)
	sh, err := b.AddShop(books.NewShop{Name: "Real", URL: url, Key: ck, Secret: cs, Warehouse: wh, CostCenter: cc})
	if err != nil {
		t.Fatal(err)
	}
	if d := ledger.Dialect(os.Getenv("WOO_TEST_DIALECT")); d != "" {
		sh.Dialect = d
		if err := b.UpdateShop(sh); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	if sh, err = b.Shop(sh.ID); err != nil {
		t.Fatal(err)
	}
	return b, sh, client, url, ck, cs
}

// syncedVATShop serves a simulated Bulgarian VAT shop (Europe/Sofia, orders
// from 2025-11-01 until to, BGN until 2026-01-01 then EUR) over TLS and
// syncs it into b in dialect.
func syncedVATShop(t *testing.T, b *books.Books, dialect ledger.Dialect, orders int, seed int64, to, now time.Time) (ledger.Shop, *woosim.Server) {
	t.Helper()
	loc := to.Location()
	wh, cc := catalog(t, b)
	srv, err := woosim.Start(woosim.Options{
		Orders: orders, Seed: seed, VAT: true, SiteTimezone: loc, Now: func() time.Time { return now },
		From: time.Date(2025, 11, 1, 0, 0, 0, 0, loc), To: to,
		CurrencyChange: &woosim.CurrencyChange{At: time.Date(2026, 1, 1, 0, 0, 0, 0, loc), Before: "BGN", After: "EUR"},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	sh, err := b.AddShop(books.NewShop{Name: "Sim", URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret,
		Warehouse: wh, CostCenter: cc, CertSHA256: srv.CertSHA256})
	if err != nil {
		t.Fatal(err)
	}
	sh.Dialect, sh.Timezone = dialect, "Europe/Sofia"
	if err := b.UpdateShop(sh); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	return sh, srv
}
