package syncer_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

var (
	benchOrders = flag.Int("orders", 10000, "orders in the simulated shop for the import benchmarks")
	benchConc   = flag.Int("concurrency", 0, "Options.Concurrency of the import benchmark (0: the default)")
)

// dialects are the APIs the benchmarks run against, as sub-benchmarks
// named after them.
var dialects = []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3}

// benchShops holds one simulated shop per size for the whole run, and
// warmed which dialects it has rendered: building and rendering 100,000
// orders takes a while, and every benchmark reads the same.
var (
	benchShops = map[int]*woosim.Server{}
	warmed     = map[ledger.Dialect]bool{}
)

// benchShop serves a simulated shop whose pages have all been rendered
// once in dialect, so both benchmarks measure the client and the store,
// not the simulator's first render.
func benchShop(b *testing.B, dialect ledger.Dialect) *woo.Client {
	b.Helper()
	srv := benchShops[*benchOrders]
	if srv == nil {
		var err error
		if srv, err = woosim.Start(woosim.Options{Orders: *benchOrders, Seed: 1}, false); err != nil {
			b.Fatal(err)
		}
		benchShops[*benchOrders] = srv
		clear(warmed)
	}
	c, err := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Dialect: dialect})
	if err != nil {
		b.Fatal(err)
	}
	if !warmed[dialect] {
		if _, _, err := fetchAll(c); err != nil { // warm the simulator's render cache
			b.Fatal(err)
		}
		warmed[dialect] = true
	}
	return c
}

// fetchAll reads every order with the requests a first sync makes (the
// pass's own pager and fetch loop), decoding them, and stores nothing.
func fetchAll(c *woo.Client) (orders, requests int, err error) {
	return syncer.FetchAll(context.Background(), c, ledger.Shop{}, ledger.SyncState{}, syncer.Options{})
}

// BenchmarkFetchDecode is the raw rate: the pages of a first import,
// fetched and decoded, nothing stored.
func BenchmarkFetchDecode(b *testing.B) {
	for _, d := range dialects {
		b.Run(string(d), func(b *testing.B) {
			c := benchShop(b, d)
			var n, requests int
			cpu0, cpuOK := cpuTime()
			for b.Loop() {
				var err error
				if n, requests, err = fetchAll(c); err != nil {
					b.Fatal(err)
				}
			}
			cpu1, _ := cpuTime()
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "orders/s")
			b.ReportMetric(float64(requests), "requests")
			if cpuOK {
				b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/1e3/float64(n*b.N), "cpu-µs/order")
			}
		})
	}
}

// BenchmarkImport is a first sync of the whole shop into a fresh database.
// It reports the file's size per order after the sync, and the part of it
// in use (the rest is free pages and bbolt's preallocation).
func BenchmarkImport(b *testing.B) {
	for _, d := range dialects {
		b.Run(string(d), func(b *testing.B) {
			c := benchShop(b, d)
			var orders, requests, refundRequests, backfillRequests int
			var backfill, cpu time.Duration
			var file, used, compacted, reopened int64
			_, cpuOK := cpuTime()
			for b.Loop() {
				b.StopTimer()
				path := filepath.Join(b.TempDir(), "bench.db")
				st, err := store.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				wh, _ := st.CreateWarehouse(ledger.Warehouse{Code: "W", Name: "W"})
				cc, _ := st.CreateCostCenter(ledger.CostCenter{Code: "C", Name: "C"})
				sh, _ := st.CreateShop(ledger.Shop{Name: "S", URL: "http://x", Warehouse: wh.ID, CostCenter: cc.ID})
				b.StartTimer()
				cpu0, _ := cpuTime()
				res, err := syncer.Pass(context.Background(), st, sh, c, syncer.Options{Concurrency: *benchConc})
				if err != nil {
					b.Fatal(err)
				}
				cpu1, _ := cpuTime()
				cpu += cpu1 - cpu0
				orders, requests, refundRequests = res.New, res.Requests, res.RefundRequests
				b.StopTimer()
				// The refunds' detail, which the import leaves to the
				// backfill after it (untimed by the import's figure).
				began := time.Now()
				bp, err := syncer.BackfillRefunds(context.Background(), c, st, sh, nil)
				if err != nil {
					b.Fatal(err)
				}
				backfill, backfillRequests = time.Since(began), bp.Fetched
				st.Close()
				file, used = dbUsage(b, path)
				compacted = compactedSize(b, path)
				reopened = reopenedSize(b, path)
				os.Remove(path)
				b.StartTimer()
			}
			b.ReportMetric(float64(orders)*float64(b.N)/b.Elapsed().Seconds(), "orders/s")
			b.ReportMetric(float64(requests), "requests")
			b.ReportMetric(float64(refundRequests), "refund-requests")
			b.ReportMetric(float64(backfillRequests), "backfill-requests")
			b.ReportMetric(backfill.Seconds(), "backfill-s")
			b.ReportMetric(float64(file)/float64(orders), "file-B/order")
			b.ReportMetric(float64(used)/float64(orders), "used-B/order")
			b.ReportMetric(float64(compacted)/float64(orders), "compacted-B/order")
			b.ReportMetric(float64(reopened)/float64(orders), "reopened-B/order")
			if cpuOK {
				b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(orders*b.N), "cpu-µs/order")
			}
		})
	}
}

