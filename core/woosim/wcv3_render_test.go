package woosim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// jnode is a decoded JSON value that keeps object key order.
type jnode struct {
	kind  string // object, array, string, number, bool, null
	keys  []string
	vals  map[string]*jnode
	elems []*jnode
}

func parseJSON(t *testing.T, b []byte) *jnode {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	n, err := parseNode(d)
	if err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return n
}

func parseNode(d *json.Decoder) (*jnode, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			n := &jnode{kind: "object", vals: map[string]*jnode{}}
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				c, err := parseNode(d)
				if err != nil {
					return nil, err
				}
				if _, dup := n.vals[k]; dup {
					return nil, fmt.Errorf("duplicate key %q", k)
				}
				n.keys = append(n.keys, k)
				n.vals[k] = c
			}
			_, err = d.Token()
			return n, err
		case '[':
			n := &jnode{kind: "array"}
			for d.More() {
				c, err := parseNode(d)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, c)
			}
			_, err = d.Token()
			return n, err
		}
	case string:
		return &jnode{kind: "string"}, nil
	case json.Number:
		return &jnode{kind: "number"}, nil
	case bool:
		return &jnode{kind: "bool"}, nil
	case nil:
		return &jnode{kind: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// sameShape checks that got has want's keys in want's order and the same
// JSON types, allowing the alternatives in alt (path → extra kinds) that
// the real shop also produces (a date is null until set, sku is null for a
// deleted product).
func sameShape(t *testing.T, path string, got, want *jnode, alt map[string][]string) {
	t.Helper()
	if got.kind != want.kind && !slices.Contains(alt[path], got.kind) {
		t.Errorf("%s: %s, want %s", path, got.kind, want.kind)
		return
	}
	if got.kind != want.kind {
		return
	}
	switch got.kind {
	case "object":
		if path != "._links" && !slices.Equal(got.keys, want.keys) {
			t.Errorf("%s keys:\n got %v\nwant %v", path, got.keys, want.keys)
			return
		}
		for _, k := range want.keys {
			if g, ok := got.vals[k]; ok {
				sameShape(t, path+"."+k, g, want.vals[k], alt)
			} else {
				t.Errorf("%s: missing %s", path, k)
			}
		}
	case "array":
		if len(want.elems) == 0 {
			return
		}
		for i, g := range got.elems {
			sameShape(t, path+"[]", g, want.elems[min(i, len(want.elems)-1)], alt)
		}
	}
}

var shapeAlternatives = map[string][]string{
	".date_completed":                 {"string", "null"},
	".date_paid":                      {"string", "null"},
	".date_completed_gmt":             {"string", "null"},
	".date_paid_gmt":                  {"string", "null"},
	".line_items[].sku":               {"null"},
	".line_items[].parent_name":       {"string", "null"},
	".line_items[].image.id":          {"string", "number"},
	".line_items[].meta_data[].value": {"object"}, // never in practice: coupon_data is on coupon lines
}

func TestRenderedShapeMatchesSample(t *testing.T) {
	single := parseJSON(t, sample(t, "wc-v3-order-single-25.json"))
	list := parseJSON(t, sample(t, "wc-v3-orders-list-page2-per_page3.json"))
	var shipLine *jnode
	for _, o := range list.elems {
		if sl := o.vals["shipping_lines"]; len(sl.elems) > 0 {
			shipLine = sl.elems[0]
		}
	}
	if shipLine == nil {
		t.Fatal("no shipping line in the list sample")
	}

	s := New(Options{Orders: 600, Seed: 11, Now: func() time.Time { return testNow }})
	found := map[string]bool{}
	for i, raw := range renderAll(s, "https://127.0.0.1:8443") {
		got := parseJSON(t, raw)
		path := fmt.Sprintf("order %d", i+1)
		if !slices.Equal(got.keys, single.keys) {
			t.Fatalf("%s top-level keys:\n got %v\nwant %v", path, got.keys, single.keys)
		}
		sameShape(t, "", got, single, shapeAlternatives)
		for _, sl := range got.vals["shipping_lines"].elems {
			sameShape(t, ".shipping_lines[]", sl, shipLine, nil)
		}
		links := got.vals["_links"]
		if links.keys[0] != "self" || links.keys[1] != "collection" {
			t.Errorf("%s _links keys %v", path, links.keys)
		}
		for _, tl := range got.vals["tax_lines"].elems {
			found["tax"] = true
			want := []string{"id", "rate_code", "rate_id", "label", "compound", "tax_total", "shipping_tax_total", "rate_percent", "meta_data"}
			if !slices.Equal(tl.keys, want) {
				t.Errorf("%s tax line keys %v", path, tl.keys)
			}
		}
		for _, f := range got.vals["fee_lines"].elems {
			found["fee"] = true
			want := []string{"id", "name", "tax_class", "tax_status", "amount", "total", "total_tax", "taxes", "meta_data"}
			if !slices.Equal(f.keys, want) {
				t.Errorf("%s fee line keys %v", path, f.keys)
			}
		}
		for _, c := range got.vals["coupon_lines"].elems {
			found["coupon"] = true
			want := []string{"id", "code", "discount", "discount_tax", "meta_data"}
			if !slices.Equal(c.keys, want) || c.vals["discount"].kind != "string" {
				t.Errorf("%s coupon line keys %v", path, c.keys)
			}
		}
		for _, rf := range got.vals["refunds"].elems {
			found["refund"] = true
			if !slices.Equal(rf.keys, []string{"id", "reason", "total"}) || rf.vals["total"].kind != "string" {
				t.Errorf("%s refund %v", path, rf.keys)
			}
		}
	}
	for _, k := range []string{"tax", "fee", "coupon", "refund"} {
		if !found[k] {
			t.Errorf("no order with a %s line to check", k)
		}
	}
}

// The capture's order 25 has three lines, and the simulator's rendering of
// an order with the same content must match it byte for byte.
func TestRenderMatchesCaptureByteForByte(t *testing.T) {
	want := sample(t, "wc-v3-order-single-25.json")
	s := New(Options{Now: func() time.Time { return testNow }})
	o, d := captureOrder25()
	got := s.renderWCV3(o, d, 2).appendTo(nil, appendPHPStringBody(nil, "https://127.0.0.1:8443"))
	if !bytes.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("differs at byte %d:\n got …%s\nwant …%s", i, got[max(0, i-60):min(len(got), i+60)], want[max(0, i-60):min(len(want), i+60)])
			}
		}
		t.Fatalf("lengths differ: %d vs %d", len(got), len(want))
	}
}

