package books

import "testing"

// TestOrderMeta reads a meta key from both dialects' payloads.
func TestOrderMeta(t *testing.T) {
	for _, c := range []struct{ raw, key, want string }{
		{`{"id":1,"meta_data":[{"id":9,"key":"_receipt_no","value":"0000042"},{"key":"n","value":17}]}`, "_receipt_no", "0000042"},
		{`{"id":1,"meta_data":[{"key":"n","value":17}]}`, "n", "17"},
		{`{"id":1,"meta_data":[{"key":"arr","value":[1]}]}`, "arr", ""},
		{`{"order":{"id":1,"order_meta":{"_receipt_no":"R-7"}}}`, "_receipt_no", "R-7"},
		{`{"id":1,"order_meta":{"_receipt_no":"R-8"}}`, "_receipt_no", "R-8"},
		{`{"id":1}`, "_receipt_no", ""},
		{``, "_receipt_no", ""},
	} {
		if got := orderMeta([]byte(c.raw), c.key); got != c.want {
			t.Errorf("orderMeta(%s, %s) = %q, want %q", c.raw, c.key, got, c.want)
		}
	}
}
