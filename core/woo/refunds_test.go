package woo

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

func amt(t *testing.T, s string) ledger.Amount {
	t.Helper()
	a, err := ledger.ParseAmount(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func utcAt(s string) time.Time {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return v
}

type check struct {
	name      string
	got, want any
}

func runChecks(t *testing.T, checks []check) {
	t.Helper()
	for _, c := range checks {
		gj, _ := json.Marshal(c.got)
		wj, _ := json.Marshal(c.want)
		if string(gj) != string(wj) {
			t.Errorf("%s = %s, want %s", c.name, gj, wj)
		}
	}
}

// TestDecodeVATOrderBothDialects checks every figure the books need on
// the captured order with VAT, a coupon, a fee, shipping and a partial
// refund, in both dialects.
func TestDecodeVATOrderBothDialects(t *testing.T) {
	w, err := DecodeOrder(readSample(t, "wc-v3-order-vat-partial-refund.json"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := DecodeLegacyOrder(readSample(t, "legacy-v3-order-vat-partial-refund.json"))
	if err != nil {
		t.Fatal(err)
	}
	vat20 := ledger.TaxLine{ID: 4119, RateCode: "BG-ДДС 20%-1", RateID: 1, Label: "ДДС 20%",
		TaxTotal: amt(t, "25.46"), ShippingTaxTotal: amt(t, "1.38"), RatePercent: amt(t, "20")}
	legacyVAT20 := vat20
	legacyVAT20.RatePercent = 0 // the legacy API does not tell it
	for _, o := range []struct {
		name string
		o    ledger.Order
	}{{"wc/v3", w}, {"legacy", l}} {
		t.Run(o.name, func(t *testing.T) {
			o := o.o
			runChecks(t, []check{
				{"currency", o.Currency, "EUR"},
				{"total", o.Total, amt(t, "161.08")},
				{"cart tax", o.CartTax, amt(t, "25.46")},
				{"shipping", o.ShippingTotal, amt(t, "6.90")},
				{"shipping tax", o.ShippingTax, amt(t, "1.38")},
				{"total tax", o.TotalTax, amt(t, "26.84")},
				{"discount", o.DiscountTotal, amt(t, "4.16")},
				{"payment method", o.PaymentMethod, "cod"},
				{"payment title", o.PaymentMethodTitle, "Наложен платеж"},
				{"created", o.Created, utcAt("2026-02-23T06:04:05Z")},
				{"completed", o.Completed, utcAt("2026-12-05T13:22:43Z")},
				{"fees", len(o.FeeLines), 1},
				{"fee name", o.FeeLines[0].Name, "Такса наложен платеж"},
				{"fee total", o.FeeLines[0].Total, amt(t, "2.00")},
				{"fee tax", o.FeeLines[0].TotalTax, amt(t, "0.40")},
				{"coupon", o.CouponLines[0].Code, "fix5"},
				{"coupon discount", o.CouponLines[0].Discount, amt(t, "4.16")},
				{"shipping line tax", o.ShippingLines[0].TotalTax, amt(t, "1.38")},
				{"shipping line taxes", o.ShippingLines[0].Taxes, []ledger.LineTax{{RateID: 1, Total: amt(t, "1.38")}}},
			})
		})
	}
	runChecks(t, []check{
		{"wc/v3 tax lines", w.TaxLines, []ledger.TaxLine{vat20}},
		{"legacy tax lines (shipping part split off)", l.TaxLines, []ledger.TaxLine{legacyVAT20}},
		{"wc/v3 discount tax", w.DiscountTax, amt(t, "0.83")},
		{"wc/v3 coupon discount tax", w.CouponLines[0].DiscountTax, amt(t, "0.84")},
		{"wc/v3 paid", w.Paid, utcAt("2026-02-24T21:47:42Z")},
		{"legacy paid date is not told", l.Paid.IsZero(), true},
		{"wc/v3 refunds", w.Refunds, []ledger.Refund{{ID: 1319, Reason: "Повреден артикул", Amount: amt(t, "24.48")}}},
		{"wc/v3 lists refunds", w.RefundsUnlisted, false},
		{"legacy lists no refunds", l.RefundsUnlisted, true},
		{"legacy refunds", len(l.Refunds), 0},
	})
}

func TestDecodeRefundsSamples(t *testing.T) {
	partial, err := DecodeRefunds(readSample(t, "wc-v3-order-refunds-partial.json"))
	if err != nil {
		t.Fatal(err)
	}
	full, err := DecodeRefunds(readSample(t, "wc-v3-order-refunds-full.json"))
	if err != nil {
		t.Fatal(err)
	}
	lpartial, err := DecodeLegacyRefunds(readSample(t, "legacy-v3-order-refunds-partial.json"))
	if err != nil {
		t.Fatal(err)
	}
	lfull, err := DecodeLegacyRefunds(readSample(t, "legacy-v3-order-refunds-full.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, f := partial[0], full[0]
	runChecks(t, []check{
		{"partial", []any{p.ID, p.Amount, p.Reason, p.Created, p.Detailed, p.RefundedPayment}, []any{1319, amt(t, "24.48"), "Повреден артикул", utcAt("2026-04-02T15:28:15Z"), true, false}},
		{"partial line", []any{p.Lines[0].ProductID, p.Lines[0].ParentID, p.Lines[0].Quantity, p.Lines[0].Total, p.Lines[0].TotalTax, p.Lines[0].Taxes},
			[]any{24, 21, amt(t, "-1"), amt(t, "-20.40"), amt(t, "-4.08"), []ledger.LineTax{{RateID: 1, Total: amt(t, "-4.08"), Subtotal: amt(t, "-4.08")}}}},
		{"partial tax lines", p.TaxLines, []ledger.TaxLine{{ID: 4122, RateCode: "BG-ДДС 20%-1", RateID: 1, Label: "ДДС 20%", TaxTotal: amt(t, "-4.08"), RatePercent: amt(t, "20")}}},
		{"full", []any{f.ID, f.Amount, f.Created, len(f.Lines), len(f.ShippingLines), len(f.FeeLines), len(f.TaxLines)}, []any{1308, amt(t, "107.33"), utcAt("2026-11-26T05:54:11Z"), 3, 1, 1, 2}},
		{"full shipping", []any{f.ShippingLines[0].Total, f.ShippingLines[0].TotalTax}, []any{amt(t, "-5.00"), amt(t, "-1.00")}},
		{"full fee", []any{f.FeeLines[0].Total, f.FeeLines[0].TotalTax}, []any{amt(t, "-2.00"), amt(t, "-0.40")}},
		{"full 20% tax", []any{f.TaxLines[1].RateID, f.TaxLines[1].TaxTotal, f.TaxLines[1].ShippingTaxTotal}, []any{1, amt(t, "-8.50"), amt(t, "-1.00")}},
		{"legacy partial", []any{lpartial[0].ID, lpartial[0].Amount, lpartial[0].Created, lpartial[0].Detailed, lpartial[0].Lines[0].ProductID, lpartial[0].Lines[0].TotalTax},
			[]any{1319, amt(t, "24.48"), utcAt("2026-04-02T15:28:15Z"), true, 24, amt(t, "-4.08")}},
		{"legacy full", []any{lfull[0].ID, lfull[0].Amount, len(lfull[0].Lines), len(lfull[0].TaxLines)}, []any{1308, amt(t, "107.33"), 3, 0}},
	})

	// The legacy refunds, completed from their orders, say what wc/v3 says.
	l, err := DecodeLegacyOrder(readSample(t, "legacy-v3-order-vat-partial-refund.json"))
	if err != nil {
		t.Fatal(err)
	}
	l.Refunds = lpartial
	DeriveRefundTaxes(&l)
	runChecks(t, []check{
		{"legacy partial derived", []any{l.Refunds[0].TaxSplitUnknown, taxByRate(l.Refunds[0])}, []any{false, taxByRate(p)}},
		{"legacy partial line taxes", l.Refunds[0].Lines[0].Taxes, []ledger.LineTax{{RateID: 1, Total: amt(t, "-4.08"), Subtotal: amt(t, "-4.08")}}},
	})
	// No legacy capture of the fully refunded order: its wc/v3 form,
	// which says the same of it, stands in as the order.
	whole, err := DecodeOrder(readSample(t, "wc-v3-order-fully-refunded.json"))
	if err != nil {
		t.Fatal(err)
	}
	whole.Refunds = lfull
	DeriveRefundTaxes(&whole)
	r := whole.Refunds[0]
	runChecks(t, []check{
		{"legacy full derived", []any{r.TaxSplitUnknown, taxByRate(r), len(r.ShippingLines), len(r.FeeLines)}, []any{false, taxByRate(f), 1, 1}},
		{"legacy full shipping", []any{r.ShippingLines[0].Total, r.ShippingLines[0].TotalTax}, []any{amt(t, "-5.00"), amt(t, "-1.00")}},
	})
}

// taxByRate sums a refund's tax lines per rate id: "tax/shipping tax".
func taxByRate(r ledger.Refund) map[int64]string {
	m := map[int64]string{}
	for _, t := range r.TaxLines {
		m[t.RateID] = t.TaxTotal.String() + "/" + t.ShippingTaxTotal.String()
	}
	return m
}

// TestRefundsOfAMonth decodes every refund of a real shop's October in
// both dialects: each wc/v3 refund's lines add up to its amount, and each
// legacy refund, completed from its legacy order, either says what the
// wc/v3 one says per rate or says that it cannot.
func TestRefundsOfAMonth(t *testing.T) {
	dir := filepath.Join("testdata", "books-2026-10")
	read := func(name string, v any) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	var wcOrders, legacyOrders []json.RawMessage
	var wcRefunds map[string]json.RawMessage
	var legacyRefunds map[string]json.RawMessage
	read("wc-v3-orders.json", &wcOrders)
	read("legacy-v3-orders.json", &legacyOrders)
	read("wc-v3-refunds-by-order.json", &wcRefunds)
	read("legacy-v3-refunds-by-order.json", &legacyRefunds)
	legacyByID := map[int64]ledger.Order{}
	for _, raw := range legacyOrders {
		o, err := DecodeLegacyOrder(raw)
		if err != nil {
			t.Fatal(err)
		}
		legacyByID[o.ID] = o
	}
	withRefunds, exact, multi, unknownShipping := 0, 0, 0, 0
	for _, raw := range wcOrders {
		o, err := DecodeOrder(raw)
		if err != nil {
			t.Fatal(err)
		}
		lo, ok := legacyByID[o.ID]
		if !ok {
			t.Fatalf("order %d: no legacy form", o.ID)
		}
		// What both dialects tell of the order agrees.
		if lo.Total != o.Total || lo.CartTax != o.CartTax || lo.ShippingTax != o.ShippingTax || lo.DiscountTotal != o.DiscountTotal ||
			lo.Currency != o.Currency || lo.PaymentMethod != o.PaymentMethod || !lo.Created.Equal(o.Created) || len(lo.TaxLines) != len(o.TaxLines) {
			t.Errorf("order %d: the dialects disagree", o.ID)
		}
		if len(lo.TaxLines) > 1 && lo.ShippingTax != 0 {
			multi++
		}
		for i, tl := range lo.TaxLines {
			if tl.ShippingTaxUnknown {
				unknownShipping++
			}
			wt := o.TaxLines[i]
			if tl.RateID != wt.RateID || (!tl.ShippingTaxUnknown && (tl.TaxTotal != wt.TaxTotal || tl.ShippingTaxTotal != wt.ShippingTaxTotal)) ||
				(tl.ShippingTaxUnknown && tl.TaxTotal != wt.TaxTotal+wt.ShippingTaxTotal) {
				t.Errorf("order %d: legacy tax line %+v, wc/v3 %+v", o.ID, tl, wt)
			}
		}
		if len(o.Refunds) == 0 {
			continue
		}
		withRefunds++
		id := strconv.FormatInt(o.ID, 10)
		wr, err := DecodeRefunds(wcRefunds[id])
		if err != nil {
			t.Fatal(err)
		}
		lr, err := DecodeLegacyRefunds(legacyRefunds[id])
		if err != nil {
			t.Fatal(err)
		}
		if len(wr) != len(o.Refunds) || len(lr) != len(wr) {
			t.Fatalf("order %d: %d refunds listed, %d wc/v3, %d legacy", o.ID, len(o.Refunds), len(wr), len(lr))
		}
		for i, r := range wr {
			if r.ID != o.Refunds[i].ID || r.Amount != o.Refunds[i].Amount {
				t.Errorf("order %d: refund %d/%s, listed %d/%s", o.ID, r.ID, r.Amount, o.Refunds[i].ID, o.Refunds[i].Amount)
			}
			var sum ledger.Amount
			for _, l := range r.Lines {
				sum += l.Total + l.TotalTax
			}
			for _, s := range r.ShippingLines {
				sum += s.Total + s.TotalTax
			}
			for _, f := range r.FeeLines {
				sum += f.Total + f.TotalTax
			}
			if -sum != r.Amount {
				t.Errorf("order %d refund %d: lines add up to %s, amount %s", o.ID, r.ID, -sum, r.Amount)
			}
		}
		lo.Refunds = lr
		DeriveRefundTaxes(&lo)
		for i, r := range lo.Refunds {
			if r.ID != wr[i].ID || r.Amount != wr[i].Amount || !r.Created.Equal(wr[i].Created) || r.Reason != wr[i].Reason {
				t.Errorf("order %d: legacy refund %+v, wc/v3 %+v", o.ID, r, wr[i])
			}
			if r.TaxSplitUnknown {
				continue
			}
			exact++
			if got, want := taxByRate(r), taxByRate(wr[i]); !equalMaps(got, want) {
				t.Errorf("order %d refund %d: legacy derived taxes %v, wc/v3 %v", o.ID, r.ID, got, want)
			}
		}
	}
	if withRefunds != 7 {
		t.Errorf("%d orders with refunds, want 7", withRefunds)
	}
	// Two refunds are of orders with two rates, which the legacy API does
	// not split: their classes' rates come from the order's arithmetic.
	if exact != 7 {
		t.Errorf("%d legacy refunds derived exactly, want all 7", exact)
	}
	if multi == 0 || unknownShipping != 0 {
		t.Errorf("%d legacy orders with several rates and taxed shipping, %d of them with the shipping tax's rate unknown; want some, none", multi, unknownShipping)
	}
}

func equalMaps(a, b map[int64]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestClassRatesAmbiguous: when two assignments of classes to rates add
// up alike, the legacy split stays unknown rather than guessed.
func TestClassRatesAmbiguous(t *testing.T) {
	o := ledger.Order{
		ShippingTax: amt(t, "1.00"),
		Lines: []ledger.LineItem{
			{TaxClass: "", TotalTax: amt(t, "2.00")},
			{TaxClass: "reduced-rate", TotalTax: amt(t, "2.00")},
		},
		TaxLines: []ledger.TaxLine{{RateID: 1, TaxTotal: amt(t, "3.00")}, {RateID: 2, TaxTotal: amt(t, "2.00")}},
	}
	if _, _, ok := classRates(&o); ok {
		t.Fatal("an ambiguous order got a split")
	}
	splitLegacyShippingTax(&o)
	if !o.TaxLines[0].ShippingTaxUnknown || !o.TaxLines[1].ShippingTaxUnknown {
		t.Fatalf("tax lines %+v, want the shipping part unknown", o.TaxLines)
	}
	// Unambiguous: the shipping tax can only be the first rate's.
	o.Lines[1].TotalTax = amt(t, "0.50")
	o.TaxLines = []ledger.TaxLine{{RateID: 1, TaxTotal: amt(t, "3.00")}, {RateID: 2, TaxTotal: amt(t, "0.50")}}
	rates, ship, ok := classRates(&o)
	if !ok || ship != 1 || rates[""] != 1 || rates["reduced-rate"] != 2 {
		t.Fatalf("classRates = %v, %d, %v", rates, ship, ok)
	}
}
