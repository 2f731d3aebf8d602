package store

import (
	"testing"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// BenchmarkOrderTotals100k is the order list's footer: the totals of what
// the list shows, over the 100,000 orders of bigDB, with the list's
// filters and for a search's matches. "decode orders" is the same sum
// made by decoding every order, for comparison.
func BenchmarkOrderTotals100k(b *testing.B) {
	s := openBigDB(b)
	var all []ledger.OrderKey // newest first, as a search returns them
	err := s.db.View(func(tx *bbolt.Tx) error {
		return scan(tx, OrderFilter{}, nil, func(p pos) (bool, error) {
			all = append(all, ledger.OrderKey{Shop: ledger.ShopID(p.shop), ID: int64(p.id)})
			return true, nil
		})
	})
	if err != nil || len(all) != 100000 {
		b.Fatal(len(all), err)
	}
	for _, tc := range []struct {
		name string
		f    OrderFilter
		keys []ledger.OrderKey
	}{
		{name: "all", f: OrderFilter{}},
		{name: "shop", f: OrderFilter{Shop: bigDB.shops[2]}},
		{name: "status", f: OrderFilter{Status: ledger.StatusCompleted}},
		{name: "week in the middle", f: OrderFilter{From: t0.AddDate(0, 0, 30), To: t0.AddDate(0, 0, 37)}},
		{name: "search of 1,000", keys: all[40000:41000]},
		{name: "search of all", keys: all},
	} {
		b.Run(tc.name, func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				var got []CurrencyTotals
				var err error
				if tc.keys != nil {
					got, err = s.OrderTotalsOf(tc.keys)
				} else {
					got, err = s.OrderTotals(tc.f)
				}
				if err != nil || len(got) != 1 || got[0].Orders == 0 {
					b.Fatal(got, err)
				}
			}
		})
	}
	b.Run("decode orders", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			var total ledger.Amount
			err := s.EachOrder(OrderFilter{}, func(o *ledger.Order) error {
				total += o.Total
				return nil
			})
			if err != nil || total == 0 {
				b.Fatal(err)
			}
		}
	})
}

// reportCPU reports the CPU time per op of the benchmark, when called
// from its end: the machine is shared, and CPU time says what the work
// costs when the wall clock is stretched by other processes.
func reportCPU(b *testing.B) func() {
	cpu0, ok := cpuTime()
	return func() {
		if cpu1, _ := cpuTime(); ok && b.N > 0 {
			b.ReportMetric(float64((cpu1-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		}
	}
}
