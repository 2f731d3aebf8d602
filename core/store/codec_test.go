package store

import (
	"bytes"
	"compress/flate"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestFormatV1Decodes reads values that the released formatDictV1 encoder
// wrote (testdata/format-v1: records and payloads of woosim orders in
// both dialects, a real shop's orders and the store's generated ones, each
// beside its plain JSON).
func TestFormatV1Decodes(t *testing.T) {
	stored, err := filepath.Glob(filepath.Join("testdata", "format-v1", "*.stored"))
	if err != nil || len(stored) < 10 {
		t.Fatalf("%d golden values (%v)", len(stored), err)
	}
	for _, path := range stored {
		v, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(path, ".stored") + ".json")
		if err != nil {
			t.Fatal(err)
		}
		c := rawCodec
		if strings.HasSuffix(path, "-record.stored") {
			c = orderCodec
		}
		if v[0] != formatDictV1 {
			t.Fatalf("%s: format %d, want %d", path, v[0], formatDictV1)
		}
		got, err := c.decode(nil, v)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: decoded %d bytes (%v), want %d", path, len(got), err, len(want))
		}
		// The compaction's rewrite gives the same data in today's format.
		nv, changed, err := c.recode(v)
		if err != nil || !changed || nv[0] != formatZstdV2 {
			t.Fatalf("%s: recode: changed %v, format %d, %v", path, changed, nv[0], err)
		}
		if got, err := c.decode(nil, nv); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: recoded value decodes to %d bytes (%v), want %d", path, len(got), err, len(want))
		}
		if again, changed, _ := c.recode(nv); changed || !bytes.Equal(again, nv) {
			t.Errorf("%s: a value in today's format was rewritten", path)
		}
	}
}

// TestCodecRoundTrip writes realistic records and payloads and odd inputs,
// and reads them back; values that do not shrink are stored plain.
func TestCodecRoundTrip(t *testing.T) {
	var values [][]byte
	for _, o := range newOrderGen(5).orders(1, 1, 200, t0, time.Minute) {
		values = append(values, o.Raw)
		o.Raw = nil
		rec, err := encodeJSON(&o)
		if err != nil {
			t.Fatal(err)
		}
		values = append(values, rec)
	}
	r := rand.New(rand.NewPCG(1, 2))
	values = append(values,
		nil, []byte{}, []byte("a"), []byte("abcd"),
		bytes.Repeat([]byte("a"), 1000), bytes.Repeat([]byte("ab"), 70000),
		[]byte(strings.Repeat(`{"id":1,"status":"completed"}`, 40)),
		orderDictV1, rawDictV1, orderDictV2, rawDictV2,
	)
	for n := range 100 {
		b := make([]byte, r.IntN(9000))
		for i := range b {
			if n%2 == 0 {
				b[i] = byte(r.IntN(256))
			} else {
				b[i] = "{}\":,abcdef0123"[r.IntN(15)]
			}
		}
		values = append(values, b)
	}
	for i, data := range values {
		for _, c := range []*dictCodec{orderCodec, rawCodec} {
			v := c.encode(data)
			switch {
			case len(v) > len(data)+1:
				t.Errorf("value %d: %d bytes stored for %d", i, len(v), len(data))
			case v[0] != formatZstdV2 && v[0] != formatPlain:
				t.Errorf("value %d: written in format %d", i, v[0])
			}
			prefix := []byte("kept")
			got, err := c.decode(append([]byte(nil), prefix...), v)
			if err != nil || !bytes.Equal(got, append(prefix, data...)) {
				t.Fatalf("value %d (%d bytes): round trip failed: %v", i, len(data), err)
			}
		}
	}
	if v := orderCodec.encode(values[1]); v[0] != formatZstdV2 || len(v) > len(values[1])/3 {
		t.Errorf("a record of %d bytes is stored in %d, format %d", len(values[1]), len(v), v[0])
	}
}

// TestCodecStartsNothing: the package's codecs are made when it loads;
// making more must not leave goroutines behind (constructors start
// nothing).
func TestCodecStartsNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	c := newDictCodec(rawDictV1, rawDictV2)
	data := bytes.Repeat([]byte(`{"id":1,"status":"completed"}`), 40)
	if got, err := c.decode(nil, c.encode(data)); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("round trip: %v", err)
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines after making and using a codec, %d before", after, before)
	}
}

// TestCodecRejectsDamage: a damaged value is an error, never a panic or a
// wrong result passed off as the data.
func TestCodecRejectsDamage(t *testing.T) {
	o := newOrderGen(8).order(1, 1, t0)
	data := []byte(o.Raw)
	v := rawCodec.encode(data)
	for _, bad := range [][]byte{
		nil,
		{9, 1, 2, 3},                           // unknown format
		{formatZstdV2, 1, 2, 3},                // not a zstd frame
		v[:len(v)/2],                           // cut short
		append([]byte{formatDictV1}, v[1:]...), // zstd read as DEFLATE
	} {
		if got, err := rawCodec.decode(nil, bad); err == nil && bytes.Equal(got, data) {
			t.Errorf("damaged value % x… decoded to the data", bad[:min(len(bad), 8)])
		} else if err == nil {
			t.Errorf("damaged value % x… decoded without an error", bad[:min(len(bad), 8)])
		}
	}
}

// v1Encode writes data as formatDictV1 with compress/flate, as versions
// before schema 5 wrote values too long for their own encoder (it wrote
// the same DEFLATE).
func v1Encode(t testing.TB, dict, data []byte) []byte {
	var buf bytes.Buffer
	buf.WriteByte(formatDictV1)
	w, err := flate.NewWriterDict(&buf, 2, dict)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func FuzzCodec(f *testing.F) {
	f.Add([]byte(`{"id":25,"status":"processing","total":"43.00"}`))
	f.Add(rawDictV1)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range []*dictCodec{orderCodec, rawCodec} {
			v := c.encode(data)
			got, err := c.decode(nil, v)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("round trip failed: %v", err)
			}
		}
	})
}

// FuzzDecode feeds the decoder stored values of every format, damaged in
// any way: it must return data or an error, never panic or hang.
func FuzzDecode(f *testing.F) {
	o := newOrderGen(4).order(1, 1, t0)
	raw := []byte(o.Raw)
	f.Add(rawCodec.encode(raw))
	f.Add(v1Encode(f, rawDictV1, raw))
	f.Add(append([]byte{formatPlain}, raw[:100]...))
	f.Add([]byte{formatZstdV2})
	f.Fuzz(func(t *testing.T, v []byte) {
		for _, c := range []*dictCodec{orderCodec, rawCodec} {
			if got, err := c.decode(nil, v); err == nil && len(got) > maxStoredValue {
				t.Fatalf("decoded %d bytes, more than the limit", len(got))
			}
		}
	})
}
