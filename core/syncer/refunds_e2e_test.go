package syncer_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// refundCounter counts, in front of woosim, the requests for each order's
// refunds and all the others.
type refundCounter struct {
	next  http.Handler
	mu    sync.Mutex
	asked map[int64]int
	other int
}

func (c *refundCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	if rest, ok := strings.CutSuffix(r.URL.Path, "/refunds"); ok {
		i := strings.LastIndexByte(rest, '/')
		id, _ := strconv.ParseInt(rest[i+1:], 10, 64)
		c.asked[id]++
	} else {
		c.other++
	}
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *refundCounter) take() (map[int64]int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, o := c.asked, c.other
	c.asked, c.other = map[int64]int{}, 0
	return a, o
}

// TestRefundsEndToEnd: a VAT shop in woosim, both dialects. The backfill
// after the import asks for the refunds of the orders that have some
// (wc/v3) or may (legacy); an unchanged shop costs no refund request; an order that gains
// a partial refund, then a full one, costs one each, and the books hold
// what the shop's refunds endpoint says, with the refunds' own dates and
// amounts.
func TestRefundsEndToEnd(t *testing.T) {
	for _, d := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		t.Run(string(d), func(t *testing.T) {
			now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
			var clockMu sync.Mutex
			clock := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return now }
			advance := func(d time.Duration) { clockMu.Lock(); now = now.Add(d); clockMu.Unlock() }
			sofia, _ := time.LoadLocation("Europe/Sofia")
			sim := woosim.New(woosim.Options{Orders: 120, Seed: 23, VAT: true, SiteTimezone: sofia, Now: clock})
			counter := &refundCounter{next: sim.Handler(), asked: map[int64]int{}}
			srv := httptest.NewServer(counter)
			defer srv.Close()

			st, err := store.Open(filepath.Join(t.TempDir(), "books.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			sh, err := st.CreateShop(ledger.Shop{Name: "VAT", URL: srv.URL, Dialect: d})
			if err != nil {
				t.Fatal(err)
			}
			c, err := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Dialect: d, Now: clock})
			if err != nil {
				t.Fatal(err)
			}
			wcClient, err := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Now: clock})
			if err != nil {
				t.Fatal(err)
			}
			exact, unknown := 0, 0
			pass := func() {
				t.Helper()
				if _, err := syncer.Pass(context.Background(), st, sh, c, syncer.Options{Now: clock}); err != nil {
					t.Fatal(err)
				}
			}
			// check compares the books with the shop's refunds endpoint and
			// with what the shop says of its refunds.
			check := func(id int64) {
				t.Helper()
				key := ledger.OrderKey{Shop: sh.ID, ID: id}
				o, err := st.Order(key)
				if err != nil {
					t.Fatal(err)
				}
				fetched, err := c.Refunds(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				want := o
				want.Refunds = fetched
				woo.DeriveRefundTaxes(&want)
				if o.NeedsRefundDetail() || !reflect.DeepEqual(o.Refunds, want.Refunds) {
					t.Errorf("order %d: stored refunds %+v, want %+v", id, o.Refunds, want.Refunds)
				}
				if d == ledger.DialectLegacyV3 {
					// What the legacy refunds say per tax rate, derived from
					// the order, is what the same shop's wc/v3 API says.
					wcRefunds, err := wcClient.Refunds(context.Background(), id)
					if err != nil {
						t.Fatal(err)
					}
					for i, r := range o.Refunds {
						if r.TaxSplitUnknown {
							unknown++
							continue
						}
						exact++
						if got, want := ratesOf(r), ratesOf(wcRefunds[i]); !reflect.DeepEqual(got, want) {
							t.Errorf("order %d refund %d: legacy taxes per rate %v, wc/v3 %v", id, r.ID, got, want)
						}
					}
				}
				sums, err := sim.Refunds(id)
				if err != nil {
					t.Fatal(err)
				}
				if len(sums) != len(o.Refunds) {
					t.Fatalf("order %d: %d refunds stored, the shop has %d", id, len(o.Refunds), len(sums))
				}
				for i, s := range sums {
					r := o.Refunds[i]
					if r.ID != s.ID || r.Amount.String() != s.Amount || !r.Created.Equal(s.Created) || r.Reason != s.Reason {
						t.Errorf("order %d: refund %+v, the shop's %+v", id, r, s)
					}
				}
			}

			pass()
			// The import leaves refunds to the backfill after it.
			if asked, _ := counter.take(); len(asked) != 0 {
				t.Fatalf("the import asked for refunds %v", asked)
			}
			if _, err := syncer.BackfillRefunds(context.Background(), c, st, sh, nil); err != nil {
				t.Fatal(err)
			}
			asked, _ := counter.take()
			wantAsked := map[int64]int{}
			var refunded []int64
			var fresh int64 // a completed order without refunds
			for _, s := range sim.Snapshot() {
				rs, _ := sim.Refunds(s.ID)
				if len(rs) > 0 {
					refunded = append(refunded, s.ID)
				}
				if len(rs) > 0 && d == ledger.DialectWCV3 || d == ledger.DialectLegacyV3 && ledger.Status(s.Status).MayHaveRefunds() {
					wantAsked[s.ID] = 1
				}
				if len(rs) == 0 && s.Status == "completed" && fresh == 0 {
					fresh = s.ID
				}
			}
			if len(refunded) == 0 || fresh == 0 {
				t.Fatalf("the shop has %d refunded orders and no completed one without refunds (%d)", len(refunded), fresh)
			}
			if !reflect.DeepEqual(asked, wantAsked) {
				t.Fatalf("the import asked for the refunds of %d orders, want %d", len(asked), len(wantAsked))
			}
			t.Logf("%s: import of %d orders, %d with refunds: %d refund requests, all in the backfill after the import", d, sim.Count(), len(refunded), len(asked))
			for _, id := range refunded {
				check(id)
			}
			if d == ledger.DialectLegacyV3 {
				t.Logf("legacy refunds: %d with taxes per rate derived exactly (and equal to wc/v3's), %d marked TaxSplitUnknown", exact, unknown)
				if exact == 0 {
					t.Error("no legacy refund derived exactly")
				}
			}
			counter.take()

			advance(time.Hour)
			pass()
			if asked, _ := counter.take(); len(asked) != 0 {
				t.Fatalf("an unchanged shop: refunds asked for %v", asked)
			}

			advance(time.Hour)
			if _, err := sim.AddRefund(fresh, woosim.RefundRequest{Reason: "Повреден артикул", Items: []woosim.RefundItem{{ID: firstItem(t, st, sh.ID, fresh), Quantity: 1}}}); err != nil {
				t.Fatal(err)
			}
			advance(time.Minute)
			pass()
			if asked, _ := counter.take(); !reflect.DeepEqual(asked, map[int64]int{fresh: 1}) {
				t.Fatalf("a partial refund of order %d: refunds asked for %v", fresh, asked)
			}
			check(fresh)
			counter.take()

			advance(time.Hour)
			if _, err := sim.AddRefund(fresh, woosim.RefundRequest{Reason: "Върната пратка", All: true}); err != nil {
				t.Fatal(err)
			}
			advance(time.Minute)
			pass()
			if asked, _ := counter.take(); !reflect.DeepEqual(asked, map[int64]int{fresh: 1}) {
				t.Fatalf("a full refund of order %d: refunds asked for %v", fresh, asked)
			}
			check(fresh)
			if o, _ := st.Order(ledger.OrderKey{Shop: sh.ID, ID: fresh}); o.Status != ledger.StatusRefunded || len(o.Refunds) != 2 || o.RefundedTotal() != o.Total {
				t.Fatalf("order %d: status %s, %d refunds of %s, total %s", fresh, o.Status, len(o.Refunds), o.RefundedTotal(), o.Total)
			}
		})
	}
}

// firstItem is the id of the stored order's first line item.
func firstItem(t *testing.T, st *store.Store, shop ledger.ShopID, id int64) int64 {
	t.Helper()
	o, err := st.Order(ledger.OrderKey{Shop: shop, ID: id})
	if err != nil || len(o.Lines) == 0 {
		t.Fatalf("order %d: %v, %d lines", id, err, len(o.Lines))
	}
	return o.Lines[0].ID
}

// ratesOf is a refund's tax per rate id: "tax/shipping tax".
func ratesOf(r ledger.Refund) map[int64]string {
	m := map[int64]string{}
	for _, t := range r.TaxLines {
		m[t.RateID] = t.TaxTotal.String() + "/" + t.ShippingTaxTotal.String()
	}
	return m
}
