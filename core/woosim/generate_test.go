package woosim

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// renderAll renders every order of s in wc/v3 for site.
func renderAll(s *Sim, site string) [][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	esc := appendPHPStringBody(nil, site)
	out := make([][]byte, len(s.orders))
	for i, o := range s.orders {
		out[i] = s.renderedWCV3(o).appendTo(nil, esc)
	}
	return out
}

func TestGeneratorDeterministic(t *testing.T) {
	o := Options{Orders: 400, Seed: 42, Now: func() time.Time { return testNow }}
	a, b := New(o), New(o)
	ra, rb := renderAll(a, "http://x"), renderAll(b, "http://x")
	for i := range ra {
		if !bytes.Equal(ra[i], rb[i]) {
			t.Fatalf("order %d differs between two runs with the same seed:\n%s\n%s", i+1, ra[i], rb[i])
		}
	}
	sa, sb := a.Snapshot(), b.Snapshot()
	for i := range sa {
		if sa[i] != sb[i] {
			t.Fatalf("snapshot %d differs: %+v vs %+v", i, sa[i], sb[i])
		}
	}
	// Rendering is a pure function of the state: rendering again from a
	// cold cache gives the same bytes.
	a.mu.Lock()
	for _, o := range a.orders {
		o.cache[dialectWCV3].Store(nil)
	}
	a.mu.Unlock()
	for i, r := range renderAll(a, "http://x") {
		if !bytes.Equal(r, ra[i]) {
			t.Fatalf("order %d renders differently the second time", i+1)
		}
	}
	// AddOrders is deterministic too.
	if ia, ib := a.AddOrders(5), b.AddOrders(5); len(ia) != 5 || ia[0] != 401 || ib[4] != 405 {
		t.Fatalf("AddOrders ids %v %v", ia, ib)
	}
	ra, rb = renderAll(a, "http://x"), renderAll(b, "http://x")
	for i := 400; i < 405; i++ {
		if !bytes.Equal(ra[i], rb[i]) {
			t.Fatalf("added order %d differs", i+1)
		}
	}

	c := New(Options{Orders: 400, Seed: 43, Now: func() time.Time { return testNow }})
	same := 0
	for i, r := range renderAll(c, "http://x") {
		if bytes.Equal(r, ra[i]) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d orders identical across different seeds", same)
	}
}

// wcOrder is the part of a wc/v3 order the checks below read.
type wcOrder struct {
	ID               int64  `json:"id"`
	Status           string `json:"status"`
	Currency         string `json:"currency"`
	PricesIncludeTax bool   `json:"prices_include_tax"`
	DateCreated      string `json:"date_created"`
	DateModified     string `json:"date_modified"`
	DiscountTotal    string `json:"discount_total"`
	DiscountTax      string `json:"discount_tax"`
	ShippingTotal    string `json:"shipping_total"`
	ShippingTax      string `json:"shipping_tax"`
	CartTax          string `json:"cart_tax"`
	Total            string `json:"total"`
	TotalTax         string `json:"total_tax"`
	CustomerID       int64  `json:"customer_id"`
	Billing          struct {
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
	} `json:"billing"`
	DateCompleted    *string `json:"date_completed"`
	DatePaid         *string `json:"date_paid"`
	DateCreatedGMT   string  `json:"date_created_gmt"`
	DateModifiedGMT  string  `json:"date_modified_gmt"`
	DateCompletedGMT *string `json:"date_completed_gmt"`
	DatePaidGMT      *string `json:"date_paid_gmt"`
	Number           string  `json:"number"`
	LineItems        []struct {
		ProductID   int64       `json:"product_id"`
		VariationID int64       `json:"variation_id"`
		Quantity    int64       `json:"quantity"`
		Subtotal    string      `json:"subtotal"`
		SubtotalTax string      `json:"subtotal_tax"`
		Total       string      `json:"total"`
		TotalTax    string      `json:"total_tax"`
		Price       json.Number `json:"price"`
		ParentName  *string     `json:"parent_name"`
		SKU         *string     `json:"sku"`
		Taxes       []struct {
			Total    string `json:"total"`
			Subtotal string `json:"subtotal"`
		} `json:"taxes"`
		MetaData []struct {
			Key        string `json:"key"`
			DisplayKey string `json:"display_key"`
		} `json:"meta_data"`
	} `json:"line_items"`
	TaxLines []struct {
		RateID      int64       `json:"rate_id"`
		TaxTotal    string      `json:"tax_total"`
		ShippingTax string      `json:"shipping_tax_total"`
		RatePercent json.Number `json:"rate_percent"`
	} `json:"tax_lines"`
	ShippingLines []struct {
		Total    string `json:"total"`
		TotalTax string `json:"total_tax"`
	} `json:"shipping_lines"`
	FeeLines []struct {
		Total    string `json:"total"`
		TotalTax string `json:"total_tax"`
	} `json:"fee_lines"`
	CouponLines []struct {
		Code        string `json:"code"`
		Discount    string `json:"discount"`
		DiscountTax string `json:"discount_tax"`
	} `json:"coupon_lines"`
	Refunds []struct {
		ID     int64  `json:"id"`
		Reason string `json:"reason"`
		Total  string `json:"total"`
	} `json:"refunds"`
	NeedsPayment bool                               `json:"needs_payment"`
	Links        map[string][]struct{ Href string } `json:"_links"`
}

