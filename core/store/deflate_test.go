package store

import (
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// stdlibStored is what compress/flate stores for data: the encoder
// fastEncoder replaced, for comparing sizes.
func stdlibStored(c *dictCodec, data []byte) []byte {
	return append([]byte{formatDictV1}, stdlibEncode(&c.writers)(nil, data)...)
}

func inflate(dict, stream []byte) ([]byte, error) {
	return io.ReadAll(flate.NewReaderDict(bytes.NewReader(stream), dict))
}

// TestFastEncoderRoundTrip compresses realistic records and payloads, and
// odd inputs, and reads them back with compress/flate; it also keeps the
// encoder within a few percent of compress/flate's level 2 in size.
func TestFastEncoderRoundTrip(t *testing.T) {
	orders := newOrderGen(5).orders(1, 1, 300, t0, time.Minute)
	var fastRaw, stdRaw, fastRec, stdRec int
	for i := range orders {
		o := orders[i]
		raw := []byte(o.Raw)
		o.Raw = nil
		plain, err := encodeJSON(&o)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			c          *dictCodec
			data       []byte
			fast, stdl *int
		}{{rawCodec, raw, &fastRaw, &stdRaw}, {orderCodec, plain, &fastRec, &stdRec}} {
			v := tc.c.encode(tc.data)
			got, err := tc.c.decode(nil, v)
			if err != nil || !bytes.Equal(got, tc.data) {
				t.Fatalf("order %d: round trip failed: %v", i, err)
			}
			*tc.fast += len(v)
			*tc.stdl += len(stdlibStored(tc.c, tc.data))
		}
	}
	t.Logf("raw: %d B/order (compress/flate %d), record: %d B/order (compress/flate %d)",
		fastRaw/len(orders), stdRaw/len(orders), fastRec/len(orders), stdRec/len(orders))
	if fastRaw > stdRaw*105/100 || fastRec > stdRec*105/100 {
		t.Errorf("fast encoder stores more than 5%% above compress/flate")
	}

	r := rand.New(rand.NewPCG(1, 2))
	odd := [][]byte{
		nil, {}, []byte("a"), []byte("ab"), []byte("abc"), []byte("abcd"),
		bytes.Repeat([]byte("a"), 1000), bytes.Repeat([]byte("ab"), 70000),
		[]byte(strings.Repeat(`{"id":1,"status":"completed"}`, 40)),
		orderDictV1, rawDictV1, append(append([]byte{}, rawDictV1...), rawDictV1...),
	}
	for n := range 200 {
		b := make([]byte, r.IntN(9000))
		for i := range b {
			if n%2 == 0 {
				b[i] = byte(r.IntN(256))
			} else {
				b[i] = "{}\":,abcdef0123"[r.IntN(15)]
			}
		}
		odd = append(odd, b)
	}
	for i, data := range odd {
		for _, c := range []*dictCodec{orderCodec, rawCodec} {
			stream := c.fast.appendEncoded(nil, data)
			if got, err := inflate(c.dict, stream); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("input %d (%d bytes): round trip failed: %v", i, len(data), err)
			}
		}
	}
}

func FuzzFastEncoder(f *testing.F) {
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
