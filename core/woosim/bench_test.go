package woosim

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

const bigShop = 100_000

var (
	bigOnce sync.Once
	bigSim  *Sim
)

// bigShopSim is a 100,000-order shop, built once per test binary.
func bigShopSim() *Sim {
	bigOnce.Do(func() {
		bigSim = New(Options{Orders: bigShop, Seed: 1, Now: func() time.Time { return testNow }})
	})
	return bigSim
}

// warm renders every order of s once, as a full sync would.
func warm(s *Sim) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, o := range s.orders {
		s.renderedWCV3(o)
	}
}

type discard struct {
	h    http.Header
	code int
	n    int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(code int)        { d.code = code }
func (d *discard) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

func serve(b *testing.B, h http.Handler, target string) int {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.SetBasicAuth(DefaultKey, DefaultSecret)
	w := &discard{h: http.Header{}}
	h.ServeHTTP(w, req)
	if w.code != 200 {
		b.Fatalf("%s: %d", target, w.code)
	}
	return w.n
}

// BenchmarkListPage100 serves GET /orders?per_page=100 pages of a
// 100,000-order shop whose orders are already rendered (the steady state).
func BenchmarkListPage100(b *testing.B) {
	s := bigShopSim()
	warm(s)
	h := s.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	bytes := 0
	for i := 0; b.Loop(); i++ {
		bytes = serve(b, h, "https://127.0.0.1:8443/wp-json/wc/v3/orders?per_page=100&page="+strconv.Itoa(1+i%1000))
	}
	b.ReportMetric(float64(bytes), "bytes/page")
}

// BenchmarkListPage100Incremental is the sync's query: changed since a
// cursor, oldest first.
func BenchmarkListPage100Incremental(b *testing.B) {
	s := bigShopSim()
	warm(s)
	h := s.Handler()
	after := testNow.Add(-30 * 24 * time.Hour).Format(wcDate)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		serve(b, h, "https://127.0.0.1:8443/wp-json/wc/v3/orders?orderby=modified&order=asc&dates_are_gmt=true&per_page=100&modified_after="+
			after+"&page="+strconv.Itoa(1+i%50))
	}
}

// BenchmarkListPage100Cold serves pages whose orders were never rendered:
// each request regenerates and renders 100 orders.
func BenchmarkListPage100Cold(b *testing.B) {
	s := bigShopSim()
	h := s.Handler()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		page := 1 + i%1000
		s.mu.RLock()
		for j := bigShop - page*100; j < bigShop-(page-1)*100; j++ {
			s.orders[j].cache[dialectWCV3].Store(nil)
		}
		s.mu.RUnlock()
		b.StartTimer()
		serve(b, h, "https://127.0.0.1:8443/wp-json/wc/v3/orders?per_page=100&page="+strconv.Itoa(page))
	}
}

// BenchmarkListPage100HTTP is the same over real HTTPS on loopback.
func BenchmarkListPage100HTTP(b *testing.B) {
	s := bigShopSim()
	warm(s)
	srv, err := StartOn(s, "127.0.0.1:0", true)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CertPEM)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/wp-json/wc/v3/orders?per_page=100&page="+strconv.Itoa(1+i%1000), nil)
		req.SetBasicAuth(DefaultKey, DefaultSecret)
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.Status)
		}
	}
}

// BenchmarkMemory100k builds a 100,000-order shop and reports the heap it
// takes before and after every order is rendered.
func BenchmarkMemory100k(b *testing.B) {
	for b.Loop() {
		var m0, m1, m2 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		start := time.Now()
		s := New(Options{Orders: bigShop, Seed: 1, Now: func() time.Time { return testNow }})
		built := time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&m1)
		start = time.Now()
		warm(s)
		rendered := time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&m2)
		b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/(1<<20), "MB-state")
		b.ReportMetric(float64(m2.HeapAlloc-m0.HeapAlloc)/(1<<20), "MB-rendered")
		b.ReportMetric(built.Seconds(), "s-build")
		b.ReportMetric(rendered.Seconds(), "s-render-all")
		runtime.KeepAlive(s)
	}
}

// BenchmarkRenderOrder is the cost of regenerating and rendering one order.
func BenchmarkRenderOrder(b *testing.B) {
	s := New(Options{Orders: 1000, Seed: 1, Now: func() time.Time { return testNow }})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		o := s.orders[i%1000]
		s.renderWCV3(o, s.doc(o), 2)
	}
}
