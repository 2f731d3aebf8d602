package books_test

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// BenchmarkNRAMonth100k is the whole audit file of a month of 100,000
// delivered orders as the window and the CLI make it: books.NRAFile reads
// every order of the shop from bbolt (raw payloads kept, zstd), builds the
// file, and WriteXML streams it (~100 MB of Windows-1251) to io.Discard.
// The orders are the real shop's October 2026 completed orders repeated
// with new ids, with their refunds. It reports the CPU time per file and
// the heap in use once the file is built (before writing), the memory a
// month of 100,000 orders holds.
func BenchmarkNRAMonth100k(b *testing.B) { benchNRA(b, 0) }

// BenchmarkNRAYear100k is the same 100,000 orders spread over twelve
// months (each order's dates moved by its id modulo 12 months back), the
// file of one month of about 8,300 of them: books.NRAFile reads only the
// orders the sales records point at.
func BenchmarkNRAYear100k(b *testing.B) { benchNRA(b, 12) }

// benchNRA stores 100,000 orders and times October 2026's file; spread
// moves each order's dates back by its id modulo spread months.
func benchNRA(b *testing.B, spread int) {
	bk, err := books.Open(b.TempDir(), secrets.NewMemory())
	if err != nil {
		b.Fatal(err)
	}
	defer bk.Close()
	sh, err := bk.Store.CreateShop(ledger.Shop{Name: "Bench", Timezone: "Europe/Sofia"})
	if err != nil {
		b.Fatal(err)
	}
	sample := octoberOrders(b)
	const n = 100_000
	want := 0
	for first := 0; first < n; first += 1000 {
		page := make([]ledger.Order, 0, 1000)
		for i := first; i < min(first+1000, n); i++ {
			o := sample[i%len(sample)]
			o.Shop, o.ID = sh.ID, int64(i+1)
			o.Number = strconv.Itoa(i + 1)
			o.Refunds = append([]ledger.Refund(nil), o.Refunds...)
			back := 0
			if spread > 0 {
				back = i % spread
			}
			shift := func(t time.Time) time.Time {
				if t.IsZero() {
					return t
				}
				return t.AddDate(0, -back, 0)
			}
			o.Created, o.Paid, o.Completed, o.Modified = shift(o.Created), shift(o.Paid), shift(o.Completed), shift(o.Modified)
			for j := range o.Refunds {
				o.Refunds[j].ID = int64(n + i*10 + j)
				o.Refunds[j].Created = shift(o.Refunds[j].Created)
			}
			if back == 0 {
				want++
			}
			page = append(page, o)
		}
		if _, err := bk.Store.ApplyOrders(sh.ID, page, ledger.SourcePoll, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	if err := bk.SetNRASettings(sh.ID, nra.Settings{EIK: "131063188", EShopNumber: "RF0000123", Domain: "bench.example.bg"}); err != nil {
		b.Fatal(err)
	}
	q := books.NRAQuery{Shop: sh.ID, Year: 2026, Month: time.October, CreationDate: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)}
	runtime.GC()
	cpu0 := cpuTime()
	var heap uint64
	runs := 0
	b.ReportAllocs()
	for b.Loop() {
		runs++
		f, s, err := bk.NRAFile(q)
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Orders) != want {
			b.Fatalf("%d orders, want %d", len(f.Orders), want)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapInuse)
		if err := f.WriteXML(io.Discard, s.Name); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(runs), "cpu-ms/op")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
	b.ReportMetric(float64(want), "orders")
}

// octoberOrders are the real shop's orders completed in October 2026
// (Sofia time), decoded by core/woo with their refunds.
func octoberOrders(b *testing.B) []ledger.Order {
	dir := filepath.Join("..", "woo", "testdata", "books-2026-10")
	var bodies []json.RawMessage
	var refunds map[string]json.RawMessage
	for name, v := range map[string]any{"wc-v3-orders.json": &bodies, "wc-v3-refunds-by-order.json": &refunds} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			b.Fatal(err)
		}
	}
	loc, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		b.Fatal(err)
	}
	var out []ledger.Order
	for _, body := range bodies {
		o, err := woo.DecodeOrder(body)
		if err != nil {
			b.Fatal(err)
		}
		if raw, ok := refunds[strconv.FormatInt(o.ID, 10)]; ok {
			if o.Refunds, err = woo.DecodeRefunds(raw); err != nil {
				b.Fatal(err)
			}
		}
		if c := o.Completed.In(loc); !o.Completed.IsZero() && c.Year() == 2026 && c.Month() == time.October {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		b.Fatal("no October order in the sample")
	}
	return out
}
