package woo

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// FuzzDecodeOrder feeds order payloads — the captured samples, webhook
// bodies, and whatever the fuzzer makes of them — to both decoders. They
// must never panic; what they accept must have an id, a raw payload that
// is JSON, UTC times, and decode the same way twice.
func FuzzDecodeOrder(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "samples", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, ".headers.txt") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if _, body, ok := strings.Cut(string(b), "\r\n\r\n"); ok { // a raw HTTP request
			b = []byte(body)
		}
		f.Add(b)
		if strings.Contains(name, "order-single") || strings.HasSuffix(name, ".body") {
			f.Add(append([]byte("\xef\xbb\xbfNotice: Undefined index in x.php on line 1\n"), b...))
		}
	}
	for _, s := range []string{
		`{"id":1}`, `{"order":{"id":"7","updated_at":"2026-01-02T03:04:05Z"}}`, `{"id":1,"total":1e400}`,
		`{"id":2,"line_items":{"0":{"id":1,"quantity":"2"}},"billing":[]}`, `<html><title>Down</title></html>`,
		`{"order":[]}`, `[]`, ``, `{"id":-3}`, `{"id":9223372036854775807,"date_modified_gmt":"0000-00-00 00:00:00"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, dec := range []struct {
			name string
			fn   func([]byte) (ledger.Order, error)
		}{{"wc/v3", DecodeOrder}, {"legacy", DecodeLegacyOrder}} {
			o, err := dec.fn(raw)
			if err != nil {
				if KindOf(err) != KindBadPayload {
					t.Fatalf("%s: error of kind %s: %v", dec.name, KindOf(err), err)
				}
				continue
			}
			if o.ID <= 0 {
				t.Fatalf("%s: accepted order id %d", dec.name, o.ID)
			}
			if !json.Valid(o.Raw) {
				t.Fatalf("%s: raw payload is not JSON: %.100q", dec.name, o.Raw)
			}
			for _, tm := range []time.Time{o.Created, o.Modified, o.Paid, o.Completed} {
				if !tm.IsZero() && tm.Location() != time.UTC {
					t.Fatalf("%s: time %v not in UTC", dec.name, tm)
				}
			}
			if _, err := json.Marshal(o); err != nil {
				t.Fatalf("%s: decoded order does not encode: %v", dec.name, err)
			}
			again, err := dec.fn(raw)
			if err != nil || !reflect.DeepEqual(o, again) {
				t.Fatalf("%s: second decode differs (%v)", dec.name, err)
			}
		}
	})
}
