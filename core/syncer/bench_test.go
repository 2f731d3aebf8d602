package syncer_test

import (
	"context"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

var benchOrders = flag.Int("orders", 10000, "orders in the simulated shop for the import benchmarks")

// benchShop serves a simulated shop whose pages have all been rendered
// once, so both benchmarks measure the client and the store, not the
// simulator's first render.
func benchShop(b *testing.B) (*woosim.Server, *woo.Client) {
	b.Helper()
	srv, err := woosim.Start(woosim.Options{Orders: *benchOrders, Seed: 1}, false)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	c, err := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := fetchAll(c); err != nil { // warm the simulator's render cache
		b.Fatal(err)
	}
	return srv, c
}

// fetchAll reads every order with the same keyset requests a first sync
// makes, decoding them, and stores nothing.
func fetchAll(c *woo.Client) (int, error) {
	var after time.Time
	n, pageNo := 0, 1
	for {
		p, err := c.ListOrders(context.Background(), woo.ListOptions{Page: pageNo, ModifiedAfter: after})
		if err != nil {
			return n, err
		}
		n += len(p.Orders)
		if len(p.Orders) < woo.MaxPerPage {
			return n, nil
		}
		newest := after
		for _, o := range p.Orders {
			if o.Modified.After(newest) {
				newest = o.Modified
			}
		}
		if next := newest.Add(-time.Second); next.After(after) {
			after, pageNo = next, 1
		} else {
			pageNo++
		}
	}
}

// BenchmarkFetchDecode is the raw rate: the pages of a first import,
// fetched and decoded, nothing stored.
func BenchmarkFetchDecode(b *testing.B) {
	_, c := benchShop(b)
	var n int
	for b.Loop() {
		var err error
		if n, err = fetchAll(c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "orders/s")
}

// BenchmarkImport is a first sync of the whole shop into a fresh database.
func BenchmarkImport(b *testing.B) {
	_, c := benchShop(b)
	var orders int
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		wh, _ := st.CreateWarehouse(ledger.Warehouse{Code: "W", Name: "W"})
		cc, _ := st.CreateCostCenter(ledger.CostCenter{Code: "C", Name: "C"})
		sh, _ := st.CreateShop(ledger.Shop{Name: "S", URL: "http://x", Warehouse: wh.ID, CostCenter: cc.ID})
		b.StartTimer()
		res, err := syncer.Pass(context.Background(), st, sh, c, syncer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		orders = res.New
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(orders)*float64(b.N)/b.Elapsed().Seconds(), "orders/s")
}
