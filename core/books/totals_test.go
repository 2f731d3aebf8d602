package books_test

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"testing"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// TestOrderTotalsOfSyncedShop: the order list's totals, per currency, of a
// simulated shop synced over HTTP (its orders in BGN, EUR, GBP and USD, with
// discounts, fees, taxes and refunds as WooCommerce sends them) equal what
// the stored orders themselves add up to: net from their line items, fees
// from their fee lines, refunded from their refunds.
func TestOrderTotalsOfSyncedShop(t *testing.T) {
	b := openBooks(t)
	wh, cc := catalog(t, b)
	srv, err := woosim.Start(woosim.Options{Orders: 400, Seed: 11}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sh, err := b.AddShop(books.NewShop{Name: "Sim", URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Warehouse: wh, CostCenter: cc})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}

	var all []ledger.Order
	if err := b.EachOrder(store.OrderFilter{}, func(o *ledger.Order) error {
		all = append(all, *o)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	middle := all[len(all)/2].Created
	for _, f := range []store.OrderFilter{
		{},
		{Shop: sh.ID, Status: ledger.StatusCompleted},
		{From: middle},
		{To: middle, Status: ledger.StatusProcessing},
	} {
		got, err := b.OrderTotals(f)
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]*store.CurrencyTotals{}
		var keys []ledger.OrderKey
		for i := range all {
			o := &all[i]
			if f.Status != "" && o.Status != f.Status || !f.From.IsZero() && o.Created.Before(f.From) || !f.To.IsZero() && !o.Created.Before(f.To) {
				continue
			}
			keys = append(keys, o.Key())
			ct := by[o.Currency]
			if ct == nil {
				ct = &store.CurrencyTotals{Currency: o.Currency}
				by[o.Currency] = ct
			}
			ct.Orders++
			for _, l := range o.Lines {
				ct.Net += l.Total
			}
			for _, fee := range o.FeeLines {
				ct.Fees += fee.Total
			}
			ct.Tax += o.TotalTax
			ct.Shipping += o.ShippingTotal
			ct.Total += o.Total
			ct.Refunded += o.RefundedTotal()
		}
		var want []store.CurrencyTotals
		for _, ct := range by {
			want = append(want, *ct)
		}
		slices.SortFunc(want, func(a, b store.CurrencyTotals) int { return cmp.Compare(a.Currency, b.Currency) })
		if !slices.Equal(got, want) {
			t.Errorf("filter %+v:\n got %+v\nwant %+v", f, got, want)
		}
		if reflect.DeepEqual(f, store.OrderFilter{}) && len(got) < 2 {
			t.Errorf("the shop's orders are in %d currencies, want several", len(got))
		}
		// A search that found exactly these orders has the same totals.
		if of, err := b.OrderTotalsOf(keys); err != nil || !slices.Equal(of, got) {
			t.Errorf("filter %+v: totals of its keys %+v, %v", f, of, err)
		}
	}
}
