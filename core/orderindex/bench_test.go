package orderindex

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// The benchmarks share one store of 100,000 orders in three shops: building
// it takes longer than any benchmark.
const benchOrders = 100_000

var (
	benchOnce   sync.Once
	benchDir    string
	benchStore  *store.Store
	benchSource []ledger.Order
	benchErr    error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore != nil {
		benchStore.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func benchBooks(b *testing.B) (*store.Store, []ledger.Order) {
	b.Helper()
	benchOnce.Do(func() {
		if benchDir, benchErr = os.MkdirTemp("", "orderindex-bench-"); benchErr != nil {
			return
		}
		if benchStore, benchErr = store.Open(filepath.Join(benchDir, "books.db")); benchErr != nil {
			return
		}
		for _, name := range []string{"Shop 1", "Shop 2", "Shop 3"} {
			if _, benchErr = benchStore.CreateShop(ledger.Shop{Name: name, URL: "https://" + strings.ReplaceAll(name, " ", "") + ".example"}); benchErr != nil {
				return
			}
		}
		benchSource = genOrders(42, 3, benchOrders)
		byShop := map[ledger.ShopID][]ledger.Order{}
		for _, o := range benchSource {
			byShop[o.Shop] = append(byShop[o.Shop], o)
		}
		for shop, list := range byShop {
			for len(list) > 0 {
				n := min(len(list), 100)
				if _, benchErr = benchStore.ApplyOrders(shop, list[:n], ledger.SourcePoll, time.Time{}); benchErr != nil {
					return
				}
				list = list[n:]
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore, benchSource
}

// BenchmarkBuild100k reads 100,000 orders from the store into an index, as
// the window does once at start and after a sync brought changes.
func BenchmarkBuild100k(b *testing.B) {
	s, _ := benchBooks(b)
	var ix *Index
	for b.Loop() {
		var err error
		if ix, err = Build(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	}
	reportSize(b, ix)
}

// BenchmarkUpsert100k builds the index from orders in memory, without the
// store: the index's own share of a build.
func BenchmarkUpsert100k(b *testing.B) {
	orders := genOrders(42, 3, benchOrders)
	var ix *Index
	for b.Loop() {
		ix = New()
		if err := ix.Upsert(orders...); err != nil {
			b.Fatal(err)
		}
	}
	reportSize(b, ix)
}

func reportSize(b *testing.B, ix *Index) {
	st := ix.Stats()
	b.ReportMetric(float64(st.RowBytes)/float64(st.Orders), "row-B/order")
	b.ReportMetric(float64(st.TextBytes)/float64(st.Orders), "text-B/order")
}

// BenchmarkSearch100k runs the searches a bookkeeper types over 100,000
// orders (the budget is 150 ms, including the first page's fetch).
func BenchmarkSearch100k(b *testing.B) {
	ix := New()
	if err := ix.Upsert(genOrders(42, 3, benchOrders)...); err != nil {
		b.Fatal(err)
	}
	from := genStart.Add(30_000 * time.Minute)
	for _, c := range []struct {
		name string
		q    Query
	}{
		{"all", Query{}},
		{"status", Query{Status: ledger.StatusProcessing}},
		{"shop+dates", Query{Shop: 2, From: from, To: from.Add(30 * 24 * time.Hour)}},
		{"name", Query{Text: "petrov"}},
		{"two-words", Query{Text: "maria ivanova"}},
		{"email", Query{Text: "georgi.kostov"}},
		{"sku", Query{Text: "MUG-123"}},
		{"number", Query{Text: "#51042"}},
		{"cyrillic", Query{Text: "Цветелина"}},
		{"one-letter", Query{Text: "a"}},
		{"no-match", Query{Text: "zzzz"}},
		{"sku+status", Query{Text: "hoodie", Status: ledger.StatusCompleted}},
	} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				n = len(ix.Search(c.q))
			}
			b.ReportMetric(float64(n), "matches")
		})
	}
}

// BenchmarkFirstPage100k is what the list does for a search over 100,000
// orders before its first rows show: search the index, then read the first
// page of orders from the store by key.
func BenchmarkFirstPage100k(b *testing.B) {
	s, _ := benchBooks(b)
	ix, err := Build(context.Background(), s)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		q    Query
	}{
		{"all", Query{}},
		{"name", Query{Text: "petrov"}},
		{"sku", Query{Text: "mug-1"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				keys := ix.Search(c.q)
				if _, err := Fetch(s, keys[:min(len(keys), 100)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
