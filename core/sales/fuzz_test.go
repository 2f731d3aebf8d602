package sales_test

import (
	"testing"

	"codeberg.org/shopledger/shopledger/core/sales"
)

// FuzzDecodeRecord feeds the record decoder damaged records: it must
// refuse them or decode something that encodes back the same, never panic.
func FuzzDecodeRecord(f *testing.F) {
	for _, o := range sampleOrders(f, false) {
		r := sales.FromOrder(&o)
		f.Add(r.Append(nil))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var dec sales.Decoder
		var r sales.Record
		if err := dec.Decode(1, 1, b, &r); err != nil {
			return
		}
		if got := r.Append(nil); string(got) != string(b) {
			// Varints have more than one encoding; a decoded record must
			// at least decode again to itself.
			var again sales.Record
			if err := dec.Decode(1, 1, got, &again); err != nil || string(again.Append(nil)) != string(got) {
				t.Fatalf("%x decodes to a record that does not round-trip", b)
			}
		}
	})
}
