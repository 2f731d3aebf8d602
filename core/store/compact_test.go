package store

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// TestCompactAtOpen: a file that grew past the thresholds is replaced at
// open by a compacted copy holding the same books (sequences included),
// and is not compacted again until it has grown enough once more.
func TestCompactAtOpen(t *testing.T) {
	minSize, growth := compactMinSize, compactGrowth
	compactMinSize, compactGrowth = 1<<20, 1.5
	t.Cleanup(func() { compactMinSize, compactGrowth = minSize, growth })

	path := filepath.Join(t.TempDir(), "books.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	// Pages in shuffled order, as a first import's modification order
	// scatters ids: leaves are split and left part full.
	orders := newOrderGen(3).orders(sh.ID, 1, 3000, t0, time.Minute)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(orders), func(i, j int) { orders[i], orders[j] = orders[j], orders[i] })
	for i := 0; i < len(orders); i += 100 {
		if _, err := s.ApplyOrders(sh.ID, orders[i:i+100], ledger.SourcePoll, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := s.Order(ledger.OrderKey{Shop: sh.ID, ID: 1234})
	wantHist, _ := s.History(want.Key())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := fileSize(t, path)
	if before < compactMinSize {
		t.Fatalf("test file of %d bytes is below the threshold", before)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	after := fileSize(t, path)
	if after >= before*9/10 {
		t.Errorf("file %d bytes after compaction, %d before: want it at least 10 %% smaller", after, before)
	}
	if _, err := os.Stat(path + compactSuffix); !os.IsNotExist(err) {
		t.Errorf("the compaction's temporary file is left: %v", err)
	}
	if n, err := s.CountOrders(OrderFilter{}); err != nil || n != len(orders) {
		t.Fatalf("%d orders after compaction (%v), want %d", n, err, len(orders))
	}
	got, err := s.Order(want.Key())
	if err != nil || got.Total != want.Total || !got.Modified.Equal(want.Modified) || string(got.Raw) != string(want.Raw) {
		t.Errorf("order 1234 after compaction: %v\n got %+v\nwant %+v", err, got, want)
	}
	if h, _ := s.History(want.Key()); len(h) != len(wantHist) {
		t.Errorf("history %+v, want %+v", h, wantHist)
	}
	// Sequences survive: a new history entry does not reuse a key.
	changed := want
	changed.Status, changed.Modified = ledger.StatusRefunded, want.Modified.Add(time.Hour)
	if _, err := s.ApplyOrders(sh.ID, []ledger.Order{changed}, ledger.SourcePoll, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.History(want.Key()); len(h) != len(wantHist)+1 {
		t.Errorf("history after a change: %d entries, want %d", len(h), len(wantHist)+1)
	}
	if v, _ := s.SchemaVersion(); v != LatestSchemaVersion() {
		t.Errorf("schema version %d after compaction", v)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	recorded := compactedSize(t, path)
	if recorded <= 0 || recorded > fileSize(t, path) {
		t.Errorf("recorded compacted size %d, file %d", recorded, after)
	}

	// Not grown since: opened as it is.
	size := fileSize(t, path)
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if compactedSize(t, path) != recorded || fileSize(t, path) != size {
		t.Errorf("a file that has not grown was compacted again: recorded %d -> %d, file %d -> %d", recorded, compactedSize(t, path), size, fileSize(t, path))
	}
}

func fileSize(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func compactedSize(t *testing.T, path string) int64 {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyCompactedSize); len(v) == 8 {
			n = int64(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	return n
}

// TestOpenRemovesAnInterruptedCompaction: a copy left by a compaction that
// was killed midway is removed at the next open; the books are untouched.
func TestOpenRemovesAnInterruptedCompaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "books.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	s.Close()
	if err := os.WriteFile(path+compactSuffix, []byte("half a copy"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(path + compactSuffix); !os.IsNotExist(err) {
		t.Errorf("the interrupted compaction's copy is still there: %v", err)
	}
	if _, err := s.Shop(sh.ID); err != nil {
		t.Errorf("shop after reopening: %v", err)
	}
}

// TestCompactRewritesOlderFormats: a file written before schema 5, whose
// records, payloads and delivery bodies are formatDictV1, is rewritten in
// formatZstdV2 at its first open whatever its size, holding the same
// books; it is not rewritten again.
func TestCompactRewritesOlderFormats(t *testing.T) {
	path := filepath.Join(t.TempDir(), "books.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sh := mustShop(t, s, ledger.Shop{Name: "Demo"})
	orders := newOrderGen(6).orders(sh.ID, 1, 300, t0, time.Minute)
	if _, err := s.ApplyOrders(sh.ID, orders, ledger.SourcePoll, time.Time{}); err != nil {
		t.Fatal(err)
	}
	d, _ := mustAddDelivery(t, s, delivery(sh.ID, "06bd67eb", string(orders[0].Raw), t0))
	want := map[ledger.OrderKey]ledger.Order{}
	for _, o := range orders {
		got, err := s.Order(o.Key())
		if err != nil {
			t.Fatal(err)
		}
		want[o.Key()] = got
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if formats := valueFormats(t, path); formats[formatZstdV2] != 2*len(orders)+1 || recordFormat(t, path) != formatZstdV2 {
		t.Fatalf("a new file: formats %v, record_format %d", formats, recordFormat(t, path))
	}

	// Make it the file an older version wrote: every value formatDictV1,
	// schema 3, no record_format.
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketOrders, bucketRaw, bucketDeliveryBodies} {
			c := codecOf(name)
			b := tx.Bucket(name)
			var keys, values [][]byte
			b.ForEach(func(k, v []byte) error {
				plain, err := c.decode(nil, v)
				if err != nil {
					return err
				}
				keys, values = append(keys, k), append(values, v1Encode(t, c.v1, plain))
				return nil
			})
			for i := range keys {
				if err := b.Put(keys[i], values[i]); err != nil {
					return err
				}
			}
		}
		meta := tx.Bucket(bucketMeta)
		if err := meta.Delete(keyRecordFormat); err != nil {
			return err
		}
		return meta.Put(keySchemaVersion, u64(3))
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if formats := valueFormats(t, path); formats[formatDictV1] != 2*len(orders)+1 {
		t.Fatalf("the older file: formats %v", formats)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range want {
		got, err := s.Order(k)
		if err != nil || !reflect.DeepEqual(got, w) {
			t.Fatalf("order %v after the rewrite: %v\n got %+v\nwant %+v", k, err, got, w)
		}
	}
	if got, err := s.Delivery(sh.ID, d.Seq); err != nil || !bytes.Equal(got.Body, orders[0].Raw) {
		t.Errorf("delivery body after the rewrite: %d bytes (%v)", len(got.Body), err)
	}
	if v, _ := s.SchemaVersion(); v != LatestSchemaVersion() {
		t.Errorf("schema version %d", v)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if formats := valueFormats(t, path); formats[formatZstdV2] != 2*len(orders)+1 {
		t.Errorf("after the first open: formats %v, want every value %d", formats, formatZstdV2)
	}
	if recordFormat(t, path) != formatZstdV2 {
		t.Errorf("record_format %d after the rewrite", recordFormat(t, path))
	}

	// Rewritten once: the next open leaves the file as it is.
	recorded, size := compactedSize(t, path), fileSize(t, path)
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if compactedSize(t, path) != recorded || fileSize(t, path) != size {
		t.Errorf("compacted again: recorded %d -> %d, file %d -> %d", recorded, compactedSize(t, path), size, fileSize(t, path))
	}
}

// valueFormats counts the format bytes of the compressed values in the
// file at path.
func valueFormats(t *testing.T, path string) map[byte]int {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := map[byte]int{}
	db.View(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketOrders, bucketRaw, bucketDeliveryBodies} {
			tx.Bucket(name).ForEach(func(_, v []byte) error { n[v[0]]++; return nil })
		}
		return nil
	})
	return n
}

func recordFormat(t *testing.T, path string) int {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := -1
	db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyRecordFormat); len(v) == 1 {
			f = int(v[0])
		}
		return nil
	})
	return f
}

// BenchmarkRewriteAtOpen is the first open, by a version that writes
// formatZstdV2, of 100,000 orders that an older version wrote: the
// compaction that rewrites every record and payload. Run it with
// -benchtime 1x; it builds the file first (a minute or two).
func BenchmarkRewriteAtOpen(b *testing.B) {
	const n = 100000
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "books.db")
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		sh, err := s.CreateShop(ledger.Shop{Name: "Demo"})
		if err != nil {
			b.Fatal(err)
		}
		importOrders(b, s, []ledger.ShopID{sh.ID}, n)
		s.Close()
		db, err := bbolt.Open(path, 0o600, nil)
		if err != nil {
			b.Fatal(err)
		}
		// As an older version left it: every value formatDictV1.
		for _, name := range [][]byte{bucketOrders, bucketRaw} {
			c := codecOf(name)
			for first := 0; first < n; first += 10000 {
				err := db.Update(func(tx *bbolt.Tx) error {
					bk := tx.Bucket(name)
					cur := bk.Cursor()
					k, v := cur.First()
					for range first {
						k, v = cur.Next()
					}
					var keys, values [][]byte
					for i := 0; i < 10000 && k != nil; i++ {
						plain, err := c.decode(nil, v)
						if err != nil {
							return err
						}
						keys, values = append(keys, append([]byte(nil), k...)), append(values, v1Encode(b, c.v1, plain))
						k, v = cur.Next()
					}
					for i := range keys { // not while the cursor walks the bucket
						if err := bk.Put(keys[i], values[i]); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyRecordFormat) }); err != nil {
			b.Fatal(err)
		}
		db.Close()
		before := fileSize(b, path)
		cpu0, _ := cpuTime()
		b.StartTimer()
		s, err = Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu1, ok := cpuTime()
		s.Close()
		if ok {
			b.ReportMetric((cpu1 - cpu0).Seconds(), "cpu-s")
		}
		b.ReportMetric(float64(before)/n, "before-B/order")
		b.ReportMetric(float64(fileSize(b, path))/n, "after-B/order")
		b.StartTimer()
	}
}
