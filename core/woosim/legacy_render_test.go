package woosim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

// renderAllLegacy renders every order of s in the legacy dialect, customer
// included, for site.
func renderAllLegacy(s *Sim, site string) [][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	esc := appendPHPStringBody(nil, site)
	out := make([][]byte, len(s.orders))
	for i, o := range s.orders {
		out[i] = s.appendLegacyOrder(nil, o, 2, esc, true)
	}
	return out
}

func TestLegacyRenderMatchesCaptureByteForByte(t *testing.T) {
	want := sample(t, "legacy-v3-order-single-25.json")
	s := New(Options{Now: func() time.Time { return testNow }})
	o, d := captureOrder25()
	got := append([]byte(`{"order":`), s.renderLegacy(o, d, 2).appendTo(nil, appendPHPStringBody(nil, "https://127.0.0.1:8443"))...)
	firstDiff(t, append(got, '}'), want)
}

var legacyShapeAlternatives = map[string][]string{
	".line_items[].sku": {"null"},
}

func TestLegacyShapeMatchesSample(t *testing.T) {
	single := parseJSON(t, sample(t, "legacy-v3-order-single-25.json")).vals["order"]
	list := parseJSON(t, sample(t, "legacy-v3-orders-list-page2-limit3.json")).vals["orders"]
	var shipLine *jnode
	for _, o := range list.elems {
		if sl := o.vals["shipping_lines"]; len(sl.elems) > 0 {
			shipLine = sl.elems[0]
		}
	}
	if shipLine == nil {
		t.Fatal("no shipping line in the list sample")
	}
	guestKeys := single.vals["customer"].keys
	registeredKeys := []string{"id", "created_at", "last_update", "email", "first_name", "last_name", "username", "role",
		"last_order_id", "last_order_date", "orders_count", "total_spent", "avatar_url", "billing_address", "shipping_address"}

	s := New(Options{Orders: 600, Seed: 11, Now: func() time.Time { return testNow }})
	found := map[string]bool{}
	for i, raw := range renderAllLegacy(s, "https://127.0.0.1:8443") {
		got := parseJSON(t, raw)
		path := fmt.Sprintf("order %d", i+1)
		if !slices.Equal(got.keys, single.keys) {
			t.Fatalf("%s keys:\n got %v\nwant %v", path, got.keys, single.keys)
		}
		for _, k := range single.keys {
			if k == "customer" {
				continue
			}
			sameShape(t, "."+k, got.vals[k], single.vals[k], legacyShapeAlternatives)
		}
		for _, sl := range got.vals["shipping_lines"].elems {
			found["shipping"] = true
			sameShape(t, ".shipping_lines[]", sl, shipLine, nil)
		}
		c := got.vals["customer"]
		if c.vals["id"].kind != "number" {
			t.Fatalf("%s customer %v", path, c.keys)
		}
		if slices.Equal(c.keys, guestKeys) {
			found["guest"] = true
			sameShape(t, ".customer", c, single.vals["customer"], nil)
		} else if slices.Equal(c.keys, registeredKeys) {
			found["registered"] = true
			sameShape(t, ".customer.billing_address", c.vals["billing_address"], single.vals["billing_address"], nil)
		} else {
			t.Fatalf("%s customer keys %v", path, c.keys)
		}
		for _, tl := range got.vals["tax_lines"].elems {
			found["tax"] = true
			if !slices.Equal(tl.keys, []string{"id", "rate_id", "code", "title", "total", "compound"}) {
				t.Errorf("%s tax line keys %v", path, tl.keys)
			}
		}
		for _, f := range got.vals["fee_lines"].elems {
			found["fee"] = true
			if !slices.Equal(f.keys, []string{"id", "title", "tax_class", "total", "total_tax"}) {
				t.Errorf("%s fee line keys %v", path, f.keys)
			}
		}
		for _, c := range got.vals["coupon_lines"].elems {
			found["coupon"] = true
			if !slices.Equal(c.keys, []string{"id", "code", "amount"}) || c.vals["amount"].kind != "string" {
				t.Errorf("%s coupon line keys %v", path, c.keys)
			}
		}
	}
	for _, k := range []string{"shipping", "guest", "registered", "tax", "fee", "coupon"} {
		if !found[k] {
			t.Errorf("no order with %s to check", k)
		}
	}
}

