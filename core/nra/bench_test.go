package nra_test

import (
	"io"
	"strconv"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
)

// BenchmarkMonth100k builds and writes a month of 100,000 delivered
// orders (the real shop's October repeated), as books.NRAFile does after
// reading them.
func BenchmarkMonth100k(b *testing.B) {
	sample, _, _ := sample(b)
	loc, _ := time.LoadLocation("Europe/Sofia")
	var orders []ledger.Order
	for i := 0; len(orders) < 100000; i++ {
		for _, o := range sample {
			if o.Completed.IsZero() || o.Completed.In(loc).Month() != time.October {
				continue
			}
			o.ID = int64(len(orders) + 1)
			o.Number = strconv.FormatInt(o.ID, 10)
			orders = append(orders, o)
		}
	}
	orders = orders[:100000]
	b.ReportAllocs()
	for b.Loop() {
		nb := nra.NewBuilder(nra.Input{Settings: settings(), Location: loc, Year: 2026, Month: time.October})
		for i := range orders {
			nb.Add(&orders[i])
		}
		f := nb.File()
		if len(f.Orders) != 100000 {
			b.Fatalf("%d orders", len(f.Orders))
		}
		if err := f.WriteXML(io.Discard, "Bench"); err != nil {
			b.Fatal(err)
		}
	}
}