// dbUsage is the size of the closed database file at path and the part of
// it that holds data (the file less free pages and preallocated growth).
func dbUsage(b *testing.B, path string) (file, used int64) {
	b.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{FreelistType: bbolt.FreelistMapType}) // read-only would not load the freelist
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	st := db.Stats()
	err = db.View(func(tx *bbolt.Tx) error {
		used = tx.Size() - int64(st.FreePageN+st.PendingPageN)*int64(db.Info().PageSize)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size(), used
}

// reopenedSize is the size of the file at path after the store opens it
// again, which compacts a file that has grown enough: what the app keeps
// on disk after a first import.
func reopenedSize(b *testing.B, path string) int64 {
	b.Helper()
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// compactedSize is the size of a copy of the database at path made with
// bbolt's Compact: every page filled, what the same data could take.
func compactedSize(b *testing.B, path string) int64 {
	b.Helper()
	src, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dstPath := path + ".compact"
	dst, err := bbolt.Open(dstPath, 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(dstPath)
	if err := bbolt.Compact(dst, src, 64<<20); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(dstPath)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// BenchmarkPollNothingNew is the hourly poll of a shop whose books are up
// to date: one pass after a full import, with nothing changed in the shop.
// It reports the requests a poll makes, the orders it reads again (those
// inside the overlap window), and the CPU time per poll of the whole
// process from getrusage — client, store and the in-process simulator
// together, so the client's own share is lower.
func BenchmarkPollNothingNew(b *testing.B) {
	for _, d := range dialects {
		b.Run(string(d), func(b *testing.B) {
			c := benchShop(b, d)
			st, err := store.Open(filepath.Join(b.TempDir(), "poll.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			sh, err := st.CreateShop(ledger.Shop{Name: "S", URL: "http://x"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := syncer.Pass(context.Background(), st, sh, c, syncer.Options{}); err != nil {
				b.Fatal(err)
			}
			// As autosync does after a legacy shop's import: its refunds.
			if _, err := syncer.BackfillRefunds(context.Background(), c, st, sh, nil); err != nil {
				b.Fatal(err)
			}
			var requests, reread int
			cpu0, cpuOK := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				res, err := syncer.Pass(context.Background(), st, sh, c, syncer.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if res.New+res.Updated > 0 {
					b.Fatalf("poll of an unchanged shop wrote %d new, %d updated orders", res.New, res.Updated)
				}
				requests += res.Requests + res.RefundRequests
				reread += res.Unchanged + res.Stale
			}
			cpu1, _ := cpuTime()
			b.ReportMetric(float64(requests)/float64(b.N), "requests/poll")
			b.ReportMetric(float64(reread)/float64(b.N), "orders-read/poll")
			if cpuOK {
				b.ReportMetric(float64((cpu1-cpu0).Microseconds())/float64(b.N), "cpu-µs/poll")
			}
		})
	}
}
