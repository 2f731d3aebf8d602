package woosim

import (
	"strconv"
	"testing"
	"time"
)

// warmLegacy renders every order of s in the legacy dialect once.
func warmLegacy(s *Sim) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, o := range s.orders {
		s.renderedLegacy(o)
	}
}

// BenchmarkLegacyListPage100 serves GET /wc-api/v3/orders with
// filter[limit]=100 from a 100,000-order shop whose orders are rendered
// (registered customers' objects are still built per request).
func BenchmarkLegacyListPage100(b *testing.B) {
	s := bigShopSim()
	warmLegacy(s)
	h := s.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	bytes := 0
	for i := 0; b.Loop(); i++ {
		bytes = serve(b, h, "https://127.0.0.1:8443/wc-api/v3/orders?filter[limit]=100&page="+strconv.Itoa(1+i%1000))
	}
	b.ReportMetric(float64(bytes), "bytes/page")
}

// BenchmarkLegacyListPage100Incremental is the legacy sync's query:
// changed since a cursor, oldest first.
func BenchmarkLegacyListPage100Incremental(b *testing.B) {
	s := bigShopSim()
	warmLegacy(s)
	h := s.Handler()
	after := testNow.AddDate(0, 0, -30).UTC().Format("2006-01-02T15:04:05Z")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		serve(b, h, "https://127.0.0.1:8443/wc-api/v3/orders?filter[orderby]=modified&filter[order]=ASC&filter[limit]=100&filter[updated_at_min]="+
			after+"&page="+strconv.Itoa(1+i%50))
	}
}

// BenchmarkLegacyRenderOrder is the cost of regenerating and rendering
// one order in the legacy dialect.
func BenchmarkLegacyRenderOrder(b *testing.B) {
	s := New(Options{Orders: 1000, Seed: 1, Now: func() time.Time { return testNow }})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		o := s.orders[i%1000]
		s.renderLegacy(o, s.doc(o), 2)
	}
}

// BenchmarkFaultsOff is the cost the fault layer adds when no fault is set.
func BenchmarkFaultsOff(b *testing.B) {
	s := New(Options{Orders: 100, Seed: 1, Now: func() time.Time { return testNow }})
	h := s.Handler()
	for b.Loop() {
		serve(b, h, "https://127.0.0.1:8443/wp-json/wc/v3/orders/1")
	}
}