// captureOrder25 is the state and content of the captured shop's order 25
// (samples/*-order-single-25.json).
func captureOrder25() (*order, *orderDoc) {
	at := func(v string) int64 {
		tm, _ := time.Parse(wcDate, v)
		return tm.Unix()
	}
	o := &order{id: 25, created: at("2026-11-27T11:26:25"), modified: at("2026-11-27T11:26:26"),
		paid: at("2026-11-27T11:26:26"), status: "processing"}
	d := &orderDoc{
		ID: 25, OrderKey: "wc_order_1jQay9B7nQScr", Currency: "USD",
		Billing: address{FirstName: "Grace", LastName: "O'Brien", Address1: "15 Main Street", City: "Paris",
			Postcode: "75001", Country: "FR", Email: "graceobrien50@example.test", Phone: "+497467210"},
		PaymentMethod: "cod", PaymentMethodTitle: "Cash on delivery", TransactionID: "TX808295",
		CustomerIP: "127.0.0.1", CreatedVia: "realwoo-script", NeedsPro: true,
		Lines: []lineItem{
			{ID: 1, Name: "Notebook A5", ProductID: 17, Quantity: 2, Subtotal: 1460, Total: 1460, SKU: "NB-A5", ImageIDStr: true,
				Meta: []metaItem{{ID: 29, Key: "_reduced_stock", Value: "2", DisplayKey: "_reduced_stock", DisplayValue: "2", ReducedStock: true}}},
			{ID: 2, Name: "T-Shirt - L", ProductID: 21, VariationID: 24, Quantity: 2, Subtotal: 4200, Total: 4200, SKU: "TSHIRT-L", ParentName: "T-Shirt",
				Meta: []metaItem{{ID: 19, Key: "size", Value: "L", DisplayKey: "Size", DisplayValue: "L"},
					{ID: 30, Key: "_reduced_stock", Value: "2", DisplayKey: "_reduced_stock", DisplayValue: "2", ReducedStock: true}}},
			{ID: 3, Name: "Blue Mug", ProductID: 11, Quantity: 2, Subtotal: 1900, Total: 1900, SKU: "MUG-BLUE", ImageIDStr: true,
				Meta: []metaItem{{ID: 31, Key: "_reduced_stock", Value: "2", DisplayKey: "_reduced_stock", DisplayValue: "2", ReducedStock: true}}},
		},
		Total: 7560,
	}
	d.Shipping = d.Billing
	d.Shipping.Email, d.Shipping.Phone = "", ""
	return o, d
}

