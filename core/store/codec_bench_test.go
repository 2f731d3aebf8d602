package store

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// codecCorpus is what the store compresses, as the sync stores it: each
// order's raw payload and its record (the ledger order's JSON).
type codecCorpus struct {
	name         string
	raws, record [][]byte
}

func (c *codecCorpus) add(o ledger.Order) {
	c.raws = append(c.raws, o.Raw)
	o.Raw = nil
	rec, err := encodeJSON(&o)
	if err != nil {
		panic(err)
	}
	c.record = append(c.record, rec)
}

// codecCorpora are the orders the codec is measured on: 1,000 woosim orders
// in each dialect with the import benchmark's seed (1; the dictionaries
// are made from seed 7), and a real shop's month of orders in both dialects
// (testdata/books-2026-10, a copy of shared/woocommerce/samples/books-2026-10,
// which no dictionary was made from).
var codecCorpora = sync.OnceValues(func() ([]*codecCorpus, error) {
	var all []*codecCorpus
	for _, d := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		c := &codecCorpus{name: "woosim-" + string(d[:len(d)-3])}
		if err := woosimOrders(d, 1000, 1, c.add); err != nil {
			return nil, err
		}
		all = append(all, c)
	}
	real := &codecCorpus{name: "real"}
	for _, f := range []string{"wc-v3-orders.json", "legacy-v3-orders.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "books-2026-10", f))
		if err != nil {
			return nil, err
		}
		var list []json.RawMessage
		var env struct{ Orders []json.RawMessage }
		if json.Unmarshal(b, &list) != nil {
			if err := json.Unmarshal(b, &env); err != nil {
				return nil, err
			}
			list = env.Orders
		}
		decode := woo.DecodeOrder
		if f == "legacy-v3-orders.json" {
			decode = woo.DecodeLegacyOrder
		}
		for _, body := range list {
			// Saved pretty-printed; shops send compact JSON.
			var buf bytes.Buffer
			if err := json.Compact(&buf, body); err != nil {
				return nil, err
			}
			o, err := decode(buf.Bytes())
			if err != nil {
				return nil, err
			}
			real.add(o)
		}
	}
	return append(all, real), nil
})

// woosimOrders lists every order of a generated shop as a first sync
// decodes them.
func woosimOrders(d ledger.Dialect, n int, seed int64, add func(ledger.Order)) error {
	srv, err := woosim.Start(woosim.Options{Orders: n, Seed: seed}, false)
	if err != nil {
		return err
	}
	defer srv.Close()
	c, err := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Dialect: d})
	if err != nil {
		return err
	}
	for page := 1; ; page++ {
		p, err := c.ListOrders(context.Background(), woo.ListOptions{Page: page, OrderBy: "id"})
		if err != nil {
			return err
		}
		for _, o := range p.Orders {
			add(o)
		}
		if page >= p.TotalPages || len(p.Orders) == 0 {
			return nil
		}
	}
}

// BenchmarkCodec encodes and decodes one value per op (the corpus's values
// in turn) and reports the stored bytes per value and the ratio plain /
// stored.
func BenchmarkCodec(b *testing.B) {
	corpora, err := codecCorpora()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range corpora {
		for _, kind := range []struct {
			name   string
			codec  *dictCodec
			values [][]byte
		}{{"record", orderCodec, c.record}, {"raw", rawCodec, c.raws}} {
			var plain, stored int
			encoded := make([][]byte, len(kind.values))
			for i, v := range kind.values {
				encoded[i] = kind.codec.encode(v)
				plain += len(v)
				stored += len(encoded[i])
			}
			// CPU time (user+sys of the process, the garbage collector's
			// included) is reported beside ns/op: on a shared machine it
			// moves less with the load than wall time.
			var cpu0 time.Duration
			start := func() { cpu0, _ = cpuTime() }
			report := func(b *testing.B) {
				if cpu1, ok := cpuTime(); ok {
					b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
				}
				b.ReportMetric(float64(stored)/float64(len(encoded)), "stored-B/value")
				b.ReportMetric(float64(plain)/float64(stored), "ratio")
			}
			b.Run(c.name+"/"+kind.name+"/encode", func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				start()
				for b.Loop() {
					kind.codec.encode(kind.values[i%len(kind.values)])
					i++
				}
				report(b)
			})
			b.Run(c.name+"/"+kind.name+"/decode", func(b *testing.B) {
				b.ReportAllocs()
				buf := make([]byte, 0, 64<<10)
				i := 0
				start()
				for b.Loop() {
					if _, err := kind.codec.decode(buf[:0], encoded[i%len(encoded)]); err != nil {
						b.Fatal(err)
					}
					i++
				}
				report(b)
			})
		}
	}
}
