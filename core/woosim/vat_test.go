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

func sofia(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// vatOptions is a Bulgarian VAT shop: prices with tax, Sofia time, BGN
// until 2026-01-01 and EUR after, orders over the year before testNow.
func vatOptions(t testing.TB, orders int) Options {
	loc := sofia(t)
	return Options{
		Orders: orders, Seed: 77, VAT: true, SiteTimezone: loc,
		From: time.Date(2025, 11, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 11, 30, 0, 0, 0, 0, loc),
		CurrencyChange: &CurrencyChange{At: time.Date(2026, 1, 1, 0, 0, 0, 0, loc), Before: "BGN", After: "EUR"},
		Now:            func() time.Time { return testNow },
	}
}

// vatOrder is what the VAT tests read of an order.
type vatOrder struct {
	ID            int64  `json:"id"`
	Status        string `json:"status"`
	Currency      string `json:"currency"`
	PricesInclTax bool   `json:"prices_include_tax"`
	Created       string `json:"date_created"`
	CreatedGMT    string `json:"date_created_gmt"`
	DiscountTotal string `json:"discount_total"`
	DiscountTax   string `json:"discount_tax"`
	ShippingTotal string `json:"shipping_total"`
	ShippingTax   string `json:"shipping_tax"`
	CartTax       string `json:"cart_tax"`
	Total         string `json:"total"`
	TotalTax      string `json:"total_tax"`
	Billing       struct {
		Country string `json:"country"`
	} `json:"billing"`
	PaymentMethod string `json:"payment_method"`
	LineItems     []struct {
		Quantity    int64  `json:"quantity"`
		TaxClass    string `json:"tax_class"`
		Subtotal    string `json:"subtotal"`
		SubtotalTax string `json:"subtotal_tax"`
		Total       string `json:"total"`
		TotalTax    string `json:"total_tax"`
		Taxes       []struct {
			ID    int64  `json:"id"`
			Total string `json:"total"`
		} `json:"taxes"`
	} `json:"line_items"`
	TaxLines []struct {
		RateID      int64   `json:"rate_id"`
		RateCode    string  `json:"rate_code"`
		Label       string  `json:"label"`
		TaxTotal    string  `json:"tax_total"`
		ShippingTax string  `json:"shipping_tax_total"`
		RatePercent float64 `json:"rate_percent"`
	} `json:"tax_lines"`
	ShippingLines []struct {
		Total    string `json:"total"`
		TotalTax string `json:"total_tax"`
	} `json:"shipping_lines"`
	FeeLines []struct {
		Name     string `json:"name"`
		Total    string `json:"total"`
		TotalTax string `json:"total_tax"`
	} `json:"fee_lines"`
	CouponLines []struct {
		Discount    string `json:"discount"`
		DiscountTax string `json:"discount_tax"`
	} `json:"coupon_lines"`
	Refunds []struct {
		Total string `json:"total"`
	} `json:"refunds"`
}

var wantRates = map[string]map[string]struct {
	id   int64
	code string
	pct  float64
}{
	"BG": {"": {1, "BG-ДДС 20%-1", 20}, "reduced-rate": {2, "BG-ДДС 9%-1", 9}},
	"DE": {"": {3, "DE-MWST 19%-1", 19}, "reduced-rate": {4, "DE-MWST 7%-1", 7}},
}

// Every order of a VAT shop adds up to the cent the way WooCommerce's do,
// with the rate of its country and tax class on every line, whether prices
// are entered with tax or without.
func TestVATOrdersAddUp(t *testing.T) {
	for _, incl := range []bool{true, false} {
		t.Run(fmt.Sprint("prices include tax ", incl), func(t *testing.T) {
			o := vatOptions(t, 800)
			if !incl {
				o.PricesIncludeTax = Off
			}
			checkVATOrders(t, New(o), incl)
		})
	}
}

func checkVATOrders(t *testing.T, s *Sim, incl bool) {
	loc := sofia(t)
	switchAt := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	seen := map[string]int{}
	for _, raw := range renderAll(s, "https://127.0.0.1:8443") {
		var o vatOrder
		if err := json.Unmarshal(raw, &o); err != nil {
			t.Fatal(err)
		}
		c := func(v string) int64 { return cents(t, v) }
		where := fmt.Sprintf("order %d", o.ID)
		created, _ := time.Parse(wcDate, o.CreatedGMT)
		local, _ := time.ParseInLocation(wcDate, o.Created, loc)
		if !local.Equal(created) {
			t.Errorf("%s: date_created %s is not date_created_gmt %s in Sofia", where, o.Created, o.CreatedGMT)
		}
		wantCur := "EUR"
		if created.Before(switchAt) {
			wantCur = "BGN"
		}
		if o.Currency != wantCur || o.PricesInclTax != incl {
			t.Errorf("%s created %v: currency %s, prices_include_tax %v", where, created, o.Currency, o.PricesInclTax)
		}
		seen[o.Currency]++
		var lines, discount, discountTax, lineTax int64
		rateTax := map[int64][2]int64{}
		for _, li := range o.LineItems {
			lines += c(li.Total)
			discount += c(li.Subtotal) - c(li.Total)
			discountTax += c(li.SubtotalTax) - c(li.TotalTax)
			lineTax += c(li.TotalTax)
			want, taxed := wantRates[o.Billing.Country][li.TaxClass]
			if !taxed {
				if _, ok := wantRates[o.Billing.Country]; ok {
					want, taxed = wantRates[o.Billing.Country][""], true
				}
			}
			if !taxed {
				if len(li.Taxes) != 0 || c(li.TotalTax) != 0 {
					t.Errorf("%s: a %s line taxed %+v", where, o.Billing.Country, li.Taxes)
				}
				seen["untaxed"]++
				continue
			}
			if len(li.Taxes) != 1 || li.Taxes[0].ID != want.id || c(li.Taxes[0].Total) != c(li.TotalTax) {
				t.Errorf("%s: %s line of class %q taxes %+v, want rate %d", where, o.Billing.Country, li.TaxClass, li.Taxes, want.id)
			}
			// The tax in a gross amount, or on a net one, rounded per line.
			exact := float64(c(li.Total)) * want.pct / 100
			if incl {
				gross := c(li.Total) + c(li.TotalTax)
				exact = float64(gross) * want.pct / (100 + want.pct)
			}
			if d := float64(c(li.TotalTax)) - exact; d > 0.5 || d < -0.5 {
				t.Errorf("%s: line tax %s of %s at %v%% (with tax %v)", where, li.TotalTax, li.Total, want.pct, incl)
			}
			v := rateTax[want.id]
			v[0] += c(li.TotalTax)
			rateTax[want.id] = v
			seen[fmt.Sprint("rate ", want.id)]++
		}
		var fees, feeTax int64
		for _, f := range o.FeeLines {
			fees += c(f.Total)
			feeTax += c(f.TotalTax)
			if slices.ContainsFunc(countries, func(c country) bool { return c.CODFee == f.Name }) {
				seen["cod fee"]++
			}
		}
		var ship, shipTax int64
		for _, sl := range o.ShippingLines {
			ship += c(sl.Total)
			shipTax += c(sl.TotalTax)
		}
		if c(o.CartTax)+c(o.ShippingTax) != c(o.TotalTax) {
			t.Errorf("%s: cart_tax %s + shipping_tax %s != total_tax %s", where, o.CartTax, o.ShippingTax, o.TotalTax)
		}
		if c(o.CartTax) != lineTax+feeTax || c(o.ShippingTax) != shipTax || c(o.ShippingTotal) != ship {
			t.Errorf("%s: cart_tax %s, lines+fees %d; shipping %s/%s, lines %d/%d", where, o.CartTax, lineTax+feeTax, o.ShippingTotal, o.ShippingTax, ship, shipTax)
		}
		if c(o.Total) != lines+fees+ship+c(o.TotalTax) {
			t.Errorf("%s: total %s, parts %d", where, o.Total, lines+fees+ship+c(o.TotalTax))
		}
		if c(o.DiscountTotal) != discount || c(o.DiscountTax) != discountTax {
			t.Errorf("%s: discount %s/%s, lines %d/%d", where, o.DiscountTotal, o.DiscountTax, discount, discountTax)
		}
		var cpn, cpnTax int64
		for _, cl := range o.CouponLines {
			cpn += c(cl.Discount)
			cpnTax += c(cl.DiscountTax)
			seen["coupon"]++
		}
		if len(o.CouponLines) > 0 && (cpn != discount || cpnTax != discountTax) {
			t.Errorf("%s: coupon lines %d/%d, lines' discount %d/%d", where, cpn, cpnTax, discount, discountTax)
		}
		var taxLines, taxLinesShip int64
		for _, tl := range o.TaxLines {
			taxLines += c(tl.TaxTotal)
			taxLinesShip += c(tl.ShippingTax)
			found := false
			for _, r := range wantRates[o.Billing.Country] {
				if r.id == tl.RateID && r.code == tl.RateCode && r.pct == tl.RatePercent {
					found = true
				}
			}
			if !found {
				t.Errorf("%s (%s): tax line %+v", where, o.Billing.Country, tl)
			}
		}
		if taxLines != c(o.CartTax) || taxLinesShip != c(o.ShippingTax) {
			t.Errorf("%s: tax lines %d + %d, cart_tax %s, shipping_tax %s", where, taxLines, taxLinesShip, o.CartTax, o.ShippingTax)
		}
		var refunded int64
		for _, rf := range o.Refunds {
			refunded -= c(rf.Total)
		}
		switch {
		case o.Status == "refunded":
			seen["full refund"]++
			if refunded != c(o.Total) {
				t.Errorf("%s: refunded %d of %s", where, refunded, o.Total)
			}
		case refunded > 0:
			seen["partial refund"]++
			if refunded >= c(o.Total) {
				t.Errorf("%s (%s): refunded %d of %s", where, o.Status, refunded, o.Total)
			}
		}
		if o.PaymentMethod == "cod" {
			seen["cod"]++
		}
	}
	for _, k := range []string{"BGN", "EUR", "untaxed", "rate 1", "rate 2", "rate 3", "rate 4", "cod fee", "coupon", "full refund", "partial refund"} {
		if seen[k] == 0 {
			t.Errorf("no %s among the orders: %v", k, seen)
		}
	}
	if seen["cod fee"] != seen["cod"] {
		t.Errorf("%d COD orders, %d COD fees", seen["cod"], seen["cod fee"])
	}
}

// Orders of a VAT shop, their refunds and its tax rates have the shape of
// the real shop's, in both dialects.
func TestVATShapesMatchCaptures(t *testing.T) {
	s := startShop(t, vatOptions(t, 300), true)
	want := parseJSON(t, booksSample(t, "wc-v3-order-vat-partial-refund.json"))
	wantLegacy := parseJSON(t, booksSample(t, "legacy-v3-order-vat-partial-refund.json"))
	alt := map[string][]string{
		".date_completed": {"string", "null"}, ".date_completed_gmt": {"string", "null"},
		".date_paid": {"string", "null"}, ".date_paid_gmt": {"string", "null"},
		".line_items[].sku": {"null"}, ".line_items[].parent_name": {"string", "null"},
		".line_items[].image.id": {"string", "number"},
	}
	checked := 0
	for id := int64(1); id <= 300; id++ {
		o := s.order(id)
		if len(o.Refunds) == 0 || len(o.FeeLines) == 0 || len(o.ShippingLines) == 0 {
			continue
		}
		r := s.get(fmt.Sprintf("/wp-json/wc/v3/orders/%d", id))
		got := parseJSON(t, r.body)
		// The capture's order has no meta_data; a checkout order's has.
		got.vals["meta_data"] = want.vals["meta_data"]
		sameShape(t, "", got, want, alt)
		lr := s.get(fmt.Sprintf("/wc-api/v3/orders/%d", id))
		gotLegacy := parseJSON(t, lr.body)
		// A registered customer's object is a full customer, as tested
		// elsewhere; the capture's is a guest's.
		gotLegacy.vals["order"].vals["customer"] = wantLegacy.vals["order"].vals["customer"]
		sameShape(t, "", gotLegacy, wantLegacy, map[string][]string{
			".order.completed_at": {"string"}, ".order.line_items[].sku": {"null"},
		})
		checked++
	}
	if checked == 0 {
		t.Fatal("no refunded order with fees and shipping")
	}

	r := s.get("/wp-json/wc/v3/taxes")
	if r.status != 200 || r.header.Get("X-WP-Total") != "4" {
		t.Fatalf("taxes: %d %v %s", r.status, r.header, r.body)
	}
	capture := booksSample(t, "wc-v3-taxes.json")
	var gotTaxes, wantTaxes any
	json.Unmarshal(bytes.ReplaceAll(r.body, []byte(strings.TrimPrefix(s.srv.URL, "https://")), []byte("127.0.0.1:8443")), &gotTaxes)
	json.Unmarshal(capture, &wantTaxes)
	g, _ := json.Marshal(gotTaxes)
	w, _ := json.Marshal(wantTaxes)
	if !bytes.Equal(g, w) {
		t.Errorf("taxes:\n got %s\nwant %s", g, w)
	}
	sameShape(t, "", parseJSON(t, r.body), parseJSON(t, capture), nil)
}

func TestSiteTimezoneExposed(t *testing.T) {
	o := vatOptions(t, 1)
	s := startShop(t, o, true)
	var idx struct {
		TZ     string `json:"timezone_string"`
		Offset any    `json:"gmt_offset"`
	}
	s.get("/wp-json/").json(t, &idx)
	if idx.TZ != "Europe/Sofia" || idx.Offset != 2.0 { // testNow is in winter
		t.Errorf("/wp-json/: %+v", idx)
	}
	var legacy struct {
		Store struct {
			Meta struct {
				Timezone    string `json:"timezone"`
				Currency    string `json:"currency"`
				TaxIncluded bool   `json:"tax_included"`
			} `json:"meta"`
		} `json:"store"`
	}
	s.get("/wc-api/v3").json(t, &legacy)
	if m := legacy.Store.Meta; m.Timezone != "Europe/Sofia" || m.Currency != "EUR" || !m.TaxIncluded {
		t.Errorf("/wc-api/v3 store meta: %+v", m)
	}
	utc := startShop(t, Options{}, true)
	utc.get("/wp-json/").json(t, &idx)
	if idx.TZ != "" || idx.Offset != "0" {
		t.Errorf("UTC /wp-json/: %+v", idx)
	}
}

// Orders fall within From and To.
func TestOrdersWithinFromTo(t *testing.T) {
	o := vatOptions(t, 300)
	s := New(o)
	var created []int64
	for _, or := range s.orders {
		created = append(created, or.created)
	}
	if slices.Min(created) < o.From.Unix() || slices.Max(created) >= o.To.Unix() {
		t.Errorf("orders from %v to %v, want within [%v, %v)", time.Unix(slices.Min(created), 0), time.Unix(slices.Max(created), 0), o.From, o.To)
	}
}

// A VAT shop without a currency change has one currency for every order.
func TestVATShopOneCurrency(t *testing.T) {
	for cur, o := range map[string]Options{
		"EUR": {Orders: 200, Seed: 3, VAT: true, Now: func() time.Time { return testNow }},
		"BGN": {Orders: 200, Seed: 3, VAT: true, Currency: "BGN", Now: func() time.Time { return testNow }},
	} {
		for _, sum := range New(o).Snapshot() {
			if sum.Currency != cur {
				t.Fatalf("order %d in %s, want %s", sum.ID, sum.Currency, cur)
			}
		}
	}
}