// legacyOrder is the part of a legacy order the comparison reads.
type legacyOrder struct {
	ID          int64  `json:"id"`
	Number      string `json:"order_number"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
	CompletedAt string `json:"completed_at"`
	Status      string `json:"status"`
	Currency    string `json:"currency"`
	Total       string `json:"total"`
	TotalTax    string `json:"total_tax"`
	Shipping    string `json:"total_shipping"`
	CartTax     string `json:"cart_tax"`
	ShippingTax string `json:"shipping_tax"`
	Discount    string `json:"total_discount"`
	Payment     struct {
		MethodID string `json:"method_id"`
		Paid     bool   `json:"paid"`
	} `json:"payment_details"`
	CustomerID int64 `json:"customer_id"`
	LineItems  []struct {
		Subtotal  string  `json:"subtotal"`
		Total     string  `json:"total"`
		TotalTax  string  `json:"total_tax"`
		Price     string  `json:"price"`
		Quantity  int64   `json:"quantity"`
		ProductID int64   `json:"product_id"`
		SKU       *string `json:"sku"`
	} `json:"line_items"`
	FeeLines []struct {
		Total string `json:"total"`
	} `json:"fee_lines"`
	CouponLines []struct {
		Code   string `json:"code"`
		Amount string `json:"amount"`
	} `json:"coupon_lines"`
	Customer struct {
		ID int64 `json:"id"`
	} `json:"customer"`
}

// The same orders rendered in both dialects tell the same story.
func TestDialectsAgree(t *testing.T) {
	s := New(Options{Orders: 1500, Seed: 5, Now: func() time.Time { return testNow }})
	s.SetStatus(3, "completed")
	s.DeleteOrder(4)
	modern := decodeOrders(t, renderAll(s, "https://shop.test"))
	for i, raw := range renderAllLegacy(s, "https://shop.test") {
		var l legacyOrder
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatalf("order %d: %v", i+1, err)
		}
		m := modern[i]
		z := func(gmt *string) string {
			if gmt == nil {
				return "1970-01-01T00:00:00Z"
			}
			return *gmt + "Z"
		}
		id := m.ID
		checks := []struct{ what, got, want string }{
			{"id", fmt.Sprint(l.ID), fmt.Sprint(m.ID)},
			{"number", l.Number, m.Number},
			{"status", l.Status, m.Status},
			{"currency", l.Currency, m.Currency},
			{"total", l.Total, m.Total},
			{"total_tax", l.TotalTax, m.TotalTax},
			{"shipping", l.Shipping, m.ShippingTotal},
			{"cart_tax", l.CartTax, m.CartTax},
			{"shipping_tax", l.ShippingTax, m.ShippingTax},
			{"discount", l.Discount, m.DiscountTotal},
			{"created", l.CreatedAt, m.DateCreatedGMT + "Z"},
			{"updated", l.UpdatedAt, m.DateModifiedGMT + "Z"},
			{"completed", l.CompletedAt, z(m.DateCompletedGMT)},
			{"paid", fmt.Sprint(l.Payment.Paid), fmt.Sprint(m.DatePaidGMT != nil)},
			{"customer", fmt.Sprint(l.CustomerID, l.Customer.ID), fmt.Sprint(m.CustomerID, m.CustomerID)},
			{"lines", fmt.Sprint(len(l.LineItems)), fmt.Sprint(len(m.LineItems))},
			{"fees", fmt.Sprint(len(l.FeeLines)), fmt.Sprint(len(m.FeeLines))},
			{"coupons", fmt.Sprint(len(l.CouponLines)), fmt.Sprint(len(m.CouponLines))},
		}
		for j := range min(len(l.LineItems), len(m.LineItems)) {
			ll, ml := l.LineItems[j], m.LineItems[j]
			pid := ml.ProductID
			if ml.VariationID != 0 {
				pid = ml.VariationID
			}
			price, _ := ml.Price.Float64()
			checks = append(checks,
				struct{ what, got, want string }{"line total", ll.Total, ml.Total},
				struct{ what, got, want string }{"line subtotal", ll.Subtotal, ml.Subtotal},
				struct{ what, got, want string }{"line tax", ll.TotalTax, ml.TotalTax},
				struct{ what, got, want string }{"quantity", fmt.Sprint(ll.Quantity), fmt.Sprint(ml.Quantity)},
				struct{ what, got, want string }{"product", fmt.Sprint(ll.ProductID), fmt.Sprint(pid)},
				struct{ what, got, want string }{"sku", fmt.Sprint(deref(ll.SKU)), fmt.Sprint(deref(ml.SKU))},
				struct{ what, got, want string }{"price", ll.Price, fmt.Sprintf("%.2f", price+1e-9)},
			)
		}
		for j := range min(len(l.FeeLines), len(m.FeeLines)) {
			checks = append(checks, struct{ what, got, want string }{"fee", l.FeeLines[j].Total, m.FeeLines[j].Total})
		}
		for j := range min(len(l.CouponLines), len(m.CouponLines)) {
			disc := amount(t, id, "coupon", m.CouponLines[j].Discount)
			checks = append(checks,
				struct{ what, got, want string }{"coupon code", l.CouponLines[j].Code, m.CouponLines[j].Code},
				struct{ what, got, want string }{"coupon amount", l.CouponLines[j].Amount, disc.String()})
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("order %d %s: legacy %q, wc/v3 %q", id, c.what, c.got, c.want)
			}
		}
	}
}

func deref(p *string) string {
	if p == nil {
		return "<null>"
	}
	return *p
}

func TestAppendRatioDP(t *testing.T) {
	for _, c := range []struct {
		amount money
		qty    int64
		dp     int
		want   string
	}{
		{1460, 2, 2, "7.30"}, {1000, 3, 2, "3.33"}, {2000, 3, 2, "6.67"}, {1001, 2, 2, "5.01"},
		{1, 2, 2, "0.01"}, {-1000, 3, 2, "-3.33"}, {1000, 3, 0, "3"}, {1050, 1, 1, "10.5"}, {0, 5, 2, "0.00"},
	} {
		if got := string(appendRatioDP(nil, c.amount, c.qty, c.dp)); got != c.want {
			t.Errorf("%d/%d dp %d: %s, want %s", c.amount, c.qty, c.dp, got, c.want)
		}
	}
}

func TestLegacyRegisteredCustomer(t *testing.T) {
	s := New(Options{Orders: 2000, Seed: 2, Now: func() time.Time { return testNow }})
	s.mu.RLock()
	var cust int64
	for id, idx := range s.byCustomer {
		if len(idx) >= 3 {
			cust = id
			break
		}
	}
	idx := slices.Clone(s.byCustomer[cust])
	var spent money
	for _, i := range idx {
		if o := s.orders[i]; o.status == "processing" || o.status == "completed" {
			spent += o.total
		}
	}
	raw := s.appendRegisteredCustomer(nil, cust, true)
	s.mu.RUnlock()
	var c struct {
		ID          int64  `json:"id"`
		LastOrderID int64  `json:"last_order_id"`
		OrdersCount int    `json:"orders_count"`
		TotalSpent  string `json:"total_spent"`
		Role        string `json:"role"`
		Avatar      string `json:"avatar_url"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if c.ID != cust || c.OrdersCount != len(idx) || c.LastOrderID != int64(idx[len(idx)-1])+1 ||
		c.TotalSpent != spent.String() || c.Role != "customer" || !bytes.HasPrefix([]byte(c.Avatar), []byte("https://secure.gravatar.com/avatar/")) {
		t.Fatalf("customer %d: %s (orders %d, spent %s)", cust, raw, len(idx), spent)
	}
	// Trashing the last order takes it out of the count.
	last := int64(idx[len(idx)-1]) + 1
	if err := s.DeleteOrder(last); err != nil {
		t.Fatal(err)
	}
	s.mu.RLock()
	raw = s.appendRegisteredCustomer(nil, cust, true)
	s.mu.RUnlock()
	json.Unmarshal(raw, &c)
	if c.OrdersCount != len(idx)-1 || c.LastOrderID == last {
		t.Fatalf("after trashing %d: %s", last, raw)
	}
}
