// Command gen makes the store's zstd dictionaries (core/store/dict): one
// for order records, one for raw payloads. Run by `go generate` in
// core/store.
//
// A dictionary is part of the file format and is never remade under a
// format byte that has been released: to try a better one, give it the
// next format byte (-version) and keep the old file beside it. gen will
// not overwrite one; nor would it make the same file again (the builder's
// output varies from run to run).
//
// The samples are what the store compresses: orders that woosim generates
// (seed 7, not the benchmarks' seed 1, so that the figures measured on
// those are not measured on the training data), in both dialects, as the
// woo client decodes them (Raw is the payload, the record is the ledger
// order's JSON), and the real orders captured from shops in
// core/woo/testdata/samples (a copy of part of shared/woocommerce/samples).
// The real shop's month in core/store/testdata/books-2026-10 is kept out,
// to see how the dictionaries do on a shop they were not made from
// (BenchmarkCodec).
//
// BuildZstdDict's 8-byte minimum match and 32 KB size did best of 4-8 bytes
// and 16-64 KB on those (docs/PERFORMANCE.md, "Store codec").
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/dict"
	"github.com/klauspost/compress/zstd"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

func main() {
	var (
		version = flag.Int("version", 2, "the format byte the dictionaries are for (names the files, and is their zstd dictionary ID's low byte)")
		orders  = flag.Int("orders", 2000, "woosim orders per dialect")
		seed    = flag.Int64("seed", 7, "woosim seed")
		samples = flag.String("samples", "../woo/testdata/samples", "real captured payloads")
		size    = flag.Int("size", 32<<10, "dictionary size in bytes")
		hash    = flag.Int("hash", 8, "shortest match the dictionary builder indexes (4-8)")
		out     = flag.String("out", "dict", "where the dictionaries are written")
	)
	flag.Parse()
	log.SetFlags(0)

	var raws, records [][]byte
	add := func(o ledger.Order) {
		raws = append(raws, o.Raw)
		o.Raw = nil
		rec, err := json.Marshal(&o)
		if err != nil {
			log.Fatal(err)
		}
		records = append(records, rec)
	}
	for _, d := range []ledger.Dialect{ledger.DialectWCV3, ledger.DialectLegacyV3} {
		got, err := fromWoosim(d, *orders, *seed)
		if err != nil {
			log.Fatalf("woosim %s: %v", d, err)
		}
		for _, o := range got {
			add(o)
		}
	}
	real, err := fromSamples(*samples)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range real {
		add(o)
	}
	log.Printf("%d samples (%d real orders)", len(raws), len(real))

	// The ID is the format byte under the project's 0x53 ("S"): fixed, so
	// that remaking a dictionary for the same format does not change it for
	// nothing, and never that of another format's dictionary.
	for _, d := range []struct {
		name    string
		samples [][]byte
		id      uint32
	}{
		{"order", records, 0x5300 | uint32(*version)<<4 | 1},
		{"raw", raws, 0x5300 | uint32(*version)<<4 | 2},
	} {
		b, err := dict.BuildZstdDict(d.samples, dict.Options{
			MaxDictSize: *size,
			HashBytes:   *hash,
			ZstdDictID:  d.id,
			ZstdLevel:   zstd.SpeedFastest,
		})
		if err != nil {
			log.Fatalf("build the %s dictionary: %v", d.name, err)
		}
		path := filepath.Join(*out, fmt.Sprintf("%s-v%d.zstd", d.name, *version))
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			log.Fatalf("%v: a dictionary, once released, never changes; make the next format's with -version %d", err, *version+1)
		}
		if _, err := f.Write(b); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
		log.Printf("%s: %d bytes from %d samples", path, len(b), len(d.samples))
	}
}

// fromWoosim lists every order of a generated shop in dialect d, decoded
// as a first sync decodes them.
func fromWoosim(d ledger.Dialect, n int, seed int64) ([]ledger.Order, error) {
	srv, err := woosim.Start(woosim.Options{Orders: n, Seed: seed}, false)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	c, err := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Dialect: d})
	if err != nil {
		return nil, err
	}
	var all []ledger.Order
	for page := 1; ; page++ {
		p, err := c.ListOrders(context.Background(), woo.ListOptions{Page: page, OrderBy: "id"})
		if err != nil {
			return nil, err
		}
		all = append(all, p.Orders...)
		if page >= p.TotalPages || len(p.Orders) == 0 {
			return all, nil
		}
	}
}

// fromSamples decodes the orders in the captured bodies of dir (not its
// subfolders): single orders, lists and webhook bodies of both dialects.
func fromSamples(dir string) ([]ledger.Order, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		log.Printf("no real samples in %s", dir)
		return nil, err
	}
	var all []ledger.Order
	for _, f := range files {
		name := filepath.Base(f)
		if !strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".body") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		// Captures were saved pretty-printed by hand; shops send compact JSON.
		var buf bytes.Buffer
		if json.Compact(&buf, b) != nil {
			continue
		}
		legacy := strings.HasPrefix(name, "legacy-")
		for _, body := range orderBodies(buf.Bytes()) {
			decode := woo.DecodeOrder
			if legacy {
				decode = woo.DecodeLegacyOrder
			}
			if o, err := decode(body); err == nil && len(o.Lines) > 0 {
				all = append(all, o)
			}
		}
	}
	return all, nil
}

// orderBodies splits a body into the orders it holds: a list, a legacy
// {"orders":[…]} or {"order":…}, or one order.
func orderBodies(b []byte) []json.RawMessage {
	var env struct {
		Orders []json.RawMessage `json:"orders"`
		Order  json.RawMessage   `json:"order"`
	}
	var list []json.RawMessage
	switch {
	case json.Unmarshal(b, &list) == nil:
		return list
	case json.Unmarshal(b, &env) == nil && len(env.Orders) > 0:
		return env.Orders
	case len(env.Order) > 0:
		return []json.RawMessage{env.Order}
	}
	return []json.RawMessage{b}
}
