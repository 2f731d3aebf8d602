package store

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// templates are realistic orders to copy from: generating and rendering
// 100,000 payloads would make the benchmark mostly measure the generator.
var templates = sync.OnceValue(func() []ledger.Order {
	return newOrderGen(2026).orders(1, 1, 1000, t0, time.Minute)
})

// synthOrder is template n%1000 as order id of shop, created at created.
// Its Raw still names the template's id, which nothing reads here.
func synthOrder(shop ledger.ShopID, id int64, created time.Time) ledger.Order {
	tpl := templates()
	o := tpl[int(id)%len(tpl)]
	o.Shop, o.ID, o.Number = shop, id, fmt.Sprint(id)
	o.Created = created
	o.Modified = created.Add(7 * time.Minute)
	return o
}

// importOrders imports n orders round-robin over shops, one every minute,
// in pages of 100 per shop, as a first sync would.
func importOrders(tb testing.TB, s *Store, shops []ledger.ShopID, n int) {
	tb.Helper()
	per := n / len(shops)
	for _, shop := range shops {
		for first := 0; first < per; first += 100 {
			page := make([]ledger.Order, 0, 100)
			for i := first; i < first+100 && i < per; i++ {
				page = append(page, synthOrder(shop, int64(i+1), t0.Add(time.Duration(i*len(shops)+int(shop))*time.Minute)))
			}
			if _, err := s.ApplyOrders(shop, page, ledger.SourcePoll, page[len(page)-1].Modified); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// usage is the space the store takes: the file, and the pages that hold
// data (the file less its free pages and the growth bbolt preallocates).
type usage struct {
	file, used int64
	buckets    map[string]int64 // allocated page bytes per bucket
}

func diskUsage(tb testing.TB, s *Store) usage {
	tb.Helper()
	fi, err := os.Stat(s.Path())
	if err != nil {
		tb.Fatal(err)
	}
	u := usage{file: fi.Size(), buckets: map[string]int64{}}
	page := int64(s.db.Info().PageSize)
	st := s.db.Stats()
	err = s.db.View(func(tx *bbolt.Tx) error {
		u.used = tx.Size() - int64(st.FreePageN+st.PendingPageN)*page
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			bs := b.Stats()
			u.buckets[string(name)] = int64(bs.BranchAlloc + bs.LeafAlloc)
			return nil
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// BenchmarkImport10k imports 10,000 generated orders (realistic payloads of
// about 3.5 KB) and reports what they take on disk.
func BenchmarkImport10k(b *testing.B) {
	g := newOrderGen(1)
	const n = 10000
	orders := g.orders(1, 1, n, t0, time.Minute)
	var payload int
	for _, o := range orders {
		payload += len(o.Raw)
	}
	var u usage
	for b.Loop() {
		s, err := Open(filepath.Join(b.TempDir(), "db"))
		if err != nil {
			b.Fatal(err)
		}
		sh, err := s.CreateShop(ledger.Shop{Name: "Demo"})
		if err != nil {
			b.Fatal(err)
		}
		for first := 0; first < n; first += 100 {
			page := orders[first : first+100]
			if _, err := s.ApplyOrders(sh.ID, page, ledger.SourcePoll, page[99].Modified); err != nil {
				b.Fatal(err)
			}
		}
		u = diskUsage(b, s)
		s.Close()
	}
	b.ReportMetric(float64(payload/n), "payload-B/order")
	b.ReportMetric(float64(u.file/n), "file-B/order")
	b.ReportMetric(float64(u.used/n), "used-B/order")
	for name, bytes := range u.buckets {
		b.ReportMetric(float64(bytes)/n, name+"-B/order")
	}
}

// BenchmarkApplyOrders applies pages of 100 orders to a store that grows as
// it runs: new orders, the same page again (all unchanged: the overlap of an
// incremental sync), and a newer version of each (all updated).
func BenchmarkApplyOrders(b *testing.B) {
	setup := func(b *testing.B) (*Store, ledger.ShopID) {
		s, err := Open(filepath.Join(b.TempDir(), "db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		sh, err := s.CreateShop(ledger.Shop{Name: "Demo"})
		if err != nil {
			b.Fatal(err)
		}
		return s, sh.ID
	}
	page := func(shop ledger.ShopID, first int, modified time.Duration) []ledger.Order {
		p := make([]ledger.Order, 100)
		for i := range p {
			p[i] = synthOrder(shop, int64(first+i), t0.Add(time.Duration(first+i)*time.Minute))
			p[i].Modified = p[i].Modified.Add(modified)
		}
		return p
	}
	templates() // generated once, outside the timings
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/order")
	}
	b.Run("new", func(b *testing.B) {
		s, shop := setup(b)
		next := 1
		for b.Loop() {
			if _, err := s.ApplyOrders(shop, page(shop, next, 0), ledger.SourcePoll, time.Time{}); err != nil {
				b.Fatal(err)
			}
			next += 100
		}
		report(b)
	})
	b.Run("unchanged", func(b *testing.B) {
		s, shop := setup(b)
		p := page(shop, 1, 0)
		if _, err := s.ApplyOrders(shop, p, ledger.SourcePoll, time.Time{}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			res, err := s.ApplyOrders(shop, p, ledger.SourcePoll, time.Time{})
			if err != nil || res.Unchanged != 100 {
				b.Fatal(res, err)
			}
		}
		report(b)
	})
	b.Run("updated", func(b *testing.B) {
		s, shop := setup(b)
		if _, err := s.ApplyOrders(shop, page(shop, 1, 0), ledger.SourcePoll, time.Time{}); err != nil {
			b.Fatal(err)
		}
		step := time.Duration(0)
		for b.Loop() {
			step += time.Second
			res, err := s.ApplyOrders(shop, page(shop, 1, step), ledger.SourcePoll, time.Time{})
			if err != nil || res.Updated != 100 {
				b.Fatal(res, err)
			}
		}
		report(b)
	})
}

// bigDB is 100,000 orders over five shops, built once for the list
// benchmarks and removed by TestMain.
var bigDB struct {
	once  sync.Once
	dir   string
	s     *Store
	shops []ledger.ShopID
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigDB.s != nil {
		bigDB.s.Close()
		os.RemoveAll(bigDB.dir)
	}
	os.Exit(code)
}

func openBigDB(b *testing.B) *Store {
	b.Helper()
	bigDB.once.Do(func() {
		dir, err := os.MkdirTemp("", "shopledger-bench-")
		if err != nil {
			b.Fatal(err)
		}
		bigDB.dir = dir
		s, err := Open(filepath.Join(dir, "db"))
		if err != nil {
			b.Fatal(err)
		}
		for i := range 5 {
			sh, err := s.CreateShop(ledger.Shop{Name: fmt.Sprintf("Shop %d", i+1)})
			if err != nil {
				b.Fatal(err)
			}
			bigDB.shops = append(bigDB.shops, sh.ID)
		}
		start := time.Now()
		importOrders(b, s, bigDB.shops, 100000)
		u := diskUsage(b, s)
		b.Logf("built 100,000 orders in %v: file %d MB, used %d B/order",
			time.Since(start).Round(time.Second), u.file>>20, u.used/100000)
		bigDB.s = s
	})
	if bigDB.s == nil {
		b.Fatal("building the 100,000-order database failed")
	}
	return bigDB.s
}

// BenchmarkOrdersFirstPage lists the first page (100 orders) of a 100,000
// order store, with the filters the order list offers.
func BenchmarkOrdersFirstPage(b *testing.B) {
	s := openBigDB(b)
	shop := bigDB.shops[2]
	// A token from the middle of the list, for a deep page.
	var middle []byte
	for i := 0; i < 500; i++ {
		_, next, err := s.Orders(OrderFilter{}, middle, 100)
		if err != nil {
			b.Fatal(err)
		}
		middle = next
	}
	// Orders are created one a minute from t0: 100,000 minutes is ~69 days.
	for _, tc := range []struct {
		name  string
		f     OrderFilter
		after []byte
	}{
		{"all", OrderFilter{}, nil},
		{"shop", OrderFilter{Shop: shop}, nil},
		{"status", OrderFilter{Status: ledger.StatusCancelled}, nil},
		{"shop+status", OrderFilter{Shop: shop, Status: ledger.StatusRefunded}, nil},
		{"week in the middle", OrderFilter{From: t0.AddDate(0, 0, 30), To: t0.AddDate(0, 0, 37)}, nil},
		{"page 500", OrderFilter{}, middle},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				orders, _, err := s.Orders(tc.f, tc.after, 100)
				if err != nil || len(orders) != 100 {
					b.Fatal(len(orders), err)
				}
			}
		})
	}
}

// BenchmarkCountOrders counts a 100,000-order store, all and by status.
func BenchmarkCountOrders(b *testing.B) {
	s := openBigDB(b)
	for _, tc := range []struct {
		name string
		f    OrderFilter
	}{
		{"all", OrderFilter{}},
		{"status", OrderFilter{Status: ledger.StatusCancelled}},
		{"shop", OrderFilter{Shop: bigDB.shops[0]}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.CountOrders(tc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOrderRecord splits the cost of reading one order record (what
// the list does per row) into decompressing and JSON decoding.
func BenchmarkOrderRecord(b *testing.B) {
	o := templates()[0]
	stored, err := encodeOrder(&o)
	if err != nil {
		b.Fatal(err)
	}
	plain, _ := encodeJSON(&o)
	b.Run("decode", func(b *testing.B) {
		var got ledger.Order
		for b.Loop() {
			if err := decodeOrder(stored, &got); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decompress", func(b *testing.B) {
		buf := make([]byte, 0, 4096)
		for b.Loop() {
			if _, err := orderCodec.decode(buf[:0], stored); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		var got ledger.Order
		for b.Loop() {
			got = ledger.Order{}
			if err := decodeJSON(plain, &got); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			if _, err := encodeOrder(&o); err != nil {
				b.Fatal(err)
			}
		}
	})
}