var moneyRE = regexp.MustCompile(`^-?\d+\.\d\d$`)

func amount(t *testing.T, id int64, field, s string) ledger.Amount {
	t.Helper()
	a, err := ledger.ParseAmount(s)
	if err != nil {
		t.Fatalf("order %d %s: %v", id, field, err)
	}
	return a
}

func money2(t *testing.T, id int64, field, s string) ledger.Amount {
	t.Helper()
	if !moneyRE.MatchString(s) {
		t.Fatalf("order %d %s = %q: not a 2-decimal money string", id, field, s)
	}
	return amount(t, id, field, s)
}

func decodeOrders(t *testing.T, raw [][]byte) []wcOrder {
	t.Helper()
	out := make([]wcOrder, len(raw))
	for i, r := range raw {
		d := json.NewDecoder(bytes.NewReader(r))
		d.UseNumber()
		if err := d.Decode(&out[i]); err != nil {
			t.Fatalf("order %d: %v\n%s", i+1, err, r)
		}
	}
	return out
}

func TestGeneratedOrdersAddUp(t *testing.T) {
	const n = 2000
	s := New(Options{Orders: n, Seed: 7, Now: func() time.Time { return testNow }})
	orders := decodeOrders(t, renderAll(s, "https://shop.test"))
	var prevCreated string
	for _, o := range orders {
		id := o.ID
		total := money2(t, id, "total", o.Total)
		totalTax := money2(t, id, "total_tax", o.TotalTax)
		cartTax := money2(t, id, "cart_tax", o.CartTax)
		shipTotal := money2(t, id, "shipping_total", o.ShippingTotal)
		shipTax := money2(t, id, "shipping_tax", o.ShippingTax)
		discTotal := money2(t, id, "discount_total", o.DiscountTotal)
		discTax := money2(t, id, "discount_tax", o.DiscountTax)

		var lines, lineTax, disc, dTax ledger.Amount
		for _, li := range o.LineItems {
			sub := money2(t, id, "line subtotal", li.Subtotal)
			tot := money2(t, id, "line total", li.Total)
			subTax := money2(t, id, "line subtotal_tax", li.SubtotalTax)
			totTax := money2(t, id, "line total_tax", li.TotalTax)
			lines += tot
			lineTax += totTax
			disc += sub - tot
			dTax += subTax - totTax
			var taxes ledger.Amount
			for _, tx := range li.Taxes {
				taxes += amount(t, id, "line taxes total", tx.Total)
			}
			if taxes != totTax {
				t.Errorf("order %d: line taxes %v != total_tax %v", id, taxes, totTax)
			}
			price, err := li.Price.Float64()
			if err != nil || math.Abs(price*float64(li.Quantity)-tot.Float()) > 1e-9 {
				t.Errorf("order %d: price %s × %d != total %s", id, li.Price, li.Quantity, li.Total)
			}
			if (li.VariationID != 0) != (li.ParentName != nil) {
				t.Errorf("order %d: variation_id %d with parent_name %v", id, li.VariationID, li.ParentName)
			}
		}
		var fees, feeTax ledger.Amount
		for _, f := range o.FeeLines {
			fees += money2(t, id, "fee total", f.Total)
			feeTax += money2(t, id, "fee total_tax", f.TotalTax)
		}
		var ships, shipsTax ledger.Amount
		for _, sl := range o.ShippingLines {
			ships += money2(t, id, "shipping line total", sl.Total)
			shipsTax += money2(t, id, "shipping line total_tax", sl.TotalTax)
		}
		var taxLines, taxLinesShip ledger.Amount
		for _, tl := range o.TaxLines {
			taxLines += money2(t, id, "tax_total", tl.TaxTotal)
			taxLinesShip += money2(t, id, "shipping_tax_total", tl.ShippingTax)
		}
		var coupons, couponTax ledger.Amount
		for _, c := range o.CouponLines {
			coupons += amount(t, id, "coupon discount", c.Discount)
			couponTax += amount(t, id, "coupon discount_tax", c.DiscountTax)
		}
		checks := []struct {
			what      string
			got, want ledger.Amount
		}{
			{"total = lines + fees + shipping + taxes", total, lines + fees + shipTotal + totalTax},
			{"total_tax = cart_tax + shipping_tax", totalTax, cartTax + shipTax},
			{"cart_tax = line taxes + fee taxes", cartTax, lineTax + feeTax},
			{"shipping_total = shipping lines", shipTotal, ships},
			{"shipping_tax = shipping line taxes", shipTax, shipsTax},
			{"discount_total = subtotals - totals", discTotal, disc},
			{"discount_tax = subtotal taxes - total taxes", discTax, dTax},
			{"tax lines = cart_tax", taxLines, cartTax},
			{"tax lines shipping = shipping_tax", taxLinesShip, shipTax},
		}
		if len(o.CouponLines) > 0 {
			checks = append(checks,
				struct {
					what      string
					got, want ledger.Amount
				}{"coupon discounts = discount_total", coupons, discTotal},
				struct {
					what      string
					got, want ledger.Amount
				}{"coupon discount taxes = discount_tax", couponTax, discTax})
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("order %d: %s: %v != %v", id, c.what, c.got, c.want)
			}
		}
		if total < 0 {
			t.Errorf("order %d: negative total %v", id, total)
		}

		var refunded ledger.Amount
		for _, rf := range o.Refunds {
			if !strings.HasPrefix(rf.Total, "-") {
				t.Errorf("order %d: refund total %q not negative", id, rf.Total)
			}
			refunded -= money2(t, id, "refund total", rf.Total)
			if rf.ID <= RefundIDBase {
				t.Errorf("order %d: refund id %d", id, rf.ID)
			}
		}
		if refunded > total {
			t.Errorf("order %d: refunded %v > total %v", id, refunded, total)
		}
		if o.Status == "refunded" && total > 0 && refunded != total {
			t.Errorf("order %d: refunded status but refunds %v of %v", id, refunded, total)
		}

		// Dates: ascending creation, modified after created, paid and
		// completed as the status implies, all within 400 days of now.
		if o.DateCreated != o.DateCreatedGMT || o.DateModified != o.DateModifiedGMT {
			t.Errorf("order %d: UTC site but local and GMT dates differ", id)
		}
		if o.DateCreatedGMT < prevCreated {
			t.Errorf("order %d created %s before its predecessor %s", id, o.DateCreatedGMT, prevCreated)
		}
		prevCreated = o.DateCreatedGMT
		created, _ := time.Parse(wcDate, o.DateCreatedGMT)
		modified, _ := time.Parse(wcDate, o.DateModifiedGMT)
		if modified.Before(created) || modified.After(testNow) || created.Before(testNow.Add(-401*24*time.Hour)) {
			t.Errorf("order %d: created %v modified %v", id, created, modified)
		}
		switch o.Status {
		case "completed":
			if o.DateCompleted == nil || o.DatePaid == nil {
				t.Errorf("order %d: completed without date_completed/date_paid", id)
			}
		case "processing":
			if o.DatePaid == nil || o.DateCompleted != nil {
				t.Errorf("order %d: processing with paid %v completed %v", id, o.DatePaid, o.DateCompleted)
			}
		case "pending", "failed", "on-hold", "checkout-draft", "cancelled":
			if o.DatePaid != nil || o.DateCompleted != nil {
				t.Errorf("order %d: %s with a payment date", id, o.Status)
			}
		}
		for _, d := range []*string{o.DatePaidGMT, o.DateCompletedGMT} {
			if d == nil {
				continue
			}
			at, _ := time.Parse(wcDate, *d)
			if at.Before(created) || at.After(modified) {
				t.Errorf("order %d: date %s outside created..modified", id, *d)
			}
		}
		if (o.DatePaid == nil) != (o.DatePaidGMT == nil) || (o.DateCompleted == nil) != (o.DateCompletedGMT == nil) {
			t.Errorf("order %d: local and GMT dates disagree on null", id)
		}
		if o.NeedsPayment != ((o.Status == "pending" || o.Status == "failed") && total > 0) {
			t.Errorf("order %d: needs_payment %v for %s", id, o.NeedsPayment, o.Status)
		}
	}
}

