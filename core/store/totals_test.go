package store_test

import (
	"cmp"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// taxedOrder makes an order as WooCommerce would send it: lines with a
// discount and 20 % tax, shipping with its tax, sometimes a taxed fee and
// a refund, its totals consistent.
func taxedOrder(r *rand.Rand, shop ledger.ShopID, id int64, currency string, created time.Time) ledger.Order {
	statuses := []ledger.Status{ledger.StatusCompleted, ledger.StatusProcessing, ledger.StatusCancelled, ledger.StatusRefunded}
	o := ledger.Order{
		Shop: shop, ID: id, Number: strconv.FormatInt(id, 10), Currency: currency,
		Status: statuses[r.IntN(len(statuses))], Created: created, Modified: created,
	}
	tax := func(a ledger.Amount) ledger.Amount { return a / 5 / 100 * 100 } // 20 %, to the cent
	for i := range 1 + r.IntN(3) {
		sub := ledger.Amount(100+r.IntN(9900)) * 100 // 1.00 … 99.99
		total := sub - ledger.Amount(r.IntN(3))*100  // a discount of up to 0.02
		l := ledger.LineItem{ID: int64(i + 1), Quantity: 10000, Subtotal: sub, Total: total, TotalTax: tax(total)}
		o.Lines = append(o.Lines, l)
		o.DiscountTotal += sub - total
		o.CartTax += l.TotalTax
		o.Total += total + l.TotalTax
	}
	if r.IntN(2) == 0 {
		o.ShippingTotal = ledger.MustAmount("4.90")
		o.ShippingTax = tax(o.ShippingTotal)
		o.ShippingLines = []ledger.ShippingLine{{ID: 90, Total: o.ShippingTotal, TotalTax: o.ShippingTax}}
		o.Total += o.ShippingTotal + o.ShippingTax
	}
	if r.IntN(3) == 0 {
		fee := ledger.FeeLine{ID: 91, Name: "Cash on delivery", Total: ledger.MustAmount("1.50"), TotalTax: ledger.MustAmount("0.30")}
		o.FeeLines = []ledger.FeeLine{fee}
		o.CartTax += fee.TotalTax
		o.Total += fee.Total + fee.TotalTax
	}
	o.TotalTax = o.CartTax + o.ShippingTax
	if r.IntN(4) == 0 {
		o.Refunds = []ledger.Refund{{ID: id + 10000, Amount: o.Lines[0].Total + o.Lines[0].TotalTax, Detailed: true, Created: created.Add(time.Hour)}}
	}
	return o
}

// want adds up the orders that match, per currency, from the orders
// themselves: net from their lines, fees from their fee lines, refunds
// from their refunds.
func want(orders []ledger.Order, match func(*ledger.Order) bool) []store.CurrencyTotals {
	by := map[string]*store.CurrencyTotals{}
	for i := range orders {
		o := &orders[i]
		if !match(o) {
			continue
		}
		t := by[o.Currency]
		if t == nil {
			t = &store.CurrencyTotals{Currency: o.Currency}
			by[o.Currency] = t
		}
		t.Orders++
		for _, l := range o.Lines {
			t.Net += l.Total
		}
		for _, f := range o.FeeLines {
			t.Fees += f.Total
		}
		for _, f := range o.Refunds {
			t.Refunded += f.Amount
		}
		t.Tax += o.TotalTax
		t.Shipping += o.ShippingTotal
		t.Total += o.Total
	}
	var out []store.CurrencyTotals
	for _, t := range by {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b store.CurrencyTotals) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}

// TestOrderTotals adds up orders of two shops in euros and leva, for every
// filter the order list offers and for a search's keys, and checks the
// sums against the orders' own figures.
func TestOrderTotals(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "books.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var shops []ledger.ShopID
	for _, name := range []string{"Euro shop", "Mixed shop"} {
		sh, err := s.CreateShop(ledger.Shop{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		shops = append(shops, sh.ID)
	}
	r := rand.New(rand.NewPCG(7, 12))
	start := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	var all []ledger.Order
	for i, shop := range shops {
		var orders []ledger.Order
		for n := range 300 {
			currency := "EUR"
			if i == 1 && n%3 != 0 {
				currency = "BGN"
			}
			orders = append(orders, taxedOrder(r, shop, int64(1000+n), currency, start.Add(time.Duration(n*(i+2))*time.Hour+time.Duration(i)*time.Minute)))
		}
		if _, err := s.ApplyOrders(shop, orders, ledger.SourcePoll, time.Time{}); err != nil {
			t.Fatal(err)
		}
		all = append(all, orders...)
	}

	from, to := start.AddDate(0, 0, 5), start.AddDate(0, 0, 20)
	for _, tc := range []struct {
		name string
		f    store.OrderFilter
	}{
		{"all", store.OrderFilter{}},
		{"shop", store.OrderFilter{Shop: shops[1]}},
		{"status", store.OrderFilter{Status: ledger.StatusCompleted}},
		{"shop and status", store.OrderFilter{Shop: shops[0], Status: ledger.StatusRefunded}},
		{"dates", store.OrderFilter{From: from, To: to}},
		{"from", store.OrderFilter{From: to}},
		{"to a second after an order", store.OrderFilter{To: all[10].Created.Add(time.Second)}},
		{"shop, status and dates", store.OrderFilter{Shop: shops[1], Status: ledger.StatusProcessing, From: from, To: to}},
		{"nothing", store.OrderFilter{Status: ledger.StatusFailed}},
		{"statuses", store.OrderFilter{Statuses: []ledger.Status{ledger.StatusCompleted, ledger.StatusRefunded}}},
		{"shop, statuses and dates", store.OrderFilter{Shop: shops[1], Statuses: []ledger.Status{ledger.StatusProcessing, ledger.StatusCompleted}, From: from, To: to}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.OrderTotals(tc.f)
			if err != nil {
				t.Fatal(err)
			}
			exp := want(all, func(o *ledger.Order) bool {
				return (tc.f.Shop == 0 || o.Shop == tc.f.Shop) && (tc.f.Status == "" && len(tc.f.Statuses) == 0 || o.Status == tc.f.Status || slices.Contains(tc.f.Statuses, o.Status)) &&
					(tc.f.From.IsZero() || !o.Created.Before(tc.f.From)) && (tc.f.To.IsZero() || o.Created.Before(tc.f.To))
			})
			if !slices.Equal(got, exp) {
				t.Fatalf("totals\n got %+v\nwant %+v", got, exp)
			}
			n, err := s.CountOrders(tc.f)
			if err != nil {
				t.Fatal(err)
			}
			counted := 0
			for _, ct := range got {
				counted += ct.Orders
				if ct.Net+ct.Tax+ct.Shipping+ct.Fees != ct.Total {
					t.Errorf("%s: net %s + tax %s + shipping %s + fees %s is not the total %s", ct.Currency, ct.Net, ct.Tax, ct.Shipping, ct.Fees, ct.Total)
				}
			}
			if counted != n {
				t.Errorf("totals count %d orders, the list %d", counted, n)
			}
		})
	}
	if got, _ := s.OrderTotals(store.OrderFilter{}); len(got) != 2 || got[0].Currency != "BGN" || got[1].Currency != "EUR" {
		t.Fatalf("currencies %+v, want BGN and EUR apart", got)
	}

	// A search's matches, one of them an order no longer stored.
	var keys []ledger.OrderKey
	picked := map[ledger.OrderKey]bool{}
	for i := 0; i < len(all); i += 7 {
		keys = append(keys, all[i].Key())
		picked[all[i].Key()] = true
	}
	got, err := s.OrderTotalsOf(append(keys, ledger.OrderKey{Shop: shops[0], ID: 99999}))
	if err != nil {
		t.Fatal(err)
	}
	if exp := want(all, func(o *ledger.Order) bool { return picked[o.Key()] }); !slices.Equal(got, exp) {
		t.Fatalf("totals of keys\n got %+v\nwant %+v", got, exp)
	}
	if got, err := s.OrderTotalsOf(nil); err != nil || len(got) != 0 {
		t.Errorf("no keys: %+v, %v", got, err)
	}

	// The totals follow a change of status and a refund.
	changed := all[0]
	changed.Status = ledger.StatusRefunded
	changed.Modified = changed.Modified.Add(time.Hour)
	changed.Refunds = []ledger.Refund{{ID: 77777, Amount: changed.Total, Detailed: true, Created: changed.Modified}}
	if _, err := s.ApplyOrders(changed.Shop, []ledger.Order{changed}, ledger.SourceWebhook, time.Time{}); err != nil {
		t.Fatal(err)
	}
	all[0] = changed
	f := store.OrderFilter{Shop: changed.Shop, Status: ledger.StatusRefunded}
	got, err = s.OrderTotals(f)
	if err != nil {
		t.Fatal(err)
	}
	if exp := want(all, func(o *ledger.Order) bool { return o.Shop == f.Shop && o.Status == f.Status }); !slices.Equal(got, exp) {
		t.Fatalf("after a refund\n got %+v\nwant %+v", got, exp)
	}
}