// firstDiff fails with the neighbourhood of the first difference.
func firstDiff(t *testing.T, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("differs at byte %d:\n got …%s\nwant …%s", i, got[max(0, i-60):min(len(got), i+60)], want[max(0, i-60):min(len(want), i+60)])
		}
	}
	t.Fatalf("lengths differ: %d vs %d", len(got), len(want))
}

func TestPHPJSONEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"a/b":             `"a\/b"`,
		"Иван":            `"\u0418\u0432\u0430\u043d"`,
		"Größe „XL“":      `"Gr\u00f6\u00dfe \u201eXL\u201c"`,
		"😀":               `"\ud83d\ude00"`,
		`<a href='x'>&`:   `"<a href='x'>&"`,
		"line\nbreak\t\"": `"line\nbreak\t\""`,
		"\x01\x7f\\":      `"\u0001` + "\x7f" + `\\"`,
	} {
		got := string(appendPHPString(nil, in))
		if got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil || back != in {
			t.Errorf("%q does not round-trip: %q %v", in, back, err)
		}
	}
}

func TestPHPFloatMoney(t *testing.T) {
	for m, want := range map[money]string{0: "0", 1000: "10", 450: "4.5", 195: "1.95", -200: "-2", 5: "0.05"} {
		if got := string(appendPHPFloatMoney(nil, m)); got != want {
			t.Errorf("%d: %s, want %s", m, got, want)
		}
	}
	for _, c := range []struct {
		m    money
		dp   int
		want string
	}{{7560, 2, "75.60"}, {7560, 0, "76"}, {7549, 0, "75"}, {7555, 1, "75.6"}, {-500, 2, "-5.00"}, {7560, 3, "75.600"}, {-4, 1, "0.0"}} {
		if got := string(appendMoneyDP(nil, c.m, c.dp)); got != c.want {
			t.Errorf("%d dp %d: %s, want %s", c.m, c.dp, got, c.want)
		}
	}
}

func TestNoSlashOrNonASCIIUnescaped(t *testing.T) {
	s := New(Options{Orders: 200, Seed: 2, Now: func() time.Time { return testNow }})
	for i, raw := range renderAll(s, "https://127.0.0.1:8443") {
		for _, c := range raw {
			if c >= 0x80 {
				t.Fatalf("order %d has a raw non-ASCII byte", i+1)
			}
		}
		if strings.Contains(string(raw), "://") || strings.Contains(strings.ReplaceAll(string(raw), `\/`, ""), "/") {
			t.Fatalf("order %d has an unescaped slash", i+1)
		}
	}
}