func TestGeneratedVariety(t *testing.T) {
	s := New(Options{Orders: 1500, Seed: 1, Now: func() time.Time { return testNow }})
	orders := decodeOrders(t, renderAll(s, "https://shop.test"))
	seen := map[string]int{}
	for _, o := range orders {
		seen["status:"+o.Status]++
		seen["currency:"+o.Currency]++
		name := o.Billing.FirstName + o.Billing.LastName
		for _, r := range name {
			switch {
			case unicode.Is(unicode.Cyrillic, r):
				seen["cyrillic"]++
			case strings.ContainsRune("äöüÄÖÜß", r):
				seen["umlaut"]++
			case strings.ContainsRune("éèêëàçôûùîï", r):
				seen["accent"]++
			}
		}
		for _, li := range o.LineItems {
			if li.VariationID != 0 {
				seen["variation"]++
			}
			if li.SKU == nil {
				seen["deleted product"]++
			}
			for _, m := range li.MetaData {
				if m.Key != m.DisplayKey {
					seen["attribute meta"]++
				}
			}
		}
		if len(o.LineItems) > 1 {
			seen["multi-line"]++
		}
		if len(o.CouponLines) > 0 {
			seen["coupon"]++
		}
		if len(o.FeeLines) > 0 {
			seen["fee"]++
		}
		if len(o.ShippingLines) > 0 {
			seen["shipping"]++
		}
		if len(o.TaxLines) > 0 {
			seen["tax"]++
		} else {
			seen["untaxed"]++
		}
		for _, tl := range o.TaxLines {
			if strings.Contains(tl.RatePercent.String(), ".") {
				seen["fractional rate"]++
			}
		}
		if len(o.Refunds) > 0 && o.Status != "refunded" {
			seen["partial refund"]++
		}
		if len(o.Refunds) > 0 && o.Status == "refunded" {
			seen["full refund"]++
		}
		if o.PricesIncludeTax {
			seen["prices include tax"]++
		}
		if _, ok := o.Links["customer"]; ok {
			seen["customer link"]++
		}
		for _, li := range o.LineItems {
			if strings.Contains(li.Price.String(), ".") && len(strings.Split(li.Price.String(), ".")[1]) > 2 {
				seen["long price"]++
			}
		}
	}
	for _, want := range []string{
		"status:pending", "status:processing", "status:on-hold", "status:completed", "status:cancelled",
		"status:refunded", "status:failed", "status:checkout-draft",
		"currency:EUR", "currency:BGN", "currency:USD", "currency:GBP",
		"cyrillic", "umlaut", "accent", "variation", "deleted product", "attribute meta", "multi-line",
		"coupon", "fee", "shipping", "tax", "untaxed", "fractional rate", "partial refund", "full refund",
		"prices include tax", "customer link",
	} {
		if seen[want] == 0 {
			t.Errorf("no order with %s among 1500", want)
		}
	}
	if seen["status:trash"] != 0 {
		t.Errorf("generated trashed orders")
	}
	t.Logf("variety: %v", seen)
}

