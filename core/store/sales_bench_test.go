package store

import (
	"io"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

// yearOfOrders stores n orders of one shop spread over 2026, with two VAT
// rates, shipping tax and a partial refund on every tenth, and returns the
// store and the shop.
func yearOfOrders(b *testing.B, n int) (*Store, ledger.Shop) {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "shopledger.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	sh, err := s.CreateShop(ledger.Shop{Name: "Demo", Timezone: "Europe/Sofia"})
	if err != nil {
		b.Fatal(err)
	}
	gen := newOrderGen(1)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	step := 365 * 24 * time.Hour / time.Duration(n)
	const page = 1000
	for first := 0; first < n; first += page {
		orders := gen.orders(sh.ID, int64(first+1), min(page, n-first), start.Add(time.Duration(first)*step), step)
		for i := range orders {
			withVAT(&orders[i])
			orders[i].Raw = nil
		}
		if _, err := s.ApplyOrders(sh.ID, orders, ledger.SourcePoll, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	return s, sh
}

// withVAT gives a generated order the taxes of a Bulgarian shop: lines
// alternately at 20 % and 9 %, shipping at 20 %, and every tenth order a
// refund of its first line a week later.
func withVAT(o *ledger.Order) {
	var cart, ship ledger.Amount
	rates := [2]ledger.TaxLine{
		{RateID: 1, Label: "ДДС 20%", RatePercent: ledger.MustAmount("20")},
		{RateID: 2, Label: "ДДС 9%", RatePercent: ledger.MustAmount("9")},
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		r := &rates[i%2]
		l.TotalTax = sales.Cents(l.Total * r.RatePercent / 1_000_000)
		l.Taxes = []ledger.LineTax{{RateID: r.RateID, Total: l.TotalTax}}
		r.TaxTotal += l.TotalTax
		cart += l.TotalTax
	}
	ship = ledger.MustAmount("1.00")
	rates[0].ShippingTaxTotal = ship
	o.TaxLines = rates[:]
	o.CartTax, o.ShippingTax, o.TotalTax = cart, ship, cart+ship
	o.Total += cart + ship
	if o.ID%10 == 0 {
		l := o.Lines[0]
		o.Refunds = []ledger.Refund{{ID: o.ID + 1_000_000, Amount: l.Total + l.TotalTax, Detailed: true, Created: o.Created.Add(7 * 24 * time.Hour),
			Lines:    []ledger.LineItem{{Quantity: -l.Quantity, Total: -l.Total, TotalTax: -l.TotalTax, Taxes: []ledger.LineTax{{RateID: 1, Total: -l.TotalTax}}}},
			TaxLines: []ledger.TaxLine{{RateID: 1, TaxTotal: -l.TotalTax}}}}
	}
}

// BenchmarkYearTotals is the Books screen's question: a year's totals of
// 100,000 orders by month, read from the sales records (target < 100 ms).
func BenchmarkYearTotals(b *testing.B) {
	s, sh := yearOfOrders(b, 100_000)
	loc := sh.Location()
	q := sales.Query{From: sales.DateDay(2026, 1, 1), To: sales.DateDay(2026, 12, 31), By: sales.ByMonth}
	cpu0, cpuOK := cpuTime()
	n := 0
	for b.Loop() {
		n++
		sum := sales.NewSummer(q)
		err := s.EachSalesRecord(sh.ID, func(r *sales.Record) error {
			sum.Add(r, sh.BooksBasis, loc)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if g := sum.Groups(); len(g) != 1 || g[0].TotalOrders() == 0 {
			b.Fatalf("groups %+v", g)
		}
	}
	// The machine is shared: CPU time says what the work costs when the
	// wall clock is stretched by other processes.
	if cpu1, _ := cpuTime(); cpuOK {
		b.ReportMetric(float64((cpu1-cpu0).Microseconds())/1000/float64(n), "cpu-ms/op")
	}
}

// BenchmarkSalesRecordWrite is what keeping the record costs each order
// written: building and encoding it, and comparing it with the stored one.
func BenchmarkSalesRecordWrite(b *testing.B) {
	o := newOrderGen(1).order(1, 10, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	withVAT(&o)
	old := sales.FromOrder(&o)
	stored := old.Append(nil)
	b.ReportAllocs()
	for b.Loop() {
		r := sales.FromOrder(&o)
		if string(r.Append(nil)) != string(stored) {
			b.Fatal("differs")
		}
	}
	b.ReportMetric(float64(len(stored)), "bytes/record")
}

// BenchmarkYearJournal builds the journal of the same year, an entry per
// day, and writes it as XLSX: what `books journal` does. Its memory is the
// journal's (days × accounts × dimensions), not the orders'.
func BenchmarkYearJournal(b *testing.B) {
	s, sh := yearOfOrders(b, 100_000)
	q := journal.Query{From: sales.DateDay(2026, 1, 1), To: sales.DateDay(2026, 12, 31), Per: journal.PerDay}
	cpu0, cpuOK := cpuTime()
	n, rows := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		n++
		jb := journal.NewBuilder(q)
		jb.AddShop(&journal.Shop{ID: sh.ID, Basis: sh.BooksBasis, Location: sh.Location(), Accounts: journal.Defaults("bg")})
		err := s.EachSalesRecord(sh.ID, func(r *sales.Record) error {
			jb.Add(r)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		entries := jb.Entries()
		rows = 0
		for _, e := range entries {
			if d, c := e.Totals(); d != c {
				b.Fatalf("entry %s: %s / %s", e.From, d, c)
			}
			rows += len(e.Lines)
		}
		if err := journal.WriteXLSX(io.Discard, entries, journal.Names{}); err != nil {
			b.Fatal(err)
		}
	}
	if cpu1, _ := cpuTime(); cpuOK {
		b.ReportMetric(float64((cpu1-cpu0).Microseconds())/1000/float64(n), "cpu-ms/op")
	}
	b.ReportMetric(float64(rows), "rows")
}

// BenchmarkSalesRebuild is the one-time cost of books made before the
// sales records (or with records of another layout): the open that builds
// a record for each of 100,000 orders.
func BenchmarkSalesRebuild(b *testing.B) {
	s, _ := yearOfOrders(b, 100_000)
	path := s.Path()
	for b.Loop() {
		b.StopTimer()
		err := s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keySalesVersion) })
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		b.StartTimer()
		if s, err = Open(path); err != nil {
			b.Fatal(err)
		}
	}
	s.Close()
}
