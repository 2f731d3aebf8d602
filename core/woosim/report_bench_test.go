package woosim

import "testing"

// BenchmarkSalesReportYear computes a year's report (by month) of a VAT
// shop with 20,000 orders: the first time regenerates every order's doc,
// later ones read the figures kept on each order.
func BenchmarkSalesReportYear(b *testing.B) {
	o := vatOptions(b, 20_000)
	s := New(o)
	b.ResetTimer()
	for b.Loop() {
		rep := s.salesReport("custom", "2026-01-01", "2026-11-30")
		if rep.totalOrders == 0 {
			b.Fatal("no orders")
		}
	}
}