func TestAddOrdersAreNew(t *testing.T) {
	clk := newClock(testNow)
	s := New(Options{Orders: 10, Seed: 3, Now: clk.Now})
	now := clk.Add(time.Hour)
	ids := s.AddOrders(50)
	if len(ids) != 50 || ids[0] != 11 || ids[49] != 60 || s.Count() != 60 {
		t.Fatalf("ids %v count %d", ids, s.Count())
	}
	for _, sum := range s.Snapshot()[10:] {
		if !sum.Modified.Equal(now) {
			t.Errorf("order %d modified %v, want %v", sum.ID, sum.Modified, now)
		}
		switch sum.Status {
		case "pending", "processing", "on-hold", "checkout-draft":
		default:
			t.Errorf("new order %d is %s", sum.ID, sum.Status)
		}
	}
	if s.AddOrders(0) != nil {
		t.Error("AddOrders(0) added orders")
	}
}

func TestSetStatus(t *testing.T) {
	clk := newClock(testNow)
	s := New(Options{Orders: 20, Seed: 5, Now: clk.Now})
	var pending int64 // an order not paid yet
	for _, o := range s.orders {
		if o.paid == 0 && len(o.refunds) == 0 {
			pending = o.id
			break
		}
	}
	if pending == 0 {
		t.Fatal("no unpaid order")
	}
	now := clk.Add(time.Minute)
	if err := s.SetStatus(pending, "wc-completed"); err != nil {
		t.Fatal(err)
	}
	got := decodeOrders(t, [][]byte{renderAll(s, "http://x")[pending-1]})[0]
	if got.Status != "completed" || got.DateModifiedGMT != now.Format(wcDate) ||
		got.DatePaidGMT == nil || *got.DatePaidGMT != now.Format(wcDate) || got.DateCompletedGMT == nil {
		t.Fatalf("after SetStatus: %+v", got)
	}
	// The clock has not moved: date_modified still moves forward, by a second.
	if err := s.SetStatus(pending, "refunded"); err != nil {
		t.Fatal(err)
	}
	sum := s.Snapshot()[pending-1]
	if !sum.Modified.Equal(now.Add(time.Second)) || sum.Status != "refunded" {
		t.Fatalf("second SetStatus: %+v", sum)
	}
	got = decodeOrders(t, [][]byte{renderAll(s, "http://x")[pending-1]})[0]
	if len(got.Refunds) != 1 || got.Refunds[0].Total != "-"+got.Total || got.Refunds[0].Reason != "Order status set to refunded" {
		t.Fatalf("refunds after refunded: %+v (total %s)", got.Refunds, got.Total)
	}
	// A plugin's status is kept as it is.
	if err := s.SetStatus(pending, "shipped"); err != nil {
		t.Fatal(err)
	}
	if s.Snapshot()[pending-1].Status != "shipped" {
		t.Fatal("plugin status not kept")
	}
	for _, bad := range []string{"", "Completed", "a b", strings.Repeat("x", 18)} {
		if err := s.SetStatus(1, bad); err == nil {
			t.Errorf("SetStatus(%q) accepted", bad)
		}
	}
	if err := s.SetStatus(999, "completed"); err == nil {
		t.Error("SetStatus on a missing order succeeded")
	}
}

// A shop's orders are touched when something happens to them: recently
// only the newest few. The generator cuts each order's history at now
// rather than clamping later steps to it (which piled ~640 of 100,000
// orders up at exactly now).
func TestRecentModificationsAreFew(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 100,000-order shop")
	}
	s := bigShopSim()
	now := testNow.Unix()
	var last5m, lastHour, lastDay, atNow int
	for _, o := range s.orders {
		switch age := now - o.modified; {
		case age == 0:
			atNow++
			fallthrough
		case age <= 5*minute:
			last5m++
			fallthrough
		case age <= hour:
			lastHour++
			fallthrough
		case age <= day:
			lastDay++
		}
	}
	t.Logf("modified within 5 min: %d, 1 h: %d, 1 day: %d, at now: %d", last5m, lastHour, lastDay, atNow)
	// 100,000 orders over 400 days is 250 new orders a day, about one in
	// five minutes; payments, completions and refunds of older orders add
	// about as many again.
	if last5m > 10 || atNow > 3 || lastHour > 60 || lastDay > 1000 {
		t.Errorf("too many recent modifications: 5 min %d, 1 h %d, 1 day %d, at now %d", last5m, lastHour, lastDay, atNow)
	}
}
